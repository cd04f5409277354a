import Playbook
import Testing

/// "Did you mean …?": close misspellings and unique prefixes, nothing for names far off.
@Suite struct SuggestionTests {
    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(Suggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(Suggestion.editDistance(Array(""), Array("abc")) == 3)
        #expect(Suggestion.editDistance(Array("same"), Array("same")) == 0)
    }

    @Test func suggestsTheClosestNameWithinTheLimit() {
        #expect(Suggestion.closest(to: "aproovers", among: ["approvers", "criteria"]) == "approvers")
        #expect(Suggestion.closest(to: "steerin", among: ["steering", "customer-pm"]) == "steering")
        #expect(Suggestion.closest(to: "Steering", among: ["steering"]) == "steering")
    }

    @Test func suggestsTheOnlyNameAWordIsAPrefixOf() {
        #expect(Suggestion.closest(to: "lead_resp", among: ["lead_response_hours", "win_rate"]) == "lead_response_hours")
        #expect(Suggestion.closest(to: "lead", among: ["lead_response_hours", "lead_conversion_rate"]) == nil)
    }

    @Test func suggestsNothingForFarOffNamesOrKnownOnes() {
        #expect(Suggestion.closest(to: "colour", among: ["id", "name", "duration"]) == nil)
        #expect(Suggestion.closest(to: "up", among: ["higher_is_better", "lower_is_better"]) == nil)
        #expect(Suggestion.closest(to: "name", among: ["name"]) == nil)
        #expect(Suggestion.closest(to: "x", among: [String]()) == nil)
    }
}
