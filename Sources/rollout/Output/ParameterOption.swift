import ArgumentParser

/// `--param NAME=VALUE`, repeated: values for a playbook's `parameters:`.
enum ParameterOption {
    static func parse(_ values: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw ValidationError("--param \(value): write NAME=VALUE, e.g. --param pilot_weeks=8")
            }
            result[String(value[..<equals])] = String(value[value.index(after: equals)...])
        }
        return result
    }
}
