import CRMCore
import Foundation
import GRDB
import RolloutMetrics
import Playbook
import RolloutKit
import RolloutTesting
import Testing

/// The catalog as a whole: its size and coverage (issue #6: at least 25 metrics across sales,
/// marketing, service, adoption, data quality and process), its ids, and SQL that every
/// workspace can run, so that a misspelt column fails here rather than at a gate.
@Suite struct CatalogTests {
    let catalog = MetricCatalog.builtIn

    @Test func theCatalogHasAtLeast25MetricsWithUniqueIds() {
        #expect(catalog.metrics.count >= 25)
        #expect(Set(catalog.metrics.map(\.id)).count == catalog.metrics.count)
    }

    @Test func everyCategoryHasAtLeastThreeMetrics() {
        for category in MetricCategory.allCases {
            let count = catalog.metrics.filter { $0.category == category }.count
            #expect(count >= 3, "\(category.rawValue) has \(count) metrics")
        }
        let grouped = catalog.byCategory.flatMap(\.metrics).map(\.id)
        #expect(grouped.sorted() == catalog.metrics.map(\.id).sorted())
    }

    @Test func idsNameTheEntityThenTheMeasureInSnakeCase() throws {
        let pattern = try Regex("^[a-z]+(_[a-z]+)*\\.[a-z0-9]+(_[a-z0-9]+)*$")
        for metric in catalog.metrics {
            #expect(metric.id.wholeMatch(of: pattern) != nil, "\(metric.id)")
            #expect(!metric.definition.isEmpty && !metric.unitOfAnalysis.isEmpty && !metric.unit.isEmpty, "\(metric.id)")
        }
    }

    @Test func everyMetricsSQLPreparesAgainstAFreshWorkspaceAndFindsNothingThere() throws {
        let workspace = try Workspace.inMemory()
        try workspace.database.read { db in
            for metric in catalog.metrics {
                #expect(throws: Never.self, "\(metric.id)") { _ = try db.makeStatement(sql: metric.sql) }
            }
            let measurer = KPIMeasurer(catalog: catalog)
            let here = SourceLocation(file: "test", line: 1, column: 1)
            for metric in catalog.metrics {
                let kpi = KPIDefinition(id: "k", name: "k", metric: Reference(metric.id, at: here), aggregate: nil,
                                        windowDays: 30, direction: .higherIsBetter, location: here)
                let m = try measurer.measure(kpi, users: [1, 2], group: .all, at: .day("2025-04-01"), db)
                #expect(m.sampleSize == 0 && m.value == nil, "\(metric.id) measured something in an empty workspace")
            }
        }
    }

    @Test func metricSQLUsesOnlyTheParametersTheMeasurerPasses() throws {
        let pattern = try Regex(":[a-z_]+")
        let known: Set<String> = [":from", ":to", ":users", ":working_days"]
        for metric in catalog.metrics {
            let used = Set(metric.sql.matches(of: pattern).map { String(metric.sql[$0.range]) })
            #expect(used.isSubset(of: known), "\(metric.id) uses \(used.subtracting(known).sorted())")
        }
    }

    @Test func moneyMetricsConvertMinorUnitsAsMoneyDoesForEveryISOCurrency() {
        let codes = Locale.commonISOCurrencyCodes
        #expect(codes.count > 100)
        for code in codes {
            let digits = MoneySQL.exceptions.first { $0.currencies.contains(code) }?.digits ?? 2
            #expect(digits == Money.minorUnitDigits(of: code), "\(code)")
        }
    }
}
