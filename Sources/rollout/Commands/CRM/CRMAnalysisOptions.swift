import ArgumentParser
import CRMCore
import RolloutKit

extension PeriodGrain: ExpressibleByArgument {}
extension SalesForecast.Grouping: ExpressibleByArgument {}
extension AccountAttribute: ExpressibleByArgument {}

/// What every CRM report and segmentation takes: the workspace and instant (`--db`, `--as-of`),
/// whose view (`--as`), the currency and `--json`.
struct CRMAnalysisOptions: ParsableArguments {
    /// `--as USER`: only the accounts that user's roles let them see; default the operator.
    @OptionGroup var actor: ActorOptions

    @Option(help: ArgumentHelp(
        "The currency to add amounts in (default: the only one the records use; required when they use several).",
        valueName: "code"))
    var currency: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    /// The instant the report describes: --as-of, else now.
    func asOf() throws -> Timestamp { try workspace.clock().now }

    func open() throws -> Workspace { try workspace.open() }
}

/// `--from` and `--to`: the days a report covers, both included.
struct WindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The first day covered, YYYY-MM-DD (UTC).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("The last day covered, YYYY-MM-DD, included.", valueName: "date"))
    var to: String?

    var isGiven: Bool { from != nil || to != nil }

    /// The window, each missing end taken from the defaults.
    func window(defaultFrom: Timestamp, defaultTo: Timestamp) throws -> ReportWindow {
        func day(_ text: String?, _ option: String, _ fallback: Timestamp) throws -> Timestamp {
            guard let text else { return fallback }
            do {
                return try Timestamp(parsing: text)
            } catch {
                throw ValidationError("--\(option): \(error)")
            }
        }
        do {
            return try ReportWindow(from: day(from, "from", defaultFrom), to: day(to, "to", defaultTo))
        } catch let error as AnalysisError {
            throw ValidationError(error.description)
        }
    }
}

extension PeriodGrain {
    /// The year of periods starting with the one holding `instant`: a forecast's default.
    func yearAhead(from instant: Timestamp) -> (from: Timestamp, to: Timestamp) {
        let start = start(of: instant)
        return (start, start.adding(months: 12).adding(days: -1))
    }
}

extension Timestamp {
    /// The last day with time before this instant: the default last day of a window ending at
    /// the as-of instant (at midnight, the day before; later in the day, that day).
    var lastDayBefore: Timestamp { adding(seconds: -1) }

    /// 1 January of the year of `lastDayBefore`: the start of a year-to-date default.
    var startOfYear: Timestamp { PeriodGrain.year.start(of: lastDayBefore) }
}
