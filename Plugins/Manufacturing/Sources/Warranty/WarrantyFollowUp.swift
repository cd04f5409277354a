import PluginKit

/// `manufacturing.warranty-followup`: for every installed unit whose warranty ends within the
/// next `days_ahead` days and that has not been followed up, opens a warranty-extension
/// opportunity for the account's owner and records the follow-up.
///
/// The opportunity is the follow-up: the extension sold as a service contract, in stage
/// `prospecting` (nobody has spoken to the customer yet), expected to close when the warranty
/// ends, at `amount`. The fragment `warranty-followup.yaml` runs it through a process with an SLA
/// for the first contact. No activity is created: an activity in this CRM records contact that
/// happened, so creating one would fake the first call the process waits for.
///
/// Idempotent: a unit is followed up once per warranty end date, however often the action runs
/// (each phase that runs it picks up the warranties that entered the horizon since).
struct WarrantyFollowUp {
    static let declaration = PluginActionDeclaration(
        id: "manufacturing.warranty-followup",
        summary: "open a warranty-extension opportunity for each unit whose warranty ends within days_ahead days "
            + "(default 90) and record the follow-up")

    /// The demo catalogue's annual maintenance contract (SV-401), CNY 16,500: what a year's
    /// extension is sold as unless the playbook gives `amount`.
    static let defaultAmountMinor: Int64 = 1_650_000

    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        let arguments = try StepArguments(request, accepting: ["days_ahead", "amount", "currency", "scope"])
        let days = try arguments.wholeNumber("days_ahead", default: 90, in: 1...730)
        let amount = try arguments.amountMinor("amount", default: Self.defaultAmountMinor)
        let currency = try arguments.text("currency")?.uppercased() ?? tradingCurrency(request.action, host)
        let owners = try Scope.owners(arguments, context: request.context)
        let expiring = try ExpiringWarranties(at: request.context.at, days: days, owners: owners, host: host)
        let whose = owners == nil ? "" : " of the pilot group's accounts"

        let due = expiring.units.filter { !$0.followedUp }
        let withoutOwner = due.filter { $0.ownerID == nil }
        var writes: [PluginWrite] = []
        for unit in due {
            guard let owner = unit.ownerID else { continue }
            let name = "Warranty extension: \(unit.label) (warranty ends \(unit.warrantyEndsOn))"
            writes.append(.create(entity: "opportunity", fields: [
                "name": name,
                "account_id": String(unit.accountID),
                "owner_id": String(owner),
                "stage": "prospecting",
                "forecast_category": "pipeline",
                "amount_minor": Self.majorUnits(amount),
                "currency": currency,
                "expected_close_on": unit.warrantyEndsOn,
                "created_at": UTCTime(request.context.at).timestamp,
            ]))
            writes.append(.insert(table: "manufacturing_warranty_followups", values: [
                "install_base_id": .int(unit.id),
                "warranty_ends_on": .string(unit.warrantyEndsOn),
                "account_id": .int(unit.accountID),
                "owner_id": .int(owner),
                "opportunity_name": .string(name),
                "followed_up_at": .int(request.context.at),
                "idempotency_key": .string(request.context.idempotencyKey),
            ], onConflict: "ignore"))
        }
        let opened = due.count - withoutOwner.count
        var summary = "\(expiring.units.count) warranties\(whose) \(expiring.horizon): "
        if opened == 0 && withoutOwner.isEmpty {
            summary += expiring.units.isEmpty ? "nothing to follow up" : "all followed up already; nothing changed"
        } else {
            let owners = Set(due.compactMap(\.ownerID)).count
            summary += "\(opened) warranty-extension opportunities opened for \(owners) account owner\(owners == 1 ? "" : "s") "
                + "(\(currency) \(Self.grouped(amount)) each)"
        }
        if !withoutOwner.isEmpty {
            summary += "; \(withoutOwner.count) not followed up because their account has no owner ("
                + withoutOwner.prefix(5).map { "account \($0.accountID)" }.joined(separator: ", ")
                + (withoutOwner.count > 5 ? ", …" : "") + "): give those accounts an owner and run the step again"
        }
        return PluginActionResponse(summary: summary, writes: writes)
    }

    /// The currency the workspace sells in: the one most of its orders use.
    private func tradingCurrency(_ action: String, _ host: PluginHostServices) throws -> String {
        let row = try host.rows("""
            SELECT currency FROM v_orders GROUP BY currency ORDER BY COUNT(*) DESC, currency LIMIT 1
            """).first
        guard let currency = row?.text("currency") else {
            throw PluginFailure("\(action): the workspace has no orders to take the currency from; "
                + "give it as an argument (currency: CNY)")
        }
        return currency
    }

    /// `1650000` → `16500.00`: the text the CRM reads money from (major units).
    static func majorUnits(_ minor: Int64) -> String {
        let cents = minor % 100
        return "\(minor / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// `1650000` → `16,500.00`: money as people read it.
    static func grouped(_ minor: Int64) -> String {
        var whole = String(minor / 100)
        var groups: [Substring] = []
        while whole.count > 3 {
            groups.insert(whole.suffix(3), at: 0)
            whole.removeLast(3)
        }
        groups.insert(Substring(whole), at: 0)
        return groups.joined(separator: ",") + majorUnits(minor).suffix(3)
    }
}
