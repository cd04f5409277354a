/// One problem found in a playbook, located like a compiler's message:
///
/// ```
/// Playbooks/x.yaml:14:9: error[unknown-kpi]: gate of phase 'prototype-test' uses unknown KPI 'lead_resp' (did you mean 'lead_response_hours'?)
/// ```
public struct PlaybookDiagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    public var severity: Severity
    /// A stable, kebab-case identifier of the kind of problem (`unknown-kpi`, `duplicate-id`, …).
    public var code: String
    public var message: String
    public var location: SourceLocation
    /// A replacement the author probably meant, for "did you mean" and for editors.
    public var suggestion: String?

    public init(_ severity: Severity, code: String, _ message: String, at location: SourceLocation,
                suggestion: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.suggestion = suggestion
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation,
                             suggestion: String? = nil) -> PlaybookDiagnostic {
        PlaybookDiagnostic(.error, code: code, message, at: location, suggestion: suggestion)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation,
                               suggestion: String? = nil) -> PlaybookDiagnostic {
        PlaybookDiagnostic(.warning, code: code, message, at: location, suggestion: suggestion)
    }

    /// `FILE:LINE:COL: error[code]: message (did you mean 'x'?)`
    public var description: String {
        var text = "\(location): \(severity.rawValue)[\(code)]: \(message)"
        if let suggestion { text += " (did you mean '\(suggestion)'?)" }
        return text
    }
}
