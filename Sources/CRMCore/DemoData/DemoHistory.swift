import GRDB

/// One run of the demo company's history, day by day from `historyStart` to `end`: who is
/// hired, which customers are on the books, and what each person does on each working day.
///
/// Every person draws from their own random streams (one per kind of work), and the day loop
/// visits people in hiring order, so the history is a pure function of the plan.
///
/// The tables of `crm.v2.complete` are filled by passes with streams of their own, numbered after
/// the original ones: the rows of the core tables are drawn exactly as before those passes
/// existed (at `large`, the customer base joins the book, see `DemoCustomerBase`).
struct DemoHistory {
    /// The independent random streams of a person (or of the company, for company-wide ones).
    enum Stream: UInt64 {
        case company = 0, book, leads, customerWork, tickets, signIns
        // crm.v2.complete: new streams only ever go at the end.
        case customerBase, customerBaseWork, leadAttribution, followUps, visits, ticketKnowledge, orders, contracts,
             campaigns, campaignAudiences, installations, knowledgeBase
    }

    struct PersonStreams {
        var leads: SeededRandom
        var customerWork: SeededRandom
        var tickets: SeededRandom
        var signIns: SeededRandom
        var leadAttribution: SeededRandom
        var customerBaseWork: SeededRandom
        var followUps: SeededRandom
        var visits: SeededRandom
        var ticketKnowledge: SeededRandom
    }

    let plan: DemoDataPlan
    /// First and past-the-last instant of the history, Unix seconds.
    let start: Int64
    let end: Int64
    let rollout: DemoRollout
    let calendar: DemoCalendar
    let minorUnitsPerMajor: Double
    /// The workspace's first-response targets per priority (`sla_policies`), in minutes.
    let firstResponseMinutes: [String: Double]
    let slaPolicy: DemoSLAPolicy
    let customerBase: DemoCustomerBase
    var writer: DemoRowWriter
    var book = DemoAccountBook(people: 0)
    var people: [DemoPerson] = []

    // What the passes of crm.v2.complete need from the main history.
    var territories = DemoTerritories()
    var catalogue = DemoCatalogue()
    var campaignPlan = DemoCampaignPlan()
    var knowledgeBase = DemoKnowledgeBase()
    var deals: [DemoDealRecord] = []
    var campaignResponses: [DemoCampaignResponse] = []
    var appointments = DemoAppointmentBook()
    /// Each customer's annual reorder value (major units), by book entry, for its contracts.
    var reorderValues: [Int: Double] = [:]
    /// Installed units by account id, with the day they were installed (midnight).
    var installedUnits: [Int64: [(id: Int64, installedAt: Int64)]] = [:]

    init(plan: DemoDataPlan, customerBase: DemoCustomerBase, db: Database) throws {
        self.plan = plan
        self.customerBase = customerBase
        start = plan.historyStart.secondsSinceEpoch
        end = plan.end.secondsSinceEpoch
        rollout = DemoRollout(plan: plan)
        calendar = DemoCalendar(historyStart: plan.historyStart)
        minorUnitsPerMajor = Double(Money.scale(of: plan.currency))
        var targets: [String: Double] = [:]
        for priority in Ticket.Priority.allCases {
            targets[priority.rawValue] = Double(priority.defaultFirstResponseMinutes)
        }
        for row in try Row.fetchAll(db, sql: "SELECT priority, first_response_minutes FROM sla_policies") {
            let priority: String = row["priority"]
            let minutes: Double = row["first_response_minutes"]
            targets[priority] = minutes
        }
        firstResponseMinutes = targets
        slaPolicy = try DemoSLAPolicy(db)
        writer = try DemoRowWriter(db, currency: plan.currency)
    }

    var summary: DemoDataSummary { writer.summary }

    func random(_ stream: Stream, of person: DemoPerson? = nil) -> SeededRandom {
        let owner = UInt64(person.map { $0.index + 1 } ?? 0)
        return SeededRandom(seed: plan.seed, stream: owner << 8 | stream.rawValue)
    }

    func isInHistory(_ instant: Int64) -> Bool {
        instant >= start && instant < end
    }

