import Foundation
import PluginKit

/// Whose customers a step works on: one customer's (the record a process transition moved),
/// the phase's pilot group's (the accounts its members own), or everyone's.
///
/// A loyalty pilot enrols only the pilot's customers, so that the control group's customers show
/// what happens without the programme; the roll-out runs the same step with `scope: everyone`.
/// The default follows `process.start`: `pilot` in a phase with `pilot:`, else `everyone`; in a
/// process transition (`do: [{ plugin: retail.enroll-loyalty }]`) the moved record's account.
enum CustomerScope: CustomStringConvertible {
    case account(id: Int64)
    case pilot(userIDs: [Int64])
    case everyone

    static let argument = "scope"

    init(_ arguments: StepArguments, context: PluginCallContext, host: PluginHostServices) throws {
        switch try arguments.choice(Self.argument, among: ["pilot", "everyone"]) {
        case "pilot":
            guard !context.pilotUserIDs.isEmpty else {
                throw PluginFailure("\(arguments.step): scope 'pilot' needs a phase with a pilot group (add 'pilot:' "
                    + "to the phase), or write scope: everyone")
            }
            self = .pilot(userIDs: context.pilotUserIDs)
        case "everyone":
            self = .everyone
        default:
            if let record = context.record {
                self = .account(id: try Self.account(of: record, step: arguments.step, host))
            } else {
                self = context.pilotUserIDs.isEmpty ? .everyone : .pilot(userIDs: context.pilotUserIDs)
            }
        }
    }

    /// The account a process transition's record belongs to.
    private static func account(of record: PluginRecord, step: String, _ host: PluginHostServices) throws -> Int64 {
        switch record.entity {
        case "account":
            return record.id
        case "order":
            guard let account = try host.rows("SELECT account_id FROM v_orders WHERE id = :id", ["id": .int(record.id)])
                .first?.optionalInt("account_id") else {
                throw PluginFailure("\(step): order \(record.id), which process '\(record.processID)' moved, is not in "
                    + "the CRM")
            }
            return account
        default:
            throw PluginFailure("\(step) works on a customer: run it on the transitions of an account or order "
                + "process, not on a \(record.entity)'s ('\(record.processID)')")
        }
    }

    /// "the pilot group's customers", "all customers", "customer account 42", for summaries.
    var description: String {
        switch self {
        case .account(let id): "customer account \(id)"
        case .pilot: "the pilot group's customers"
        case .everyone: "all customers"
        }
    }

    /// A condition that holds for the accounts in scope, given the columns holding an account's
    /// id and its owner; its values are `queryArguments`.
    static func condition(account accountColumn: String, owner ownerColumn: String) -> String {
        "(:everyone = 1 OR \(ownerColumn) IN (SELECT value FROM json_each(:pilot_users)))"
            + " AND (:account_id = 0 OR \(accountColumn) = :account_id)"
    }

    /// The named parameters `condition(account:owner:)` reads.
    var queryArguments: [String: JSONValue] {
        switch self {
        case .account(let id):
            ["everyone": 1, "pilot_users": "[]", "account_id": .int(id)]
        case .pilot(let userIDs):
            ["everyone": 0, "pilot_users": .string("[" + userIDs.map(String.init).joined(separator: ",") + "]"),
             "account_id": 0]
        case .everyone:
            ["everyone": 1, "pilot_users": "[]", "account_id": 0]
        }
    }
}
