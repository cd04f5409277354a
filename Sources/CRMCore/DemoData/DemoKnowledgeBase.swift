/// The service team's knowledge base: short answers to the questions tickets ask, in English
/// and in Chinese, most published, a few drafts and one archived, and the links agents make from
/// tickets to the article they answered with.
///
/// `kb_search`, the full-text index, is the application's to maintain: the generator leaves it
/// empty (there is no indexing function in CRMCore yet).
struct DemoKnowledgeBase {
    struct Article: Sendable {
        var title: String
        var body: String
        var tags: String
        var status: String
        /// The ticket subjects (`DemoNames.ticketSubjects`) it answers.
        var answers: [String]
    }

    static let articles: [Article] = [
        Article(title: "Device does not start: first checks",
                body: """
                    1. Check that the power cable is seated at both ends and the outlet has power. \
                    2. Hold the power button for 10 seconds to force a restart. \
                    3. If the status light blinks red, note the number of blinks and call the hotline with the serial number. \
                    Do not open the housing: it voids the warranty.
                    """,
                tags: "device power startup troubleshooting", status: "published",
                answers: ["Device does not start"]),
        Article(title: "设备无法开机的排查步骤",
                body: """
                    1. 确认电源线两端已插紧，插座有电。2. 长按电源键10秒强制重启。\
                    3. 如状态灯闪红灯，请记录闪烁次数，并携带设备序列号致电服务热线。请勿自行拆机，否则将影响保修。
                    """,
                tags: "设备 开机 故障排查", status: "published", answers: ["Device does not start"]),
        Article(title: "Resetting your customer portal password",
                body: """
                    Use "Forgot password" on the login page and enter the e-mail address registered with us; the reset \
                    link is valid for 30 minutes. After five failed attempts the account is locked for 15 minutes. \
                    If no e-mail arrives, check the spam folder or ask your administrator to confirm your address.
                    """,
                tags: "portal login password", status: "published", answers: ["Login to the customer portal fails"]),
        Article(title: "客户门户无法登录怎么办",
                body: """
                    请在登录页点击"忘记密码"，输入在我司登记的邮箱，重置链接30分钟内有效。连续输错5次密码账户将锁定15分钟。\
                    如未收到邮件，请检查垃圾邮件文件夹，或联系贵公司管理员确认邮箱地址。
                    """,
                tags: "门户 登录 密码", status: "published", answers: ["Login to the customer portal fails"]),
        Article(title: "Reporting transport damage on a delivery",
                body: """
                    Note the damage on the delivery note before signing and take photos of the packaging and the goods. \
                    Report it within 48 hours with the order number; we send a replacement or collect the goods at no cost.
                    """,
                tags: "delivery damage claim", status: "published", answers: ["Delivery arrived damaged"]),
        Article(title: "收货时发现货物破损如何处理",
                body: """
                    请在签收前于送货单上注明破损情况，并拍摄外包装及货物照片。请在48小时内提供订单号报损，我们将免费补发或上门取回。
                    """,
                tags: "收货 破损 理赔", status: "published", answers: ["Delivery arrived damaged"]),
        Article(title: "Installation error codes E01–E09",
                body: """
                    E01–E03: the device cannot reach the network; check the cable or Wi-Fi settings. \
                    E04: licence not activated; enter the key from the delivery e-mail. \
                    E05–E09: firmware mismatch; run the updater from the service menu and restart.
                    """,
                tags: "installation error-codes firmware", status: "published",
                answers: ["Error message during installation"]),
        Article(title: "安装过程中出现错误代码的处理方法",
                body: """
                    E01–E03：设备无法连接网络，请检查网线或无线设置。E04：许可证未激活，请输入交付邮件中的激活码。\
                    E05–E09：固件版本不匹配，请在服务菜单中运行升级程序后重启。
                    """,
                tags: "安装 错误代码 固件", status: "published", answers: ["Error message during installation"]),
        Article(title: "Machine stops during operation: sensor and jam checks",
                body: """
                    Most stops are a blocked sensor or a jam. Switch the machine off, clear the transport path, and wipe \
                    the optical sensors with the cleaning kit. If it stops again within an hour, send us the event log \
                    (service menu, Export log).
                    """,
                tags: "machine stop sensor jam", status: "published",
                answers: ["Machine stops during operation", "Device does not start"]),
        Article(title: "Exporting reports: why an export can be empty",
                body: """
                    An export is empty when the date filter excludes all records or your role may not see them. \
                    Reset the filter to "last 30 days" and try again; if it stays empty, ask your administrator \
                    for the report permission.
                    """,
                tags: "reports export permissions", status: "published", answers: ["Report export is empty"]),
        Article(title: "How to renew your contract",
                body: """
                    Your account manager sends the renewal offer 60 days before the contract ends. Sign it in the \
                    customer portal or return the signed copy by e-mail; the new term starts the day after the old one ends.
                    """,
                tags: "contract renewal", status: "published", answers: ["How to renew the contract"]),
        Article(title: "如何续签合同",
                body: """
                    合同到期前60天，客户经理会发送续约报价。您可以在客户门户在线签署，或将签字盖章的文件通过邮件发回。新合同自原合同到期次日起生效。
                    """,
                tags: "合同 续签", status: "published", answers: ["How to renew the contract"]),
        Article(title: "Warranty terms at a glance",
                body: """
                    Equipment carries a 24-month warranty from installation, spare parts 6 months. The warranty covers \
                    material and manufacturing defects, not wear parts or damage from improper use. Keep the serial \
                    number at hand when you call.
                    """,
                tags: "warranty terms", status: "published", answers: ["Question about the warranty terms"]),
        Article(title: "保修条款说明",
                body: """
                    设备自安装之日起保修24个月，备件保修6个月。保修范围为材料及制造缺陷，不包括易损件及使用不当造成的损坏。报修时请提供设备序列号。
                    """,
                tags: "保修 条款", status: "published", answers: ["Question about the warranty terms"]),
        Article(title: "Tracking your order",
                body: """
                    The order confirmation e-mail has a tracking link once the goods leave our warehouse, usually two \
                    working days after the order. Orders placed before 15:00 on a working day are picked the same day.
                    """,
                tags: "order tracking delivery", status: "published", answers: ["Where is my order"]),
        Article(title: "如何查询订单物流状态",
                body: """
                    货物出库后（通常为下单后两个工作日），订单确认邮件中会提供物流查询链接。工作日15:00前下单当天拣货。
                    """,
                tags: "订单 物流 查询", status: "published", answers: ["Where is my order"]),
        Article(title: "Managing user permissions in the customer portal",
                body: """
                    Administrators add users under Settings → Users and give each a role: Viewer (orders and invoices), \
                    Buyer (may order) or Administrator. A new user receives an invitation e-mail valid for 7 days.
                    """,
                tags: "portal users permissions", status: "published",
                answers: ["How to configure user permissions", "Add a user to the account"]),
        Article(title: "如何为客户门户添加用户",
                body: """
                    管理员可在"设置 → 用户"中添加用户并分配角色：查看者（订单和发票）、采购员（可下单）或管理员。新用户将收到有效期7天的邀请邮件。
                    """,
                tags: "门户 用户 权限", status: "published", answers: ["Add a user to the account"]),
        Article(title: "Understanding your invoice",
                body: """
                    Each invoice lists the order number, the lines with unit prices and 13 % VAT. Copies of every \
                    invoice of the last 24 months can be downloaded in the customer portal under Billing.
                    """,
                tags: "invoice billing vat", status: "published",
                answers: ["Question about the last invoice", "Request for a copy of the invoice"]),
        Article(title: "如何申请发票副本",
                body: """
                    近24个月的发票均可在客户门户"账单"页面下载。如需纸质增值税专用发票副本，请提供订单号及开票信息，我们将在三个工作日内寄出。
                    """,
                tags: "发票 副本 增值税", status: "published", answers: ["Request for a copy of the invoice"]),
        Article(title: "Service outlet opening hours and public holidays",
                body: """
                    Service outlets are open Monday to Friday, 09:00–12:00 and 13:00–18:00 Beijing time. On public \
                    holidays the hotline takes urgent cases only; make-up working days are normal working days.
                    """,
                tags: "opening-hours holidays", status: "published", answers: ["Opening hours of the service outlet"]),
        Article(title: "服务网点营业时间及节假日安排",
                body: """
                    服务网点营业时间为周一至周五9:00–12:00、13:00–18:00（北京时间）。法定节假日期间热线仅受理紧急故障，调休上班日正常营业。
                    """,
                tags: "营业时间 节假日", status: "published", answers: ["Opening hours of the service outlet"]),
        Article(title: "Changing a delivery address or billing contact",
                body: """
                    Administrators can change delivery addresses and the billing contact in the customer portal under \
                    Settings → Company. Changes apply to orders placed afterwards; for an open order, call us before it ships.
                    """,
                tags: "address billing-contact", status: "published",
                answers: ["Change of delivery address", "Update billing contact"]),
        Article(title: "Booking a maintenance visit",
                body: """
                    Book maintenance at least five working days ahead in the portal or by phone. Customers with an \
                    annual maintenance contract get two scheduled visits a year; extra visits are charged per visit.
                    """,
                tags: "maintenance visit booking", status: "published", answers: ["Schedule a maintenance visit"]),
        Article(title: "预约上门保养服务",
                body: """
                    请至少提前五个工作日通过客户门户或电话预约保养。签订年度保养合同的客户每年享有两次定期上门服务，额外上门按次收费。
                    """,
                tags: "保养 预约 上门", status: "published", answers: ["Schedule a maintenance visit"]),
        Article(title: "Ordering spare parts",
                body: """
                    Find the part number in the device's manual or on the spare-parts list in the portal. Parts in stock \
                    ship within two working days; ask for a quotation for more than ten units.
                    """,
                tags: "spare-parts ordering quotation", status: "published",
                answers: ["Request for a quotation of spare parts"]),
        Article(title: "Firmware 3.2 upgrade guide for K100 kiosks",
                body: "Draft: steps to be confirmed with engineering before publication.",
                tags: "k100 firmware upgrade", status: "draft", answers: []),
        Article(title: "H40 扫描枪电池保养建议",
                body: "草稿：电池充放电建议，待质量部门确认后发布。",
                tags: "h40 电池 保养", status: "draft", answers: []),
        Article(title: "Handling complaints about late deliveries",
                body: "Draft: apology template and compensation rules, waiting for approval by the service lead.",
                tags: "complaint delivery", status: "draft", answers: []),
        Article(title: "Portal login with the old customer number",
                body: "Until 2024 customers logged in with their customer number. This is no longer possible; use your e-mail address.",
                tags: "portal login legacy", status: "archived", answers: []),
    ]

