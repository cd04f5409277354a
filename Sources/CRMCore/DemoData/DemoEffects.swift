import Foundation

/// How far the new way of working has taken hold for one person at one instant: 0 is the old
/// process, 1 the new one.
///
/// Pilot teams ramp in linearly over 21 days from `pilotStart`; everyone ramps in over 28 days
/// from `cutover` (a pilot person already at 1 stays there). Before `pilotStart` every team
/// follows the same process, so pilot and control differ only by people and noise.
struct DemoRollout: Sendable {
    static let pilotRampSeconds: Int64 = 21 * 86_400
    static let cutoverRampSeconds: Int64 = 28 * 86_400

    let pilotStart: Int64
    let cutover: Int64

    init(plan: DemoDataPlan) {
        pilotStart = plan.pilotStart.secondsSinceEpoch
        cutover = plan.cutover.secondsSinceEpoch
    }

    func adoption(at instant: Int64, pilot: Bool) -> Double {
        let everyone = Self.ramp(instant, from: cutover, over: Self.cutoverRampSeconds)
        guard pilot else { return everyone }
        return max(everyone, Self.ramp(instant, from: pilotStart, over: Self.pilotRampSeconds))
    }

    private static func ramp(_ instant: Int64, from start: Int64, over length: Int64) -> Double {
        guard instant > start else { return 0 }
        return min(1, Double(instant - start) / Double(length))
    }
}

/// One behaviour the project changes: its value under the old process, and under the new one
/// for the pilot and the control teams.
struct DemoEffect: Sendable {
    var before: Double
    var pilotAfter: Double
    var controlAfter: Double

    init(before: Double, pilotAfter: Double, controlAfter: Double) {
        self.before = before
        self.pilotAfter = pilotAfter
        self.controlAfter = controlAfter
    }

    init(before: Double, after: Double) {
        self.init(before: before, pilotAfter: after, controlAfter: after)
    }

    /// Linear blend, for shares and rates.
    func value(adoption: Double, pilot: Bool) -> Double {
        let after = pilot ? pilotAfter : controlAfter
        return before + (after - before) * adoption
    }

    /// Geometric blend, for medians of durations: halfway through the ramp, 30 h → 6 h gives
    /// about 13 h, not 18 h, because durations change by factors.
    func median(adoption: Double, pilot: Bool) -> Double {
        let after = pilot ? pilotAfter : controlAfter
        return before * pow(after / before, adoption)
    }
}

/// Every number that shapes the demo data, with its before → after change; docs/demo-data.md
/// lists the same table.
enum DemoEffects {
    // MARK: People

    /// Spread (σ of the logarithm) of each person's persistent diligence factor, median 1.
    static let diligenceSigma = 0.25

    // MARK: Leads

    /// New leads per sales rep per working day, before season and growth (Poisson).
    static let leadsPerRepPerDay = 0.8
    /// Median hours from a lead's creation to the first call or e-mail; σ of its logarithm.
    static let leadResponseMedianHours = DemoEffect(before: 30, pilotAfter: 6, controlAfter: 7)
    static let leadResponseSigma = 0.9
    /// Share of leads nobody ever answers (they are disqualified after about a month).
    static let unansweredLeadShare = DemoEffect(before: 0.04, after: 0.01)
    /// Share of decided leads that convert (unanswered ones included, which never convert).
    static let leadConversion = DemoEffect(before: 0.18, after: 0.24)
    /// Further touches after the first (Poisson means): converting leads get more attention.
    static let extraTouchesConverting = 2.0
    static let extraTouchesOther = 0.8
    /// Median days from the first response to conversion, or to disqualification.
    static let daysToConversion = 9.0
    static let daysToDisqualification = 12.0
    static let daysToDropUnanswered = 30.0

    // MARK: Opportunities

    /// Median amount in major units (CNY) and σ of its logarithm.
    static let opportunityMedianAmount = 80_000.0
    static let opportunityAmountSigma = 0.8
    /// Share of opportunities won.
    static let winRate = DemoEffect(before: 0.28, after: 0.35)
    /// Median days from creation to close of a won deal; σ of its logarithm.
    static let salesCycleMedianDays = DemoEffect(before: 45, after: 36)
    static let salesCycleSigma = 0.5
    /// New opportunities on a rep's existing accounts per working day (upsell, renewals).
    static let accountOpportunitiesPerRepPerDay = 0.1

    // MARK: Contacts and customer work

    /// Accounts in each rep's book at the start of history (Poisson mean), entered over the
    /// first 20 working days; contacts per book account are 1 + Poisson(1).
    static let bookAccountsPerRep = 25.0
    /// Probability that each of title, e-mail and phone is filled in on a new contact.
    static let contactFieldFilled = DemoEffect(before: 0.65, after: 0.92)
    /// New contacts a rep adds on existing accounts per working day (prospecting).
    static let prospectingContactsPerRepPerDay = 0.3
    /// Calls, visits, meetings, e-mails and notes per rep per working day on accounts, and the
    /// factor by which logging grows once the CRM is the place where work is recorded.
    static let accountActivitiesPerRepPerDay = 1.2
    static let loggedActivityFactor = DemoEffect(before: 1.0, after: 1.3)
    static let managerActivitiesPerDay = 0.4

    // MARK: Service

    /// Tickets per service agent (and per service team lead) per working day.
    static let ticketsPerAgentPerDay = 3.0
    static let ticketsPerServiceLeadPerDay = 1.0
    /// Share of tickets first answered within their priority's first-response target.
    static let firstResponseSLACompliance = DemoEffect(before: 0.70, after: 0.90)
    /// σ of the logarithm of first-response delay relative to the target.
    static let firstResponseSigma = 0.75
    /// Median hours from creation to resolution, across priorities; σ of its logarithm.
    static let resolutionMedianHours = DemoEffect(before: 26, after: 18)
    static let resolutionSigma = 0.9
    /// A resolved ticket counts as closed once it has been quiet for this long before `end`.
    static let closeAfterQuietDays = 3

    // MARK: Sign-ins

    /// Probability that a person signs in on a working day (before: 0.45 for a median person,
    /// scaled by diligence).
    static let dailySignIn = DemoEffect(before: 0.45, pilotAfter: 0.90, controlAfter: 0.85)
    /// Probability of a second, afternoon sign-in on a day with one.
    static let secondSignIn = DemoEffect(before: 0.2, after: 0.4)
}
