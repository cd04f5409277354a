/// The regulator's figures the plugin applies where nobody gives others.
enum Regulation {
    /// Days a bank or an insurer has to decide on a complaint and tell the complainant: 15
    /// under the CBIRC's Measures for Handling Consumer Complaints in Banking and Insurance
    /// (in force since 1 March 2020).
    static let complaintDeadlineDays: Int64 = 15
    static let complaintDeadlineSeconds = complaintDeadlineDays * 86_400
}
