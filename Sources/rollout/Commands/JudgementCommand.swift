import ArgumentParser
import Evaluation
import RolloutKit

extension Judgement.Topic: ExpressibleByArgument {}
extension Judgement.Verdict: ExpressibleByArgument {}

struct JudgementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judgement",
        abstract: "Record the judgements the data cannot make: evidence questions, performance and outcome evaluation.",
        discussion: """
            The evaluation report answers each question of the evidence report (S1 step 6) from the data, and adds what people who know the project recorded here. The project evaluation (S0 §5) has two parts: the performance evaluation soon after completion, and the outcome evaluation, often years later, recorded with a KPI snapshot fixed by its hash.

            Topics:
              success       where does the success show?
              assumptions   did the assumptions about duties, touch points and goals hold?
              gaps          what did the last phase miss, what must the next add?
              continuing    which facts justify continuing?
              goals         how does the success relate to the business goals?
              customer      what did the customers experience?
              performance   how well was the project run? (--verdict optional)
              outcome       did the rollout achieve what it was for? (--verdict required)
              unquantified  benefits no KPI measures, and what they are worth

            Example:
              rollout judgement add --topic outcome --verdict partly --by "Li Wei" \\
                --text "Service met its goals two years on; the sales pipeline did not grow"
            """,
        subcommands: [JudgementAdd.self, JudgementList.self],
        defaultSubcommand: JudgementList.self)
}

struct JudgementAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a judgement.")

    @Option(help: "success, assumptions, gaps, continuing, goals, customer, performance, outcome or unquantified.")
    var topic: Judgement.Topic

    @Option(help: "achieved, partly or not-achieved (performance and outcome only).")
    var verdict: Judgement.Verdict?

    @Option(help: "The judgement, in words.")
    var text: String

    @Option(help: "Who judges.")
    var by: String

    @Option(help: "The phase it is about (default: the whole project).")
    var phase: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let judgement = try workspace.session().addJudgement(topic: topic, verdict: verdict, text: text,
                                                                 phaseID: phase, by: by, clock: try workspace.clock())
            try output.emit(judgement) { j in
                "judgement \(j.id ?? 0) recorded on \(j.topic.rawValue)"
                    + (j.snapshotSHA256.map { " with snapshot \(j.snapshotLabel ?? "") (sha256 \($0.prefix(16)))" } ?? "")
            }
        }
    }
}

struct JudgementList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded judgements.")

    @Option(help: "Only this topic.")
    var topic: Judgement.Topic?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let judgements = try workspace.session().judgements(topic: topic)
            try output.emit(judgements) { list in
                list.isEmpty ? "no judgements recorded" : list.map { j in
                    "#\(j.id ?? 0) \(j.recordedAt.dateString) \(j.topic.rawValue)"
                        + (j.verdict.map { " (\($0.rawValue))" } ?? "") + " by \(j.recordedBy): \(j.text)"
                }.joined(separator: "\n")
            }
        }
    }
}
