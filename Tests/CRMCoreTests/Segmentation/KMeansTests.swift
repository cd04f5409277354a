import Testing
@testable import CRMCore

/// k-means: recovering obvious groups, determinism, standardisation, empty clusters, validation.
@Suite struct KMeansTests {
    /// Two blobs of four: around (1.5, 1.5) and around (10.5, 10.5).
    let blobs: [[Double]] = [[1, 2], [2, 1], [1, 1], [2, 2], [10, 11], [11, 10], [10, 10], [11, 11]]

    @Test func twoObviousBlobsAreRecovered() throws {
        let clustering = try KMeans(k: 2, seed: 1).cluster(blobs, featureNames: ["orders", "revenue"])
        // Numbered by first row: the first blob is cluster 0.
        #expect(clustering.assignments == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(clustering.sizes == [4, 4])
        #expect(clustering.centroids == [[1.5, 1.5], [10.5, 10.5]])
        // Each feature has mean 6 and deviations ±4, ±5 (four each): variance (4·16 + 4·25) / 8
        // = 20.5. Within each blob each feature deviates ±0.5 from the blob's mean: 8 rows × 2
        // features × 0.25 = 4 in original units, 4 / 20.5 standardised.
        #expect(abs(clustering.inertia - 4 / 20.5) < 1e-12)
        #expect(clustering.featureMeans == [6, 6])
        #expect(clustering.featureScales.allSatisfy { abs($0 - 20.5.squareRoot()) < 1e-12 })
        #expect(clustering.converged)
    }

    @Test func theSameRowsAndSeedGiveTheSameClustering() throws {
        // 300 rows in three noisy groups; two runs must agree to the last bit.
        var random = SeededRandom(seed: 99)
        let centres: [[Double]] = [[0, 0, 0], [5, 5, 0], [0, 5, 5]]
        let rows = (0..<300).map { index in centres[index % 3].map { $0 + random.normal(mean: 0, standardDeviation: 1) } }
        let first = try KMeans(k: 3, seed: 42).cluster(rows, featureNames: ["a", "b", "c"])
        let second = try KMeans(k: 3, seed: 42).cluster(rows, featureNames: ["a", "b", "c"])
        #expect(first == second)
        #expect(first.sizes.reduce(0, +) == 300 && first.sizes.allSatisfy { $0 > 0 })
        // Every row sits with the rows generated from the same centre, bar a few in the overlap.
        let agreeing = rows.indices.filter { first.assignments[$0] == first.assignments[$0 % 3] }.count
        #expect(agreeing >= 290)
    }

    @Test func aConstantFeatureGetsScaleOneAndChangesNothing() throws {
        // 0.1 is not exact in binary: the mean of eight 0.1s need not be 0.1, but the constant
        // is detected by equality, not by a tiny variance.
        let withConstant = blobs.map { $0 + [0.1] }
        let clustering = try KMeans(k: 2, seed: 1).cluster(withConstant, featureNames: ["orders", "revenue", "region"])
        let plain = try KMeans(k: 2, seed: 1).cluster(blobs, featureNames: ["orders", "revenue"])
        #expect(clustering.featureScales[2] == 1 && clustering.featureMeans[2] == 0.1)
        #expect(clustering.assignments == plain.assignments)
        #expect(clustering.inertia == plain.inertia)
        #expect(clustering.centroids.allSatisfy { abs($0[2] - 0.1) < 1e-15 })
    }

    @Test func anEmptyClusterTakesTheFarthestRow() {
        // Points 0, 1, 10, 11 from centres 0.5, 10.5 and 100: the third gets no point.
        // Update 1: means 0.5 and 10.5; every point is 0.25 from its mean, so the first, 0,
        // moves to cluster 2 (centre 0) and cluster 0 keeps 1 (centre 1). Reassigning changes
        // nothing (0 → 2, 1 → 0, 10 and 11 → 1): converged after one update.
        let run = KMeans.lloyd([[0], [1], [10], [11]], initialCentroids: [[0.5], [10.5], [100]], maxIterations: 10)
        #expect(run.assignments == [2, 0, 1, 1])
        #expect(run.centroids == [[1], [10.5], [0]])
        #expect(run.iterations == 1 && run.converged)
    }

    @Test func kPlusPlusSeedsAreDistinctRowsEvenWithDuplicates() throws {
        // Three distinct rows, many copies: k = 3 must still find three non-empty clusters.
        let rows: [[Double]] = Array(repeating: [0, 0], count: 20) + [[5, 5], [9, 0]]
        let clustering = try KMeans(k: 3, seed: 3).cluster(rows, featureNames: ["x", "y"])
        #expect(clustering.sizes == [20, 1, 1])
        #expect(clustering.inertia < 1e-20)   // zero, but for rounding in the mean of 20 equal values
    }

    @Test func unusableInputIsRefusedNamingTheRowAndFeature() {
        let nan = #expect(throws: SegmentationError.self) {
            try KMeans(k: 2, seed: 1).cluster([[1, 2], [3, 4], [5, .nan]], featureNames: ["orders", "revenue"])
        }
        #expect(nan?.row == 2 && nan?.feature == "revenue")
        #expect(nan?.description == "rows[2], feature 'revenue': nan is not a finite number")
        let infinite = #expect(throws: SegmentationError.self) {
            try KMeans(k: 1, seed: 1).cluster([[.infinity, 2]], featureNames: ["orders", "revenue"])
        }
        #expect(infinite?.row == 0 && infinite?.feature == "orders")
        let tooMany = #expect(throws: SegmentationError.self) {
            try KMeans(k: 3, seed: 1).cluster([[1, 1], [1, 1], [2, 2]], featureNames: ["a", "b"])
        }
        #expect(tooMany?.description == "k = 3 clusters need at least 3 distinct rows; there are 2")
        #expect(throws: SegmentationError.self) { try KMeans(k: 0, seed: 1).cluster(blobs, featureNames: ["a", "b"]) }
        let ragged = #expect(throws: SegmentationError.self) {
            try KMeans(k: 1, seed: 1).cluster([[1, 2], [3]], featureNames: ["a", "b"])
        }
        #expect(ragged?.row == 1)
    }
}
