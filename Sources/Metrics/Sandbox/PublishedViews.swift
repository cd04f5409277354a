import CRMCore
import GRDB

/// The `v_*` views a custom SQL metric (and a plugin's metric) may read: the analytics contract
/// of a workspace.
///
/// They keep their column names when the CRM's tables change, and they leave out personal data
/// and free text (names of people, e-mail addresses, phone numbers, subjects, notes): a metric
/// counts, it does not need to read what someone wrote. Where a metric needs to know whether a
/// field is filled, the view has a `has_*` flag (1 or 0) instead of the value.
///
/// ```sql
/// SELECT l.owner_id AS user_id, l.created_at AS at, l.has_email * 100.0 AS value FROM v_leads l
/// ```
public struct PublishedView: Sendable, Hashable {
    public var name: String
    /// What one row is, in words, for docs/kpis.md and `rollout metrics --views`.
    public var summary: String
    public var columns: [String]
    /// The SELECT the view is defined by.
    public var definition: String

    public static let all: [PublishedView] = [
        PublishedView(name: "v_users", summary: "a user (no e-mail)",
                      select: "id, name, team_id, job_role, active, created_at", from: "users"),
        PublishedView(name: "v_teams", summary: "a team",
                      select: "id, name, kind, region", from: "teams"),
        PublishedView(name: "v_user_logins", summary: "one sign-in of a user",
                      select: "id, user_id, at, channel", from: "user_logins"),
        PublishedView(name: "v_accounts", summary: "a customer account",
                      select: "id, name, type, status, classification, industry, region, owner_id, created_at",
                      from: "accounts"),
        PublishedView(name: "v_contacts", summary: "a contact person (which fields are filled, not their values)",
                      select: """
                          id, account_id, owner_id, created_at,
                          (title IS NOT NULL AND title <> '') AS has_title,
                          (email IS NOT NULL AND email <> '') AS has_email,
                          (phone IS NOT NULL AND phone <> '') AS has_phone
                          """,
                      from: "contacts"),
        PublishedView(name: "v_leads", summary: "a lead (the company, not the person)",
                      select: """
                          id, company, source, status, owner_id, created_at, converted_at, converted_account_id,
                          disqualified_at,
                          (email IS NOT NULL AND email <> '') AS has_email,
                          (phone IS NOT NULL AND phone <> '') AS has_phone
                          """,
                      from: "leads"),
        PublishedView(name: "v_opportunities", summary: "an opportunity; amounts in minor units of `currency`",
                      select: """
                          id, name, account_id, lead_id, stage, amount_minor, currency, owner_id, created_at,
                          expected_close_on, closed_at
                          """,
                      from: "opportunities"),
        PublishedView(name: "v_opportunity_stages", summary: "a stage of the sales pipeline",
                      select: "name, position, probability, is_closed, is_won", from: "opportunity_stages"),
        PublishedView(name: "v_opportunity_stage_changes", summary: "an opportunity moving from one stage to another",
                      select: "id, opportunity_id, from_stage, to_stage, changed_at, changed_by",
                      from: "opportunity_stage_changes"),
        PublishedView(name: "v_activities", summary: "a call, e-mail, meeting or task (no subject)",
                      select: "id, kind, owner_id, account_id, contact_id, lead_id, opportunity_id, at, duration_minutes",
                      from: "activities"),
        PublishedView(name: "v_follow_ups", summary: "a customer follow-up (no summary text)",
                      select: "id, account_id, contact_id, user_id, at, channel, next_on", from: "follow_ups"),
        PublishedView(name: "v_campaigns", summary: "a marketing campaign; money in minor units",
                      select: """
                          id, name, channel, status, budget_minor, actual_cost_minor, currency, starts_on, ends_on,
                          owner_id, created_at
                          """,
                      from: "campaigns"),
        PublishedView(name: "v_campaign_members", summary: "a contact or lead targeted by a campaign",
                      select: "id, campaign_id, contact_id, lead_id, status, response, responded_at",
                      from: "campaign_members"),
        PublishedView(name: "v_quotations", summary: "a quotation",
                      select: """
                          id, account_id, opportunity_id, owner_id, status, currency, discount_percent, tax_percent,
                          valid_until_on, created_at
                          """,
                      from: "quotations"),
        PublishedView(name: "v_orders", summary: "an order; money in minor units",
                      select: """
                          id, account_id, quotation_id, opportunity_id, owner_id, status, ordered_at, total_minor,
                          cost_minor, currency
                          """,
                      from: "orders"),
        PublishedView(name: "v_contracts", summary: "a contract; value in minor units",
                      select: """
                          id, account_id, status, value_minor, currency, starts_on, ends_on, signed_at, owner_id,
                          created_at
                          """,
                      from: "contracts"),
        PublishedView(name: "v_sla_policies", summary: "the response and resolution targets of a ticket priority",
                      select: "priority, first_response_minutes, resolution_minutes", from: "sla_policies"),
        PublishedView(name: "v_tickets", summary: "a service ticket or complaint (type `complaint`), no subject",
                      select: """
                          id, type, channel, priority, status, account_id, contact_id, assignee_id, created_at,
                          first_response_at, resolved_at, install_base_id
                          """,
                      from: "tickets"),
        PublishedView(name: "v_ticket_status_changes", summary: "a ticket moving from one status to another",
                      select: "id, ticket_id, from_status, to_status, changed_at, changed_by",
                      from: "ticket_status_changes"),
        PublishedView(name: "v_kb_articles", summary: "a knowledge-base article (no body)",
                      select: "id, title, status, author_id, created_at, updated_at", from: "kb_articles"),
        PublishedView(name: "v_ticket_articles", summary: "a knowledge-base article linked to a ticket",
                      select: "ticket_id, article_id, linked_by, linked_at", from: "ticket_articles"),
        PublishedView(name: "v_appointments", summary: "an appointment (no title, place or notes)",
                      select: "id, user_id, kind, account_id, contact_id, starts_at, ends_at, status, created_at",
                      from: "appointments"),
        PublishedView(name: "v_install_base", summary: "an installed product at a customer",
                      select: "id, account_id, product_id, serial_number, installed_on, warranty_ends_on, status",
                      from: "install_base"),
        PublishedView(name: "v_products", summary: "a product of the catalogue",
                      select: "id, sku, name, family, active", from: "products"),
    ]

    init(name: String, summary: String, select: String, from table: String) {
        self.name = name
        self.summary = summary
        self.definition = "SELECT \(select) FROM \(table)"
        self.columns = select.split(separator: ",").map { column in
            let words = column.split(whereSeparator: \.isWhitespace)
            return String(words.last ?? "")
        }
    }

    public static func named(_ name: String) -> PublishedView? {
        all.first { $0.name == name }
    }

    /// Drops and recreates every published view, so a migration can redefine them all at once.
    static func createAll(_ db: Database) throws {
        for view in all {
            try db.execute(sql: "DROP VIEW IF EXISTS \(view.name)")
            try db.execute(sql: "CREATE VIEW \(view.name) AS \(view.definition)")
        }
    }
}
