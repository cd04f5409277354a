import Yams

/// A playbook's text composed into a YAML node tree, or the syntax error that stopped it.
///
/// Syntax errors are placed where a reader would look: an unclosed quote or bracket at its
/// opening, a key without `:` at the key, everything else where libyaml gave up. Duplicate keys
/// are not fatal: they are reported at the second occurrence and reading goes on.
enum YAMLDocument {
    /// The root node, or nil when the text cannot be composed (the reason is in `file`).
    static func compose(_ text: String, into file: SourceFile) -> Node? {
        // A byte-order mark (Windows editors write one) is invisible to the author and trips libyaml.
        var text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        var renamed: [RenamedKey] = []
        // Yams stops at the first duplicate key it meets, naming its first occurrence. Rename that
        // occurrence and compose again, until the tree composes; then report each renamed key at
        // the occurrence that follows it and drop it, so the tree reads as if it had been deleted.
        while true {
            do {
                guard let root = try Yams.compose(yaml: text, .basic) else {
                    file.report(.error(.emptyPlaybook, "the file is empty; a playbook starts with 'playbook: <id>'",
                                       at: file.location(nil)))
                    return nil
                }
                return renamed.isEmpty ? root : removing(renamed, from: root, file: file)
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                let key = duplicates.first ?? ""
                guard renamed.count < 100, let renaming = RenamedKey(key, at: context.mark, number: renamed.count),
                      let renamedText = renaming.apply(to: text)
                else {
                    file.report(.error(.duplicateKey, "duplicate key '\(key)'", at: file.location(context.mark)))
                    return nil
                }
                text = renamedText
                renamed.append(renaming)
            } catch let error as YamlError {
                file.report(syntaxError(error, file: file))
                return nil
            } catch {
                file.report(.error(.yamlSyntax, "YAML syntax error: \(error)", at: file.location(nil)))
                return nil
            }
        }
    }

    // MARK: Syntax errors

    private static func syntaxError(_ error: YamlError, file: SourceFile) -> PlaybookDiagnostic {
        if case .reader(let problem, let offset, _, let yaml) = error {
            // Only for text libyaml cannot read at all (control characters): place it by offset.
            return .error(.yamlSyntax, "YAML syntax error: \(problem)",
                          at: offset.map { location(at: $0, in: yaml, file: file.path) } ?? file.location(nil))
        }
        let (context, problem, mark, text): (YamlError.Context?, String, Mark?, String?) = switch error {
        case .scanner(let context, let problem, let mark, let yaml): (context, problem, mark, yaml)
        case .parser(let context, let problem, let mark, let yaml): (context, problem, mark, yaml)
        case .composer(let context, let problem, let mark, let yaml): (context, problem, mark, yaml)
        default: (nil, "\(error)", nil, nil)
        }
        var place = mark
        var message = problem
        let opening = context?.text ?? ""
        if let context, opening.hasPrefix("while scanning a quoted scalar") {
            // libyaml gives up at the end of the file; the mistake is the quote that never closes.
            place = context.mark
            message = "this quoted text is never closed (\(problem))"
        } else if let mark, let text, let quote = unclosedQuote(before: mark, in: text) {
            // A quote left open on an earlier line swallows text until the next quote far below,
            // where libyaml stumbles on something unrelated: point at the quote that opened it.
            return .error(.yamlSyntax, "YAML syntax error: this quoted text is not closed on its line and runs on to "
                + "line \(mark.line), where \(problem); is its closing quote missing?",
                at: SourceLocation(file: file.path, line: quote.line, column: quote.column))
        } else if let context, opening.hasPrefix("while scanning a simple key") {
            place = context.mark
            message = "could not find expected ':' after this key"
        } else if let context, opening.hasPrefix("while parsing a flow"), let mark, mark.line > context.mark.line {
            // The next line does not continue a `[` or `{`: the bracket was never closed.
            place = context.mark
            let (kind, closer) = opening.contains("sequence") ? ("list", "]") : ("mapping", "}")
            message = "this \(kind) is never closed with '\(closer)' (\(problem))"
        } else if problem == "found character that cannot start any token", let mark, let text,
                  character(at: mark, in: text) == "\t" {
            message = "a tab cannot indent YAML; use spaces"
        } else if problem == "mapping values are not allowed in this context" {
            message = problem + " (put text that contains ': ' in quotes)"
        } else if problem.hasPrefix("did not find expected key") || problem.hasPrefix("did not find expected '-'") {
            message = problem + " (check the indentation)"
        }
        return .error(.yamlSyntax, "YAML syntax error: \(message)", at: file.location(place))
    }

