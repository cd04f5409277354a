import ArgumentParser
import Metrics
import RolloutKit

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List the metrics a playbook's KPIs can measure, by category, with their exact definitions.",
        discussion: "A KPI names one with `metric:`. docs/kpis.md prints the same catalog with each metric's SQL.")

    @Flag(help: "Include each metric's SQL.")
    var sql = false

    @OptionGroup var output: OutputOptions

    struct Entry: Encodable {
        var id: String
        var category: String
        var name: String
        var unit: String
        var defaultAggregate: String
        var naturalDirection: String
        var unitOfAnalysis: String
        var definition: String
        var sql: String
    }

    func run() throws {
        let catalog = MetricCatalog.builtIn
        if output.json {
            return try Terminal.json(catalog.metrics.map {
                Entry(id: $0.id, category: $0.category.rawValue, name: $0.name, unit: $0.unit,
                      defaultAggregate: $0.defaultAggregate.rawValue, naturalDirection: $0.naturalDirection.rawValue,
                      unitOfAnalysis: $0.unitOfAnalysis, definition: $0.definition, sql: $0.sql)
            })
        }
        for (category, members) in catalog.byCategory {
            print(category.title.uppercased() + "\n")
            for metric in members {
                print("\(metric.id)  (\(metric.name); \(metric.unit); \(metric.defaultAggregate.rawValue) per \(metric.unitOfAnalysis))")
                print("  " + metric.definition)
                if sql { print(metric.sql.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")) }
                print("")
            }
        }
    }
}
