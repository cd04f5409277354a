import CRMCore
import GRDB

/// The recorded judgement of someone who knows the project, on a question the data cannot
/// answer alone: the evidence report's questions (S1 step 6), the performance and outcome
/// evaluations (S0 §5), benefits that cannot be quantified.
///
/// An outcome evaluation is recorded with a KPI snapshot taken at that moment and fixed by its
/// hash, so years later the report shows what the judgement was based on.
///
/// ```swift
/// try JudgementLog().add(Judgement(projectID: "crm", topic: .outcome, verdict: .partly,
///                                  text: "Service met its goals; sales did not", recordedBy: "Li Wei",
///                                  recordedAt: now), db)
/// ```
public struct Judgement: Sendable, Hashable, Codable, FetchableRecord {
    public enum Topic: String, Sendable, Hashable, Codable, CaseIterable {
        // The evidence report's questions (S1 step 6).
        case success
        case assumptions
        case gaps
        case continuing
        case goals
        case customer
        // The project evaluation (S0 §5).
        case performance
        case outcome
        /// A benefit no KPI measures, valued by people who know the business.
        case unquantified

        /// The question the topic answers, as the report prints it.
        public var question: String {
            switch self {
            case .success: "Where does the success show?"
            case .assumptions: "Did the assumptions about staff duties, touch points and business goals hold?"
            case .gaps: "What did the last phase miss, and what must the next one add?"
            case .continuing: "Which facts justify continuing?"
            case .goals: "How does the success relate to the business goals?"
            case .customer: "What did the customers experience?"
            case .performance: "How well was the project run (performance evaluation)?"
            case .outcome: "Did the rollout achieve what it was for (outcome evaluation)?"
            case .unquantified: "Which benefits cannot be quantified, and what are they worth?"
            }
        }

        /// The six questions of the evidence report, in the report's order.
        public static let evidenceQuestions: [Topic] = [.success, .assumptions, .gaps, .continuing, .goals, .customer]
    }

    /// How a project evaluation judges the result.
    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        case achieved
        case partly
        case notAchieved = "not-achieved"
    }

    public var id: Int64?
    public var projectID: String
    /// The phase it is about; nil for the whole project.
    public var phaseID: String?
    public var topic: Topic
    public var verdict: Verdict?
    public var text: String
    public var recordedBy: String
    public var recordedAt: Timestamp
    /// The KPI snapshot taken with an outcome evaluation, and its content hash.
    public var snapshotLabel: String?
    public var snapshotSHA256: String?

    public init(id: Int64? = nil, projectID: String, phaseID: String? = nil, topic: Topic, verdict: Verdict? = nil,
                text: String, recordedBy: String, recordedAt: Timestamp, snapshotLabel: String? = nil,
                snapshotSHA256: String? = nil) {
        self.id = id
        self.projectID = projectID
        self.phaseID = phaseID
        self.topic = topic
        self.verdict = verdict
        self.text = text
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.snapshotLabel = snapshotLabel
        self.snapshotSHA256 = snapshotSHA256
    }

    public init(row: Row) throws {
        id = row["id"]
        projectID = row["project_id"]
        phaseID = row["phase_id"]
        topic = Topic(rawValue: row["topic"]) ?? .success
        verdict = (row["verdict"] as String?).flatMap(Verdict.init(rawValue:))
        text = row["text"]
        recordedBy = row["recorded_by"]
        recordedAt = row["recorded_at"]
        snapshotLabel = row["snapshot_label"]
        snapshotSHA256 = row["snapshot_sha256"]
    }
}

/// Records and reads judgements.
public struct JudgementLog: Sendable {
    public init() {}

    /// Records a judgement. With an `idempotencyKey`, a second call with the same key records
    /// nothing and returns the judgement recorded first.
    @discardableResult
    public func add(_ judgement: Judgement, idempotencyKey: String? = nil, _ db: Database) throws -> Judgement {
        if let key = idempotencyKey, let existing = try self.judgement(idempotencyKey: key, db) { return existing }
        try db.execute(sql: """
            INSERT INTO judgements (project_id, phase_id, topic, verdict, text, recorded_by, recorded_at,
                                    snapshot_label, snapshot_sha256, idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [judgement.projectID, judgement.phaseID, judgement.topic.rawValue, judgement.verdict?.rawValue,
                             judgement.text, judgement.recordedBy, judgement.recordedAt, judgement.snapshotLabel,
                             judgement.snapshotSHA256, idempotencyKey])
        var recorded = judgement
        recorded.id = db.lastInsertedRowID
        return recorded
    }

    public func judgement(idempotencyKey: String, _ db: Database) throws -> Judgement? {
        try Judgement.fetchOne(db, sql: "SELECT * FROM judgements WHERE idempotency_key = ?", arguments: [idempotencyKey])
    }

    /// The project's judgements, oldest first, optionally on one topic.
    public func judgements(projectID: String, topic: Judgement.Topic? = nil, _ db: Database) throws -> [Judgement] {
        try Judgement.fetchAll(db, sql: """
            SELECT * FROM judgements WHERE project_id = ? AND (? IS NULL OR topic = ?) ORDER BY recorded_at, id
            """, arguments: [projectID, topic?.rawValue, topic?.rawValue])
    }
}
