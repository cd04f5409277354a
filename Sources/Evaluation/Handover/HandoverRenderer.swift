import CRMCore
import Engine
import Foundation
import Mustache

/// The formats a hand-over pack is written in, each from its template in `Templates/`.
public enum HandoverFormat: String, Sendable, CaseIterable, Codable {
    case html, md

    public var fileExtension: String { rawValue }
    /// The template's name without `.mustache`.
    public var templateName: String { "handover.\(rawValue)" }
}

/// Renders a `HandoverPack` through a Mustache template, as `ReportRenderer` renders reports.
public struct HandoverRenderer: Sendable {
    /// The name written into the pack (`rollout 0.1.0`).
    public var generator: String

    public init(generator: String) {
        self.generator = generator
    }

    public func render(_ pack: HandoverPack, as format: HandoverFormat, template: String) throws -> String {
        let parsed: MustacheTemplate
        do {
            parsed = try MustacheTemplate(string: template)
        } catch {
            throw ReportError("the hand-over \(format.rawValue) template does not parse: \(error)")
        }
        return parsed.render(HandoverView(pack: pack, generator: generator).context)
    }
}

/// The pack as the templates see it: dates formatted, lists joined, every condition a boolean.
struct HandoverView {
    let pack: HandoverPack
    let generator: String

    var context: [String: Any] {
        let p = pack.project
        var c: [String: Any] = [
            "title": p.title, "generator": generator, "projectID": p.id, "status": p.status,
            "startedAt": p.startedAt.dateString, "asOf": pack.asOf.dateString, "playbookID": p.playbookID,
            "playbookVersion": p.playbookVersion, "playbookPath": p.playbookPath,
            "playbookSHAShort": String(p.playbookSHA256.prefix(16)), "nextStep": pack.nextStep,
        ]
        if let live = p.goLiveAt { c["goLiveAt"] = live.dateString }
        if let ended = p.endedAt { c["endedAt"] = ended.dateString }
        if let reason = p.stopReason { c["stopReason"] = reason }
        if let current = pack.currentPhase {
            c["currentPhase"] = pack.phases.first { $0.id == current }?.name ?? current
        }
        c["phases"] = pack.phases.map { phase -> [String: Any] in
            ["id": phase.id, "name": phase.name, "owner": phase.owner ?? "-",
             "status": phase.status.replacingOccurrences(of: "_", with: " "),
             "start": phase.start.dateString + (phase.started ? "" : " (planned)"),
             "end": phase.end.dateString + (phase.ended ? "" : " (planned)"),
             "isLate": phase.daysLate > 0, "late": "+\(phase.daysLate) days", "tasks": "\(phase.tasksDone)/\(phase.tasksTotal)",
             "current": phase.id == pack.currentPhase]
        }
        c["hasDecisions"] = !pack.decisions.isEmpty
        c["decisions"] = pack.decisions.map { d -> [String: Any] in
            ["phase": d.phaseName, "phaseID": d.phaseID, "attempt": d.attempt, "evaluatedAt": d.evaluatedAt.dateString,
             "criteriaMet": d.criteriaMet, "criteria": d.criteria, "decision": d.decision ?? "awaiting votes",
             "hasVotes": !d.votes.isEmpty,
             "votes": d.votes.map { v -> [String: Any] in
                 ["role": v.role, "roleName": v.roleName, "voter": v.voter, "decision": v.decision.rawValue,
                  "reason": v.reason ?? "no reason given", "at": v.at.dateString]
             }]
        }
        c["hasVersions"] = !pack.versions.isEmpty
        c["versions"] = pack.versions.map { v -> [String: Any] in
            ["at": v.at.dateString, "from": v.fromVersion, "to": v.toVersion, "sha": String(v.toSHA256.prefix(12)),
             "changes": v.changes, "opened": v.openedTasks.joined(separator: ", "), "hasOpened": !v.openedTasks.isEmpty]
        }
        c["hasCustomTasks"] = !pack.customTasks.isEmpty
        c["customTasks"] = pack.customTasks.map { t -> [String: Any] in
            ["id": t.id, "phaseID": t.phaseID, "name": t.name, "owner": t.owner, "status": t.status]
        }
        c["hasRisks"] = !pack.risks.isEmpty
        c["risks"] = pack.risks.map { r -> [String: Any] in
            ["kind": r.kind.rawValue.replacingOccurrences(of: "-", with: " "), "description": r.description]
        }
        c["hasOpenTasks"] = !pack.openTasks.isEmpty
        c["openTasks"] = pack.openTasks.map { t -> [String: Any] in
            ["id": t.id, "phaseID": t.phaseID, "name": t.name, "owner": t.owner, "ownerName": t.ownerName,
             "due": t.dueAt?.dateString ?? "-", "overdue": t.overdue]
        }
        c["hasLessons"] = !pack.lessons.isEmpty
        c["lessonGroups"] = pack.lessons.map { g -> [String: Any] in
            ["category": g.category.rawValue, "question": g.question,
             "lessons": g.lessons.map { l -> [String: Any] in
                 var facts = ["phase \(l.phaseID)"]
                 if l.delayDays > 0 { facts.append("\(l.delayDays) days of delay") }
                 if let cost = l.cost { facts.append(cost.formatted) }
                 if let by = l.causedBy { facts.append("caused by \(by)") }
                 if let who = l.recordedBy { facts.append("recorded by \(who), \(l.recordedAt.dateString)") }
                 return ["whatHappened": l.whatHappened, "facts": facts.joined(separator: " · "),
                         "remedy": l.remedy ?? "", "hasRemedy": l.remedy != nil]
             }]
        }
        c["roles"] = pack.roles.map { r -> [String: Any] in
            func list(_ items: [String]) -> String { items.isEmpty ? "-" : items.joined(separator: ", ") }
            return ["id": r.id, "name": r.name, "side": r.side,
                    "members": r.members.isEmpty ? "not named in the playbook" : r.members.joined(separator: ", "),
                    "duties": list(r.duties), "approvesGates": list(r.approvesGates), "ownsPhases": list(r.ownsPhases),
                    "ownsTasks": list(r.ownsTasks), "approvesTasks": list(r.approvesTasks)]
        }
        return c
    }
}
