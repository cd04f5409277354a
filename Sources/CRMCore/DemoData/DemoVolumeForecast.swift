import Foundation

/// How many rows of the tables the product's volumes are stated in (accounts, contacts,
/// activities, tickets, orders) a plan will produce, computed from the generator's rates over the
/// plan's working days — without generating anything.
///
/// It is an expectation, not a count: the tests hold it to within a few per cent of what the
/// generator writes at `small` (with and without a customer base), and use it to check that
/// `large` reaches its targets, which would take too long to generate in the suite.
struct DemoVolumeForecast: Sendable, Hashable {
    var accounts = 0.0
    var contacts = 0.0
    var activities = 0.0
    var tickets = 0.0
    var orders = 0.0

    /// Activities per answered lead (the first response and the touches before the decision) and
    /// per opportunity (one per stage step reached before `end`), as the generator's touch and
    /// stage models give them; measured on the standard small data set.
    static let activitiesPerAnsweredLead = 1.87
    static let activitiesPerOpportunity = 2.62
    /// Days from a lead's arrival to its conversion (response and conversion medians), and from a
    /// deal's creation to its close; work still under way at `end` is not counted.
    static let daysToDecision = 11.0
    static let daysToClose = 45.0

    init(plan: DemoDataPlan, customerBase: DemoCustomerBase) {
        let people = Double(plan.scale.headcountMultiplier)
        let repsPerGroup = 8 * people
        let start = plan.historyStart.secondsSinceEpoch
        let end = plan.end.secondsSinceEpoch
        let calendar = DemoCalendar(historyStart: plan.historyStart)
        let rollout = DemoRollout(plan: plan)
        let dayLength = Double(DemoCalendar.secondsPerDay)
        let months = calendar.months(from: start, to: end)
        /// Volume-weighted years of buying from `instant` to `end`.
        func buyingYears(from instant: Int64, until: Int64 = end) -> Double {
            months.reduce(0) { sum, month in
                let from = max(month.start, instant), to = min(month.end, until)
                return to > from ? sum + month.volume * Double(to - from) / (365.25 * dayLength) : sum
            }
        }
        let frequency = Self.meanReorderFrequency()

        var leads = 0.0, answered = 0.0, conversions = 0.0, opportunities = 0.0, accountWork = 0.0
        var wonOrders = 0.0, wonCustomerReorders = 0.0, prospecting = 0.0, managerWork = 0.0
        let firstDay = start.floorDivided(by: DemoCalendar.secondsPerDay)
        let lastDay = (end - 1).floorDivided(by: DemoCalendar.secondsPerDay)
        for day in firstDay...lastDay where DemoCalendar.isWorkingDay(day) {
            let volume = calendar.volumeFactor(day: day)
            let noon = day * DemoCalendar.secondsPerDay + 12 * 3600
            let decided = Double(end - noon) / dayLength > Self.daysToDecision ? 1.0 : 0.0
            let closes = Double(end - noon) / dayLength > Self.daysToDecision + Self.daysToClose ? 1.0 : 0.0
            tickets += volume * (2 * 6 * people * DemoEffects.ticketsPerAgentPerDay
                                 + 2 * people * DemoEffects.ticketsPerServiceLeadPerDay)
            managerWork += volume * 2 * people * DemoEffects.managerActivitiesPerDay
            prospecting += volume * 2 * repsPerGroup * DemoEffects.prospectingContactsPerRepPerDay
            for pilot in [true, false] {
                let adoption = rollout.adoption(at: noon, pilot: pilot)
                let arriving = volume * repsPerGroup * DemoEffects.leadsPerRepPerDay
                let converting = arriving * DemoEffects.leadConversion.value(adoption: adoption, pilot: pilot) * decided
                let deals = converting + volume * repsPerGroup * DemoEffects.accountOpportunitiesPerRepPerDay
                let won = deals * DemoEffects.winRate.value(adoption: adoption, pilot: pilot) * closes
                leads += arriving
                answered += arriving * (1 - DemoEffects.unansweredLeadShare.value(adoption: adoption, pilot: pilot))
                conversions += converting
                opportunities += deals
                wonOrders += won
                // A converted lead's account reorders from a month after its deal closes.
                let wonCustomers = converting * DemoEffects.winRate.value(adoption: adoption, pilot: pilot) * closes
                let buyingFrom = noon + Int64((Self.daysToDecision + Self.daysToClose + 30) * dayLength)
                wonCustomerReorders += wonCustomers * frequency * buyingYears(from: buyingFrom)
                accountWork += volume * repsPerGroup
                    * (DemoEffects.accountActivitiesPerRepPerDay + customerBase.activitiesPerRepPerDay)
                    * DemoEffects.loggedActivityFactor.value(adoption: adoption, pilot: pilot)
            }
        }

        let reps = 2 * repsPerGroup
        let bookAccounts = reps * DemoEffects.bookAccountsPerRep
        let baseAccounts = reps * customerBase.accountsPerRep
        accounts = bookAccounts + baseAccounts + conversions
        contacts = bookAccounts * 2 + baseAccounts * (1 + customerBase.extraContactsPerAccount) + conversions + prospecting
        activities = accountWork + managerWork + answered * Self.activitiesPerAnsweredLead
            + opportunities * Self.activitiesPerOpportunity
        // The legacy list is entered over the first 20 working days: buying starts a day later.
        let entered = start + 15 * DemoCalendar.secondsPerDay
        let bookReorders = bookAccounts * frequency
            * Self.activeShare(status: DemoHistory.bookStatus, span: end - entered) * buyingYears(from: entered)
        let baseReorders = baseAccounts * frequency
            * Self.activeShare(status: DemoCustomerBase.status, span: end - entered) * buyingYears(from: entered)
        orders = wonOrders + bookReorders + baseReorders + wonCustomerReorders
    }

    /// Mean reorders a year: `base + perRoot · E[√X]` for X Pareto(1, α) capped, whatever the
    /// class (the frequency depends on value relative to the class's minimum).
    private static func meanReorderFrequency() -> Double {
        let alpha = DemoHistory.reorderValueShape
        let cap = DemoHistory.reorderValueCap
        // E[√min(X, cap)] = α/(α − ½) − (√cap · cap^−α)·(α/(α − ½) − 1)
        let uncapped = alpha / (alpha - 0.5)
        let meanRoot = uncapped - cap.squareRoot() * pow(cap, -alpha) * (uncapped - 1)
        return min(DemoHistory.reorderFrequency.maximum,
                   DemoHistory.reorderFrequency.base + DemoHistory.reorderFrequency.perRoot * meanRoot)
    }

    /// The share of the buying time that customers with these statuses buy: dormant ones stop on
    /// average 242 days before `end`, lost ones after 20–80 % of the time up to 90 days before it.
    private static func activeShare(status: Categorical<String>, span: Int64) -> Double {
        let days = Double(span) / Double(DemoCalendar.secondsPerDay)
        guard days > 0 else { return 0 }
        var share = 0.0
        for (index, value) in status.values.enumerated() {
            let probability = status.probability(at: index)
            switch value {
            case "dormant": share += probability * max(0, days - 242.5) / days
            case "lost": share += probability * 0.5 * max(0, days - 90) / days
            default: share += probability
            }
        }
        return share
    }
}
