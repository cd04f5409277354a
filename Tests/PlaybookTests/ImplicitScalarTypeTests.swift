import Foundation
@testable import Playbook
import Testing

/// The hand-written scalar typing must agree with a YAML 1.1 resolver written by others:
/// PyYAML's (regex) resolver, run in a Python process, on the cases people write and on
/// thousands of generated strings. (`.ci/install-deps` installs PyYAML.)
@Suite struct ImplicitScalarTypeTests {
    /// PyYAML's resolution of each plain scalar, folded to the types the playbook uses.
    static func pyyaml(_ texts: [String]) throws -> [ScalarType] {
        let script = """
            import json, sys, yaml
            texts = json.load(sys.stdin)
            r = yaml.resolver.Resolver()
            names = {'tag:yaml.org,2002:bool': 'bool', 'tag:yaml.org,2002:int': 'int',
                     'tag:yaml.org,2002:float': 'float', 'tag:yaml.org,2002:null': 'null'}
            print(json.dumps([names.get(r.resolve(yaml.ScalarNode, t, (True, False)), 'str') for t in texts]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(texts))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReadFailure("python3 with PyYAML is needed (run .ci/install-deps)")
        }
        let names = try JSONDecoder().decode([String].self, from: data)
        return names.map { ["bool": .bool, "int": .int, "float": .float, "null": .null][$0] ?? .str }
    }

    struct ReadFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let written = [
        "", "~", "null", "Null", "NULL", "nul", "yes", "No", "ON", "off", "y", "true", "TRUE", "tRue",
        "0", "-0", "+12", "12", "1_000", "012", "0o17", "0o8", "09", "0b101", "0b2", "0x1F", "0xg", "1:30", "1:30:59", "1:60",
        "1.5", "-1.5e3", "1e3", "1E+3", "1.", ".5", ".5e+3", ".5e3", "-.5", "+.inf", ".Inf", "-.INF", ".nan", "-.nan",
        "1:30.5", "2w", "30d", "6m", "2-3", "v1.2", "12 h", "1,000", "0.04", "350000", "1_200", "-", "+", ".", "e3",
    ]

    @Test func agreesWithPyYAMLOnWhatPeopleWrite() throws {
        let expected = try Self.pyyaml(Self.written)
        for (text, type) in zip(Self.written, expected) {
            #expect(ImplicitScalarType.classify(text) == type, "'\(text)'")
        }
    }

    @Test func agreesWithPyYAMLOnGeneratedStrings() throws {
        let alphabet = Array("0123456789_.:+-eEoxbBafinNIl~ ")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let texts = (0..<20_000).map { _ in
            String((0..<(Int(next() % 7) + 1)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
        }
        let expected = try Self.pyyaml(texts)
        let disagreements = zip(texts, expected).filter { ImplicitScalarType.classify($0.0) != $0.1 }.map(\.0)
        #expect(disagreements.isEmpty, "disagree on: \(disagreements.prefix(20))")
    }

    @Test func numbersHaveTheValuesYAMLGivesThem() {
        #expect(ImplicitScalarType.intValue("1_000") == 1000)
        #expect(ImplicitScalarType.intValue("0x1F") == 31)
        #expect(ImplicitScalarType.intValue("0b101") == 5)
        #expect(ImplicitScalarType.intValue("012") == 10)
        #expect(ImplicitScalarType.intValue("-1:30") == -90)
        #expect(ImplicitScalarType.doubleValue("1.5e3") == 1500)
        #expect(ImplicitScalarType.doubleValue("-.inf") == -.infinity)
        #expect(ImplicitScalarType.doubleValue("12") == 12)
    }
}
