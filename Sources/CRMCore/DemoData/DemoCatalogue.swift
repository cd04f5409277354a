/// What the demo company sells: devices for shops, warehouses and plants, their spare parts and
/// consumables, software subscriptions and services, each with a list price and a unit cost.
///
/// Margins differ by family, as they do in such a business: equipment about 30 %, consumables
/// about 40 %, spare parts and services about 50 %, software about 85 %. Quotations and orders
/// are made of baskets of these products sized to a target amount.
struct DemoCatalogue {
    enum Group: Sendable, Hashable {
        case equipment, spareParts, consumables, software, maintenance, installation, training, repair, consulting

        var family: String {
            switch self {
            case .equipment: "Equipment"
            case .spareParts: "Spare parts"
            case .consumables: "Consumables"
            case .software: "Software"
            case .maintenance, .installation, .training, .repair, .consulting: "Services"
            }
        }
    }

    struct Product: Sendable {
        var id: Int64 = 0
        let sku: String
        let name: String
        let group: Group
        /// Major units (yuan).
        let price: Double
        let cost: Double
        var priceMinor: Int64 = 0
        var costMinor: Int64 = 0
    }

    /// One line of a basket: a product of `group` taking about `share` of the amount, included
    /// with probability `chance`.
    struct BasketItem: Sendable {
        var group: Group
        var share: Double
        var chance: Double
    }

    /// A line as drawn: the product (an index into `products`) and how many.
    struct Line: Sendable {
        var product: Int
        var quantity: Int
    }

    static let catalogue: [Product] = [
        Product(sku: "EQ-K100", name: "K100 self-service kiosk", group: .equipment, price: 38_000, cost: 26_500),
        Product(sku: "EQ-P200", name: "P200 industrial label printer", group: .equipment, price: 12_800, cost: 8_300),
        Product(sku: "EQ-H40", name: "H40 handheld scanner", group: .equipment, price: 3_600, cost: 2_250),
        Product(sku: "EQ-S300", name: "S300 automated sorting unit", group: .equipment, price: 268_000, cost: 189_000),
        Product(sku: "EQ-C500", name: "C500 line controller", group: .equipment, price: 96_000, cost: 67_000),
        Product(sku: "SP-101", name: "Printhead for P200", group: .spareParts, price: 1_850, cost: 820),
        Product(sku: "SP-102", name: "Battery pack for H40", group: .spareParts, price: 420, cost: 185),
        Product(sku: "SP-103", name: "Touch panel for K100", group: .spareParts, price: 2_900, cost: 1_350),
        Product(sku: "SP-104", name: "Controller board", group: .spareParts, price: 7_800, cost: 3_650),
        Product(sku: "SP-105", name: "Conveyor belt kit for S300", group: .spareParts, price: 5_400, cost: 2_600),
        Product(sku: "CS-201", name: "Thermal label rolls (carton of 24)", group: .consumables, price: 560, cost: 330),
        Product(sku: "CS-202", name: "Ribbon cartridges (box of 10)", group: .consumables, price: 880, cost: 510),
        Product(sku: "CS-203", name: "Receipt paper (carton of 50)", group: .consumables, price: 320, cost: 190),
        Product(sku: "CS-204", name: "Cleaning kit", group: .consumables, price: 260, cost: 115),
        Product(sku: "SW-301", name: "Device management licence (per device, year)", group: .software, price: 600,
                cost: 60),
        Product(sku: "SW-302", name: "Operations analytics (per site, year)", group: .software, price: 48_000,
                cost: 7_200),
        Product(sku: "SW-303", name: "ERP integration connector", group: .software, price: 26_000, cost: 4_100),
        Product(sku: "SV-401", name: "Annual maintenance contract", group: .maintenance, price: 16_500, cost: 8_800),
        Product(sku: "SV-402", name: "Installation and commissioning", group: .installation, price: 6_800, cost: 4_100),
        Product(sku: "SV-403", name: "Operator training day", group: .training, price: 5_600, cost: 2_500),
        Product(sku: "SV-404", name: "On-site repair visit", group: .repair, price: 2_800, cost: 1_550),
        Product(sku: "SV-405", name: "Consulting day", group: .consulting, price: 8_800, cost: 4_300),
    ]

