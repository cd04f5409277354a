import CRolloutPlugin
import Foundation
import PluginKit

/// The smallest Swift plugin: one action that greets, written as the plugin author guide
/// teaches. The end-to-end tests load it; the verticals follow the same shape.
struct ExamplePlugin: RolloutPlugin {
    let manifest = PluginDeclaration(id: "example", version: "1.0.0",
                                     actions: [.init(id: "example.greet", summary: "greet someone by name")])

    func call(_ operation: String, request: Data, host: PluginHostServices) throws -> Data {
        switch operation {
        case "action:example.greet":
            let input = (try JSONSerialization.jsonObject(with: request)) as? [String: Any] ?? [:]
            guard let name = input["name"] as? String else { throw PluginFailure("example.greet needs a name") }
            host.log("greeting \(name)")
            return try JSONSerialization.data(withJSONObject: ["greeting": "Hello, \(name)"])
        default:
            throw PluginFailure("unknown operation \(operation)")
        }
    }
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: ExamplePlugin(), host: host)
}
