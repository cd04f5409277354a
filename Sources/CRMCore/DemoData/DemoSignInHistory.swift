import Foundation

/// Sign-ins to the CRM: whether a person uses it on a working day is what the active-adoption
/// KPI measures.
extension DemoHistory {
    /// The morning sign-in (07:30–10:30) with the probability of the person's current process,
    /// and sometimes a second one in the afternoon (13:00–17:30). Fewer people are at work around
    /// Spring Festival (`presence`).
    mutating func signIn(_ person: DemoPerson, day: Int64, presence: Double, _ random: inout SeededRandom) throws {
        let dayStart = day * DemoCalendar.secondsPerDay
        let adoption = rollout.adoption(at: dayStart + 12 * 3600, pilot: person.isPilot)
        // Before the change habits differ a lot between people; after it, only a little.
        let effect = DemoEffects.dailySignIn
        let before = min(0.95, effect.before * person.diligence)
        let after = min(0.99, (person.isPilot ? effect.pilotAfter : effect.controlAfter) * pow(person.diligence, 0.2))
        guard random.chance((before + (after - before) * adoption) * presence) else { return }

        let mobileShare = 0.12 + (0.35 - 0.12) * adoption
        let morning = dayStart + 7 * 3600 + 1800 + Int64(random.int(below: 3 * 3600))
        let morningChannel = Self.signInChannel(mobileShare: mobileShare, &random)
        if isInHistory(morning) {
            try writer.login(userID: person.id, at: morning, channel: morningChannel)
        }
        if random.chance(DemoEffects.secondSignIn.value(adoption: adoption, pilot: person.isPilot)) {
            let afternoon = dayStart + 13 * 3600 + Int64(random.int(below: 4 * 3600 + 1800))
            let afternoonChannel = Self.signInChannel(mobileShare: mobileShare, &random)
            if isInHistory(afternoon) {
                try writer.login(userID: person.id, at: afternoon, channel: afternoonChannel)
            }
        }
    }

    /// Web mostly, mobile more once the CRM is used in the field, and a few API sign-ins.
    private static func signInChannel(mobileShare: Double, _ random: inout SeededRandom) -> String {
        let u = random.unit()
        return u < mobileShare ? "mobile" : u < mobileShare + 0.03 ? "api" : "web"
    }
}
