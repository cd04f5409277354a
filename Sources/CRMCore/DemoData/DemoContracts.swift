/// Customer contracts: one for every won deal of a contract kind (service, framework, supply,
/// licences, renewals), signed when the deal closed; and the yearly supply agreement of every
/// customer of the book, renewed on its anniversary — a dormant customer renews once more, a
/// lost one's agreement is terminated, and renewals due in the month after `end` are drafts.
///
/// The small customers of the `large` customer base buy on order, without contracts.
extension DemoHistory {
    /// Contract term in months of each deal kind that leads to a contract.
    static let contractTerms: [String: Int] = [
        "Service contract": 12, "Framework agreement": 24, "Annual supply contract": 12, "Software licences": 12,
        "Contract renewal": 24,
    ]

    struct ContractPlan {
        var entry: Int
        var title: String
        var status: String
        var valueMinor: Int64
        var startsOn: String
        var endsOn: String
        var signedAt: Int64?
        var createdAt: Int64
        var sequence: Int
    }

    mutating func writeContracts() throws {
        var plans: [ContractPlan] = []
        let lastDay = Timestamp(secondsSinceEpoch: end - 1).dateString
        let dealsByOwner = Dictionary(grouping: deals.indices) { deals[$0].ownerIndex }
        let entriesByOwner = Dictionary(grouping: book.entries.indices) { book.entries[$0].ownerIndex }
        for rep in people where rep.role == .salesRep {
            var random = self.random(.contracts, of: rep)
            for index in dealsByOwner[rep.index] ?? [] {
                let record = deals[index]
                guard record.deal.isWon, let closedAt = record.deal.closedAt,
                      let months = Self.contractTerms[record.deal.product] else { continue }
                let starts = Timestamp(secondsSinceEpoch: closedAt).startOfDay.adding(days: 1)
                let ends = starts.adding(months: months).adding(days: -1)
                let createdAt = max(record.deal.path[0].at, closedAt - Self.seconds(days: random.uniform(1..<7)))
                plans.append(ContractPlan(entry: record.entry, title: "\(record.deal.product) \(starts.civil.year)",
                                          status: ends.dateString < lastDay ? "expired" : "active",
                                          valueMinor: record.deal.amountMinor, startsOn: starts.dateString,
                                          endsOn: ends.dateString, signedAt: closedAt, createdAt: createdAt,
                                          sequence: plans.count))
            }
            for entry in entriesByOwner[rep.index] ?? [] {
                let account = book.entries[entry]
                guard !account.isCustomerBase, account.customerSince == account.createdAt else { continue }
                planSupplyAgreements(of: entry, lastDay: lastDay, into: &plans, &random)
            }
        }
        for plan in plans.sorted(by: { ($0.createdAt, $0.sequence) < ($1.createdAt, $1.sequence) }) {
            let account = book.entries[plan.entry]
            try writer.contract(accountID: account.id, title: plan.title, status: plan.status, valueMinor: plan.valueMinor,
                                startsOn: plan.startsOn, endsOn: plan.endsOn, signedAt: plan.signedAt,
                                ownerID: people[account.ownerIndex].id, createdAt: plan.createdAt)
        }
    }

    /// The yearly agreements of a customer of the book, from its first anniversary in the CRM.
    private func planSupplyAgreements(of entry: Int, lastDay: String, into plans: inout [ContractPlan],
                                      _ random: inout SeededRandom) {
        let account = book.entries[entry]
        let value = (reorderValues[entry] ?? Self.reorderValueMinimum) * random.uniform(0.8..<1.2)
        let valueMinor = Int64((value / 1000).rounded() * 1000 * minorUnitsPerMajor)
        var anniversary = Timestamp(secondsSinceEpoch: account.createdAt).startOfDay
            .adding(days: 14 + random.int(below: 365))
        var renewals = 0
        while anniversary.secondsSinceEpoch < end + 30 * DemoCalendar.secondsPerDay {
            if account.status == "dormant" && renewals == 1 { break }
            let ends = anniversary.adding(months: 12).adding(days: -1)
            let title = "Annual supply agreement \(anniversary.civil.year)"
            let signedAt = max(account.createdAt + DemoCalendar.secondsPerDay,
                               DemoCalendar.atWork(anniversary.secondsSinceEpoch
                                                   - Self.seconds(days: random.uniform(1..<10))))
            let createdAt = max(account.createdAt + 600, signedAt - Self.seconds(days: random.uniform(1..<5)))
            if signedAt >= end {
                // The renewal offer is out but not yet signed.
                if createdAt < end {
                    plans.append(ContractPlan(entry: entry, title: title, status: "draft", valueMinor: valueMinor,
                                              startsOn: anniversary.dateString, endsOn: ends.dateString, signedAt: nil,
                                              createdAt: createdAt, sequence: plans.count))
                }
                break
            }
            let status = account.status == "lost" ? "terminated" : ends.dateString < lastDay ? "expired" : "active"
            plans.append(ContractPlan(entry: entry, title: title, status: status, valueMinor: valueMinor,
                                      startsOn: anniversary.dateString, endsOn: ends.dateString, signedAt: signedAt,
                                      createdAt: createdAt, sequence: plans.count))
            if account.status == "lost" { break }
            renewals += 1
            anniversary = anniversary.adding(months: 12)
        }
    }
}
