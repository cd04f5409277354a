import CRMCore
import GRDB
import Playbook

/// The members of the groups a project measures, frozen when the project starts.
///
/// Freezing keeps every measurement of a project on the same people: a rep who moves from the
/// pilot team to the control team half-way must not move their leads with them.
public struct MeasuredGroups: Sendable {
    public init() {}

    /// Resolves every pilot and control selector of `playbook` to user ids and stores them for
    /// `projectID`, with `all` = every user. A selector's users are those of its teams, the users
    /// it names, the users of its territories (and the territories below them) and the owners of
    /// its accounts. Throws, naming the selector, when a team, user, territory or account does
    /// not exist in the workspace; nothing is stored then.
    public func freeze(projectID: String, playbook: Playbook, _ db: Database) throws {
        for (key, ids) in try resolve(playbook, db) {
            try store(ids, as: key, projectID: projectID, db)
        }
    }

    /// Freezes again, with `playbook`'s selectors, the sides of the named pilot groups only (a
    /// playbook upgrade that changed them before their pilot started); every other group keeps
    /// the members frozen when the project started.
    public func refreeze(pilotGroups: Set<String>, projectID: String, playbook: Playbook, _ db: Database) throws {
        guard !pilotGroups.isEmpty else { return }
        for (key, ids) in try resolve(playbook, db) {
            guard let group = key.pilotGroup, pilotGroups.contains(group) else { continue }
            try db.execute(sql: "DELETE FROM measured_group_members WHERE project_id = ? AND group_key = ?",
                           arguments: [projectID, key.description])
            try store(ids, as: key, projectID: projectID, db)
        }
    }

    private func store(_ ids: [Int64], as key: GroupKey, projectID: String, _ db: Database) throws {
        for id in ids {
            try db.execute(
                sql: "INSERT OR IGNORE INTO measured_group_members (project_id, group_key, user_id) VALUES (?, ?, ?)",
                arguments: [projectID, key.description, id])
        }
    }

    /// Every group of `playbook` (`all`, then each pilot group's pilot and control sides) with its
    /// users as the workspace has them now. Throws, naming each selector, when a team or user
    /// does not exist or a group has no members.
    public func resolve(_ playbook: Playbook, _ db: Database) throws -> [(GroupKey, [Int64])] {
        let directory = Directory()
        var problems: [String] = []
        var groups: [(GroupKey, [Int64])] = [(.all, try directory.allUserIDs(db))]
        for pilot in playbook.pilotGroups {
            var sides: [(GroupKey, GroupSelector)] = [(.pilot(pilot.id), pilot.members)]
            if let control = pilot.control { sides.append((.control(pilot.id), control)) }
            for (key, selector) in sides {
                let found = [
                    ("team", try directory.members(ofTeams: selector.teams, db)),
                    ("user", try directory.users(named: selector.users, db)),
                    ("territory", try directory.members(ofTerritories: selector.territories, db)),
                    ("account", try directory.owners(ofAccounts: selector.accounts, db)),
                ]
                for (kind, result) in found {
                    for name in result.missing {
                        problems.append("\(selector.location): \(key.side.rawValue) group of '\(pilot.id)' names \(kind) '\(name)', which does not exist in this workspace")
                    }
                }
                let ids = Array(Set(found.flatMap(\.1.userIDs))).sorted()
                if ids.isEmpty && found.allSatisfy(\.1.missing.isEmpty) {
                    problems.append("\(selector.location): \(key.side.rawValue) group of '\(pilot.id)' has no members")
                }
                groups.append((key, ids))
            }
        }
        if !problems.isEmpty {
            let known = try directory.teams(db).map(\.name)
            throw MetricsError(problems.joined(separator: "\n")
                + "\n  teams in this workspace: " + (known.isEmpty ? "none (seed or import CRM data first)" : known.joined(separator: ", ")))
        }
        return groups
    }

    /// The frozen members of `group`, sorted.
    public func members(projectID: String, group: GroupKey, _ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT user_id FROM measured_group_members WHERE project_id = ? AND group_key = ? ORDER BY user_id
            """, arguments: [projectID, group.description])
    }

    /// The groups frozen for the project, in a stable order (all, then pilot/control pairs).
    public func groups(projectID: String, _ db: Database) throws -> [GroupKey] {
        try String.fetchAll(db, sql: """
            SELECT DISTINCT group_key FROM measured_group_members WHERE project_id = ? ORDER BY group_key
            """, arguments: [projectID]).compactMap(GroupKey.init).sorted { a, b in
                (a.side == .all ? 0 : 1, a.pilotGroup ?? "", a.side == .pilot ? 0 : 1)
                    < (b.side == .all ? 0 : 1, b.pilotGroup ?? "", b.side == .pilot ? 0 : 1)
            }
    }
}
