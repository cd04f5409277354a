import CRolloutPlugin
import Foundation
import PluginKit

/// The Manufacturing vertical (issue #7): being written.
struct ManufacturingPlugin: RolloutPlugin {
    let manifest = PluginDeclaration(id: "manufacturing", version: "1.0.0")
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: ManufacturingPlugin(), host: host)
}
