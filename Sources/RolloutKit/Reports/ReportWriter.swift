import CRMCore
import Evaluation
import Foundation

/// Writes the evaluation report files of a project.
public struct ReportWriter: Sendable {
    public static let generator = "rollout 0.1.0"

    public var templates: ResourceLocator

    public init(templates: ResourceLocator) {
        self.templates = templates
    }

    /// Builds the report of the session's project.
    public func report(_ session: ProjectSession, asOf: Timestamp? = nil) throws -> EvaluationReport {
        var report = try session.workspace.database.read { db in
            try EvaluationReportBuilder(playbook: session.playbook, catalog: session.catalog)
                .build(db, asOf: asOf)
        }
        if let plugins = session.plugins {
            report.pluginSections = plugins.reportSections(projectID: report.project.id, at: report.asOf)
        }
        return report
    }

    /// `report` rendered in `format`, in memory (the server's report route).
    public func data(of report: EvaluationReport, as format: ReportFormat) throws -> Data {
        if format == .xlsx {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-report-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: file) }
            try ReportWorkbook(report: report).write(to: file.path)
            return try Data(contentsOf: file)
        }
        let template = try format.templateName.map { try templates.text(of: "\($0).mustache").text }
        return Data(try ReportRenderer(generator: Self.generator).render(report, as: format, template: template).utf8)
    }

    /// Renders `report` in each format into `directory/evaluation.<ext>` and returns the paths.
    /// Each file is written to a temporary name and renamed, so a reader (or a crash) never
    /// sees half a report.
    public func write(_ report: EvaluationReport, formats: [ReportFormat], to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let renderer = ReportRenderer(generator: Self.generator)
        var paths: [String] = []
        for format in formats {
            if format == .xlsx {
                let path = URL(fileURLWithPath: directory).appendingPathComponent("evaluation.xlsx").path
                try ReportWorkbook(report: report).write(to: path)
                paths.append(path)
                continue
            }
            let template = try format.templateName.map { try templates.text(of: "\($0).mustache").text }
            let text = try renderer.render(report, as: format, template: template)
            let url = URL(fileURLWithPath: directory).appendingPathComponent("evaluation.\(format.fileExtension)")
            try Data(text.utf8).write(to: url, options: .atomic)
            paths.append(url.path)
        }
        return paths
    }
}
