/// A customer segment of RFM analysis, from the recency score and the average of the frequency
/// and monetary scores.
///
/// The map is Putler's RFM segment grid ("RFM Analysis For Successful Customer Segmentation",
/// https://www.putler.com/rfm-analysis/), the one most CRM and analytics write-ups reuse: 11
/// segments on a 5 × 5 grid of R (1–5) against FM = (F + M) / 2 rounded half up. Putler gives
/// each segment as ranges on a 0–5 axis ("R 4–5, FM 4–5" for Champions); read as the edges of
/// the grid's cells, "4–5" is score 5 and "2–5" scores 3 to 5, and the eleven rectangles tile
/// the grid exactly. (Many copies instead test the ranges as inclusive integer ranges, first
/// match wins, which leaves New customer, Promising, About to sleep, Cannot lose them and
/// Hibernating unreachable.) The grid, R down, FM across:
///
/// ```
///        FM=1            FM=2            FM=3            FM=4            FM=5
/// R=5    New customer    Pot. loyalist   Pot. loyalist   Loyal           Champions
/// R=4    Promising       Pot. loyalist   Pot. loyalist   Loyal           Loyal
/// R=3    About to sleep  About to sleep  Need attention  Loyal           Loyal
/// R=2    Lost            Hibernating     At risk         At risk         At risk
/// R=1    Lost            Lost            At risk         At risk         Cannot lose them
/// ```
public enum RFMSegment: String, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    case champions
    case loyal
    case potentialLoyalist = "potential_loyalist"
    case newCustomer = "new_customer"
    case promising
    case needAttention = "need_attention"
    case aboutToSleep = "about_to_sleep"
    case atRisk = "at_risk"
    case cannotLoseThem = "cannot_lose_them"
    case hibernating
    case lost

    /// The segment of recency score `recency` and frequency–monetary score `frequencyMonetary`;
    /// nil unless both are 1...5.
    public init?(recency: Int, frequencyMonetary: Int) {
        guard (1...5).contains(recency), (1...5).contains(frequencyMonetary) else { return nil }
        self = Self.grid[5 - recency][frequencyMonetary - 1]
    }

    /// The segment of scores R, F and M: FM is (F + M) / 2 rounded half up. Nil unless all
    /// three are 1...5.
    public init?(recency: Int, frequency: Int, monetary: Int) {
        guard (1...5).contains(frequency), (1...5).contains(monetary) else { return nil }
        self.init(recency: recency, frequencyMonetary: (frequency + monetary + 1) / 2)
    }

    /// The name people read: `Potential loyalist`.
    public var description: String {
        switch self {
        case .champions: "Champions"
        case .loyal: "Loyal"
        case .potentialLoyalist: "Potential loyalist"
        case .newCustomer: "New customer"
        case .promising: "Promising"
        case .needAttention: "Need attention"
        case .aboutToSleep: "About to sleep"
        case .atRisk: "At risk"
        case .cannotLoseThem: "Cannot lose them"
        case .hibernating: "Hibernating"
        case .lost: "Lost"
        }
    }

    /// Rows R = 5 down to 1, columns FM = 1 to 5, as in the table above.
    private static let grid: [[RFMSegment]] = [
        [.newCustomer, .potentialLoyalist, .potentialLoyalist, .loyal, .champions],
        [.promising, .potentialLoyalist, .potentialLoyalist, .loyal, .loyal],
        [.aboutToSleep, .aboutToSleep, .needAttention, .loyal, .loyal],
        [.lost, .hibernating, .atRisk, .atRisk, .atRisk],
        [.lost, .lost, .atRisk, .atRisk, .cannotLoseThem],
    ]
}
