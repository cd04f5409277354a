/// A playbook's text composed into a YAML node tree, or the syntax error that stopped it.
///
/// Syntax errors are placed where a reader would look: an unclosed quote or bracket at its
/// opening, a key without `:` at the key, everything else where libyaml gave up. Duplicate keys
/// are not fatal: they are reported at the second occurrence and reading goes on.
enum YAMLDocument {
    /// The root node, or nil when the text cannot be composed (the reason is in `file`).
    /// `index` is the file's number in `file.paths` (0 for the playbook itself).
    static func compose(_ text: String, into file: SourceFile, index: Int = 0) -> Node? {
        let composer = YAMLComposer(file: index) { key, firstLine in
            file.error(.duplicateKey, "duplicate key '\(key.string ?? "")' (first written at line \(firstLine))", at: key)
        }
        if !file.hasParameterReferences && Composition.hasReference(text) { file.hasParameterReferences = true }
        do {
            guard let root = try composer.compose(text) else {
                file.report(.error(.emptyPlaybook, "the file is empty; a playbook starts with 'playbook: <id>'",
                                   at: file.location(Mark(line: 1, column: 1, file: index))))
                return nil
            }
            return root
        } catch {
            file.report(syntaxError(error, text: text, file: file, index: index))
            return nil
        }
    }

    // MARK: Syntax errors

    private static func syntaxError(_ error: YAMLComposer.SyntaxProblem, text: String, file: SourceFile,
                                    index: Int) -> PlaybookDiagnostic {
        let path = file.paths[index]
        if error.stage == .reader {
            // Only for text libyaml cannot read at all (control characters): place it by offset.
            return .error(.yamlSyntax, "YAML syntax error: \(error.problem)",
                          at: location(atByte: error.problemMark.column, in: text, file: path))
        }
        let problem = error.problem
        let mark: Mark? = error.problemMark
        let context = error.contextMark.map { (text: error.context ?? "", mark: $0) }
        var place = mark
        var message = problem
        let opening = context?.text ?? ""
        let text: String? = text
        if let context, opening.hasPrefix("while scanning a quoted scalar") {
            // libyaml gives up at the end of the file; the mistake is the quote that never closes.
            place = context.mark
            message = "this quoted text is never closed (\(problem))"
        } else if let mark, let text, let quote = unclosedQuote(before: mark, in: text) {
            // A quote left open on an earlier line swallows text until the next quote far below,
            // where libyaml stumbles on something unrelated: point at the quote that opened it.
            return .error(.yamlSyntax, "YAML syntax error: this quoted text is not closed on its line and runs on to "
                + "line \(mark.line), where \(problem); is its closing quote missing?",
                at: SourceLocation(file: path, line: quote.line, column: quote.column))
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

    /// The line and column of the `offset`th byte (UTF-8).
    private static func location(atByte offset: Int, in text: String, file: String) -> SourceLocation {
        let bytes = Array(text.utf8)
        let before = String(decoding: bytes.prefix(max(0, min(offset, bytes.count))), as: UTF8.self)
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
}