    /// What a deal of each kind (`DemoNames.opportunityProducts`) is made of.
    static let dealBaskets: [String: [BasketItem]] = [
        "Equipment order": [item(.equipment, 0.8), item(.installation, 0.12, 0.9), item(.training, 0.08, 0.5)],
        "Service contract": [item(.maintenance, 0.85), item(.repair, 0.15, 0.5)],
        "Framework agreement": [item(.consumables, 0.4), item(.spareParts, 0.3), item(.equipment, 0.3, 0.6)],
        "Pilot project": [item(.equipment, 0.5), item(.software, 0.3), item(.consulting, 0.2)],
        "Annual supply contract": [item(.consumables, 0.7), item(.spareParts, 0.3, 0.8)],
        "Software licences": [item(.software, 0.85), item(.consulting, 0.15, 0.5)],
        "Spare parts order": [item(.spareParts, 0.6), item(.spareParts, 0.4, 0.6)],
        "Consulting package": [item(.consulting, 0.75), item(.training, 0.25, 0.7)],
        "Expansion order": [item(.equipment, 0.7), item(.software, 0.2, 0.8), item(.installation, 0.1, 0.8)],
        "Contract renewal": [item(.maintenance, 0.7), item(.software, 0.3, 0.6)],
    ]

    /// A customer's reorder: mostly consumables and spare parts, now and then a service or a device.
    static let reorderBasket = [
        item(.consumables, 0.45, 0.85), item(.spareParts, 0.3, 0.5), item(.repair, 0.1, 0.2),
        item(.maintenance, 0.2, 0.08), item(.software, 0.1, 0.1), item(.equipment, 0.3, 0.08),
    ]

    private static func item(_ group: Group, _ share: Double, _ chance: Double = 1) -> BasketItem {
        BasketItem(group: group, share: share, chance: chance)
    }

    /// Equipment lines come in fleets of at most this many units: a bigger budget buys a bigger model.
    static let maximumEquipmentUnits = 20.0

    private(set) var products: [Product] = []
    private var byGroup: [Group: [Int]] = [:]

    /// Writes the catalogue in its order and returns it with ids and minor-unit prices.
    static func write(_ writer: inout DemoRowWriter, minorUnitsPerMajor: Double) throws -> DemoCatalogue {
        var catalogue = DemoCatalogue()
        for var product in Self.catalogue {
            product.priceMinor = Int64((product.price * minorUnitsPerMajor).rounded())
            product.costMinor = Int64((product.cost * minorUnitsPerMajor).rounded())
            product.id = try writer.product(sku: product.sku, name: product.name, family: product.group.family,
                                            unitPriceMinor: product.priceMinor, unitCostMinor: product.costMinor)
            catalogue.products.append(product)
        }
        catalogue.byGroup = Dictionary(grouping: catalogue.products.indices) { catalogue.products[$0].group }
        return catalogue
    }

    /// The products of `group`, in catalogue order.
    func products(in group: Group) -> [Int] {
        byGroup[group] ?? []
    }

    /// Lines for a basket worth about `targetMinor` at list prices: each included item takes its
    /// share (jittered ±30 %) of the target; quantities are rounded, at least one. Equipment picks
    /// a model that the share buys 1–20 of, and is left out when the share buys none.
    func lines(for basket: [BasketItem], targetMinor: Int64, _ random: inout SeededRandom) -> [Line] {
        let included = basket.filter { random.chance($0.chance) }
        let items = included.isEmpty ? [basket[0]] : included
        let weights = items.map { $0.share * random.uniform(0.7..<1.3) }
        let total = weights.reduce(0, +)
        var lines: [Line] = []
        for (item, weight) in zip(items, weights) {
            let share = Double(targetMinor) * weight / total
            var candidates = products(in: item.group)
            if item.group == .equipment {
                candidates = candidates.filter {
                    let price = Double(products[$0].priceMinor)
                    return price <= share && price * Self.maximumEquipmentUnits >= share
                }
                if candidates.isEmpty { continue }
            }
            let product = random.pick(candidates)
            let units = share / Double(products[product].priceMinor)
            // An extra that the amount does not stretch to is left out rather than rounded up.
            if units < 0.5 && !lines.isEmpty { continue }
            let quantity = max(1, Int(units.rounded()))
            if let index = lines.firstIndex(where: { $0.product == product }) {
                lines[index].quantity += quantity
            } else {
                lines.append(Line(product: product, quantity: quantity))
            }
        }
        if lines.isEmpty {
            // Only equipment was wanted and the amount buys none: a consumables order instead.
            let product = random.pick(products(in: .consumables))
            let units = Double(targetMinor) / Double(products[product].priceMinor)
            lines.append(Line(product: product, quantity: max(1, Int(units.rounded()))))
        }
        return lines
    }
}
