/// "Did you mean …?": the known name a misspelt one was most probably meant to be.
package enum Suggestion {
    /// The candidate closest to `word`: the one at the smallest edit distance if that distance is
    /// at most max(2, length / 3), else the only candidate that `word` is a prefix of
    /// (`lead_resp` → `lead_response_hours`). nil when nothing is close or `word` is itself a candidate.
    package static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let candidates = Array(candidates)
        guard !word.isEmpty, !candidates.contains(word) else { return nil }
        let typed = Array(word.lowercased())
        let limit = max(2, typed.count / 3)
        let scored = candidates.map { (name: $0, distance: editDistance(typed, Array($0.lowercased()))) }
        if let best = scored.min(by: { ($0.distance, $0.name) < ($1.distance, $1.name) }), best.distance <= limit {
            return best.name
        }
        let extensions = candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }
        return typed.count >= 3 && extensions.count == 1 ? extensions[0] : nil
    }

    /// Levenshtein distance: insertions, deletions and substitutions, one row at a time.
    package static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
