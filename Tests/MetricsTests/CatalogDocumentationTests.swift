import Foundation
import RolloutMetrics
import Testing

/// docs/kpis.md is the steering committee's reference for what a KPI counts: it must show every
/// metric of the catalog with its definition and its exact SQL.
@Suite struct CatalogDocumentationTests {
    @Test func docsKPIsShowsEveryMetricWithItsDefinitionAndSQL() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/kpis.md"), encoding: .utf8)
        for metric in MetricCatalog.builtIn.metrics {
            #expect(doc.contains("### `\(metric.id)` — \(metric.name)"), "docs/kpis.md lacks \(metric.id)")
            #expect(doc.contains(metric.definition), "docs/kpis.md has an outdated definition of \(metric.id)")
            #expect(doc.contains(metric.sql), "docs/kpis.md has outdated SQL for \(metric.id)")
        }
    }
}
