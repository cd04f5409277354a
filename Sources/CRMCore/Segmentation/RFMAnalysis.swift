/// Recency, frequency and monetary scores (1–5) for each customer, the segment they put the
/// customer in, and how customers and money spread over the segments.
///
/// ```swift
/// let rfm = try RFMAnalysis(customers: [
///     .init(id: 1, lastPurchaseAt: lastWeek, frequency: 12, monetaryMinor: 1_250_000),
///     …
/// ], asOf: now)
/// rfm.scores[0]          // customer 1: R 5, F 4, M 5, Champions
/// rfm.summary            // per segment: customers, their share, their money
/// ```
///
/// Each score is the quintile of the customer's rank, exactly SQL's `NTILE(5)` over the
/// customers sorted from worst to best:
///
/// ```sql
/// NTILE(5) OVER (ORDER BY last_purchase_at, id)   -- R: the most recent purchase scores 5
/// NTILE(5) OVER (ORDER BY frequency, id)          -- F
/// NTILE(5) OVER (ORDER BY monetary_minor, id)     -- M
/// ```
///
/// With N customers, N = 5q + r, the first r quintiles hold q + 1 customers and the rest q, so
/// position p (0-based) scores p / (q + 1) + 1 while p < r(q + 1), and
/// r + (p − r(q + 1)) / q + 1 after. Fewer than five customers leave the top scores unused.
///
/// Ties are broken by customer id, the smaller id ranking lower: two customers with the same
/// frequency can get neighbouring scores, which keeps the quintiles equal in size and the
/// result a function of the input alone. Recency ranks the instant of the last purchase, not
/// whole days since it, so the ranking needs no time zone.
///
/// The segment comes from R and FM = (F + M) / 2 rounded half up, on the grid documented on
/// `RFMSegment` (Putler's).
public struct RFMAnalysis: Sendable, Hashable {
    /// What RFM needs to know about one customer who has bought at least once.
    public struct Customer: Sendable, Hashable, Codable {
        public var id: Int64
        /// The instant of the customer's most recent purchase (Unix seconds).
        public var lastPurchaseAt: Int64
        /// Purchases in the period analysed.
        public var frequency: Int
        /// Money spent in the period analysed, in minor units (refunds may make it negative).
        public var monetaryMinor: Int64

        public init(id: Int64, lastPurchaseAt: Int64, frequency: Int, monetaryMinor: Int64) {
            self.id = id
            self.lastPurchaseAt = lastPurchaseAt
            self.frequency = frequency
            self.monetaryMinor = monetaryMinor
        }
    }

    /// One customer's scores and segment.
    public struct Score: Sendable, Hashable, Codable {
        public let customerId: Int64
        /// 1 to 5; 5 for the most recent purchases.
        public let recency: Int
        /// 1 to 5; 5 for the most purchases.
        public let frequency: Int
        /// 1 to 5; 5 for the most money.
        public let monetary: Int
        /// Whole days from the last purchase to `asOf`, for display.
        public let daysSinceLastPurchase: Int64
        public let segment: RFMSegment

        /// The usual three-digit code, `"545"`.
        public var code: String { "\(recency)\(frequency)\(monetary)" }
    }

    /// The customers and money in one segment.
    public struct SegmentSummary: Sendable, Hashable, Codable {
        public let segment: RFMSegment
        public let customers: Int
        /// `customers` over all customers scored; 0 when there are none.
        public let share: Double
        /// The segment's customers' `monetaryMinor`, summed.
        public let monetaryMinor: Int64
    }

    /// The instant recency is measured to.
    public let asOf: Int64
    /// One score per customer, by customer id.
    public let scores: [Score]
    /// Every segment, in `RFMSegment.allCases` order, including empty ones (a stable table).
    public let summary: [SegmentSummary]

    /// Throws a `SegmentationError` for a customer listed twice, a negative frequency, a last
    /// purchase after `asOf`, or a segment's money overflowing 64 bits.
    public init(customers: [Customer], asOf: Int64) throws {
        if let error = SegmentationError.duplicateIds(customers.lazy.map(\.id)) { throw error }
        for customer in customers {
            guard customer.frequency >= 0 else {
                throw SegmentationError(customerId: customer.id, feature: "frequency", reason: "must be 0 or more")
            }
            guard customer.lastPurchaseAt <= asOf else {
                throw SegmentationError(
                    customerId: customer.id, feature: "lastPurchaseAt", reason: "is after asOf (\(asOf))")
            }
        }
        let recency = Self.quintiles(of: customers) { ($0.lastPurchaseAt, $0.id) < ($1.lastPurchaseAt, $1.id) }
        let frequency = Self.quintiles(of: customers) { ($0.frequency, $0.id) < ($1.frequency, $1.id) }
        let monetary = Self.quintiles(of: customers) { ($0.monetaryMinor, $0.id) < ($1.monetaryMinor, $1.id) }

        var scores: [Score] = []
        var counts: [RFMSegment: Int] = [:]
        var money: [RFMSegment: Int64] = [:]
        for customer in customers.sorted(by: { $0.id < $1.id }) {
            let (r, f, m) = (recency[customer.id]!, frequency[customer.id]!, monetary[customer.id]!)   // every id is scored
            let segment = RFMSegment(recency: r, frequency: f, monetary: m)!   // NTILE(5) scores are 1...5
            scores.append(Score(
                customerId: customer.id, recency: r, frequency: f, monetary: m,
                daysSinceLastPurchase: (asOf - customer.lastPurchaseAt) / 86_400, segment: segment))
            counts[segment, default: 0] += 1
            let (sum, overflow) = money[segment, default: 0].addingReportingOverflow(customer.monetaryMinor)
            guard !overflow else {
                throw SegmentationError(
                    customerId: customer.id, feature: "monetaryMinor", reason: "the segment's total overflows 64 bits")
            }
            money[segment] = sum
        }
        self.asOf = asOf
        self.scores = scores
        self.summary = RFMSegment.allCases.map { segment in
            let count = counts[segment] ?? 0
            return SegmentSummary(
                segment: segment, customers: count,
                share: customers.isEmpty ? 0 : Double(count) / Double(customers.count),
                monetaryMinor: money[segment] ?? 0)
        }
    }

    /// `NTILE(5)` of each customer in the order `ascending` gives (worst first), by id.
    private static func quintiles(
        of customers: [Customer], ascending: (Customer, Customer) -> Bool
    ) -> [Int64: Int] {
        let sorted = customers.sorted(by: ascending)
        var scores: [Int64: Int] = [:]
        for (position, customer) in sorted.enumerated() {
            scores[customer.id] = ntile(position: position, count: sorted.count, buckets: 5)
        }
        return scores
    }

    /// SQL's `NTILE(buckets)` for the row at 0-based `position` of `count`: the first
    /// `count % buckets` buckets hold one row more than the others.
    static func ntile(position: Int, count: Int, buckets: Int) -> Int {
        let small = count / buckets, larger = count % buckets
        let inLargerBuckets = larger * (small + 1)
        if position < inLargerBuckets { return position / (small + 1) + 1 }
        return larger + (position - inLargerBuckets) / small + 1
    }
}
