/// The accounts and contacts generated so far, and which of them a person may work on today.
///
/// A record becomes available the day after it is created, so that no activity or ticket is
/// ever dated before the account or contact it refers to, even though the generator writes a
/// converted lead's account as soon as it decides the conversion (which may lie weeks ahead).
struct DemoAccountBook {
    struct Entry {
        let id: Int64
        let name: String
        let ownerIndex: Int
        let region: String
        let domain: String
        var isCustomer: Bool
        /// Contacts available today.
        var contactIDs: [Int64] = []
    }

    private enum Arrival {
        case account(entry: Int)
        case contact(entry: Int, contactID: Int64)
    }

    private(set) var entries: [Entry] = []
    private var availableByOwner: [[Int]]
    private var availableByRegion: [String: [Int]] = [:]
    /// What becomes available at the start of each day (days since 1970-01-01).
    private var arrivals: [Int64: [Arrival]] = [:]
    private var names: Set<String> = []

    init(people: Int) {
        availableByOwner = Array(repeating: [], count: people)
    }

    /// `name`, or `name (Branch N)` when another account already has it.
    mutating func uniqueName(_ name: String) -> String {
        var candidate = name
        var branch = 2
        while names.contains(candidate) {
            candidate = "\(name) (Branch \(branch))"
            branch += 1
        }
        names.insert(candidate)
        return candidate
    }

    /// Records an account written at `createdAt`; returns its entry number.
    mutating func addAccount(id: Int64, name: String, ownerIndex: Int, region: String, domain: String,
                             isCustomer: Bool, createdAt: Int64) -> Int {
        entries.append(Entry(id: id, name: name, ownerIndex: ownerIndex, region: region, domain: domain,
                             isCustomer: isCustomer))
        arrivals[Self.availableDay(createdAt), default: []].append(.account(entry: entries.count - 1))
        return entries.count - 1
    }

    mutating func addContact(_ contactID: Int64, toEntry entry: Int, createdAt: Int64) {
        arrivals[Self.availableDay(createdAt), default: []].append(.contact(entry: entry, contactID: contactID))
    }

    mutating func markCustomer(entry: Int) {
        entries[entry].isCustomer = true
    }

    /// Makes everything created before `day` available; call once per day, in order.
    mutating func open(day: Int64) {
        guard let due = arrivals.removeValue(forKey: day) else { return }
        for arrival in due {
            switch arrival {
            case .account(let entry):
                availableByOwner[entries[entry].ownerIndex].append(entry)
                availableByRegion[entries[entry].region, default: []].append(entry)
            case .contact(let entry, let contactID):
                entries[entry].contactIDs.append(contactID)
            }
        }
    }

    /// One of the accounts `ownerIndex` owns, or nil before they have any.
    func randomAccount(ownedBy ownerIndex: Int, _ random: inout SeededRandom) -> Int? {
        let owned = availableByOwner[ownerIndex]
        return owned.isEmpty ? nil : owned[random.int(below: owned.count)]
    }

    /// One of the accounts of `region`, or nil before there are any.
    func randomAccount(inRegion region: String, _ random: inout SeededRandom) -> Int? {
        guard let accounts = availableByRegion[region], !accounts.isEmpty else { return nil }
        return accounts[random.int(below: accounts.count)]
    }

    /// One of the entry's available contacts, or nil when it has none yet.
    func randomContact(of entry: Int, _ random: inout SeededRandom) -> Int64? {
        let contacts = entries[entry].contactIDs
        return contacts.isEmpty ? nil : contacts[random.int(below: contacts.count)]
    }

    private static func availableDay(_ createdAt: Int64) -> Int64 {
        createdAt.floorDivided(by: DemoCalendar.secondsPerDay) + 1
    }
}
