/// k-means clustering on chosen numeric attributes (revenue, orders, tickets, tenure…), the
/// same clusters every time for the same rows and seed.
///
/// ```swift
/// let clustering = try KMeans(k: 4, seed: 2025).cluster(
///     rows.map { [$0.revenue, $0.orders, $0.tickets] },
///     featureNames: ["revenue", "orders", "tickets"])
/// clustering.assignments[0]     // the cluster of the first row
/// clustering.centroids          // each cluster's mean, in revenue, orders and tickets
/// ```
///
/// The steps:
/// 1. Standardise each feature to z = (x − μ) / σ, with μ its mean and σ its population standard
///    deviation (divided by n), so that no feature weighs more for being measured in bigger
///    units. A constant feature gets σ = 1 (all its z are 0) instead of a division by zero.
/// 2. Seed the k centres by k-means++ (Arthur and Vassilvitskii, 2007): the first is a row drawn
///    uniformly, each next a row drawn with probability proportional to D², its squared
///    distance to the nearest centre so far. The draws come from `SeededRandom(seed:)`.
/// 3. Lloyd's iterations: each row goes to its nearest centre (the lower cluster number on a
///    tie), then each centre moves to the mean of its rows. It stops when an update leaves
///    every assignment as it was, or after `maxIterations` updates.
/// 4. A cluster left with no rows takes the row farthest from its own cluster's centre (the
///    first such row on a tie), and that cluster's centre is recomputed; repeated until no
///    cluster is empty. Because k is at most the number of distinct rows, that row is always
///    away from its centre, so the cluster it leaves keeps at least one row.
/// 5. Clusters are numbered by their first row: row 0 is in cluster 0, the first row not in
///    cluster 0 is in cluster 1, and so on, so numbers do not depend on the seeding order.
public struct KMeans: Sendable, Hashable {
    /// The number of clusters.
    public let k: Int
    public let seed: UInt64
    public let maxIterations: Int

    public init(k: Int, seed: UInt64, maxIterations: Int = 100) {
        self.k = k
        self.seed = seed
        self.maxIterations = maxIterations
    }

    /// The outcome of clustering: which cluster each row is in, and what each cluster looks like.
    public struct Clustering: Sendable, Hashable {
        public let featureNames: [String]
        /// The cluster (0..<k) of each row, in input order.
        public let assignments: [Int]
        /// Each cluster's mean row, in the features' own units.
        public let centroids: [[Double]]
        /// Rows per cluster.
        public let sizes: [Int]
        /// The within-cluster sum of squared distances to the centres, in standardised units.
        public let inertia: Double
        /// Centre updates run (at least 1).
        public let iterations: Int
        /// False when `maxIterations` ran out before the assignments settled.
        public let converged: Bool
        /// The standardisation used: z = (x − featureMeans[j]) / featureScales[j].
        public let featureMeans: [Double]
        public let featureScales: [Double]
    }

    /// Clusters `rows` (one array of feature values per row, in the order of `featureNames`).
    ///
    /// Throws a `SegmentationError` when k < 1, `maxIterations` < 1, there are no features, a row
    /// has the wrong number of values, a value is NaN or infinite, or k exceeds the number of
    /// distinct rows.
    public func cluster(_ rows: [[Double]], featureNames: [String]) throws -> Clustering {
        try validate(rows, featureNames: featureNames)
        let (means, scales) = Self.standardisation(of: rows, featureCount: featureNames.count)
        let points = rows.map { row in row.indices.map { (row[$0] - means[$0]) / scales[$0] } }
        var random = SeededRandom(seed: seed)
        let seeds = Self.plusPlusSeeds(points, k: k, random: &random)
        let run = Self.lloyd(points, initialCentroids: seeds, maxIterations: maxIterations)

        // Number clusters by their first row.
        var renumbered = Array(repeating: -1, count: k)
        var next = 0
        for cluster in run.assignments where renumbered[cluster] < 0 {
            renumbered[cluster] = next
            next += 1
        }
        let assignments = run.assignments.map { renumbered[$0] }
        var sizes = Array(repeating: 0, count: k)
        var sums = Array(repeating: Array(repeating: 0.0, count: featureNames.count), count: k)
        for (row, cluster) in zip(rows, assignments) {
            sizes[cluster] += 1
            for feature in row.indices { sums[cluster][feature] += row[feature] }
        }
        let centroids = sums.indices.map { cluster in sums[cluster].map { $0 / Double(sizes[cluster]) } }
        return Clustering(
            featureNames: featureNames, assignments: assignments, centroids: centroids, sizes: sizes,
            inertia: zip(points, run.assignments).reduce(0) { $0 + Self.squaredDistance($1.0, run.centroids[$1.1]) },
            iterations: run.iterations, converged: run.converged, featureMeans: means, featureScales: scales)
    }

