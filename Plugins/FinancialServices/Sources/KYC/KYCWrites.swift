import PluginKit

/// The writes that keep KYC files and their history: a file inserted or updated, and one event
/// per status change, keyed by the step's idempotency key so that a step applied again adds
/// no second event.
struct KYCWrites {
    let idempotencyKey: String
    let at: Int64
    private(set) var writes: [PluginWrite] = []

    init(idempotencyKey: String, at: Int64) {
        self.idempotencyKey = idempotencyKey
        self.at = at
    }

    /// Saves `file` for `accountID`: an insert when the account had none (`previous` nil), else
    /// an update when anything changed; then its changes as events.
    mutating func save(_ file: KYCFile, previous: KYCFile?, accountID: Int64, changes: [KYCChange]) {
        if previous == nil {
            var values = file.values
            values["account_id"] = .int(accountID)
            writes.append(.insert(table: Schema.kycTable, values: values, onConflict: nil))
        } else if previous != file {
            writes.append(.update(table: Schema.kycTable, set: file.values, where: ["account_id": .int(accountID)]))
        }
        for (index, change) in changes.enumerated() {
            writes.append(.insert(table: Schema.eventsTable, values: [
                "key": .string("\(idempotencyKey):\(accountID):\(index)"), "account_id": .int(accountID),
                "at": .int(at), "from_status": change.from.map { .string($0.rawValue) } ?? .null,
                "to_status": .string(change.to.rawValue), "reason": .string(change.reason),
            ], onConflict: "ignore"))
        }
    }
}
