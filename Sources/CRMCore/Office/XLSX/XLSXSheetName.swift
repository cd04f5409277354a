/// Turning any text, such as a customer's name, into a sheet name Excel accepts.
///
/// Excel refuses names longer than 31 characters, names with any of `[ ] : * ? / \`, blank
/// names, names starting or ending with an apostrophe, "History" (it reserves it for change
/// tracking) and two names that differ only in case. Refused characters become `_`; a name
/// already taken gets " (2)", " (3)"… within the 31 characters.
struct XLSXSheetNames {
    static let maxLength = 31
    private var taken: Set<String> = ["history"]

    /// A name Excel accepts for `proposed`, unique among the names this has handed out.
    mutating func claim(_ proposed: String, fallbackNumber: Int) -> String {
        var base = Self.cleaned(proposed)
        if base.isEmpty { base = "Sheet\(fallbackNumber)" }
        var name = base
        var counter = 1
        while taken.contains(Self.key(name)) {
            counter += 1
            let suffix = " (\(counter))"
            name = Self.trimmed(Self.truncated(base, toUTF16: Self.maxLength - suffix.utf16.count)) + suffix
        }
        taken.insert(Self.key(name))
        return name
    }

    private static func key(_ name: String) -> String { name.lowercased() }

    private static func cleaned(_ proposed: String) -> String {
        var name = String.UnicodeScalarView()
        for scalar in proposed.unicodeScalars {
            switch scalar {
            case "[", "]", ":", "*", "?", "/", "\\": name.append("_")
            case "\t", "\n", "\r": name.append(" ")
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: name.append(scalar)
            }
        }
        return trimmed(truncated(String(name), toUTF16: maxLength))
    }

    /// Without surrounding spaces and apostrophes.
    private static func trimmed(_ name: String) -> String {
        let unwanted: Set<Character> = [" ", "'"]
        guard let first = name.firstIndex(where: { !unwanted.contains($0) }),
              let last = name.lastIndex(where: { !unwanted.contains($0) }) else { return "" }
        return String(name[first...last])
    }

    /// The longest prefix of whole characters that fits in `limit` UTF-16 units (Excel counts those).
    private static func truncated(_ name: String, toUTF16 limit: Int) -> String {
        guard name.utf16.count > limit else { return name }
        var length = 0
        var end = name.startIndex
        for index in name.indices {
            let width = name[index].utf16.count
            if length + width > limit { break }
            length += width
            end = name.index(after: index)
        }
        return String(name[..<end])
    }
}
