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
/// count. The weighted amount of a stage is Σ amount × probability, rounded half away from zero
/// to the minor unit once per stage; the total adds the rounded stages.
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
        let rows = try Row.fetchAll(db, sql: """
            SELECT d.stage, d.currency, count(*) AS deals, sum(d.amount_minor) AS amount,
                   sum(d.amount_minor * d.probability) AS weighted
            FROM \(open.sql(where: scope.opportunities("o"))) d
            GROUP BY d.stage, d.currency
            """, arguments: ["asOf": asOf])
        let (currency, others) = try ReportCurrency(currency).resolve(found: rows.map { $0["currency"] as String })
        var byStage: [String: Row] = [:]
        for row in rows where row["currency"] == currency { byStage[row["stage"]] = row }

        let stages = try Row.fetchAll(db, sql: """
            SELECT name, position, probability FROM opportunity_stages WHERE is_closed = 0 ORDER BY position
            """).map { stage in
            let name: String = stage["name"]
            let row = byStage[name]
            return Stage(stage: name, position: stage["position"], probability: stage["probability"],
                         deals: row?["deals"] ?? 0,
                         amount: Money(minorUnits: row?["amount"] ?? 0, currency: currency),
                         weightedAmount: Money(minorUnits: roundedMinor(row?["weighted"]), currency: currency))
        }
        return PipelineReport(
            asOf: asOf, currency: currency, otherCurrencies: others, stages: stages,
            deals: stages.reduce(0) { $0 + $1.deals },
            amount: stages.reduce(.zero(currency)) { $0 + $1.amount },
            weightedAmount: stages.reduce(.zero(currency)) { $0 + $1.weightedAmount })
    }
}

/// A sum of minor units times probabilities, rounded half away from zero to whole minor units.
func roundedMinor(_ value: Double?) -> Int64 {
    Int64((value ?? 0).rounded(.toNearestOrAwayFromZero))
}