    /// Article ids by the ticket subject they answer, and when each article was written.
    private(set) var answering: [String: [Int64]] = [:]
    private(set) var createdAt: [Int64: Int64] = [:]

    /// Writes the articles, each by one of `authors` (round robin), created in the first four
    /// months of the history and updated once a little later; drafts are recent.
    static func write(_ writer: inout DemoRowWriter, authors: [DemoPerson], start: Int64, end: Int64,
                      _ random: inout SeededRandom) throws -> DemoKnowledgeBase {
        var base = DemoKnowledgeBase()
        guard !authors.isEmpty else { return base }
        let span = end - start
        for (index, article) in articles.enumerated() {
            let window = article.status == "draft" ? (0.75, 0.95) : (0.0, min(0.2, 120 * 86_400 / Double(max(span, 1))))
            let day = (start + Int64(Double(span) * random.uniform(window.0..<window.1)))
                .floorDivided(by: DemoCalendar.secondsPerDay)
            let created = max(start, DemoCalendar.atWork(DemoCalendar.officeTime(day: day, &random)))
            let updated = min(end - 1, created + DemoHistory.seconds(days: random.logNormal(median: 20, sigma: 1)))
            guard created < end else { continue }
            let id = try writer.kbArticle(title: article.title, body: article.body, tags: article.tags,
                                          status: article.status, authorID: authors[index % authors.count].id,
                                          createdAt: created, updatedAt: max(created, updated))
            base.createdAt[id] = created
            if article.status == "published" {
                for subject in article.answers { base.answering[subject, default: []].append(id) }
            }
        }
        return base
    }
}

extension DemoHistory {
    /// An agent answering a ticket links a published article that answers its subject, more
    /// often once the CRM is the way of working (15 % of answerable tickets before, 55 % after).
    mutating func linkArticle(ticketID: Int64, subject: String, agent: DemoPerson, adoption: Double, answeredAt: Int64,
                              _ random: inout SeededRandom) throws {
        guard let candidates = knowledgeBase.answering[subject] else { return }
        let written = candidates.filter { (knowledgeBase.createdAt[$0] ?? .max) < answeredAt }
        guard !written.isEmpty, random.chance(0.15 + (0.55 - 0.15) * adoption) else { return }
        try writer.ticketArticle(ticketID: ticketID, articleID: random.pick(written), linkedBy: agent.id,
                                 linkedAt: answeredAt)
    }
}
