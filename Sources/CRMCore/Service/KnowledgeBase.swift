import Foundation
import GRDB

/// Full-text search over knowledge-base articles, so that every agent finds the same answer
/// (S3: "every agent gives the same answer").
///
/// The index is SQLite FTS5 (`kb_search`, rowid = article id). FTS5's unicode61 tokenizer splits
/// on spaces and punctuation, which Chinese text does not have: "退款申请流程" would be one
/// token, and a search for "退款" would miss it. So text is indexed with every run of Han
/// characters rewritten as overlapping bigrams ("退款 款申 申请 请流 流程"), and a query's Han
/// runs become the phrase of their bigrams — the approach of Lucene's CJK analyzer. Latin text
/// is indexed as words, without diacritics.
public enum KnowledgeBase {
    public struct Hit: Sendable, Hashable, Codable {
        public var id: Int64
        public var title: String
        public var status: String
        /// A short excerpt of the body around the first match.
        public var snippet: String
        /// BM25 rank: lower is better.
        public var rank: Double
    }

    static func index(articleID: Int64, _ db: Database) throws {
        try removeFromIndex(articleID: articleID, db)
        guard let row = try Row.fetchOne(db, sql: "SELECT title, body, tags FROM kb_articles WHERE id = ?", arguments: [articleID]) else {
            return
        }
        try db.execute(sql: "INSERT INTO kb_search (rowid, title, body, tags) VALUES (?, ?, ?, ?)",
                       arguments: [articleID, bigrams(row["title"]), bigrams(row["body"]), bigrams(row["tags"])])
    }

    static func removeFromIndex(articleID: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM kb_search WHERE rowid = ?", arguments: [articleID])
    }

    /// Rebuilds the whole index (after a bulk load that bypassed `CRMStore`).
    public static func reindexAll(_ db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM kb_search")
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM kb_articles ORDER BY id")
        for id in ids { try index(articleID: id, db) }
        return ids.count
    }

    /// Articles matching every word of `query`, best first. Archived articles are left out
    /// unless `includeArchived`; drafts are shown (agents write them).
    public static func search(_ query: String, limit: Int = 10, includeArchived: Bool = false, _ db: Database) throws -> [Hit] {
        let match = matchExpression(query)
        guard !match.isEmpty else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.title, a.body, a.status, bm25(kb_search, 10.0, 1.0, 5.0) AS rank
            FROM kb_search JOIN kb_articles a ON a.id = kb_search.rowid
            WHERE kb_search MATCH ? AND (? OR a.status <> 'archived')
            ORDER BY rank, a.id LIMIT ?
            """, arguments: [match, includeArchived, limit])
        let words = terms(query)
        return rows.map { row in
            Hit(id: row["id"], title: row["title"], status: row["status"],
                snippet: snippet(row["body"], around: words), rank: row["rank"])
        }
    }

    /// The query as an FTS5 expression: each word or Han run quoted (so FTS5 operators in user
    /// text are literal), Han runs as phrases of bigrams; all terms must match.
    static func matchExpression(_ query: String) -> String {
        terms(query).map { term in
            let indexed = bigrams(term).replacingOccurrences(of: "\"", with: "\"\"")
            return "\"\(indexed)\""
        }.joined(separator: " AND ")
    }

    static func terms(_ query: String) -> [String] {
        query.split(whereSeparator: { $0.isWhitespace || ($0.isPunctuation && $0 != "-") }).map(String.init)
    }

    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
            || (0x20000...0x2A6DF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
    }

    /// Rewrites runs of Han characters as space-separated overlapping bigrams (a single Han
    /// character stays itself); other text is unchanged apart from spacing around the runs.
    static func bigrams(_ text: String) -> String {
        var output = ""
        var run: [Unicode.Scalar] = []
        func flush() {
            guard !run.isEmpty else { return }
            output += " "
            if run.count == 1 {
                output.unicodeScalars.append(run[0])
            } else {
                output += (0..<(run.count - 1)).map { i in
                    var pair = String.UnicodeScalarView()
                    pair.append(run[i])
                    pair.append(run[i + 1])
                    return String(pair)
                }.joined(separator: " ")
            }
            output += " "
            run.removeAll()
        }
        for scalar in text.unicodeScalars {
            if isHan(scalar) {
                run.append(scalar)
            } else {
                flush()
                output.unicodeScalars.append(scalar)
            }
        }
        flush()
        return output
    }

    static func snippet(_ body: String, around words: [String], width: Int = 60) -> String {
        let characters = Array(body)
        let lowered = body.lowercased()
        var start = 0
        for word in words {
            if let range = lowered.range(of: word.lowercased()) {
                start = max(0, lowered.distance(from: lowered.startIndex, to: range.lowerBound) - width / 3)
                break
            }
        }
        let end = min(characters.count, start + width)
        let text = String(characters[start..<end]).replacingOccurrences(of: "\n", with: " ")
        return (start > 0 ? "…" : "") + text + (end < characters.count ? "…" : "")
    }
}
