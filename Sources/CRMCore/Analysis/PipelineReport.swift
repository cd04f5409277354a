import GRDB

/// The open deals at one instant, by stage: how many, how much, and how much once weighted by
/// the stage's probability (`opportunity_stages.probability`).
///
/// ```swift
/// let pipeline = try PipelineReport.compute(asOf: .day("2025-06-30"), as: actor, db)
/// pipeline.stages[2]        // proposal: 14 deals, CNY 1,120,000.00, weighted CNY 560,000.00
/// ```
///
/// Which deals are open and in which stage follows `OpenDeals`. Only deals the actor may see
/// count. The weighted amount of a stage is Σ amount × probability (= probability × Σ amount),
/// rounded half away from zero to the minor unit once per stage; the total adds the rounded stages.
public struct PipelineReport: Codable, Sendable, Hashable {
    /// The open deals in one stage.
    public struct Stage: Codable, Sendable, Hashable {
        public let stage: String
        /// The stage's place in the pipeline, 1 first.
        public let position: Int
        public let probability: Double
        public let deals: Int
        public let amount: Money
        public let weightedAmount: Money
    }

    public let asOf: Timestamp
    public let currency: String
    /// Currencies of open deals left out because the report is in `currency`.
    public let otherCurrencies: [String]
    /// Every open stage in pipeline order, empty ones included.
    public let stages: [Stage]
    public let deals: Int
    public let amount: Money
    public let weightedAmount: Money

    public static func compute(asOf: Timestamp, currency: String? = nil, as actor: CRMActor,
                               _ db: Database) throws -> PipelineReport {
        let scope = try ReportScope(actor, report: "pipeline")
        let open = try OpenDeals(asOf: asOf, db)
        let stages = try PipelineStages(db)
        let rows = try Row.fetchAll(db, sql: open.aggregate(
            select: { "\($0) AS stage, o.currency, count(*) AS deals, sum(o.amount_minor) AS amount" },
            where: scope.opportunities("o"), groupBy: "1, 2"), arguments: ["asOf": asOf])
        let (currency, others) = try ReportCurrency(currency).resolve(found: rows.map { $0["currency"] as String })
        var sums: [String: (deals: Int, amount: Int64)] = [:]
        for row in rows where row["currency"] == currency {
            let sum = sums[row["stage"]] ?? (0, 0)
            sums[row["stage"]] = (sum.deals + row["deals"], sum.amount + row["amount"])
        }
        let rowsByStage = stages.all.filter { !$0.isClosed }.map { stage in
            let sum = sums[stage.name] ?? (0, 0)
            return Stage(stage: stage.name, position: stage.position, probability: stage.probability, deals: sum.deals,
                         amount: Money(minorUnits: sum.amount, currency: currency),
                         weightedAmount: Money(minorUnits: roundedMinor(Double(sum.amount) * stage.probability),
                                               currency: currency))
        }
        return PipelineReport(
            asOf: asOf, currency: currency, otherCurrencies: others, stages: rowsByStage,
            deals: rowsByStage.reduce(0) { $0 + $1.deals },
            amount: rowsByStage.reduce(.zero(currency)) { $0 + $1.amount },
            weightedAmount: rowsByStage.reduce(.zero(currency)) { $0 + $1.weightedAmount })
    }
}

/// Minor units times a probability or rate, rounded half away from zero to whole minor units.
func roundedMinor(_ value: Double) -> Int64 {
    Int64(value.rounded(.toNearestOrAwayFromZero))
}
