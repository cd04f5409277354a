/// Follow-up records: a rep's note of keeping in touch with a customer, with the agreed next
/// step. Recording them is part of the new process, so they are rare before the change
/// (0.15 per rep and working day) and common after it (0.6).
extension DemoHistory {
    static let followUpRate = DemoEffect(before: 0.15, after: 0.6)

    static let followUpChannels = Categorical([("phone", 40.0), ("email", 20), ("visit", 15), ("meeting", 10),
                                               ("message", 12), ("other", 3)])

    static let followUpSummaries: [String: [String]] = [
        "phone": ["Called about reorder quantities for next month", "Checked satisfaction with the last delivery",
                  "Discussed the renewal of the maintenance contract", "Followed up on the open quotation"],
        "email": ["Sent the updated price list", "Sent information on the new handheld scanner",
                  "Answered questions about the last invoice"],
        "visit": ["Visited the site; the customer plans to expand the line", "On-site review of the installed equipment",
                  "Met the new purchasing manager"],
        "meeting": ["Quarterly business review", "Meeting with finance on payment terms"],
        "message": ["WeChat message: confirmed the delivery date", "WeChat message: the customer asked for a demonstration"],
        "other": ["Met the customer at an industry event"],
    ]

    static let nextSteps = ["Send a quotation", "Call back about the order", "Arrange a product demonstration",
                            "Schedule a site visit", "Confirm the delivery date", "Prepare the renewal offer"]

    /// A rep's follow-ups of the day, on the rep's own accounts; 70 % name a next step and the
    /// date it is due (which may lie after `end`: it is a plan).
    mutating func recordFollowUps(for rep: DemoPerson, day: Int64, volume: Double, _ random: inout SeededRandom) throws {
        let adoption = rollout.adoption(at: day * DemoCalendar.secondsPerDay + 12 * 3600, pilot: rep.isPilot)
        for _ in 0..<random.poisson(Self.followUpRate.value(adoption: adoption, pilot: rep.isPilot) * volume) {
            guard let entry = book.randomAccount(ownedBy: rep.index, &random) else { break }
            let at = DemoCalendar.officeTime(day: day, &random)
            let contactID = random.chance(0.8) ? book.randomContact(of: entry, &random) : nil
            let channel = Self.followUpChannels.sample(&random)
            let summary = random.pick(Self.followUpSummaries[channel] ?? ["Kept in touch"])
            var nextStep: String?
            var nextOn: String?
            if random.chance(0.7) {
                nextStep = random.pick(Self.nextSteps)
                nextOn = Timestamp(secondsSinceEpoch: at + Self.seconds(days: random.uniform(2..<21))).dateString
            }
            guard isInHistory(at) else { continue }
            try writer.followUp(accountID: book.entries[entry].id, contactID: contactID, userID: rep.id, at: at,
                                channel: channel, summary: summary, nextStep: nextStep, nextOn: nextOn)
        }
    }
}
