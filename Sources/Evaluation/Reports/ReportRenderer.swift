import CRMCore
import Engine
import Foundation
import Mustache

/// The formats a report is written in.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    case html, md, json, xlsx

    public var fileExtension: String { rawValue }
    /// The template a format renders, or nil for JSON and XLSX (written directly).
    public var templateName: String? {
        switch self {
        case .html: "evaluation.html"
        case .md: "evaluation.md"
        case .json, .xlsx: nil
        }
    }
}

/// Renders an `EvaluationReport` as HTML or Markdown through a Mustache template, or as JSON.
public struct ReportRenderer: Sendable {
    /// The name written into reports (`rollout 0.1.0`).
    public var generator: String

    public init(generator: String) {
        self.generator = generator
    }

    /// Renders `report`; `template` is the Mustache text for HTML and Markdown (ignored for JSON).
    public func render(_ report: EvaluationReport, as format: ReportFormat, template: String?) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        case .xlsx:
            throw ReportError("an XLSX report is a file, not text: write it with ReportWorkbook")
        case .html, .md:
            guard let template else { throw ReportError("no template given for the \(format.rawValue) report") }
            let parsed: MustacheTemplate
            do {
                parsed = try MustacheTemplate(string: template)
            } catch {
                throw ReportError("the \(format.rawValue) template does not parse: \(error)")
            }
            return parsed.render(ReportView(report: report, generator: generator, format: format).context)
        }
    }
}

/// A report that could not be built or rendered.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
