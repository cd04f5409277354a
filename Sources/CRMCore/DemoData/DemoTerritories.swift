/// The demo company's sales territories: China, its two regions, and under each region the
/// cities its customers are in, so that a manager of East sees every account of an East city.
///
/// Teams belong to their region's territory, accounts to the city in their name; users have no
/// territory of their own (NULL means their team's). Written before the teams, which refer to it.
struct DemoTerritories {
    static let root = "China"
    /// Regions in the order they are written (the dictionary of cities has no order of its own).
    static let regions = ["East", "West"]

    private(set) var regionIDs: [String: Int64] = [:]
    private(set) var cityIDs: [String: Int64] = [:]

    /// Writes the tree, root first, then each region followed by its cities.
    static func write(_ writer: inout DemoRowWriter) throws -> DemoTerritories {
        var tree = DemoTerritories()
        let rootID = try writer.territory(name: root, parentID: nil)
        for region in regions {
            let regionID = try writer.territory(name: region, parentID: rootID)
            tree.regionIDs[region] = regionID
            for city in DemoNames.cities[region] ?? [] {
                tree.cityIDs[city] = try writer.territory(name: city, parentID: regionID)
            }
        }
        return tree
    }

    /// The territory of an account of `company`: its city.
    func territory(of company: DemoCompany) -> Int64? {
        cityIDs[company.city]
    }

    /// Every user gets the role named by their job role: the generator's job roles are the
    /// `roles` table's names (sales_manager, sales_rep, service_lead, service_agent).
    static func assignRoles(to people: [DemoPerson], _ writer: inout DemoRowWriter) throws {
        for person in people {
            try writer.userRole(userID: person.id, role: person.role.jobRole)
        }
    }
}
