import CRolloutPlugin
import Foundation
import PluginKit

/// The Retail vertical (issue #7): being written.
struct RetailPlugin: RolloutPlugin {
    let manifest = PluginDeclaration(id: "retail", version: "1.0.0")
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: RetailPlugin(), host: host)
}
