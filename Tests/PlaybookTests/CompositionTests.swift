import Foundation
import Playbook
import Testing

/// `extends`, `include` and `parameters`: composed before the grammar, merged by key and by id,
/// every problem reported in the file that wrote it.
@Suite struct CompositionTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("composition-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func compile(_ path: String, parameters: [String: String] = [:]) -> PlaybookCompilation {
        PlaybookCompiler(context: Fixture.context, parameters: parameters).compile(path: path)
    }

    static let base = """
        playbook: base
        version: 1
        title: Base
        parameters:
          pilot_weeks: { default: 4, description: How long the pilot runs }
          region: East
        organisation:
          roles:
            - { id: pm, name: Project manager, side: customer }
            - { id: steering, name: Steering committee, side: customer }
        phases:
          - id: prep
            name: Preparation
            duration: 2w
            tasks:
              - { id: plan, name: Plan, owner: pm, duration: 3d }
            gate: { approvers: [steering] }
          - id: pilot
            name: Pilot in ${region}
            duration: ${pilot_weeks}w
            gate: { approvers: [steering] }
          - id: support
            name: Support
            duration: 4w
            gate: { approvers: [pm] }

        """

    @Test func aChildOverridesByIdAddsAndRemovesPhasesAndPassesParameters() throws {
        _ = try write("base.yaml", Self.base)
        let child = try write("child.yaml", """
            extends: { playbook: base.yaml, parameters: { pilot_weeks: 6 } }
            playbook: child
            title: Child
            phases:
              - id: prep
                duration: 3w
              - { id: support, remove: true }
              - id: rollout
                name: Roll-out
                duration: 8w
                gate: { approvers: [steering] }

            """)
        let compilation = compile(child)
        #expect(compilation.errors.isEmpty, "\(compilation.errors)")
        let playbook = try #require(compilation.playbook)
        #expect(playbook.id == "child" && playbook.title == "Child" && playbook.version == 1)
        #expect(playbook.phases.map(\.id) == ["prep", "pilot", "rollout"])
        #expect(playbook.phases[0].durationDays == 21)
        #expect(playbook.phases[0].tasks.map(\.id) == ["plan"], "the base's tasks are kept when the child does not name them")
        #expect(playbook.phases[1].durationDays == 42 && playbook.phases[1].name == "Pilot in East")
        #expect(playbook.parameters.map { "\($0.name)=\($0.value ?? "")" } == ["pilot_weeks=6", "region=East"])
        #expect(playbook.composedFrom.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["base.yaml"])
        // The command line wins over the extending file.
        let overridden = try #require(compile(child, parameters: ["pilot_weeks": "2"]).playbook)
        #expect(overridden.phase("pilot")?.durationDays == 14)
        #expect(overridden.source.sha256 != playbook.source.sha256, "the parameter values are part of what runs")
    }

    @Test func aProblemInTheBaseIsReportedInTheBaseFileAtItsPlace() throws {
        let basePath = try write("base.yaml", Self.base.replacingOccurrences(of: "owner: pm", with: "owner: pmm"))
        let child = try write("child.yaml", "extends: base.yaml\nplaybook: child\n")
        let compilation = compile(child)
        let error = try #require(compilation.errors.first)
        #expect(error.code == "unknown-role")
        #expect(URL(fileURLWithPath: error.location.file).lastPathComponent == "base.yaml")
        let lines = Self.base.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("owner: pm") }) + 1
        #expect(error.location.line == line)
        #expect(compilation.sources.keys.contains { $0.hasSuffix("base.yaml") }, "\(basePath)")
        #expect(compilation.renderedDiagnostics.contains("owner: pmm"), "the snippet comes from the base file")
    }

    @Test func fragmentsAreIncludedInOrderAndTheFileWins() throws {
        _ = try write("fragments/roles.yaml", """
            organisation:
              roles:
                - { id: pm, name: Project manager, side: customer }
                - { id: steering, name: Steering, side: customer }
            """)
        _ = try write("fragments/renamed.yaml", """
            organisation:
              roles:
                - { id: steering, name: Steering committee }
            """)
        let path = try write("main.yaml", """
            include: [fragments/roles.yaml, fragments/renamed.yaml]
            playbook: main
            version: 2
            title: Main
            phases:
              - { id: only, name: Only, duration: 1w, gate: { approvers: [steering] } }
            """)
        let playbook = try #require(compile(path).playbook)
        #expect(playbook.organisation.roles.map(\.id) == ["pm", "steering"])
        #expect(playbook.role("steering")?.name == "Steering committee")
        #expect(playbook.role("steering")?.side == .customer, "merged key by key, not replaced")
    }

    @Test func compositionProblemsAreLocatedAndNamed() throws {
        let a = try write("a.yaml", "extends: b.yaml\nplaybook: a\n")
        _ = try write("b.yaml", "extends: a.yaml\nplaybook: b\n")
        let cycle = try #require(compile(a).with("composition-cycle").first)
        #expect(URL(fileURLWithPath: cycle.location.file).lastPathComponent == "b.yaml")
        #expect(cycle.location.line == 1 && cycle.location.column == 10)
        #expect(cycle.message.contains("a.yaml → b.yaml → a.yaml"))

        let missing = try write("m.yaml", "playbook: m\ninclude: [nowhere.yaml]\n")
        let unreadable = try #require(compile(missing).with("unreadable-include").first)
        #expect(unreadable.location.line == 2 && unreadable.location.column == 11)

        let typo = try write("t.yaml", Self.base.replacingOccurrences(of: "duration: ${pilot_weeks}w",
                                                                       with: "duration: ${pilot_wekks}w"))
        let unknown = try #require(compile(typo).with("unknown-parameter").first)
        #expect(unknown.suggestion == "pilot_weeks")
        #expect(compile(typo, parameters: ["nope": "1"]).with("unknown-parameter").count == 2)

        let noDefault = try write("d.yaml", Self.base.replacingOccurrences(of: "region: East", with: "region:"))
        let needed = try #require(compile(noDefault).with("missing-parameter").first)
        #expect(needed.message.contains("--param region=VALUE"))
        #expect(compile(noDefault, parameters: ["region": "West"]).playbook?.phase("pilot")?.name == "Pilot in West")
    }

    @Test func aPluginsFragmentIsIncludedFromThePluginsFolderAndAMissingPluginIsLocated() throws {
        _ = try write("installed/retail/fragments/roles.yaml", """
            organisation:
              roles:
                - { id: steering, name: Steering committee, side: customer }
            """)
        let path = try write("shop.yaml", """
            playbook: shop
            version: 1
            title: Shop
            include: [plugin:retail/fragments/roles.yaml]
            phases:
              - { id: only, name: Only, duration: 1w, gate: { approvers: [steering] } }
            """)
        var context = Fixture.context
        context.pluginDirectories = ["retail": directory.appendingPathComponent("installed/retail").path]
        let compilation = PlaybookCompiler(context: context).compile(path: path)
        let playbook = try #require(compilation.playbook, "\(compilation.diagnostics)")
        #expect(playbook.role("steering")?.name == "Steering committee")
        #expect(playbook.composedFrom.map(\.path) == ["plugin:retail/fragments/roles.yaml"])

        // Without the plugin installed: where the include names it, with the plugins found.
        context.pluginDirectories = ["banking": "/nowhere"]
        let missing = try #require(PlaybookCompiler(context: context).compile(path: path).with("unreadable-include").first)
        #expect(missing.location.line == 4 && missing.location.column == 11)
        #expect(missing.message == "fragment 'plugin:retail/fragments/roles.yaml' names plugin 'retail', which is not "
                    + "installed (found: banking); install it with `rollout plugin install`, or name its folder with --plugins")
    }
}
