import CRMCore
import GRDB

/// A lesson learned during the rollout, structured by the questions of S1 step 4.
public struct LessonLearned: Sendable, Hashable, Codable, FetchableRecord {
    /// S1 step 4 asks five questions; each lesson answers one of them.
    public enum Category: String, Sendable, Hashable, Codable, CaseIterable {
        /// Which unpleasant surprises training beforehand would have avoided, and which training.
        case training
        /// What we should have known before the implementation started.
        case foreknowledge
        /// An unknown challenge met, and how it was handled.
        case challenge
        /// An unnecessary delay: where, who caused it, what it cost.
        case delay
        /// What fell short of expectations, and the remedy taken.
        case shortfall

        /// The question of S1 step 4 the category answers.
        public var question: String {
            switch self {
            case .training: "Which problems would training beforehand have avoided, and what training?"
            case .foreknowledge: "What should we have known before the implementation?"
            case .challenge: "Which unknown challenges did we meet, and how did we handle them?"
            case .delay: "Where did unnecessary delays happen, who caused them, and what did they cost?"
            case .shortfall: "What fell short of expectations, and what remedy was taken?"
            }
        }
    }

    public var id: Int64?
    public var projectID: String
    public var phaseID: String
    public var category: Category
    public var whatHappened: String
    public var delayDays: Int
    public var causedBy: String?
    public var cost: Money?
    public var remedy: String?
    public var recordedBy: String?
    public var recordedAt: Timestamp

    public init(id: Int64? = nil, projectID: String, phaseID: String, category: Category, whatHappened: String,
                delayDays: Int = 0, causedBy: String? = nil, cost: Money? = nil, remedy: String? = nil,
                recordedBy: String? = nil, recordedAt: Timestamp) {
        self.id = id
        self.projectID = projectID
        self.phaseID = phaseID
        self.category = category
        self.whatHappened = whatHappened
        self.delayDays = delayDays
        self.causedBy = causedBy
        self.cost = cost
        self.remedy = remedy
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    public init(row: Row) throws {
        id = row["id"]
        projectID = row["project_id"]
        phaseID = row["phase_id"]
        category = Category(rawValue: row["category"]) ?? .challenge
        whatHappened = row["what_happened"]
        delayDays = row["delay_days"]
        causedBy = row["caused_by"]
        if let minor: Int64 = row["cost_minor"], let currency: String = row["currency"] {
            cost = Money(minorUnits: minor, currency: currency)
        } else {
            cost = nil
        }
        remedy = row["remedy"]
        recordedBy = row["recorded_by"]
        recordedAt = row["recorded_at"]
    }
}

/// Lessons of a project summarised by category and by phase: how many, days of delay, cost.
public struct LessonSummary: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var key: String
        public var lessons: Int
        public var delayDays: Int
        /// Cost in minor units of the lessons' currency (lessons without a cost count as zero).
        public var costMinor: Int64
    }

    public var byCategory: [Line]
    public var byPhase: [Line]
    /// By who or what caused the lesson (`unattributed` when nobody was named), costliest first:
    /// the cost of delay, where it came from.
    public var byCause: [Line] = []
    public var totalDelayDays: Int
    public var totalCost: Money?
}

/// Records and reads lessons learned.
public struct LessonLog: Sendable {
    public init() {}

    /// Records a lesson. With an `idempotencyKey`, a second call with the same key records
    /// nothing and returns the lesson recorded first.
    @discardableResult
    public func add(_ lesson: LessonLearned, idempotencyKey: String? = nil, _ db: Database) throws -> LessonLearned {
        if let key = idempotencyKey,
           let existing = try LessonLearned.fetchOne(db, sql: "SELECT * FROM lessons WHERE idempotency_key = ?", arguments: [key]) {
            return existing
        }
        try db.execute(sql: """
            INSERT INTO lessons (project_id, phase_id, category, what_happened, delay_days, caused_by, cost_minor, currency,
                                 remedy, recorded_by, recorded_at, idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [lesson.projectID, lesson.phaseID, lesson.category.rawValue, lesson.whatHappened, lesson.delayDays,
                             lesson.causedBy, lesson.cost?.minorUnits, lesson.cost?.currency, lesson.remedy,
                             lesson.recordedBy, lesson.recordedAt, idempotencyKey])
        var stored = lesson
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// A project's lessons, oldest first, optionally of one phase or category.
    public func lessons(projectID: String, phaseID: String? = nil, category: LessonLearned.Category? = nil,
                        _ db: Database) throws -> [LessonLearned] {
        try LessonLearned.fetchAll(db, sql: """
            SELECT * FROM lessons
            WHERE project_id = ? AND (? IS NULL OR phase_id = ?) AND (? IS NULL OR category = ?)
            ORDER BY recorded_at, id
            """, arguments: [projectID, phaseID, phaseID, category?.rawValue, category?.rawValue])
    }

    public func summary(of lessons: [LessonLearned], phaseOrder: [String]) -> LessonSummary {
        func lines(_ key: (LessonLearned) -> String, order: [String]) -> [Line] {
            let groups = Dictionary(grouping: lessons, by: key)
            return order.compactMap { k in
                groups[k].map { Line(key: k, lessons: $0.count, delayDays: $0.map(\.delayDays).reduce(0, +),
                                     costMinor: $0.compactMap(\.cost?.minorUnits).reduce(0, +)) }
            }
        }
        typealias Line = LessonSummary.Line
        let currency = lessons.compactMap(\.cost?.currency).first
        let cost = lessons.compactMap(\.cost?.minorUnits).reduce(0, +)
        // Causes that differ only in case are one cause, shown as first recorded.
        var spelling: [String: String] = [:]
        for lesson in lessons {
            let named = lesson.causedBy?.trimmingCharacters(in: .whitespaces) ?? ""
            if !named.isEmpty && spelling[named.lowercased()] == nil { spelling[named.lowercased()] = named }
        }
        func cause(_ lesson: LessonLearned) -> String {
            let named = lesson.causedBy?.trimmingCharacters(in: .whitespaces) ?? ""
            return named.isEmpty ? "unattributed" : spelling[named.lowercased()] ?? named
        }
        let causes = lines(cause, order: Array(Set(lessons.map(cause)))).sorted {
            ($0.costMinor, $0.delayDays, $1.key) > ($1.costMinor, $1.delayDays, $0.key)
        }
        var summary = LessonSummary(
            byCategory: lines({ $0.category.rawValue }, order: LessonLearned.Category.allCases.map(\.rawValue)),
            byPhase: lines({ $0.phaseID }, order: phaseOrder),
            totalDelayDays: lessons.map(\.delayDays).reduce(0, +),
            totalCost: currency.map { Money(minorUnits: cost, currency: $0) })
        summary.byCause = causes
        return summary
    }
}
