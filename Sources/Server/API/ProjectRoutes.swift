import CRMCore
import Engine
import Evaluation
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Playbook
import RolloutMetrics
import RolloutKit

/// `/api/v1/project…`: the rollout project of the workspace, as `rollout status`, `approve`,
/// `task`, `lesson`, `roi` and `report` see it. Reading needs `crm.read` (every role has it);
/// each write needs its permission (`ProjectAccess`): a gate vote `gate.approve`, completing a
/// task or recording a lesson `task.complete`, a new playbook version `playbook.edit`.
///
/// A vote or a completed task is followed by an engine run, as `rollout run` would do next, so
/// a decided gate moves the project on at once; the response carries the run's steps.
extension RolloutServer {
    /// The actor of a project read: authenticated, with `crm.read`.
    func reader(_ request: Request) throws -> CRMActor {
        let actor = try authenticate(request)
        try actor.require(.read, to: "read the project")
        return actor
    }

    func addProjectRoutes(to api: APIRoutes) {
        api.get("/api/v1/project") { request, _ in
            _ = try reader(request)
            return try json(try projects.session().status(clock: clock))
        }
        api.get("/api/v1/project/phases") { request, _ in
            _ = try reader(request)
            return try json(try projects.session().status(clock: clock).phases)
        }
        api.get("/api/v1/project/phases/{phase}") { request, context in
            _ = try reader(request)
            let id = context.parameters.get("phase") ?? ""
            let status = try projects.session().status(clock: clock)
            guard let phase = status.phases.first(where: { $0.id == id }) else {
                throw APIError(.notFound, code: "not_found",
                               "no phase '\(id)'; the phases are " + status.phases.map(\.id).joined(separator: ", "))
            }
            return try json(phase)
        }
        api.post("/api/v1/project/phases/{phase}/votes") { request, context in
            let actor = try authenticate(request)
            let vote = try await request.decode(VoteBody.self, what: #"{"role": ROLE, "decision": "go|no-go|rework", "note"?: TEXT, "conditions"?: [TEXT]}"#)
            guard let decision = GateDecision(rawValue: vote.decision) else {
                throw APIError(.badRequest, code: "invalid",
                               "decision is go, no-go or rework, not '\(vote.decision)'")
            }
            let session = try projects.session()
            let approval = try session.approve(phaseID: context.parameters.get("phase") ?? "", role: vote.role,
                                               decision: decision, note: vote.note, conditions: vote.conditions ?? [],
                                               as: actor, clock: clock)
            let run = try session.run(clock: clock)
            return try json(WriteResult(result: approval, run: run), status: approval.recorded ? .created : .ok)
        }
        api.get("/api/v1/project/tasks") { request, _ in
            _ = try reader(request)
            let all = try request.uri.queryParameters.flag("all")
            return try json(try projects.session().tasks(includeDone: all))
        }
        api.post("/api/v1/project/tasks/{task}/complete") { request, context in
            let actor = try authenticate(request)
            let body = try await request.decode(NoteBody.self, what: #"{"note"?: TEXT}"#, empty: NoteBody())
            let session = try projects.session()
            let task = try session.completeTask(context.parameters.get("task") ?? "", note: body.note, as: actor,
                                                clock: clock)
            let run = try session.run(clock: clock)
            return try json(WriteResult(result: task, run: run), status: task.recorded ? .created : .ok)
        }
        api.get("/api/v1/project/kpis") { request, _ in
            _ = try reader(request)
            let report = try evaluation()
            return try json(KPIs(asOf: report.asOf, pilot: report.pilot, pilotKPIs: report.pilotKPIs,
                                 latestKPIs: report.latestKPIs, trends: report.trends))
        }
        api.get("/api/v1/project/lessons") { request, _ in
            _ = try reader(request)
            let query = request.uri.queryParameters
            let category = try query["category"].map { text in
                guard let category = LessonLearned.Category(rawValue: String(text)) else {
                    throw APIError(.badRequest, code: "invalid", "category is "
                        + LessonLearned.Category.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(text)'")
                }
                return category
            }
            let (lessons, summary) = try projects.session().lessons(phaseID: query["phase"].map(String.init),
                                                                    category: category,
                                                                    causedBy: query["caused_by"].map(String.init))
            return try json(Lessons(lessons: lessons, summary: summary))
        }
        api.post("/api/v1/project/lessons") { request, _ in
            let actor = try authenticate(request)
            let body = try await request.decode(LessonBody.self, what: #"{"phase": ID, "category": CATEGORY, "what": TEXT, …}"#)
            guard let category = LessonLearned.Category(rawValue: body.category) else {
                throw APIError(.badRequest, code: "invalid", "category is "
                    + LessonLearned.Category.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(body.category)'")
            }
            let lesson = try projects.session().addLesson(
                phaseID: body.phase, category: category, whatHappened: body.what, delayDays: body.delayDays ?? 0,
                causedBy: body.causedBy, cost: body.cost, remedy: body.remedy, as: actor, clock: clock,
                idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
            return try json(lesson, status: .created)
        }
        api.get("/api/v1/project/roi") { request, _ in
            _ = try reader(request)
            guard let roi = try evaluation().roi else {
                throw APIError(.notFound, code: "not_found", "the playbook has no `costs:` section, so there is no ROI")
            }
            return try json(roi)
        }
        api.get("/api/v1/project/report") { request, _ in
            _ = try reader(request)
            let text = request.uri.queryParameters["format"].map(String.init) ?? "json"
            guard let format = ReportFormat(rawValue: text) else {
                throw APIError(.badRequest, code: "invalid",
                               "format is " + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(text)'")
            }
            let data = try ReportWriter(templates: templates).data(of: try evaluation(), as: format)
            let contentType = switch format {
            case .json: "application/json; charset=utf-8"
            case .html: "text/html; charset=utf-8"
            case .md: "text/markdown; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            return Response(status: .ok, headers: [.contentType: contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.get("/api/v1/project/playbook") { request, _ in
            _ = try reader(request)
            let source = try projects.session().playbook.source
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8",
                                                   HTTPField.Name("X-Playbook-SHA256")!: source.sha256],
                            body: .init(byteBuffer: ByteBuffer(string: source.text)))
        }
        api.put("/api/v1/project/playbook") { request, _ in
            let actor = try authenticate(request)
            try actor.require(.editPlaybook, to: "change the project's playbook")
            let body = try await request.bodyBytes(limit: 8 << 20)
            let text = String(decoding: body.readableBytesView, as: UTF8.self)
            let path = try projects.session().playbook.source.path
            let upgrade = try workspace.upgradeProject(toPlaybookText: text, displayPath: path, as: actor, clock: clock)
            return try json(upgrade, status: upgrade.recorded ? .created : .ok)
        }
    }

    /// The evaluation report of the project now (KPIs pilot against control, ROI, lessons).
    func evaluation() throws -> EvaluationReport {
        try ReportWriter(templates: templates).report(try projects.session(), asOf: clock.isVirtual ? clock.now : nil)
    }

    struct VoteBody: Decodable {
        var role: String
        var decision: String
        var note: String?
        var conditions: [String]?
    }

    struct NoteBody: Decodable {
        var note: String?
    }

    struct LessonBody: Decodable {
        var phase: String
        var category: String
        var what: String
        var delayDays: Int?
        var causedBy: String?
        var cost: Double?
        var remedy: String?

        enum CodingKeys: String, CodingKey {
            case phase, category, what, cost, remedy
            case delayDays = "delay_days"
            case causedBy = "caused_by"
        }
    }

    struct WriteResult<T: Encodable>: Encodable {
        var result: T
        var run: RunReport
    }

    struct KPIs: Encodable {
        var asOf: Timestamp
        var pilot: EvaluationReport.PilotSummary?
        var pilotKPIs: [EvaluationReport.KPIResult]
        var latestKPIs: [EvaluationReport.KPIResult]
        var trends: [KPITrend]
    }

    struct Lessons: Encodable {
        var lessons: [LessonLearned]
        var summary: LessonSummary
    }
}
