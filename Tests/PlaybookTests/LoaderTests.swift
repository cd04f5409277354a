import Playbook
import Testing

/// The shape of a playbook: keys, types, enumerations, quantities, as the loader reads them.
@Suite struct LoaderTests {
    @Test func minimalPlaybookCompilesWithNoDiagnostic() throws {
        let compilation = try Fixture.compile("minimal")
        #expect(compilation.diagnostics.isEmpty)
        #expect(compilation.playbook?.id == "minimal")
    }

    @Test func unknownKeyIsReportedAtTheKeyWithTheAllowedKeyItResembles() throws {
        let compilation = try Fixture.compile("unknown-key")
        #expect(compilation.summary == ["unknown-key@13:7", "unknown-key@14:5"])
        let misspelt = try #require(compilation.errors.first)
        #expect(misspelt.message == "unknown key 'aproovers' in gate")
        #expect(misspelt.suggestion == "approvers")
        #expect(misspelt.description
            == "Fixtures/unknown-key.yaml:13:7: error[unknown-key]: unknown key 'aproovers' in gate (did you mean 'approvers'?)")
        #expect(compilation.errors.last?.message == "unknown key 'colour' in phase 'kick-off'")
        #expect(compilation.errors.last?.suggestion == nil)
    }

    @Test func missingRequiredKeyIsReportedAtTheStartOfItsMapping() throws {
        let compilation = try Fixture.compile("missing-required-key")
        #expect(compilation.summary == ["missing-key@9:5", "missing-key@12:9"])
        #expect(compilation.errors.map(\.message) == [
            "phase 'kick-off' is missing required key 'name'",
            "task 'meet' is missing required key 'owner'",
        ])
    }

    @Test func missingTopLevelKeysAreReportedAtTheDocumentStart() {
        let compilation = Fixture.compile(yaml: "# nothing but a title\ntitle: Lonely\n")
        #expect(compilation.summary == ["missing-key@2:1", "missing-key@2:1", "missing-key@2:1"])
        #expect(compilation.errors.map(\.message) == [
            "the playbook is missing required key 'playbook'", "the playbook is missing required key 'version'",
            "the playbook is missing required key 'phases'",
        ])
    }

    @Test func keyWithoutValueCountsAsMissingWhenRequired() {
        let compilation = Fixture.compile(yaml: "playbook: x\nversion: 1\ntitle:\ndescription:\nphases: []\n")
        #expect(compilation.summary == ["missing-key@3:7"])
        #expect(compilation.errors.first?.message == "'title' of the playbook has no value; it must be text")
    }

    @Test func valueOutsideAnEnumerationListsTheAllowedValues() throws {
        let compilation = try Fixture.compile("bad-enum")
        #expect(compilation.summary == ["invalid-value@7:55", "invalid-value@9:25", "invalid-value@11:103",
                                        "invalid-value@12:95", "invalid-value@13:74", "invalid-value@21:37"])
        #expect(compilation.errors[0].message == "'side' must be one of vendor, customer, not 'client'")
        #expect(compilation.errors[2].message
            == "'direction' must be one of higher_is_better, lower_is_better, not 'lower_is_beter'")
        #expect(compilation.errors[2].suggestion == "lower_is_better")
        #expect(compilation.errors[4].message == "'aggregate' must be one of median, mean, p90, sum, count, not 'average'")
        #expect(compilation.errors[5].message == "'group' must be one of pilot, control, all, not 'everyone'")
    }

    @Test func valueOfTheWrongTypeIsReportedAtTheValue() throws {
        let compilation = try Fixture.compile("wrong-types")
        #expect(compilation.summary == ["wrong-type@4:8", "invalid-id@7:13", "wrong-type@7:83", "wrong-type@9:113",
                                        "wrong-type@10:9"])
        #expect(compilation.errors.map(\.message) == [
            "'title' must be text, not a list",
            "'id' must be an id made of letters, digits, '-', '_' and '.', not 'Steering Committee'",
            "'duties' must be a list, not 'Decide'",
            "'target' must be a number, not 'high'",
            "'phases' must be a list, not 'none'",
        ])
        #expect(compilation.errors[1].suggestion == "steering-committee")
    }

    @Test func durationsWindowsMoneyYearsAndMonthsAreReadAsWritten() throws {
        let compilation = try Fixture.compile("quantities")
        #expect(compilation.errors.isEmpty)
        let playbook = try #require(compilation.playbook)
        #expect(playbook.version == 3)
        #expect(playbook.organisation.roles.first?.members == ["Anna Berger"])
        let kpi = try #require(playbook.kpi("wins"))
        #expect(kpi.windowDays == 28)
        #expect(kpi.baseline == .value(27.5))
        let phase = try #require(playbook.phase("one"))
        #expect(phase.durationDays == 14)
        #expect(phase.tasks.map(\.durationDays) == [10, 3])
        #expect(phase.actions.map(\.name.id) == ["kpi.snapshot", "notify", "pilot.end"])
        #expect(phase.actions[1].arguments == ["to": "pm", "subject": "Started", "count": "3"])
        #expect(phase.actions[2].arguments.isEmpty)
        let costs = try #require(playbook.costs)
        #expect(costs.currency == "EUR")
        #expect(costs.licence?.perUserPerYear == 1200)
        #expect(costs.maintenance?.contractValue == 500_000.5)
        #expect(costs.maintenance?.rates.map { "\($0.fromYear)-\($0.toYear.map(String.init) ?? "")" } == ["2-3", "5-5", "6-"])
        #expect(playbook.benefits.first?.kind == .fixed(perYear: 100_000))
        #expect(playbook.benefits.first?.rampUp == [1])
        #expect(playbook.benefits.first?.confidence == 1)
        #expect(playbook.evaluation == EvaluationSettings(discountRate: 0.08, horizonYears: 5, projectionMonths: [6, 12, 36],
                                                          workingWeeksPerYear: 44.5))
    }

    @Test func modelLocationsPointAtIdsAndMappings() throws {
        let playbook = try #require(try Fixture.compile("minimal").playbook)
        let phase = try #require(playbook.phase("pilot"))
        #expect(phase.location.description == "Fixtures/minimal.yaml:19:9")
        #expect(phase.tasks[1].dependsOn.first?.location.description == "Fixtures/minimal.yaml:27:69")
        #expect(phase.gate?.location.description == "Fixtures/minimal.yaml:30:7")
        #expect(phase.gate?.criteria.first?.location.description == "Fixtures/minimal.yaml:32:11")
        #expect(playbook.pilotGroups.first?.control?.location.description == "Fixtures/minimal.yaml:17:72")
    }

    @Test func aBenefitIsValuedInExactlyOneWay() throws {
        let compilation = try Fixture.compile("benefit-forms")
        #expect(compilation.summary == ["missing-key@10:5", "conflicting-keys@11:37", "missing-key@12:5",
                                        "conflicting-keys@13:75", "missing-key@16:17", "out-of-range@16:66"])
        #expect(compilation.errors.map(\.message) == [
            "benefit 'none' needs a way to value it: one of 'time_saved', 'kpi', 'fixed_per_year'",
            "benefit 'both' has both 'kpi' and 'fixed_per_year'; write only one of 'time_saved', 'kpi', 'fixed_per_year'",
            "benefit 'no-unit' values a KPI and needs 'value_per_unit': the value of one unit of improvement a year",
            "'value_per_unit' applies only to a benefit valued by a 'kpi'",
            "time saved is missing required key 'hourly_cost'",
            "'headcount' must be at least 1, not the number 0",
        ])
    }

    @Test func aGateCriterionChecksOneThingOneWay() throws {
        let compilation = try Fixture.compile("criterion-forms")
        #expect(compilation.summary == ["conflicting-keys@14:24", "missing-key@15:11", "missing-key@16:11",
                                        "conflicting-keys@17:24", "conflicting-keys@18:31", "out-of-range@19:39"])
        #expect(compilation.errors[1].message == "gate criterion needs something to check: one of 'kpi', 'deliverable', 'condition', 'check'")
        #expect(compilation.errors[3].message == "gate criterion has both 'at_most' and 'at_least'; write only one of "
            + "'at_most', 'at_least', 'improves_by_percent', 'beats_control', 'meets_target'")
        #expect(compilation.errors[4].message == "'at_most' does not apply to a criterion on a deliverable")
        #expect(compilation.errors[5].message
            == "'beats_control' must be true (leave the criterion out to check nothing), not false")
    }

    @Test func numbersOutOfRangeAreReportedAtTheValue() throws {
        let compilation = try Fixture.compile("out-of-range")
        #expect(compilation.summary == ["out-of-range@8:15", "invalid-value@10:13", "out-of-range@12:21",
                                        "out-of-range@14:18", "out-of-range@14:29", "out-of-range@16:55",
                                        "out-of-range@16:73", "out-of-range@17:30", "out-of-range@17:50",
                                        "out-of-range@17:68"])
        #expect(compilation.errors.map(\.message) == [
            "'duration' must be a duration longer than 0 days, not '0d'",
            "'currency' must be a three-letter currency code such as CNY, not 'cny'",
            "'contract_value' must be an amount of at least 0, not the number -5",
            "'years' must run from an earlier year to a later one, from year 1 on, not '3-2'",
            "'rate' must be a number from 0 to 1, not the number 1.5",
            "'confidence' must be a number from 0 to 1, not the number 2",
            "an item of 'ramp_up' must be a number from 0 to 1, not the number 1.5",
            "'discount_rate' must be a number from 0 to 1, not the number 1.2",
            "'horizon_years' must be from 1 to 30 years, not the number 40",
            "an item of 'projections' must be at least one month, not '0m'",
        ])
    }

    @Test func aPilotGroupMustNameSomeone() {
        let yaml = """
            playbook: x
            version: 1
            title: X
            pilot_groups:
              - { id: east, name: East, members: { teams: [] }, control: {} }
            phases: []
            """
        #expect(Fixture.compile(yaml: yaml).summary == ["empty-group@5:38", "empty-group@5:62"])
    }

    @Test func byteOrderMarkIsIgnoredAndColumnsCountCharacters() {
        let yaml = "\u{FEFF}playbook: x\nversion: 1\ntitle: 项目\nphases:\n  - { id: 准备, name: 准备, duration: 1w, colour: 红 }\n"
        let compilation = Fixture.compile(yaml: yaml)
        #expect(compilation.summary == ["unknown-key@5:39"])
        #expect(compilation.errors.first?.message == "unknown key 'colour' in phase '准备'")
    }

    @Test func actionArgumentsAreAMappingOfText() {
        let yaml = "playbook: x\nversion: 1\ntitle: T\nphases:\n  - { id: a, name: A, duration: 1w, actions: [{ notify: x }] }\n"
        #expect(Fixture.compile(yaml: yaml).errors.map(\.description)
            == ["inline.yaml:5:57: error[wrong-type]: the arguments of action 'notify' must be a mapping such as { to: steering }, not 'x'"])
        let nested = "playbook: x\nversion: 1\ntitle: T\nphases:\n  - { id: a, name: A, duration: 1w, actions: [{ notify: { to: [a] } }] }\n"
        #expect(Fixture.compile(yaml: nested).errors.map(\.message)
            == ["argument 'to' of action 'notify' must be text, not a list"])
    }
}
