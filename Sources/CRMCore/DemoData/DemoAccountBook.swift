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
        let createdAt: Int64
        let city: String
        /// A, B or C.
        let classification: String
        /// The account's status at `end`: active, dormant or lost.
        let status: String
        /// One of the small customers of the `large` customer base.
        let isCustomerBase: Bool
        /// When it started buying: its creation for a customer from the start, else the close of
        /// its first won deal; nil while it is a prospect.
        var customerSince: Int64?
        /// Contacts available today.
        var contactIDs: [Int64] = []
    }

    /// A contact as campaigns select it: who, where, since when, and how they can be reached.
    struct ContactRecord {
        let id: Int64
        let entry: Int
        let createdAt: Int64
        let hasEmail: Bool
        let hasPhone: Bool
    }

    private enum Arrival {
        case account(entry: Int)
        case contact(entry: Int, contactID: Int64)
    }

    private(set) var entries: [Entry] = []
    /// Every contact written, in writing order.
    private(set) var contacts: [ContactRecord] = []
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
    mutating func addAccount(id: Int64, name: String, ownerIndex: Int, region: String, company: DemoCompany,
                             classification: String, status: String, customerSince: Int64?, isCustomerBase: Bool = false,
                             createdAt: Int64) -> Int {
        entries.append(Entry(id: id, name: name, ownerIndex: ownerIndex, region: region, domain: company.domain,
                             isCustomer: customerSince != nil, createdAt: createdAt, city: company.city,
                             classification: classification, status: status, isCustomerBase: isCustomerBase,
                             customerSince: customerSince))
        arrivals[Self.availableDay(createdAt), default: []].append(.account(entry: entries.count - 1))
        return entries.count - 1
    }

    mutating func addContact(_ contactID: Int64, toEntry entry: Int, createdAt: Int64, hasEmail: Bool, hasPhone: Bool) {
        arrivals[Self.availableDay(createdAt), default: []].append(.contact(entry: entry, contactID: contactID))
        contacts.append(ContactRecord(id: contactID, entry: entry, createdAt: createdAt, hasEmail: hasEmail,
                                      hasPhone: hasPhone))
    }

    /// The account won a deal closed at `closedAt`: it is a customer (at `end`), buying since its
    /// first win.
    mutating func recordWin(entry: Int, closedAt: Int64) {
        entries[entry].isCustomer = true
        entries[entry].customerSince = min(entries[entry].customerSince ?? closedAt, closedAt)
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
