import ArgumentParser

// TEMPORARY, until `CRMCommand` (crm list/show/add/import/export) registers the report and
// segment groups itself: `rollout crm report …` and `rollout crm segment …` reachable from the
// binary. Merge: add CRMReportCommand and CRMSegmentCommand to CRMCommand's subcommands, delete
// this file and its line in Entrypoint.swift.
struct CRMAnalyticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "The operational CRM: reports and customer segmentation.",
        subcommands: [CRMReportCommand.self, CRMSegmentCommand.self])
}
