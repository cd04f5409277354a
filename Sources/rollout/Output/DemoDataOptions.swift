import ArgumentParser
import CRMCore

extension DemoScale: ExpressibleByArgument {}

/// `--scale` and `--seed`: which deterministic demo CRM a command generates.
struct DemoDataOptions: ParsableArguments {
    @Option(help: "small, medium or large.")
    var scale: DemoScale = .small

    @Option(help: "The random seed of the demo data.")
    var seed: UInt64 = 42
}
