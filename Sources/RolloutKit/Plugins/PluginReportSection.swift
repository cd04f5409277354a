import CRMCore
import Evaluation
import Foundation
import Mustache
import PluginHost
import PluginKit

/// A plugin's report section, rendered: the plugin answers `report:ID` with a JSON object, and
/// its Mustache templates (files in its folder) turn that into Markdown and an HTML fragment.
/// A section that cannot be rendered is kept with its problem, so the rest of the report stands.
public typealias PluginReportSectionOutput = PluginSection

extension PluginSection {
    static func render(_ section: PluginReportSection, of plugin: any PluginConnection, projectID: String?, at: Timestamp,
                       timeLimit: TimeInterval) -> PluginSection {
        var output = PluginSection(plugin: plugin.id, id: section.id, title: section.title, markdown: "", html: "",
                                   data: "{}")
        do {
            let request = PluginReportRequest(section: section.id, projectID: projectID, at: at.secondsSinceEpoch)
            let data = try plugin.call("report:\(section.id)", request: try JSONEncoder().encode(request),
                                       timeLimit: timeLimit)
            let value = try JSONDecoder().decode(JSONValue.self, from: data)
            output.data = String(decoding: data, as: UTF8.self)
            let context = Self.mustacheValue(value)
            output.markdown = try template(section.markdownTemplate, of: plugin, text: true).render(context)
            output.html = try template(section.htmlTemplate, of: plugin, text: false).render(context)
        } catch {
            output.problem = "\(error)"
        }
        return output
    }

    /// A template file inside the plugin's folder (a path may not leave it). A Markdown template
    /// is text: its values are not HTML-escaped.
    private static func template(_ path: String, of plugin: any PluginConnection, text asText: Bool) throws
        -> MustacheTemplate
    {
        let folder = URL(fileURLWithPath: plugin.candidate.directory).standardizedFileURL
        let file = folder.appendingPathComponent(path).standardizedFileURL
        guard file.path.hasPrefix(folder.path + "/") else {
            throw PluginError(.call, "plugin '\(plugin.id)': template '\(path)' is outside the plugin's folder")
        }
        guard var text = try? String(contentsOf: file, encoding: .utf8) else {
            throw PluginError(.missingFile, "plugin '\(plugin.id)': its template \(path) is missing; install the "
                + "plugin again with its templates/ folder")
        }
        if asText && !text.contains("CONTENT_TYPE") { text = "{{% CONTENT_TYPE: TEXT }}" + text }
        do {
            return try MustacheTemplate(string: text)
        } catch {
            throw PluginError(.call, "plugin '\(plugin.id)': template \(path) does not parse: \(error)")
        }
    }

    /// JSON as the values Mustache reads: dictionaries, arrays, strings, numbers, booleans.
    static func mustacheValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: return ""
        case .bool(let v): return v
        case .int(let v): return v
        case .double(let v): return v
        case .string(let v): return v
        case .array(let items): return items.map(mustacheValue)
        case .object(let fields): return fields.mapValues(mustacheValue)
        }
    }
}
