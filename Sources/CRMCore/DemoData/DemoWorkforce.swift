import Foundation

/// A person of the demo company, with the traits that shape their history.
struct DemoPerson: Sendable {
    enum Role: Sendable {
        case salesRep, salesManager, serviceAgent, serviceLead

        var jobRole: String {
            switch self {
            case .salesRep: "sales_rep"
            case .salesManager: "sales_manager"
            case .serviceAgent: "service_agent"
            case .serviceLead: "service_lead"
            }
        }
    }

    /// Position in hiring order, 0-based: the person's random streams are numbered by it.
    let index: Int
    let id: Int64
    let role: Role
    let region: String
    let isPilot: Bool
    /// Persistent skill and diligence, lognormal with median 1 and σ 0.25: a person at 1.3
    /// answers leads 1.3 times faster than a median colleague and signs in more often.
    let diligence: Double
}

/// The demo company's four teams and their people: East Sales and East Service are the pilot
/// group, West Sales and West Service the control group.
enum DemoWorkforce {
    struct TeamSpec {
        var name: String
        var kind: Team.Kind
        var region: String
        var lead: DemoPerson.Role
        var member: DemoPerson.Role
        /// Members (besides the one lead) at `small` scale.
        var members: Int
    }

    static let teams = [
        TeamSpec(name: "East Sales", kind: .sales, region: "East", lead: .salesManager, member: .salesRep,
                 members: 8),
        TeamSpec(name: "West Sales", kind: .sales, region: "West", lead: .salesManager, member: .salesRep,
                 members: 8),
        TeamSpec(name: "East Service", kind: .service, region: "East", lead: .serviceLead, member: .serviceAgent,
                 members: 6),
        TeamSpec(name: "West Service", kind: .service, region: "West", lead: .serviceLead, member: .serviceAgent,
                 members: 6),
    ]

    /// Writes the teams and their users (created at the start of history) and returns the people
    /// in hiring order: per team, its leads first, then its members.
    static func hire(scale: DemoScale, createdAt: Int64, territories: DemoTerritories, writer: inout DemoRowWriter,
                     random: inout SeededRandom) throws -> [DemoPerson] {
        let multiplier = scale.headcountMultiplier
        let diligence = matchedDiligence(multiplier: multiplier, &random)
        var people: [DemoPerson] = []
        var names: Set<String> = []
        var mailboxes: Set<String> = []
        for (teamIndex, spec) in teams.enumerated() {
            let teamID = try writer.team(name: spec.name, kind: spec.kind, region: spec.region,
                                         territoryID: territories.regionIDs[spec.region])
            let isPilot = DemoDataPlan.pilotTeams.contains(spec.name)
            let roles = Array(repeating: spec.lead, count: multiplier)
                + Array(repeating: spec.member, count: spec.members * multiplier)
            for (role, diligence) in zip(roles, diligence[teamIndex]) {
                let (surname, given) = uniqueName(&names, &random)
                var mailbox = DemoNames.mailbox(surname: surname, given: given)
                var suffix = 2
                while mailboxes.contains(mailbox) {
                    mailbox = DemoNames.mailbox(surname: surname, given: given) + String(suffix)
                    suffix += 1
                }
                mailboxes.insert(mailbox)
                let id = try writer.user(name: "\(surname) \(given)", email: "\(mailbox)@\(DemoNames.staffDomain)",
                                         teamID: teamID, jobRole: role.jobRole, createdAt: createdAt)
                people.append(DemoPerson(index: people.count, id: id, role: role, region: spec.region,
                                         isPilot: isPilot, diligence: diligence))
            }
        }
        return people
    }

    /// Each team's diligence factors, in the order of its roles (leads, then members).
    ///
    /// The pilot and its control are matched, as a well-chosen control group is: for each role,
    /// the factors of the East and the West team are drawn together (lognormal, geometric mean
    /// exactly 1), sorted, and dealt in neighbouring pairs, a coin deciding which of a pair goes
    /// East. Individuals still differ as much as σ = 0.25 says, but the two teams' averages
    /// differ only a little (with eight independent draws per team they would differ by about
    /// 12 %, which would make the two regions' histories look unlike before the pilot).
    private static func matchedDiligence(multiplier: Int, _ random: inout SeededRandom) -> [[Double]] {
        var factors = Array(repeating: [Double](), count: teams.count)
        for east in teams.indices where teams[east].region == "East" {
            guard let west = teams.indices.first(where: {
                teams[$0].region == "West" && teams[$0].kind == teams[east].kind
            }) else { continue }
            for count in [multiplier, teams[east].members * multiplier] {
                let draws = (0..<(2 * count)).map { _ in DemoEffects.diligenceSigma * random.standardNormal() }
                // Centred, so the company's typical person is exactly the median the effect sizes
                // are calibrated for, whatever the seed.
                let centre = draws.reduce(0, +) / Double(draws.count)
                let drawn = draws.map { exp($0 - centre) }.sorted()
                var eastFactors: [Double] = []
                var westFactors: [Double] = []
                for pair in 0..<count {
                    let (low, high) = (drawn[2 * pair], drawn[2 * pair + 1])
                    let eastGetsHigh = random.chance(0.5)
                    eastFactors.append(eastGetsHigh ? high : low)
                    westFactors.append(eastGetsHigh ? low : high)
                }
                random.shuffle(&eastFactors)
                random.shuffle(&westFactors)
                factors[east] += eastFactors
                factors[west] += westFactors
            }
        }
        return factors
    }

    /// A name no colleague has yet, when one can be found in a few draws (2 400 combinations;
    /// at `large` scale an occasional namesake is real life, and the e-mail still differs).
    private static func uniqueName(_ taken: inout Set<String>,
                                   _ random: inout SeededRandom) -> (surname: String, given: String) {
        var name = DemoNames.personName(&random)
        var draws = 1
        while taken.contains("\(name.surname) \(name.given)") && draws < 20 {
            name = DemoNames.personName(&random)
            draws += 1
        }
        taken.insert("\(name.surname) \(name.given)")
        return name
    }
}
