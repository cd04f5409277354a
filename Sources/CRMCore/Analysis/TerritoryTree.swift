import GRDB

/// The sales territories as a tree (`territories.parent_id`), for roll-ups in which a parent's
/// figures include its children's.
struct TerritoryTree {
    struct Node {
        let id: Int64
        let name: String
        let parentID: Int64?
    }

    /// Depth-first, parents before children, siblings by name: the order a report lists them.
    let ordered: [(node: Node, depth: Int)]
    private let byID: [Int64: Node]

    static func load(_ db: Database) throws -> TerritoryTree {
        let nodes = try Row.fetchAll(db, sql: "SELECT id, name, parent_id FROM territories").map {
            Node(id: $0["id"], name: $0["name"], parentID: $0["parent_id"])
        }
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
        let children = Dictionary(grouping: nodes) { node in node.parentID.flatMap { byID[$0] == nil ? nil : $0 } }
        var ordered: [(Node, Int)] = []
        var visited: Set<Int64> = []
        func visit(_ parent: Int64?, depth: Int) {
            for child in (children[parent] ?? []).sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) })
            where visited.insert(child.id).inserted {
                ordered.append((child, depth))
                visit(child.id, depth: depth + 1)
            }
        }
        visit(nil, depth: 0)
        return TerritoryTree(ordered: ordered, byID: byID)
    }

    /// The territory and every territory above it, itself first. A parent loop (which the
    /// schema does not forbid) stops at the first territory seen twice.
    func selfAndAncestors(of id: Int64) -> [Int64] {
        var chain: [Int64] = []
        var seen: Set<Int64> = []
        var current: Int64? = id
        while let here = current, byID[here] != nil, seen.insert(here).inserted {
            chain.append(here)
            current = byID[here]?.parentID
        }
        return chain
    }
}
