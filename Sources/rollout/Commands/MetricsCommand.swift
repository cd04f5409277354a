import ArgumentParser
import RolloutMetrics
import RolloutKit

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List the metrics a playbook's KPIs can measure, by category, with their exact definitions.",
        discussion: """
            A KPI names one with `metric:`. docs/kpis.md prints the built-in catalog with each metric's SQL. The metrics of the plugins found (--plugins, $ROLLOUT_PLUGIN_PATH, the workspace's plugins/ with --db) are listed too, each marked with its plugin.
            """)

    @Flag(help: "Include each metric's SQL.")
    var sql = false

    @OptionGroup var plugins: PluginOptions
    @Option(name: .long, help: ArgumentHelp("A workspace whose installed plugins' metrics to list too.", valueName: "path"))
    var db: String?

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
        /// The plugin that provides it; nil for a built-in metric.
        var plugin: String?
    }

    func run() throws {
        try Terminal.failing { try list() }
    }

    func list() throws {
        let directories = PluginCatalog.directories(explicit: plugins.directories, databasePath: db)
        let found = try PluginCatalog(directories: directories).candidates().map(\.manifest.id)
        // Loading verifies each plugin; listing reads their declarations and writes nothing.
        let catalog = found.isEmpty ? MetricCatalog.builtIn
            : try PluginRuntime.load(found, directories: directories, databasePath: nil).catalog
        func plugin(_ metric: MetricDefinition) -> String? {
            if case .plugin(let id) = metric.source { id } else { nil }
        }
        if output.json {
            return try Terminal.json(catalog.metrics.map {
                Entry(id: $0.id, category: $0.category.rawValue, name: $0.name, unit: $0.unit,
                      defaultAggregate: $0.defaultAggregate.rawValue, naturalDirection: $0.naturalDirection.rawValue,
                      unitOfAnalysis: $0.unitOfAnalysis, definition: $0.definition, sql: $0.sql, plugin: plugin($0))
            })
        }
        for (category, members) in catalog.byCategory {
            print(category.title.uppercased() + "\n")
            for metric in members {
                let from = plugin(metric).map { "; plugin \($0)" } ?? ""
                print("\(metric.id)  (\(metric.name); \(metric.unit); \(metric.defaultAggregate.rawValue) per \(metric.unitOfAnalysis)\(from))")
                print("  " + metric.definition)
                if sql { print(metric.sql.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")) }
                print("")
            }
        }
    }
}
