/// The long tail of small customers — shops, workshops, clinics — that the company serves at
/// `large`, where the product's volumes are reached: about 100 000 accounts, 300 000 contacts
/// and a million activities.
///
/// They come from the legacy system like the book (entered in the first 20 working days, status
/// and contact fields as the old process left them), each rep owning some 520 of them, and they
/// join the rep's book: tickets, deals and the daily account work reach them as they reach any
/// account. On top of that, reps work them by phone and e-mail (`activitiesPerRepPerDay`, more
/// once the CRM is where work is logged, like the book's account work), and they reorder.
///
/// `small` and `medium` have none, so their rows are those of the generator before the customer
/// base existed; at `large` the extra accounts in every pool change which account each ticket,
/// deal or activity lands on (large is a benchmark scale; no test calibrates on it).
struct DemoCustomerBase: Sendable, Hashable {
    /// Accounts per sales rep (Poisson mean).
    var accountsPerRep: Double
    /// Contacts per account are 1 + Poisson(this).
    var extraContactsPerAccount: Double
    /// Calls, e-mails and notes per rep and working day on the rep's accounts, before season,
    /// growth and the logging factor (Poisson mean).
    var activitiesPerRepPerDay: Double

    static let none = DemoCustomerBase(accountsPerRep: 0, extraContactsPerAccount: 0, activitiesPerRepPerDay: 0)
    static let large = DemoCustomerBase(accountsPerRep: 520, extraContactsPerAccount: 2.0, activitiesPerRepPerDay: 7.0)

    init(accountsPerRep: Double, extraContactsPerAccount: Double, activitiesPerRepPerDay: Double) {
        self.accountsPerRep = accountsPerRep
        self.extraContactsPerAccount = extraContactsPerAccount
        self.activitiesPerRepPerDay = activitiesPerRepPerDay
    }

    init(scale: DemoScale) {
        self = scale == .large ? .large : .none
    }

    static let status = Categorical([("active", 80.0), ("dormant", 15), ("lost", 5)])
    static let classification = Categorical([("A", 2.0), ("B", 13), ("C", 85)])

    static let work = Categorical([
        (DemoHistory.Work(kind: .call, subjects: ["Reorder call", "Stock check call", "Payment reminder call",
                                                  "Satisfaction call"], minutes: 6), 55.0),
        (DemoHistory.Work(kind: .email, subjects: ["Promotion e-mail", "Price update e-mail", "Reorder reminder e-mail"],
                          minutes: nil), 35),
        (DemoHistory.Work(kind: .note, subjects: ["Account note", "Customer feedback noted"], minutes: nil), 10),
    ])
}

extension DemoHistory {
    /// Each rep's small customers, after all books are open (so the book's own accounts keep their ids).
    mutating func openCustomerBase() throws {
        guard customerBase.accountsPerRep > 0 else { return }
        let entryDays = legacyEntryDays()
        for rep in people where rep.role == .salesRep {
            var random = self.random(.customerBase, of: rep)
            for _ in 0..<random.poisson(customerBase.accountsPerRep) {
                let createdAt = DemoCalendar.officeTime(day: random.pick(entryDays), &random)
                let company = DemoNames.smallBusiness(region: rep.region, &random)
                let status = DemoCustomerBase.status.sample(&random)
                let classification = DemoCustomerBase.classification.sample(&random)
                let contacts = 1 + random.poisson(customerBase.extraContactsPerAccount)
                guard isInHistory(createdAt), createdAt + 1800 < end else { continue }
                let name = book.uniqueName(company.name)
                let accountID = try writer.account(name: name, type: "customer", status: status,
                                                   classification: classification, industry: company.industry,
                                                   region: rep.region, ownerID: rep.id, createdAt: createdAt,
                                                   territoryID: territories.territory(of: company))
                let entry = book.addAccount(id: accountID, name: name, ownerIndex: rep.index, region: rep.region,
                                            company: company, classification: classification, status: status,
                                            customerSince: createdAt, isCustomerBase: true, createdAt: createdAt)
                for _ in 0..<contacts {
                    _ = try newContact(on: entry, owner: rep, createdAt: createdAt + Int64(random.int(below: 1800)),
                                       &random)
                }
            }
        }
    }

    /// A rep's calls, e-mails and notes on the small customers, logged more once the CRM is where
    /// work is recorded (the same factor as the book's account work).
    mutating func workCustomerBase(for rep: DemoPerson, day: Int64, volume: Double, _ random: inout SeededRandom) throws {
        let adoption = rollout.adoption(at: day * DemoCalendar.secondsPerDay + 12 * 3600, pilot: rep.isPilot)
        let logged = DemoEffects.loggedActivityFactor.value(adoption: adoption, pilot: rep.isPilot)
        for _ in 0..<random.poisson(customerBase.activitiesPerRepPerDay * volume * logged) {
            guard let entry = book.randomAccount(ownedBy: rep.index, &random) else { break }
            let at = DemoCalendar.officeTime(day: day, &random)
            let contactID = random.chance(0.85) ? book.randomContact(of: entry, &random) : nil
            let work = DemoCustomerBase.work.sample(&random)
            let subject = random.pick(work.subjects)
            let minutes = work.minutes.map { Self.minutes(median: $0, &random) }
            guard isInHistory(at) else { continue }
            try writer.activity(kind: work.kind, subject: subject, ownerID: rep.id, accountID: book.entries[entry].id,
                                contactID: contactID, at: at, durationMinutes: minutes)
        }
    }
}
