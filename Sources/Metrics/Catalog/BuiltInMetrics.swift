/// The metrics every workspace has, one file per category. Their exact definitions are
/// documented in docs/kpis.md, which a test keeps in step with the SQL here.
///
/// A metric's SQL follows the contract of `MetricDefinition`: one row per unit of analysis
/// with a numeric `value`, never NULL, and no row at all when there is nothing to measure (a
/// group without leads has no lead conversion rate, not a rate of zero).
enum BuiltInMetrics {}

extension MetricCatalog {
    /// The metrics every workspace has, by category. Their exact definitions are documented in docs/kpis.md.
    public static let builtIn = MetricCatalog(metrics: BuiltInMetrics.sales + BuiltInMetrics.marketing
                                              + BuiltInMetrics.service + BuiltInMetrics.adoption
                                              + BuiltInMetrics.dataQuality + BuiltInMetrics.process)
}
