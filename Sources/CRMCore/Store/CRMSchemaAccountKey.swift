import GRDB

extension CRMSchema {
    /// `crm.v4.account-name-key`: a de-duplication key for account names, so an import finds
    /// "Huaxin Trading Co., Ltd." when the CRM holds "huaxin trading", and 华信贸易有限公司 when it
    /// holds 华信贸易.
    static func registerAccountKeyMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crm.v4.account-name-key") { db in
            try db.execute(sql: """
                ALTER TABLE accounts ADD COLUMN name_key TEXT GENERATED ALWAYS AS (\(accountNameKey("name"))) VIRTUAL;
                -- import de-duplication: an account by its name without legal form, case or punctuation
                CREATE INDEX accounts_by_name_key ON accounts(name_key);
                """)
        }
    }

    /// The legal forms and punctuation an account name key leaves out, longest first.
    static let legalForms = ["股份有限公司", "有限责任公司", "有限公司", "(集团)", "（集团）", "集团", "公司",
                             "co.,ltd.", "co., ltd.", "co.,ltd", "co., ltd", "co. ltd.", "company limited", "limited",
                             "ltd.", "ltd", "inc.", "inc", "gmbh", "corp.", "corporation", "llc"]

    /// SQL reducing an account name (a column or `?`) to its key: lower-cased, without the legal
    /// forms above, spaces, commas, full stops and hyphens.
    static func accountNameKey(_ expression: String) -> String {
        var key = "lower(\(expression))"
        for form in legalForms {
            key = "replace(\(key), '\(form)', '')"
        }
        for character in [" ", ",", ".", "-", "，", "　"] {
            key = "replace(\(key), '\(character)', '')"
        }
        return key
    }
}
