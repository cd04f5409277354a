import CRMCore
import Engine
import Evaluation
import Foundation
import Playbook

/// Writes the hand-over pack of a project (`handover.md`, `handover.html`) from the templates
/// `ResourceLocator` finds, as `ReportWriter` writes the evaluation.
public struct HandoverWriter: Sendable {
    public var templates: ResourceLocator

    public init(templates: ResourceLocator) {
        self.templates = templates
    }

    /// Builds the pack of the session's project; the playbook it started with comes from the
    /// event log, so tasks added by later versions show as custom requirements.
    public func pack(_ session: ProjectSession, asOf: Timestamp? = nil) throws -> HandoverPack {
        try session.workspace.database.read { db in
            guard let project = try ProjectState.load(db)?.project else {
                throw EngineError("no project has started in this workspace; there is nothing to hand over yet")
            }
            var started: EngineEvent.ProjectStarted?
            for logged in try EventLog().events(projectID: project.id, db) {
                if case .projectStarted(let e) = logged.event {
                    started = e
                    break
                }
            }
            let original = started.flatMap { e in
                PlaybookCompiler(context: session.workspace.playbookContext)
                    .compile(text: e.playbookText, path: e.playbookPath).playbook
            }
            return try HandoverPackBuilder(playbook: session.playbook, originalPlaybook: original).build(db, asOf: asOf)
        }
    }

    /// Renders `pack` in every format into `directory/handover.<ext>` and returns the paths; each
    /// file is written to a temporary name and renamed, so nobody reads half a pack.
    public func write(_ pack: HandoverPack, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let renderer = HandoverRenderer(generator: ReportWriter.generator)
        return try HandoverFormat.allCases.map { format -> String in
            let template = try templates.text(of: "\(format.templateName).mustache").text
            let url = URL(fileURLWithPath: directory).appendingPathComponent("handover.\(format.fileExtension)")
            try Data(try renderer.render(pack, as: format, template: template).utf8).write(to: url, options: .atomic)
            return url.path
        }
    }
}
