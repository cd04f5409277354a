@testable import Playbook
import Testing
import Yams

/// The hand-written scalar typing must agree with Yams's default (regex) resolver, which it
/// replaces for speed: on the cases people write and on thousands of generated strings.
@Suite struct ImplicitScalarTypeTests {
    /// Yams's default resolver, with the tags the playbook does not use folded into `str`.
    func yams(_ text: String) -> Yams.Tag.Name {
        let name = Resolver.default.resolveTag(of: Node(text))
        return [.bool, .int, .float, .null].contains(name) ? name : .str
    }

    @Test(arguments: [
        "", "~", "null", "Null", "NULL", "nul", "yes", "No", "ON", "off", "y", "true", "TRUE", "tRue",
        "0", "-0", "+12", "12", "1_000", "012", "0o17", "0o8", "09", "0b101", "0b2", "0x1F", "0xg", "1:30", "1:30:59", "1:60",
        "1.5", "-1.5e3", "1e3", "1E+3", "1.", ".5", ".5e+3", ".5e3", "-.5", "+.inf", ".Inf", "-.INF", ".nan", "-.nan",
        "1:30.5", "2w", "30d", "6m", "2-3", "v1.2", "12 h", "1,000", "0.04", "350000", "1_200", "-", "+", ".", "e3",
    ])
    func agreesWithYamsOnWhatPeopleWrite(_ text: String) {
        #expect(ImplicitScalarType.classify(text) == yams(text), "'\(text)'")
    }

    @Test func agreesWithYamsOnGeneratedStrings() {
        let alphabet = Array("0123456789_.:+-eEoxbBafinNIl~ ")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let length = Int(next() % 7) + 1
            let text = String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
            if ImplicitScalarType.classify(text) != yams(text) { disagreements.append(text) }
        }
        #expect(disagreements.isEmpty, "disagree on: \(disagreements.prefix(20))")
    }
}
