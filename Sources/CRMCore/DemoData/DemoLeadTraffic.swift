import GRDB

/// Lead work as a sales team does it, written through `CRMStore` so that every change is
/// audited and reaches the process runtime's queue: leads arriving in working hours, a first
/// call some hours later (some leads are never answered), and later a status change to
/// `qualified` or `disqualified` for some.
///
/// Used to drive the process runtime at scale: the crash test, `rollout bench processes`.
/// The same seed writes the same changes.
public struct DemoLeadTraffic: Sendable {
    public var start: Timestamp
    public var days: Int
    public var leadsPerDay: Int
    public var seed: UInt64
    /// Share of leads that get a first call.
    public var answered = 0.8

    public struct Summary: Sendable, Codable, Equatable {
        public var leads = 0
        public var activities = 0
        public var statusChanges = 0

        public init() {}

        public mutating func add(_ other: Summary) {
            leads += other.leads
            activities += other.activities
            statusChanges += other.statusChanges
        }
    }

    public init(start: Timestamp, days: Int, leadsPerDay: Int, seed: UInt64 = 7) {
        self.start = start
        self.days = days
        self.leadsPerDay = leadsPerDay
        self.seed = seed
    }

    /// Writes day `day` (0-based) of the traffic for `owners`, who receive the leads.
    public func write(day: Int, owners: [Int64], _ db: Database) throws -> Summary {
        precondition(!owners.isEmpty, "lead traffic needs at least one owner")
        var random = SeededRandom(seed: seed, stream: UInt64(day))
        var summary = Summary()
        let operatorActor = CRMActor.operatorActor(named: "traffic")
        let morning = start.startOfDay.adding(days: day).adding(hours: 9)
        for index in 0..<leadsPerDay {
            let createdAt = morning.adding(seconds: Int64(random.uniform(0..<8 * 3600)))
            let owner = random.pick(owners)
            let store = { (at: Timestamp) in CRMStore(clock: .fixed(at)) }
            let lead = try store(createdAt).create(EntityCatalog.lead, fields: [
                "name": "Traffic lead \(day + 1)-\(index + 1)", "source": random.pick(["web", "phone", "email", "event"]),
                "owner_id": String(owner), "created_at": createdAt.description,
                "email": random.chance(0.7) ? "lead\(day + 1).\(index + 1)@example.com" : "",
            ].filter { !$0.value.isEmpty }, as: operatorActor, db)
            summary.leads += 1
            guard random.chance(answered) else { continue }
            let calledAt = createdAt.adding(hours: random.logNormal(median: 4, sigma: 0.8))
            try store(calledAt).create(EntityCatalog.activity, fields: [
                "kind": "call", "subject": "First call", "owner_id": String(owner), "lead_id": String(lead),
                "at": calledAt.description,
            ], as: operatorActor, db)
            summary.activities += 1
            guard random.chance(0.6) else { continue }
            let decidedAt = calledAt.adding(hours: random.uniform(24..<10 * 24))
            try store(decidedAt).update(EntityCatalog.lead, id: lead, fields: [
                "status": random.chance(0.6) ? "qualified" : "disqualified",
            ], as: operatorActor, db)
            summary.statusChanges += 1
        }
        return summary
    }
}

extension DemoLeadTraffic {
    /// Who receives the leads: the active members of `teams`, or, with none named, every
    /// active user whose job role is `sales_rep`.
    public static func owners(teams: [String], _ db: Database) throws -> [Int64] {
        if teams.isEmpty {
            return try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE active = 1 AND job_role = 'sales_rep' ORDER BY id")
        }
        return try Int64.fetchAll(db, sql: """
            SELECT u.id FROM users u JOIN teams t ON t.id = u.team_id
            WHERE u.active = 1 AND t.name IN (\(teams.map { _ in "?" }.joined(separator: ", "))) ORDER BY u.id
            """, arguments: StatementArguments(teams))
    }
}
