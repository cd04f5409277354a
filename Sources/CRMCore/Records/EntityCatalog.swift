/// Every entity of the operational CRM, as `rollout crm` commands, imports, exports and the API
/// see them. The field lists follow the schema (`crm.v1.core`, `crm.v2.complete`); a test checks
/// that every field is a column and every writable column is a field.
public enum EntityCatalog {
    public static let all: [EntityDescriptor] = [
        territory, team, user, account, contact, followUp, contract,
        lead, opportunity, activity, product, quotation, quotationLine, order, orderLine, commissionRule,
        campaign, campaignMember,
        ticket, installBase, kbArticle, appointment,
    ]

    /// The entity named `name` (`contact`, `contacts`, `kb-article`), or nil.
    public static func entity(named name: String) -> EntityDescriptor? {
        let wanted = name.lowercased().replacingOccurrences(of: "_", with: "-")
        return all.first { $0.name == wanted || $0.table == name.lowercased() || $0.name + "s" == wanted }
    }

    public static func entity(forTable table: String) -> EntityDescriptor? {
        all.first { $0.table == table }
    }

    private static let nameAliases = ["名称", "姓名", "名字", "full name", "full_name"]
    private static let ownerAliases = ["owner", "owner email", "负责人", "所有人", "salesperson", "销售"]
    private static let accountAliases = ["account", "company", "customer", "公司", "客户", "客户名称", "单位"]
    private static let emailAliases = ["e-mail", "mail", "email address", "邮箱", "电子邮件", "电子邮箱"]
    private static let phoneAliases = ["mobile", "telephone", "tel", "phone number", "电话", "手机", "手机号", "联系电话"]

