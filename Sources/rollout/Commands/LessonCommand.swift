import ArgumentParser
import CRMCore
import Evaluation
import RolloutKit

extension LessonLearned.Category: ExpressibleByArgument {}
extension ProjectSession.LessonOrder: ExpressibleByArgument {}

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Record and list lessons learned (S1 step 4).",
        subcommands: [LessonAdd.self, LessonList.self],
        defaultSubcommand: LessonList.self)
}

struct LessonAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record a lesson learned on a phase.",
        discussion: """
            Categories answer the questions of the improvement method's lessons step:
              training       what training beforehand would have avoided it?
              foreknowledge  what should we have known before we started?
              challenge      which unknown challenge, and how was it handled?
              delay          where was time lost, who caused it, what did it cost?
              shortfall      what fell short of expectations, and the remedy?

            Example:
              rollout lesson add --phase prototype-test --category delay \\
                --what "Legacy export late" --delay-days 6 --caused-by "IT" \\
                --cost 18000 --remedy "Export scheduled nightly"
            """)

    @Option(help: "The phase the lesson belongs to.")
    var phase: String

    @Option(help: "training, foreknowledge, challenge, delay or shortfall.")
    var category: LessonLearned.Category

    @Option(help: "What happened.")
    var what: String

    @Option(name: .customLong("delay-days"), help: "Days of delay it caused.")
    var delayDays: Int = 0

    @Option(name: .customLong("caused-by"), help: "Who or what caused it.")
    var causedBy: String?

    @Option(help: "What it cost, in the playbook's currency (major units, e.g. 18000).")
    var cost: Double?

    @Option(help: "The remedy taken.")
    var remedy: String?

    @Option(help: "Who records the lesson.")
    var by: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let session = try workspace.session()
            let lesson = try session.addLesson(phaseID: phase, category: category, whatHappened: what, delayDays: delayDays,
                                               causedBy: causedBy, cost: cost, remedy: remedy, by: by,
                                               clock: try workspace.clock())
            if output.json { return try Terminal.json(lesson) }
            print("lesson \(lesson.id ?? 0) recorded on \(phase) (\(category.rawValue))")
        }
    }
}

struct LessonList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List lessons learned, with totals by category and phase.")

    @Option(help: "Only this phase.")
    var phase: String?

    @Option(help: "Only this category.")
    var category: LessonLearned.Category?

    @Option(name: .customLong("caused-by"), help: "Only lessons caused by this (as recorded, any case).")
    var causedBy: String?

    @Option(help: "Order: recorded (default), cost or delay (largest first).")
    var sort: ProjectSession.LessonOrder = .recorded

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    struct Listing: Encodable {
        var lessons: [LessonLearned]
        var summary: LessonSummary
    }

    func run() throws {
        try Terminal.failing {
            let session = try workspace.session()
            let (lessons, summary) = try session.lessons(phaseID: phase, category: category, causedBy: causedBy,
                                                         order: sort)
            if output.json { return try Terminal.json(Listing(lessons: lessons, summary: summary)) }
            if lessons.isEmpty { print("no lessons recorded") }
            for lesson in lessons {
                var facts = ["\(lesson.phaseID)", lesson.category.rawValue]
                if lesson.delayDays > 0 { facts.append("\(lesson.delayDays) days late") }
                if let by = lesson.causedBy { facts.append("caused by \(by)") }
                if let cost = lesson.cost { facts.append("cost \(cost.formatted)") }
                print("#\(lesson.id ?? 0) [\(facts.joined(separator: ", "))] \(lesson.whatHappened)")
                if let remedy = lesson.remedy { print("    remedy: \(remedy)") }
            }
            guard !lessons.isEmpty else { return }
            print("")
            print("By category:")
            print(Terminal.table(summary.byCategory.map { [$0.key, "\($0.lessons) lessons", "\($0.delayDays) days"] }))
            let currency = lessons.compactMap(\.cost?.currency).first
            print("Cost of delay by cause, costliest first:")
            print(Terminal.table(summary.byCause.map { line in
                [line.key, "\(line.lessons) lessons", "\(line.delayDays) days",
                 currency.map { Money(minorUnits: line.costMinor, currency: $0).formatted } ?? ""]
            }))
            print("Total delay \(summary.totalDelayDays) days" + (summary.totalCost.map { ", cost \($0.formatted)" } ?? ""))
        }
    }
}