    mutating func run() throws {
        var company = random(.company)
        territories = try DemoTerritories.write(&writer)
        people = try DemoWorkforce.hire(scale: plan.scale, createdAt: start, territories: territories, writer: &writer,
                                        random: &company)
        book = DemoAccountBook(people: people.count)
        try DemoTerritories.assignRoles(to: people, &writer)
        try writeReferenceData()
        try openBooks()
        try openCustomerBase()

        var streams = people.map {
            PersonStreams(leads: random(.leads, of: $0), customerWork: random(.customerWork, of: $0),
                          tickets: random(.tickets, of: $0), signIns: random(.signIns, of: $0),
                          leadAttribution: random(.leadAttribution, of: $0),
                          customerBaseWork: random(.customerBaseWork, of: $0), followUps: random(.followUps, of: $0),
                          visits: random(.visits, of: $0), ticketKnowledge: random(.ticketKnowledge, of: $0))
        }
        let firstDay = start.floorDivided(by: DemoCalendar.secondsPerDay)
        let lastDay = (end - 1).floorDivided(by: DemoCalendar.secondsPerDay)
        for day in firstDay...lastDay {
            book.open(day: day)
            guard DemoCalendar.isWorkingDay(day) else { continue }
            let volume = calendar.volumeFactor(day: day)
            let presence = DemoCalendar.springFestivalFactor(day: day)
            for person in people {
                // A local copy, so that two of the person's streams can be passed at once.
                var own = streams[person.index]
                switch person.role {
                case .salesRep:
                    try receiveLeads(for: person, day: day, volume: volume, &own.leads,
                                     attribution: &own.leadAttribution)
                    try workAccounts(for: person, day: day, volume: volume, &own.customerWork)
                    if customerBase.activitiesPerRepPerDay > 0 {
                        try workCustomerBase(for: person, day: day, volume: volume, &own.customerBaseWork)
                    }
                    try recordFollowUps(for: person, day: day, volume: volume, &own.followUps)
                    planVisits(for: person, day: day, volume: volume, &own.visits)
                case .salesManager:
                    try manageTeam(for: person, day: day, volume: volume, &own.customerWork)
                case .serviceAgent, .serviceLead:
                    try receiveTickets(for: person, day: day, volume: volume, &own.tickets,
                                       knowledge: &own.ticketKnowledge)
                }
                try signIn(person, day: day, presence: presence, &own.signIns)
                streams[person.index] = own
            }
        }

        try writeCampaignAudiences()
        try writeOrderHistory()
        try writeContracts()
        try writeAppointments()
    }

    /// What exists before the first working day: the business calendar, the product catalogue,
    /// commission rules, the knowledge base and the campaign plan (leads refer to campaigns).
    mutating func writeReferenceData() throws {
        try DemoBusinessCalendar.write(&writer)
        catalogue = try DemoCatalogue.write(&writer, minorUnitsPerMajor: minorUnitsPerMajor)
        try writer.commissionRule(name: "Sales rep commission", jobRole: DemoPerson.Role.salesRep.jobRole,
                                  basis: "revenue", ratePercent: 3, validFromOn: plan.historyStart.dateString)
        try writer.commissionRule(name: "Sales manager override", jobRole: DemoPerson.Role.salesManager.jobRole,
                                  basis: "revenue", ratePercent: 1, validFromOn: plan.historyStart.dateString)
        var knowledge = random(.knowledgeBase)
        let serviceStaff = people.filter { $0.role == .serviceLead || $0.role == .serviceAgent }
        knowledgeBase = try DemoKnowledgeBase.write(&writer, authors: serviceStaff, start: start, end: end, &knowledge)
        var campaigns = random(.campaigns)
        campaignPlan = try DemoCampaignPlan.write(&writer, people: people, scale: plan.scale, start: start, end: end,
                                                  minorUnitsPerMajor: minorUnitsPerMajor, &campaigns)
    }

    /// Durations drawn in hours or days, as whole seconds.
    static func seconds(hours: Double) -> Int64 {
        Int64((hours * 3600).rounded())
    }

    static func seconds(days: Double) -> Int64 {
        Int64((days * 86_400).rounded())
    }
}