    /// The opening quote of the last value, on a line before `mark`, whose quote does not close on
    /// its own line. Multi-line quoted values are legal YAML but rare in a playbook; after a syntax
    /// error further down they are the likeliest mistake.
    static func unclosedQuote(before mark: Mark, in text: String) -> (line: Int, column: Int)? {
        var found: (line: Int, column: Int)?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard index + 1 < mark.line else { break }
            let scalars = Array(line.unicodeScalars)
            var i = 0
            var previous: Unicode.Scalar = " "
            var beforePrevious: Unicode.Scalar = " "
            while i < scalars.count {
                let c = scalars[i]
                if c == "#" && (previous == " " || i == 0) { break }
                let startsValue = i == 0 || "[{,".unicodeScalars.contains(previous)
                    || (previous == " " && (":-,[{".unicodeScalars.contains(beforePrevious) || i == 1))
                if (c == "\"" || c == "'") && startsValue {
                    var j = i + 1
                    var closed = false
                    while j < scalars.count {
                        if c == "\"" && scalars[j] == "\\" { j += 2; continue }
                        if scalars[j] == c {
                            if c == "'" && j + 1 < scalars.count && scalars[j + 1] == "'" { j += 2; continue }
                            closed = true
                            break
                        }
                        j += 1
                    }
                    if !closed {
                        found = (index + 1, i + 1)
                        break
                    }
                    i = j + 1
                    previous = c
                    continue
                }
                beforePrevious = previous
                previous = c
                i += 1
            }
        }
        return found
    }

    /// The line and column of the `offset`th character.
    private static func location(at offset: Int, in text: String, file: String) -> SourceLocation {
        let before = text.prefix(offset)
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return SourceLocation(file: file, line: line, column: before[lineStart...].unicodeScalars.count + 1)
    }

    /// The character at a 1-based line and column (columns count Unicode scalars, as libyaml does).
    static func index(of mark: Mark, in text: String) -> String.Index? {
        var line = 1
        var index = text.unicodeScalars.startIndex
        while line < mark.line {
            guard let newline = text.unicodeScalars[index...].firstIndex(of: "\n") else { return nil }
            index = text.unicodeScalars.index(after: newline)
            line += 1
        }
        return text.unicodeScalars.index(index, offsetBy: mark.column - 1, limitedBy: text.unicodeScalars.endIndex)
    }

    private static func character(at mark: Mark, in text: String) -> Unicode.Scalar? {
        index(of: mark, in: text).flatMap { $0 < text.unicodeScalars.endIndex ? text.unicodeScalars[$0] : nil }
    }

    // MARK: Duplicate keys

    /// A duplicate key's first occurrence, renamed by replacing its first character with a
    /// private-use character that no playbook contains.
    private struct RenamedKey {
        var original: String
        var renamed: String
        var mark: Mark

        init?(_ key: String, at mark: Mark, number: Int) {
            // A key starting with `'` is written `''` inside single quotes; leave that rare case alone.
            guard let first = key.unicodeScalars.first, first != "'", let placeholder = Unicode.Scalar(0xE000 + number)
            else { return nil }
            self.original = key
            self.renamed = String(placeholder) + String(key.unicodeScalars.dropFirst())
            self.mark = mark
        }

        /// The text with the key's first character replaced, or nil when the text at the mark is not the key.
        func apply(to text: String) -> String? {
            guard var index = YAMLDocument.index(of: mark, in: text), index < text.unicodeScalars.endIndex else {
                return nil
            }
            var scalars = text.unicodeScalars
            if scalars[index] == "\"" || scalars[index] == "'" { index = scalars.index(after: index) }
            guard index < scalars.endIndex, scalars[index] == original.unicodeScalars.first,
                  let placeholder = renamed.unicodeScalars.first
            else { return nil }
            scalars.replaceSubrange(index...index, with: [placeholder])
            return String(scalars)
        }
    }

    private static func removing(_ renamed: [RenamedKey], from node: Node, file: SourceFile) -> Node {
        switch node {
        case .mapping(let mapping):
            let pairs = Array(mapping)
            var kept: [(Node, Node)] = []
            func original(_ key: Node) -> String? {
                guard let name = key.string else { return nil }
                return renamed.first { $0.renamed == name }?.original ?? name
            }
            for (index, pair) in pairs.enumerated() {
                guard let name = pair.key.string, let renaming = renamed.first(where: { $0.renamed == name }) else {
                    kept.append((pair.key, removing(renamed, from: pair.value, file: file)))
                    continue
                }
                let next = pairs[(index + 1)...].first { original($0.key) == renaming.original }?.key ?? pair.key
                file.error(.duplicateKey,
                           "duplicate key '\(renaming.original)' (first written at line \(renaming.mark.line))", at: next)
            }
            return .mapping(Node.Mapping(kept, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map { removing(renamed, from: $0, file: file) }, sequence.tag,
                                           sequence.style, sequence.mark))
        case .scalar, .alias:
            return node
        }
    }
}
