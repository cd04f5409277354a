import Evaluation

/// The people and events the demo's autopilot plays: who sits on which role, and the lessons
/// the team records along the way (S1 step 4), one set per phase.
struct DemoScenario: Sendable {
    struct ScriptedLesson: Sendable {
        var category: LessonLearned.Category
        var what: String
        var delayDays: Int = 0
        var causedBy: String?
        var cost: Double?
        var remedy: String?
        var by: String
    }

    /// Who votes for each role at the gates.
    var people: [String: String] = [
        "steering": "Chen Jing (steering committee chair)",
        "customer-pm": "Zhou Min (customer project manager)",
        "vendor-pm": "Anna Berger (vendor project manager)",
        "tech-team": "Liu Yang (IT lead)",
        "key-users": "Sun Li (key user, East Sales)",
        "biz-consultant": "Marco Rossi (business consultant)",
    ]

    func person(for role: String) -> String { people[role] ?? "\(role) representative" }

    /// Lessons recorded when a phase's gate is evaluated.
    var lessons: [String: [ScriptedLesson]] = [
        "project-kick-off": [
            .init(category: .foreknowledge,
                  what: "Sales managers had not been told that the pilot changes their weekly pipeline report",
                  remedy: "Briefing on reporting changes added to the kick-off agenda", by: "Zhou Min"),
        ],
        "analysis-and-diagnosis": [
            .init(category: .delay, what: "The customer export from the legacy ERP arrived six days late",
                  delayDays: 6, causedBy: "Legacy ERP team (IT)", cost: 18_000,
                  remedy: "Export scripted and scheduled nightly", by: "Liu Yang"),
        ],
        "process-design": [
            .init(category: .challenge,
                  what: "Sales and service defined 'customer' differently (account vs. delivery site)",
                  remedy: "One account hierarchy agreed in a joint workshop", by: "Marco Rossi"),
        ],
        "prototype-test": [
            .init(category: .training,
                  what: "Pilot agents ignored SLA at-risk warnings in the first weeks; a half-day session on the SLA queue would have avoided it",
                  cost: 6_000, remedy: "SLA queue training for all agents before cut-over", by: "Sun Li"),
            .init(category: .shortfall, what: "Lead routing by territory sent 8 % of web leads to the wrong team",
                  delayDays: 3, causedBy: "Territory map incomplete", cost: 4_000,
                  remedy: "Territory map completed; fallback queue added", by: "Zhou Min"),
        ],
        "secondary-development": [
            .init(category: .shortfall, what: "The quotation template could not show tiered discounts",
                  delayDays: 4, causedBy: "Product configuration gap", cost: 12_000,
                  remedy: "Custom field and template change", by: "Anna Berger"),
        ],
        "end-user-training": [
            .init(category: .training, what: "Field reps needed mobile training; the classroom course covered only the web client",
                  cost: 3_500, remedy: "Two mobile sessions added", by: "Sun Li"),
        ],
        "cut-over": [
            .init(category: .delay, what: "The data freeze started one day late because of month-end invoicing",
                  delayDays: 1, causedBy: "Finance", cost: 5_000,
                  remedy: "Freeze dates checked against the finance calendar", by: "Zhou Min"),
        ],
        "new-system-support": [
            .init(category: .challenge, what: "Adoption in the West region lagged in the first two weeks after go-live",
                  remedy: "Key users as floor-walkers for two weeks", by: "Zhou Min"),
        ],
    ]
}
