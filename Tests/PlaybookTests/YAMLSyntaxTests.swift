import Playbook
import Testing

/// YAML that libyaml cannot read: one `yaml-syntax` error, placed where the author would look.
@Suite struct YAMLSyntaxTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var position: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a colon inside an unquoted value", yaml: "playbook: x\ntitle: Phase: kick-off\n",
             position: "2:13", message: "YAML syntax error: mapping values are not allowed in this context "
                 + "(put text that contains ': ' in quotes)"),
        Case(name: "a tab used for indentation", yaml: "playbook: x\nphases:\n\t- id: a\n",
             position: "3:1", message: "YAML syntax error: a tab cannot indent YAML; use spaces"),
        Case(name: "an unclosed quote, at the opening quote", yaml: "playbook: x\ntitle: \"Kick-off\nversion: 1\n",
             position: "2:8", message: "YAML syntax error: this quoted text is never closed (found unexpected end of stream)"),
        Case(name: "an unclosed quote that a later quote closes, at the opening quote",
             yaml: "playbook: x\ntitle: \"Kick-off\nversion: 1\nkpis:\n  - { id: a, unit: \"%\" }\n",
             position: "2:8", message: "YAML syntax error: this quoted text is not closed on its line and runs on to "
                 + "line 5, where found character that cannot start any token; is its closing quote missing?"),
        Case(name: "a key without a colon, at the key", yaml: "playbook: x\ntitle\nversion: 1\n",
             position: "2:1", message: "YAML syntax error: could not find expected ':' after this key"),
        Case(name: "a key indented less than its siblings", yaml: "phases:\n  - id: a\n    name: b\n   owner: c\n",
             position: "4:4", message: "YAML syntax error: did not find expected '-' indicator (check the indentation)"),
        Case(name: "a list never closed, at its bracket", yaml: "playbook: x\nkpis: [a, b\nversion: 1\n",
             position: "2:7", message: "YAML syntax error: this list is never closed with ']' "
                 + "(did not find expected ',' or ']')"),
        Case(name: "a mapping never closed, at its brace", yaml: "gate: { approvers: [steering]\ntitle: x\n",
             position: "1:7", message: "YAML syntax error: this mapping is never closed with '}' "
                 + "(did not find expected ',' or '}')"),
        Case(name: "a second document", yaml: "playbook: x\n---\nplaybook: y\n",
             position: "2:1", message: "YAML syntax error: a playbook is one YAML document; this '---' starts a "
                 + "second one (remove it, or split the file)"),
        Case(name: "an alias to no anchor", yaml: "playbook: *name\n",
             position: "1:11", message: "YAML syntax error: found undefined alias '*name'"),
    ]

    @Test(arguments: cases) func syntaxErrorIsOneErrorWhereTheAuthorWouldLook(_ example: Case) {
        let compilation = Fixture.compile(yaml: example.yaml)
        #expect(compilation.diagnostics.count == 1)
        let error = compilation.diagnostics.first
        #expect(error?.code == "yaml-syntax")
        #expect(error?.severity == .error)
        #expect(error?.position == example.position)
        #expect(error?.message == example.message)
        #expect(compilation.playbook == nil)
    }

    @Test func duplicateKeyIsReportedAtItsSecondOccurrence() {
        let compilation = Fixture.compile(yaml: "playbook: x\nversion: 1\ntitle: A\ntitle: B\nphases: []\n")
        #expect(compilation.diagnostics.map(\.description)
            == ["inline.yaml:4:1: error[duplicate-key]: duplicate key 'title' (first written at line 3)"])
        #expect(compilation.diagnostics.first?.code == "duplicate-key")
    }

    @Test func duplicateKeyInAFlowMappingIsReportedAtItsSecondOccurrence() {
        let compilation = Fixture.compile(yaml: "playbook: x\nversion: 1\ntitle: A\nphases:\n  - { id: a, name: A, id: b }\n")
        #expect(compilation.with("duplicate-key").map(\.position) == ["5:23"])
    }

    @Test func everyRepetitionOfAKeyIsReported() {
        let compilation = Fixture.compile(yaml: "playbook: x\nversion: 1\ntitle: A\ntitle: B\ntitle: C\nphases: []\n")
        #expect(compilation.summary == ["duplicate-key@4:1", "duplicate-key@5:1"])
    }

    @Test func duplicateKeysDoNotStopTheRestOfTheFileFromBeingChecked() {
        let yaml = """
            playbook: x
            version: 1
            title: A
            phases:
              - id: a
                name: A
                duration: 1w
                duration: 2w
                colour: red
            """
        #expect(Fixture.compile(yaml: yaml).summary == ["duplicate-key@8:5", "unknown-key@9:5"])
    }

    @Test func emptyFileIsOneError() {
        for yaml in ["", "# only a comment\n"] {
            let compilation = Fixture.compile(yaml: yaml)
            #expect(compilation.summary == ["empty-playbook@1:1"])
        }
    }

    @Test func documentThatIsNotAMappingIsOneErrorAtItsStart() {
        let compilation = Fixture.compile(yaml: "# a list\n- playbook: x\n")
        #expect(compilation.summary == ["wrong-type@2:1"])
        #expect(compilation.errors.first?.message.hasSuffix("not a list") == true)
    }
}
