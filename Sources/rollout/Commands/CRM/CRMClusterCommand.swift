import ArgumentParser
import CRMCore

struct CRMClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster customers by k-means on the attributes you choose.",
        discussion: """
            Attributes (counted from --from, or the beginning, to --to or the as-of instant): \
            \(AccountAttribute.allCases.map { "\($0.rawValue) (\($0.meaning))" }.joined(separator: ", ")). Default: \(AccountAttribute.standard.map(\.rawValue).joined(separator: ",")).

            Each attribute is standardised (z-score) so that none weighs more for its units; centres start by k-means++ from --seed, so the same data and seed give the same clusters. Accounts with no data on any chosen attribute are left out. --json lists every account's cluster.

            Examples:
              rollout crm segment cluster --k 4
              rollout crm segment cluster --k 3 --attributes revenue,margin,tickets,activities --seed 2025 --json
            """)

    @Option(help: "The number of clusters.")
    var k: Int = 4

    @Option(help: "The random seed of the k-means++ start.")
    var seed: UInt64 = 1

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "The attributes, comma- or space-separated.", valueName: "attribute"))
    var attributes: [String] = []

    @OptionGroup var dates: WindowOptions
    @OptionGroup var options: CRMAnalysisOptions

    func chosen() throws -> [AccountAttribute] {
        let names = attributes.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty else { return AccountAttribute.standard }
        return try names.map { name in
            guard let attribute = AccountAttribute(rawValue: name) else {
                throw ValidationError("--attributes: unknown attribute '\(name)'; choose among "
                    + AccountAttribute.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return attribute
        }
    }

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        _ = try chosen()
    }

    func run() throws {
        try Terminal.failing {
            let attributes = try chosen()
            let (since, asOf) = try dates.segmentRange(now: options.asOf())
            let report = try options.open().database.read { db in
                try AccountClustering.compute(attributes: attributes, k: k, seed: seed, asOf: asOf, since: since,
                                              currency: options.currency, as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: AccountClustering) -> String {
        let names = report.attributes.map(\.rawValue)
        var table = ReportTable(["Cluster>", "Accounts>", "Share>"] + names.map { "Mean \($0)>" })
        for cluster in report.clusters {
            table.row([String(cluster.number), ReportText.count(cluster.accounts), ReportText.percent(cluster.share)]
                + names.map { ReportText.decimal(cluster.centroid[$0] ?? 0) })
        }
        return "\(report.k) clusters of \(ReportText.count(report.members.count)) accounts at \(report.asOf)"
            + (report.since.map { " (since \($0.dateString))" } ?? "") + ", seed \(report.seed)"
            + (report.attributes.contains { $0 == .revenue || $0 == .margin } ? ", money in \(report.currency)" : "") + "\n"
            + table.rendered()
            + "\n  \(report.converged ? "Converged" : "Stopped without converging") after \(report.iterations) iterations; "
            + "inertia \(String(format: "%.1f", report.inertia)) (standardised units). --json lists each account's cluster."
            + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
