/// The words demo records are made of: Chinese names in pinyin (surname first), company names
/// from a city of the region, a brand word and an industry, and the subjects of everyday work.
///
/// All addresses use the reserved `.example` domain, so no demo e-mail can reach anyone.
enum DemoNames {
    static let staffDomain = "huaxin-demo.example"

    static let surnames = [
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
        "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo",
        "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng",
        "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du",
    ]

    static let givenNames = [
        "Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang",
        "Yong", "Yan", "Jie", "Juan", "Tao", "Ming", "Chao", "Xiuying", "Xia", "Ping",
        "Gang", "Hui", "Lin", "Hong", "Hao", "Yu", "Xin", "Bo", "Peng", "Ling",
        "Dan", "Kai", "Rui", "Ting", "Yun", "Zhen", "Bin", "Hua", "Mei", "Lan",
        "Qian", "Xue", "Yi", "Jian", "Feng", "Hai", "Long", "Xiaoming", "Xiaohong", "Zihan",
        "Yuxuan", "Haoran", "Yichen", "Zixuan", "Shuang", "Jiayi", "Siyu", "Wenjie", "Junjie", "Meiling",
    ]

    static let cities: [String: [String]] = [
        "East": ["Shanghai", "Hangzhou", "Suzhou", "Nanjing", "Ningbo", "Wuxi", "Hefei", "Xiamen", "Fuzhou", "Qingdao"],
        "West": ["Chengdu", "Chongqing", "Xi'an", "Kunming", "Guiyang", "Lanzhou", "Nanning", "Mianyang", "Baoji", "Yibin"],
    ]

    static let brands = [
        "Hengtai", "Huaxin", "Jinlong", "Tianhe", "Xinda", "Ruifeng", "Zhongke", "Hongyuan", "Boya", "Yongsheng",
        "Dingsheng", "Kaiyuan", "Fuxing", "Lianhua", "Haitian", "Jiahe", "Shengshi", "Mingda", "Anxin", "Taikang",
        "Baolong", "Changjiang", "Dahua", "Guangming", "Hualian", "Jinqiao", "Longteng", "Minsheng", "Qiming", "Shunfeng",
        "Tongda", "Weilai", "Xingye", "Yida", "Zhenghe", "Chuangxin", "Donghai", "Fengyuan", "Guotai", "Huayu",
    ]

    /// Industry as stored on accounts, the word that goes into a company's name, and its weight.
    static let industries: [(industry: String, noun: String, weight: Double)] = [
        ("Manufacturing", "Machinery", 24), ("Retail", "Trading", 14), ("Financial services", "Financial Services", 8),
        ("Healthcare", "Medical Equipment", 9), ("Logistics", "Logistics", 10), ("Education", "Education Technology", 6),
        ("Energy", "Energy", 7), ("IT services", "Information Technology", 10), ("Construction", "Construction", 7),
        ("Hospitality", "Hotel Management", 5),
    ]

    static let contactTitles = [
        "Purchasing Manager", "General Manager", "IT Director", "Operations Manager", "Finance Director",
        "Sales Director", "Procurement Specialist", "Deputy General Manager", "Engineering Manager", "Office Manager",
        "Chief Technology Officer", "Project Manager",
    ]

    static let opportunityProducts = [
        "Equipment order", "Service contract", "Framework agreement", "Pilot project", "Annual supply contract",
        "Software licences", "Spare parts order", "Consulting package", "Expansion order", "Contract renewal",
    ]

    static let ticketSubjects: [String: [String]] = [
        "request": ["Change of delivery address", "Request for a copy of the invoice", "Add a user to the account",
                    "Schedule a maintenance visit", "Request for a quotation of spare parts", "Update billing contact"],
        "incident": ["Device does not start", "Login to the customer portal fails", "Delivery arrived damaged",
                     "Error message during installation", "Machine stops during operation", "Report export is empty"],
        "question": ["How to renew the contract", "Question about the warranty terms", "Where is my order",
                     "How to configure user permissions", "Question about the last invoice",
                     "Opening hours of the service outlet"],
        "complaint": ["Delivery was two weeks late", "Engineer did not arrive as agreed", "Invoice amount is wrong",
                      "Nobody answered my previous request", "Product quality below the agreed standard",
                      "Rude behaviour on the hotline"],
    ]