    private func validate(_ rows: [[Double]], featureNames: [String]) throws {
        guard k >= 1 else { throw SegmentationError(reason: "k must be at least 1, not \(k)") }
        guard maxIterations >= 1 else {
            throw SegmentationError(reason: "maxIterations must be at least 1, not \(maxIterations)")
        }
        guard !featureNames.isEmpty else { throw SegmentationError(reason: "there are no features to cluster on") }
        for (index, row) in rows.enumerated() {
            guard row.count == featureNames.count else {
                throw SegmentationError(
                    row: index, reason: "has \(row.count) values for \(featureNames.count) features")
            }
            for (feature, value) in zip(featureNames, row) where !value.isFinite {
                throw SegmentationError(row: index, feature: feature, reason: "\(value) is not a finite number")
            }
        }
        let distinct = Set(rows).count
        guard k <= distinct else {
            throw SegmentationError(
                reason: "k = \(k) clusters need at least \(k) distinct rows; there are \(distinct)")
        }
    }

    /// Mean and population standard deviation of each feature; a constant feature (all values
    /// equal, tested exactly so rounding cannot fake a tiny spread) gets its value and 1.
    static func standardisation(of rows: [[Double]], featureCount: Int) -> (means: [Double], scales: [Double]) {
        var means: [Double] = [], scales: [Double] = []
        for feature in 0..<featureCount {
            let values = rows.map { $0[feature] }
            if values.allSatisfy({ $0 == values[0] }) {
                means.append(values[0])
                scales.append(1)
                continue
            }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            let scale = variance.squareRoot()
            means.append(mean)
            scales.append(scale > 0 && scale.isFinite ? scale : 1)
        }
        return (means, scales)
    }

    /// k-means++ seeding: `k` distinct points as initial centres.
    static func plusPlusSeeds(_ points: [[Double]], k: Int, random: inout SeededRandom) -> [[Double]] {
        var centres = [points[random.int(below: points.count)]]
        var nearest = points.map { squaredDistance($0, centres[0]) }
        while centres.count < k {
            // Points equal to a centre have weight 0, so the centres stay distinct.
            let total = nearest.reduce(0, +)
            let target = random.unit() * total
            var cumulative = 0.0
            var chosen = nearest.lastIndex { $0 > 0 }!   // k ≤ distinct points, so some point is no centre yet
            for index in nearest.indices where nearest[index] > 0 {
                cumulative += nearest[index]
                if cumulative > target {
                    chosen = index
                    break
                }
            }
            centres.append(points[chosen])
            for index in points.indices {
                nearest[index] = min(nearest[index], squaredDistance(points[index], points[chosen]))
            }
        }
        return centres
    }

    /// Lloyd's iterations from the given centres, with empty clusters re-seeded.
    static func lloyd(
        _ points: [[Double]], initialCentroids: [[Double]], maxIterations: Int
    ) -> (assignments: [Int], centroids: [[Double]], iterations: Int, converged: Bool) {
        var assignments = assign(points, to: initialCentroids)
        var centroids = initialCentroids
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            centroids = means(points, assignments: &assignments, k: initialCentroids.count)
            let next = assign(points, to: centroids)
            if next == assignments { return (assignments, centroids, iterations, true) }
            assignments = next
        }
        centroids = means(points, assignments: &assignments, k: initialCentroids.count)
        return (assignments, centroids, iterations, false)
    }

    /// The nearest centroid of each point, the lower index on a tie.
    private static func assign(_ points: [[Double]], to centroids: [[Double]]) -> [Int] {
        points.map { point in
            var best = 0
            var bestDistance = squaredDistance(point, centroids[0])
            for cluster in 1..<centroids.count {
                let distance = squaredDistance(point, centroids[cluster])
                if distance < bestDistance {
                    best = cluster
                    bestDistance = distance
                }
            }
            return best
        }
    }

    /// The mean of each cluster. An empty cluster takes the point farthest from its own
    /// cluster's mean (which moves `assignments`), until no cluster is empty.
    private static func means(_ points: [[Double]], assignments: inout [Int], k: Int) -> [[Double]] {
        func mean(of cluster: Int) -> [Double] {
            var sum = Array(repeating: 0.0, count: points[0].count)
            var count = 0
            for (point, assigned) in zip(points, assignments) where assigned == cluster {
                count += 1
                for feature in point.indices { sum[feature] += point[feature] }
            }
            return count == 0 ? [] : sum.map { $0 / Double(count) }
        }
        var centroids = (0..<k).map(mean(of:))
        while let empty = centroids.firstIndex(where: \.isEmpty) {
            var farthest = 0
            var farthestDistance = -1.0
            for (index, point) in points.enumerated() {
                let distance = squaredDistance(point, centroids[assignments[index]])
                if distance > farthestDistance {
                    farthest = index
                    farthestDistance = distance
                }
            }
            let donor = assignments[farthest]
            assignments[farthest] = empty
            centroids[empty] = points[farthest]
            centroids[donor] = mean(of: donor)
        }
        return centroids
    }

    static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for index in a.indices {
            let difference = a[index] - b[index]
            sum += difference * difference
        }
        return sum
    }
}
