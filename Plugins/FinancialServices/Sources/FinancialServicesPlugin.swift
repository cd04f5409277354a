import CRolloutPlugin
import Foundation
import PluginKit

/// The FinancialServices vertical (issue #7): being written.
struct FinancialServicesPlugin: RolloutPlugin {
    let manifest = PluginDeclaration(id: "financial-services", version: "1.0.0")
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: FinancialServicesPlugin(), host: host)
}