    /// "Wang Fang": a Chinese name in pinyin, surname first.
    static func personName(_ random: inout SeededRandom) -> (surname: String, given: String) {
        (random.pick(surnames), random.pick(givenNames))
    }

    /// "wang.fang": the local part of an e-mail address for a name.
    static func mailbox(surname: String, given: String) -> String {
        "\(surname.lowercased()).\(given.lowercased())"
    }

    /// A mainland mobile number, "+86 139 1234 5678".
    static func mobileNumber(_ random: inout SeededRandom) -> String {
        let prefix = 130 + random.int(below: 70)
        let middle = random.int(below: 10_000)
        let last = random.int(below: 10_000)
        return "+86 \(prefix) \(zeroPadded(middle, width: 4)) \(zeroPadded(last, width: 4))"
    }

    /// `value` in decimal with leading zeros to `width` digits: 42 → "0042".
    static func zeroPadded(_ value: some BinaryInteger, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// A company of `region`: "Suzhou Hengtai Machinery Co., Ltd.", with its industry and mail domain.
    static func company(region: String, _ random: inout SeededRandom) -> DemoCompany {
        let city = random.pick(cities[region] ?? cities["East"]!)   // the generator only uses East and West
        let brand = random.pick(brands)
        let industry = industryDistribution.sample(&random)
        return DemoCompany(name: "\(city) \(brand) \(industries[industry].noun) Co., Ltd.",
                           industry: industries[industry].industry,
                           domain: "\(brand.lowercased())-\(city.lowercased().filter { $0.isLetter }).example", city: city)
    }

    /// Trades of the small customers of the `large` customer base, with the industry they count under.
    static let smallBusinessTrades: [(trade: String, industry: String)] = [
        ("Hardware Store", "Retail"), ("Supermarket", "Retail"), ("Convenience Store", "Retail"),
        ("Packaging Workshop", "Manufacturing"), ("Printing House", "Manufacturing"), ("Precision Parts", "Manufacturing"),
        ("Plastics Factory", "Manufacturing"), ("Freight Forwarding", "Logistics"), ("Courier Station", "Logistics"),
        ("Software Studio", "IT services"), ("Clinic", "Healthcare"), ("Pharmacy", "Healthcare"),
        ("Restaurant", "Hospitality"), ("Guesthouse", "Hospitality"), ("Training Centre", "Education"),
        ("Decoration Company", "Construction"), ("Solar Installer", "Energy"), ("Accounting Firm", "Financial services"),
    ]

    /// Second syllables that make brand names for small businesses ("Hengtaixing").
    static let brandSuffixes = ["", "xing", "da", "feng", "sheng", "li", "an", "fu"]

    /// A small business of `region` for the `large` customer base: "Chengdu Jinlongfeng Pharmacy".
    static func smallBusiness(region: String, _ random: inout SeededRandom) -> DemoCompany {
        let city = random.pick(cities[region] ?? cities["East"]!)   // the generator only uses East and West
        let brand = random.pick(brands) + random.pick(brandSuffixes)
        let trade = random.pick(smallBusinessTrades)
        return DemoCompany(name: "\(city) \(brand) \(trade.trade)", industry: trade.industry,
                           domain: "\(brand.lowercased())-\(city.lowercased().filter { $0.isLetter }).example", city: city)
    }

    private static let industryDistribution = Categorical(industries.indices.map { ($0, industries[$0].weight) })
}

/// A company a lead comes from, and that becomes an account when the lead converts.
struct DemoCompany: Sendable {
    var name: String
    var industry: String
    var domain: String
    /// The city in the name, which is also the account's territory.
    var city: String
}
