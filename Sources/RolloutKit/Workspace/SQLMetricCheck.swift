import CRMCore
import Foundation
import RolloutMetrics
import Playbook

/// `rollout check`'s look at a playbook's custom SQL metrics: each query is compiled in the
/// SQL sandbox against an empty workspace of the current schema, so a table that is not a
/// published view, a write or a misspelt column is an error at the `sql:` value's location
/// before the project runs, not at a gate.
enum SQLMetricCheck {
    static func diagnostics(for playbook: Playbook) -> [PlaybookDiagnostic] {
        let kpis = playbook.kpis.compactMap { kpi in kpi.sql.map { (kpi, $0) } }
        guard !kpis.isEmpty else { return [] }
        let sandbox: SQLSandbox
        let directory: TemporaryWorkspaceFile
        do {
            directory = try TemporaryWorkspaceFile()
            _ = try WorkspaceDatabase.open(at: directory.path, modules: [CRMSchema.self, MetricsSchema.self], create: true)
            sandbox = try SQLSandbox(path: directory.path, timeLimit: 1)
        } catch {
            return [PlaybookDiagnostic(.warning, code: "sql-unchecked",
                                       "the SQL of the custom metrics could not be checked: \(error)",
                                       at: kpis[0].1.location)]
        }
        defer { withExtendedLifetime(directory) {} }
        return kpis.compactMap { kpi, sql -> PlaybookDiagnostic? in
            do {
                try sandbox.check(KPIMeasurer.wrapped(sql.query))
                return nil
            } catch let error as SQLSandboxError {
                switch error.kind {
                case .refused:
                    return PlaybookDiagnostic(.error, code: "sql-refused",
                                              "the SQL of KPI '\(kpi.id)' would be refused: \(error.message)",
                                              at: sql.location)
                default:
                    return PlaybookDiagnostic(.error, code: "sql-invalid",
                                              "the SQL of KPI '\(kpi.id)' does not compile: \(error.message) (it must be "
                                                + "one SELECT on the published v_* views returning the columns user_id, "
                                                + "at and value)", at: sql.location)
                }
            } catch {
                return PlaybookDiagnostic(.error, code: "sql-invalid", "the SQL of KPI '\(kpi.id)': \(error)", at: sql.location)
            }
        }
    }
}

/// A workspace file in a fresh temporary directory, removed with the value.
private final class TemporaryWorkspaceFile {
    let directory: URL
    var path: String { directory.appendingPathComponent("check.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
