/// Every kind of problem the playbook compiler reports. The raw value is the stable
/// `PlaybookDiagnostic.code` that scripts and editors match on; `docs/playbook.md` lists them all.
///
/// Package-visible rather than public so that new kinds can be added without breaking a
/// user's exhaustive `switch`; users match on the `code` string.
package enum DiagnosticCode: String, CaseIterable, Sendable {
    // Reading the file
    case unreadableFile = "unreadable-file"
    case yamlSyntax = "yaml-syntax"
    case duplicateKey = "duplicate-key"
    case emptyPlaybook = "empty-playbook"

    // Loading: the shape of the text
    case unknownKey = "unknown-key"
    case missingKey = "missing-key"
    case conflictingKeys = "conflicting-keys"
    case wrongType = "wrong-type"
    case invalidValue = "invalid-value"
    case invalidID = "invalid-id"
    case outOfRange = "out-of-range"
    case emptyGroup = "empty-group"

    // Validation: ids and references
    case duplicateID = "duplicate-id"
    case unknownRole = "unknown-role"
    case unknownKPI = "unknown-kpi"
    case unknownMetric = "unknown-metric"
    case unknownPilotGroup = "unknown-pilot-group"
    case unknownTask = "unknown-task"
    case unknownDeliverable = "unknown-deliverable"
    case unknownProcess = "unknown-process"
    case unknownAction = "unknown-action"
    case unknownCheck = "unknown-check"
    case noPilotGroup = "no-pilot-group"
    case noControlGroup = "no-control-group"
    case dependencyCycle = "dependency-cycle"
    case unknownState = "unknown-state"
    case unknownEntity = "unknown-entity"
    case initialState = "initial-state"
    case unknownPhase = "unknown-phase"
    case cyclePhases = "cycle-phases"

    // Conditions (gates, entry criteria, guards, cycles)
    case conditionSyntax = "condition-syntax"
    case unknownName = "unknown-name"
    case conditionType = "condition-type"
    case nonBooleanCondition = "non-boolean-condition"

    // Composition: extends, include, parameters
    case unreadableInclude = "unreadable-include"
    case compositionCycle = "composition-cycle"
    case unknownParameter = "unknown-parameter"
    case missingParameter = "missing-parameter"

    // Warnings that teach the method
    case goalKPICount = "goal-kpi-count"
    case pilotWithoutControl = "pilot-without-control"
    case gateWithoutApprovers = "gate-without-approvers"
    case phaseWithoutGate = "phase-without-gate"
    case deliverableNotProduced = "deliverable-not-produced"
    case unusedKPI = "unused-kpi"
    case expensiveMaintenance = "expensive-maintenance"
    case pilotStartWithoutPilot = "pilot-start-without-pilot"
    case unreachableState = "unreachable-state"
    case deadEndState = "dead-end-state"
    case processWithoutToBe = "process-without-to-be"
}

extension PlaybookDiagnostic {
    static func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation,
                      suggestion: String? = nil) -> PlaybookDiagnostic {
        PlaybookDiagnostic(.error, code: code.rawValue, message, at: location, suggestion: suggestion)
    }

    static func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation,
                        suggestion: String? = nil) -> PlaybookDiagnostic {
        PlaybookDiagnostic(.warning, code: code.rawValue, message, at: location, suggestion: suggestion)
    }
}
