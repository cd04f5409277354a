import GRDB

/// One run of the demo company's history, day by day from `historyStart` to `end`: who is
/// hired, which customers are on the books, and what each person does on each working day.
///
/// Every person draws from their own random streams (one per kind of work), and the day loop
/// visits people in hiring order, so the history is a pure function of the plan.
struct DemoHistory {
    /// The independent random streams of a person (or of the company, for `company`).
    enum Stream: UInt64 {
        case company = 0, book, leads, customerWork, tickets, signIns
    }

    struct PersonStreams {
        var leads: SeededRandom
        var customerWork: SeededRandom
        var tickets: SeededRandom
        var signIns: SeededRandom
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
    var writer: DemoRowWriter
    var book = DemoAccountBook(people: 0)
    var people: [DemoPerson] = []

    init(plan: DemoDataPlan, db: Database) throws {
        self.plan = plan
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
        people = try DemoWorkforce.hire(scale: plan.scale, createdAt: start, writer: &writer, random: &company)
        book = DemoAccountBook(people: people.count)
        try openBooks()

        var streams = people.map {
            PersonStreams(leads: random(.leads, of: $0), customerWork: random(.customerWork, of: $0),
                          tickets: random(.tickets, of: $0), signIns: random(.signIns, of: $0))
        }
        let firstDay = start.floorDivided(by: DemoCalendar.secondsPerDay)
        let lastDay = (end - 1).floorDivided(by: DemoCalendar.secondsPerDay)
        for day in firstDay...lastDay {
            book.open(day: day)
            guard DemoCalendar.isWorkingDay(day) else { continue }
            let volume = calendar.volumeFactor(day: day)
            let presence = DemoCalendar.springFestivalFactor(day: day)
            for person in people {
                switch person.role {
                case .salesRep:
                    try receiveLeads(for: person, day: day, volume: volume, &streams[person.index].leads)
                    try workAccounts(for: person, day: day, volume: volume, &streams[person.index].customerWork)
                case .salesManager:
                    try manageTeam(for: person, day: day, volume: volume, &streams[person.index].customerWork)
                case .serviceAgent, .serviceLead:
                    try receiveTickets(for: person, day: day, volume: volume, &streams[person.index].tickets)
                }
                try signIn(person, day: day, presence: presence, &streams[person.index].signIns)
            }
        }
    }

    /// Durations drawn in hours or days, as whole seconds.
    static func seconds(hours: Double) -> Int64 {
        Int64((hours * 3600).rounded())
    }

    static func seconds(days: Double) -> Int64 {
        Int64((days * 86_400).rounded())
    }
}
