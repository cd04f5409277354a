/// The calendars of the demo's people: reps' customer visits, meetings and scheduled calls,
/// deliveries of equipment (the account's rep) and installations (a service agent of the region).
///
/// Appointments are collected during the history and written at the end, per person in time
/// order, so that nobody is ever double-booked: one that overlaps an earlier one moves to right
/// after it (15 minutes to travel) when that still ends by 18:00, and is dropped otherwise.
struct DemoAppointmentBook {
    struct Appointment {
        var personIndex: Int
        var userID: Int64
        var kind: String
        var title: String
        var accountID: Int64?
        var contactID: Int64?
        var location: String?
        var startsAt: Int64
        var endsAt: Int64
        var status: String
        var notes: String?
        var createdAt: Int64
        /// Order of planning, to break ties.
        var sequence: Int = 0
    }

    private(set) var planned: [Appointment] = []

    mutating func plan(_ appointment: Appointment) {
        var appointment = appointment
        appointment.sequence = planned.count
        planned.append(appointment)
    }

    /// The planned appointments without overlaps per person, in time order; a moved one must
    /// still end before `end`.
    func schedule(until end: Int64) -> [Appointment] {
        var byPerson: [Int: [Appointment]] = [:]
        for appointment in planned { byPerson[appointment.personIndex, default: []].append(appointment) }
        var kept: [Appointment] = []
        for person in byPerson.keys.sorted() {
            let calendar = (byPerson[person] ?? []).sorted { ($0.startsAt, $0.sequence) < ($1.startsAt, $1.sequence) }
            var busyUntil = Int64.min
            for var appointment in calendar {
                if appointment.startsAt < busyUntil {
                    let length = appointment.endsAt - appointment.startsAt
                    let day = appointment.startsAt.floorDivided(by: DemoCalendar.secondsPerDay)
                    appointment.startsAt = busyUntil + 15 * 60
                    appointment.endsAt = appointment.startsAt + length
                    guard appointment.endsAt <= day * DemoCalendar.secondsPerDay + DemoCalendar.officeCloses,
                          appointment.endsAt < end else { continue }
                }
                busyUntil = appointment.endsAt
                kept.append(appointment)
            }
        }
        return kept.sorted { ($0.startsAt, $0.personIndex, $0.sequence) < ($1.startsAt, $1.personIndex, $1.sequence) }
    }
}

extension DemoHistory {
    static let visitKinds = Categorical([("visit", 75.0), ("meeting", 15), ("call", 10)])
    static let visitNotes = ["Bring the new product brochure", "Customer asked for a demonstration",
                             "Discuss the renewal offer", "Review open tickets with the customer"]

    /// A rep's appointments of the day on their accounts (0.3 per working day), booked a few days
    /// ahead, between 09:00 and 16:00 on the half hour; 6 % are cancelled.
    mutating func planVisits(for rep: DemoPerson, day: Int64, volume: Double, _ random: inout SeededRandom) {
        for _ in 0..<random.poisson(0.3 * volume) {
            guard let entry = book.randomAccount(ownedBy: rep.index, &random) else { break }
            let account = book.entries[entry]
            let kind = Self.visitKinds.sample(&random)
            let startsAt = day * DemoCalendar.secondsPerDay + 9 * 3600 + Int64(random.int(below: 15)) * 1800
            let minutes: Int64 = kind == "call" ? 30 : kind == "meeting" ? 60 : 60 + 15 * Int64(random.int(below: 7))
            let contactID = random.chance(0.7) ? book.randomContact(of: entry, &random) : nil
            let cancelled = random.chance(0.06)
            let notes = random.chance(0.3) ? random.pick(Self.visitNotes) : nil
            let bookedAt = startsAt - Self.seconds(days: random.uniform(1..<10))
            let endsAt = startsAt + minutes * 60
            guard isInHistory(startsAt), endsAt < end else { continue }
            let title = kind == "call" ? "Scheduled call: \(account.name)"
                : kind == "meeting" ? "Review meeting: \(account.name)" : "Customer visit: \(account.name)"
            appointments.plan(.init(personIndex: rep.index, userID: rep.id, kind: kind, title: title, accountID: account.id,
                                    contactID: contactID, location: kind == "call" ? nil : account.city,
                                    startsAt: startsAt, endsAt: endsAt, status: cancelled ? "cancelled" : "done",
                                    notes: notes, createdAt: max(account.createdAt + 60, bookedAt)))
        }
    }

    /// Writes every person's calendar (`DemoAppointmentBook.schedule`).
    mutating func writeAppointments() throws {
        for appointment in appointments.schedule(until: end) {
            try writer.appointment(userID: appointment.userID, kind: appointment.kind, title: appointment.title,
                                   accountID: appointment.accountID, contactID: appointment.contactID,
                                   location: appointment.location, startsAt: appointment.startsAt,
                                   endsAt: appointment.endsAt, status: appointment.status, notes: appointment.notes,
                                   createdAt: appointment.createdAt)
        }
    }
}