    public static let territory = EntityDescriptor(
        name: "territory", table: "territories",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: ["territory", "区域", "地区"]),
            FieldDescriptor("parent_id", .reference("territory"), aliases: ["parent", "上级区域"]),
        ],
        naturalKey: "name", accountPath: .shared, stampsCreation: false)

    public static let team = EntityDescriptor(
        name: "team", table: "teams",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: ["team", "团队"]),
            FieldDescriptor("kind", .choice(["sales", "service", "marketing", "management"]), required: true),
            FieldDescriptor("region", .text),
            FieldDescriptor("territory_id", .reference("territory"), aliases: ["territory"]),
        ],
        naturalKey: "name", accountPath: .shared, stampsCreation: false)

    public static let user = EntityDescriptor(
        name: "user", table: "users",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: nameAliases),
            FieldDescriptor("email", .text, required: true, aliases: emailAliases),
            FieldDescriptor("team_id", .reference("team"), aliases: ["team", "团队"]),
            FieldDescriptor("job_role", .text, required: true, aliases: ["role", "title", "职位"]),
            FieldDescriptor("active", .boolean),
            FieldDescriptor("territory_id", .reference("territory"), aliases: ["territory"]),
            FieldDescriptor("created_at", .timestamp),
        ],
        naturalKey: "email", accountPath: .shared)

    public static let account = EntityDescriptor(
        name: "account", table: "accounts",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: accountAliases + nameAliases),
            FieldDescriptor("type", .choice(["prospect", "customer", "partner", "competitor"]), aliases: ["客户类型"]),
            FieldDescriptor("status", .choice(["active", "dormant", "lost"]), aliases: ["状态"]),
            FieldDescriptor("classification", .choice(["A", "B", "C"]), aliases: ["class", "tier", "客户等级", "等级"]),
            FieldDescriptor("industry", .text, aliases: ["行业"]),
            FieldDescriptor("region", .text, aliases: ["大区"]),
            FieldDescriptor("territory_id", .reference("territory"), aliases: ["territory", "区域", "地区"]),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("created_at", .timestamp, aliases: ["created", "创建时间"]),
        ],
        naturalKey: "name", accountPath: .isAccount)

    public static let contact = EntityDescriptor(
        name: "contact", table: "contacts",
        fields: [
            FieldDescriptor("account_id", .reference("account"), aliases: accountAliases),
            FieldDescriptor("name", .text, required: true, aliases: nameAliases + ["contact", "联系人"]),
            FieldDescriptor("title", .text, aliases: ["job title", "position", "职务", "职位"]),
            FieldDescriptor("email", .text, aliases: emailAliases),
            FieldDescriptor("phone", .text, aliases: phoneAliases),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("created_at", .timestamp, aliases: ["created", "创建时间"]),
        ],
        naturalKey: "name", accountPath: .account(accountColumn: "account_id", ownerColumn: "owner_id"))

    public static let followUp = EntityDescriptor(
        name: "follow-up", table: "follow_ups",
        fields: [
            FieldDescriptor("account_id", .reference("account"), required: true, aliases: accountAliases),
            FieldDescriptor("contact_id", .reference("contact"), aliases: ["contact", "联系人"]),
            FieldDescriptor("user_id", .reference("user"), required: true, aliases: ownerAliases),
            FieldDescriptor("at", .timestamp, required: true, aliases: ["date", "time", "跟进时间"]),
            FieldDescriptor("channel", .choice(["phone", "email", "visit", "meeting", "message", "other"]), required: true,
                            aliases: ["方式"]),
            FieldDescriptor("summary", .text, required: true, aliases: ["note", "notes", "内容", "跟进内容"]),
            FieldDescriptor("next_step", .text, aliases: ["下一步"]),
            FieldDescriptor("next_on", .date, aliases: ["next date", "下次跟进"]),
        ],
        accountPath: .account(accountColumn: "account_id", ownerColumn: "user_id"), stampsCreation: false)

    public static let contract = EntityDescriptor(
        name: "contract", table: "contracts",
        fields: [
            FieldDescriptor("number", .text, required: true, aliases: ["contract number", "合同编号"]),
            FieldDescriptor("account_id", .reference("account"), required: true, aliases: accountAliases),
            FieldDescriptor("title", .text, required: true, aliases: ["合同名称"]),
            FieldDescriptor("status", .choice(["draft", "active", "expired", "terminated"])),
            FieldDescriptor("value_minor", .money, aliases: ["value", "amount", "合同金额"]),
            FieldDescriptor("currency", .text, required: true, aliases: ["币种"]),
            FieldDescriptor("starts_on", .date, aliases: ["start", "开始日期"]),
            FieldDescriptor("ends_on", .date, aliases: ["end", "结束日期"]),
            FieldDescriptor("signed_at", .timestamp, aliases: ["signed", "签订日期"]),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("created_at", .timestamp),
        ],
        naturalKey: "number", accountPath: .account(accountColumn: "account_id", ownerColumn: "owner_id"))

    public static let lead = EntityDescriptor(
        name: "lead", table: "leads",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: nameAliases + ["lead"]),
            FieldDescriptor("company", .text, aliases: ["company name", "公司", "单位"]),
            FieldDescriptor("email", .text, aliases: emailAliases),
            FieldDescriptor("phone", .text, aliases: phoneAliases),
            FieldDescriptor("source", .choice(["web", "phone", "email", "event", "referral", "partner", "campaign"]),
                            required: true, aliases: ["lead source", "来源"]),
            FieldDescriptor("channel", .choice(["traditional", "phone", "online", "email", "social", "event"]),
                            aliases: ["渠道"]),
            FieldDescriptor("score", .integer, aliases: ["lead score", "评分"]),
            FieldDescriptor("status", .choice(["new", "contacted", "qualified", "converted", "disqualified"]),
                            aliases: ["状态"]),
            FieldDescriptor("campaign_id", .reference("campaign"), aliases: ["campaign", "活动"]),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("created_at", .timestamp, aliases: ["created", "创建时间"]),
            FieldDescriptor("converted_at", .timestamp, readOnly: true),
            FieldDescriptor("converted_account_id", .reference("account"), readOnly: true),
            FieldDescriptor("converted_contact_id", .reference("contact"), readOnly: true),
            FieldDescriptor("converted_opportunity_id", .reference("opportunity"), readOnly: true),
            FieldDescriptor("disqualified_at", .timestamp),
        ],
        naturalKey: "email", accountPath: .owner("owner_id"))

    public static let opportunity = EntityDescriptor(
        name: "opportunity", table: "opportunities",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: ["opportunity", "商机", "商机名称"]),
            FieldDescriptor("account_id", .reference("account"), aliases: accountAliases),
            FieldDescriptor("lead_id", .reference("lead")),
            FieldDescriptor("stage", .choice(OpportunityStages.names), required: true, aliases: ["阶段"]),
            FieldDescriptor("amount_minor", .money, required: true, aliases: ["amount", "value", "金额"]),
            FieldDescriptor("currency", .text, required: true, aliases: ["币种"]),
            FieldDescriptor("forecast_category", .choice(["pipeline", "best_case", "commit", "omitted"]),
                            aliases: ["forecast", "预测类别"]),
            FieldDescriptor("campaign_id", .reference("campaign"), aliases: ["campaign"]),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("created_at", .timestamp, aliases: ["created"]),
            FieldDescriptor("expected_close_on", .date, aliases: ["close date", "expected close", "预计成交日期"]),
            FieldDescriptor("closed_at", .timestamp, readOnly: true),
        ],
        naturalKey: "name", accountPath: .account(accountColumn: "account_id", ownerColumn: "owner_id"))

    public static let activity = EntityDescriptor(
        name: "activity", table: "activities",
        fields: [
            FieldDescriptor("kind", .choice(["call", "meeting", "email", "visit", "note"]), required: true, aliases: ["type", "类型"]),
            FieldDescriptor("subject", .text, required: true, aliases: ["主题"]),
            FieldDescriptor("owner_id", .reference("user"), required: true, aliases: ownerAliases),
            FieldDescriptor("account_id", .reference("account"), aliases: accountAliases),
            FieldDescriptor("contact_id", .reference("contact")),
            FieldDescriptor("lead_id", .reference("lead")),
            FieldDescriptor("opportunity_id", .reference("opportunity")),
            FieldDescriptor("at", .timestamp, required: true, aliases: ["date", "time", "时间"]),
            FieldDescriptor("duration_minutes", .integer, aliases: ["duration", "时长"]),
        ],
        accountPath: .account(accountColumn: "account_id", ownerColumn: "owner_id"), stampsCreation: false)

    public static let product = EntityDescriptor(
        name: "product", table: "products",
        fields: [
            FieldDescriptor("sku", .text, required: true, aliases: ["code", "product code", "产品编号", "货号"]),
            FieldDescriptor("name", .text, required: true, aliases: ["product", "产品", "产品名称"]),
            FieldDescriptor("family", .text, aliases: ["category", "产品线", "类别"]),
            FieldDescriptor("unit_price_minor", .money, required: true, aliases: ["price", "unit price", "单价"]),
            FieldDescriptor("unit_cost_minor", .money, aliases: ["cost", "unit cost", "成本"]),
            FieldDescriptor("currency", .text, required: true, aliases: ["币种"]),
            FieldDescriptor("active", .boolean),
        ],
        naturalKey: "sku", accountPath: .shared, stampsCreation: false)

    public static let quotation = EntityDescriptor(
        name: "quotation", table: "quotations",
        fields: [
            FieldDescriptor("number", .text, required: true, aliases: ["quote number", "报价单号"]),
            FieldDescriptor("account_id", .reference("account"), required: true, aliases: accountAliases),
            FieldDescriptor("opportunity_id", .reference("opportunity")),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("status", .choice(["draft", "sent", "accepted", "rejected", "expired"])),
            FieldDescriptor("currency", .text, required: true),
            FieldDescriptor("discount_percent", .decimal, aliases: ["discount", "折扣"]),
            FieldDescriptor("tax_percent", .decimal, aliases: ["tax", "税率"]),
            FieldDescriptor("valid_until_on", .date, aliases: ["valid until", "有效期"]),
            FieldDescriptor("created_at", .timestamp),
        ],
        naturalKey: "number", accountPath: .account(accountColumn: "account_id", ownerColumn: "owner_id"))

    public static let quotationLine = EntityDescriptor(
        name: "quotation-line", table: "quotation_lines",
        fields: [
            FieldDescriptor("quotation_id", .reference("quotation"), required: true, aliases: ["quotation"]),
            FieldDescriptor("position", .integer, required: true),
            FieldDescriptor("product_id", .reference("product"), aliases: ["product", "sku"]),
            FieldDescriptor("description", .text, required: true),
            FieldDescriptor("quantity", .integer, required: true, aliases: ["qty", "数量"]),
            FieldDescriptor("unit_price_minor", .money, required: true, aliases: ["price", "unit price", "单价"]),
            FieldDescriptor("discount_percent", .decimal, aliases: ["discount"]),
        ],
        accountPath: .derived(accountSQL: "(SELECT account_id FROM quotations q WHERE q.id = r.quotation_id)"),
        stampsCreation: false)

    public static let order = EntityDescriptor(
        name: "order", table: "orders",
        fields: [
            FieldDescriptor("number", .text, required: true, aliases: ["order number", "订单号"]),
            FieldDescriptor("account_id", .reference("account"), required: true, aliases: accountAliases),
            FieldDescriptor("quotation_id", .reference("quotation")),
            FieldDescriptor("opportunity_id", .reference("opportunity")),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("status", .choice(["open", "fulfilled", "cancelled"])),
            FieldDescriptor("ordered_at", .timestamp, required: true, aliases: ["date", "order date", "下单时间"]),
            FieldDescriptor("total_minor", .money, required: true, aliases: ["total", "amount", "金额"]),
            FieldDescriptor("cost_minor", .money, aliases: ["cost", "成本"]),
            FieldDescriptor("currency", .text, required: true),
        ],
        naturalKey: "number", accountPath: .account(accountColumn: "account_id", ownerColumn: "owner_id"),
        stampsCreation: false)

    public static let orderLine = EntityDescriptor(
        name: "order-line", table: "order_lines",
        fields: [
            FieldDescriptor("order_id", .reference("order"), required: true, aliases: ["order"]),
            FieldDescriptor("product_id", .reference("product"), aliases: ["product", "sku"]),
            FieldDescriptor("quantity", .integer, required: true, aliases: ["qty"]),
            FieldDescriptor("unit_price_minor", .money, required: true, aliases: ["price"]),
            FieldDescriptor("unit_cost_minor", .money, aliases: ["cost"]),
        ],
        accountPath: .derived(accountSQL: "(SELECT account_id FROM orders o WHERE o.id = r.order_id)"),
        stampsCreation: false)

    public static let commissionRule = EntityDescriptor(
        name: "commission-rule", table: "commission_rules",
        fields: [
            FieldDescriptor("name", .text, required: true),
            FieldDescriptor("user_id", .reference("user"), aliases: ["user"]),
            FieldDescriptor("job_role", .text, aliases: ["role"]),
            FieldDescriptor("basis", .choice(["revenue", "margin"])),
            FieldDescriptor("rate_percent", .decimal, required: true, aliases: ["rate"]),
            FieldDescriptor("valid_from_on", .date, aliases: ["from"]),
            FieldDescriptor("valid_to_on", .date, aliases: ["to"]),
        ],
        accountPath: .shared, stampsCreation: false)

    public static let campaign = EntityDescriptor(
        name: "campaign", table: "campaigns",
        fields: [
            FieldDescriptor("name", .text, required: true, aliases: ["campaign", "活动", "活动名称"]),
            FieldDescriptor("channel", .choice(["traditional", "phone", "online", "email", "social", "event"]),
                            required: true, aliases: ["渠道"]),
            FieldDescriptor("status", .choice(["planned", "active", "completed", "cancelled"])),
            FieldDescriptor("budget_minor", .money, aliases: ["budget", "预算"]),
            FieldDescriptor("actual_cost_minor", .money, aliases: ["cost", "actual cost", "实际费用"]),
            FieldDescriptor("currency", .text, required: true),
            FieldDescriptor("starts_on", .date, required: true, aliases: ["start", "开始日期"]),
            FieldDescriptor("ends_on", .date, required: true, aliases: ["end", "结束日期"]),
            FieldDescriptor("owner_id", .reference("user"), aliases: ownerAliases),
            FieldDescriptor("created_at", .timestamp),
        ],
        naturalKey: "name", accountPath: .shared)

    public static let campaignMember = EntityDescriptor(
        name: "campaign-member", table: "campaign_members",
        fields: [
            FieldDescriptor("campaign_id", .reference("campaign"), required: true, aliases: ["campaign"]),
            FieldDescriptor("contact_id", .reference("contact"), aliases: ["contact"]),
            FieldDescriptor("lead_id", .reference("lead"), aliases: ["lead"]),
            FieldDescriptor("status", .choice(["targeted", "sent", "responded", "bounced", "unsubscribed"])),
            FieldDescriptor("response", .choice(["interested", "request_info", "purchase_intent", "not_interested",
                                                 "complaint", "unsubscribe"]), aliases: ["反馈"]),
            FieldDescriptor("responded_at", .timestamp),
        ],
        accountPath: .derived(accountSQL: "(SELECT account_id FROM contacts c WHERE c.id = r.contact_id)"),
        stampsCreation: false)

    public static let ticket = EntityDescriptor(
        name: "ticket", table: "tickets",
        fields: [
            FieldDescriptor("subject", .text, required: true, aliases: ["title", "主题", "标题"]),
            FieldDescriptor("type", .choice(["request", "incident", "question", "complaint"]), required: true, aliases: ["类型"]),
            FieldDescriptor("channel", .choice(["phone", "email", "letter", "web", "in_person", "social"]), required: true,
                            aliases: ["渠道", "来源"]),
            FieldDescriptor("priority", .choice(["urgent", "high", "normal", "low"]), required: true, aliases: ["优先级"]),
            FieldDescriptor("status", .choice(["open", "in_progress", "resolved", "closed"]), aliases: ["状态"]),
            FieldDescriptor("account_id", .reference("account"), aliases: accountAliases),
            FieldDescriptor("contact_id", .reference("contact"), aliases: ["contact", "联系人"]),
            FieldDescriptor("assignee_id", .reference("user"), aliases: ["assignee", "agent", "处理人"]),
            FieldDescriptor("install_base_id", .reference("install-base")),
            FieldDescriptor("created_at", .timestamp, aliases: ["created", "创建时间"]),
            FieldDescriptor("first_response_at", .timestamp),
            FieldDescriptor("resolved_at", .timestamp),
            FieldDescriptor("first_response_due_at", .timestamp, readOnly: true),
            FieldDescriptor("first_response_warn_at", .timestamp, readOnly: true),
            FieldDescriptor("resolution_due_at", .timestamp, readOnly: true),
            FieldDescriptor("resolution_warn_at", .timestamp, readOnly: true),
        ],
        accountPath: .account(accountColumn: "account_id", ownerColumn: "assignee_id"))

    public static let installBase = EntityDescriptor(
        name: "install-base", table: "install_base",
        fields: [
            FieldDescriptor("account_id", .reference("account"), required: true, aliases: accountAliases),
            FieldDescriptor("product_id", .reference("product"), required: true, aliases: ["product", "sku"]),
            FieldDescriptor("serial_number", .text, aliases: ["serial", "序列号"]),
            FieldDescriptor("installed_on", .date, aliases: ["installed", "安装日期"]),
            FieldDescriptor("warranty_ends_on", .date, aliases: ["warranty", "保修截止"]),
            FieldDescriptor("location", .text, aliases: ["地址"]),
            FieldDescriptor("status", .choice(["active", "in_repair", "retired"])),
        ],
        naturalKey: "serial_number", accountPath: .account(accountColumn: "account_id", ownerColumn: nil),
        stampsCreation: false)

    public static let kbArticle = EntityDescriptor(
        name: "kb-article", table: "kb_articles",
        fields: [
            FieldDescriptor("title", .text, required: true, aliases: ["标题"]),
            FieldDescriptor("body", .text, required: true, aliases: ["content", "正文", "内容"]),
            FieldDescriptor("tags", .text, aliases: ["标签"]),
            FieldDescriptor("status", .choice(["draft", "published", "archived"])),
            FieldDescriptor("author_id", .reference("user"), aliases: ["author"]),
            FieldDescriptor("created_at", .timestamp),
            FieldDescriptor("updated_at", .timestamp),
        ],
        naturalKey: "title", accountPath: .shared)

    public static let appointment = EntityDescriptor(
        name: "appointment", table: "appointments",
        fields: [
            FieldDescriptor("uid", .text, readOnly: true),
            FieldDescriptor("user_id", .reference("user"), required: true, aliases: ["user", "employee", "员工"]),
            FieldDescriptor("kind", .choice(["visit", "delivery", "installation", "meeting", "call"]), required: true,
                            aliases: ["type", "类型"]),
            FieldDescriptor("title", .text, required: true, aliases: ["subject", "主题"]),
            FieldDescriptor("account_id", .reference("account"), aliases: accountAliases),
            FieldDescriptor("contact_id", .reference("contact")),
            FieldDescriptor("location", .text, aliases: ["地点"]),
            FieldDescriptor("starts_at", .timestamp, required: true, aliases: ["start", "开始时间"]),
            FieldDescriptor("ends_at", .timestamp, required: true, aliases: ["end", "结束时间"]),
            FieldDescriptor("status", .choice(["planned", "confirmed", "done", "cancelled"])),
            FieldDescriptor("notes", .text, aliases: ["备注"]),
            FieldDescriptor("created_at", .timestamp),
        ],
        accountPath: .account(accountColumn: "account_id", ownerColumn: "user_id"))
}

/// The opportunity stages of `crm.v1.core`, in order, with the probability each gives a deal.
public enum OpportunityStages {
    public static let names = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"]
}
