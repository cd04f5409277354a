import Evaluation
import Foundation
import Testing

/// Pilot-versus-control statistics against values computed independently: closed forms of the
/// t distribution, and SciPy 1.17 / NumPy 2.4 (the Python is in the comments).
@Suite struct PilotControlTestTests {
    static func close(_ a: Double?, _ b: Double, relative: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= relative * max(1, abs(b))
    }

    @Test func studentTTailsMatchClosedFormsAndSciPy() {
        // df = 1 is the Cauchy distribution: P(|T| ≥ 1) = 1/2.
        #expect(Self.close(StudentT.twoSidedPValue(t: 1, degreesOfFreedom: 1), 0.5, relative: 1e-12))
        // df = 2: P(|T| ≥ t) = 1 − t / √(2 + t²); t = 2 → 1 − 2/√6.
        #expect(Self.close(StudentT.twoSidedPValue(t: 2, degreesOfFreedom: 2), 1 - 2 / 6.0.squareRoot(), relative: 1e-12))
        // python3 -c "from scipy import stats; print(2*stats.t.sf(abs(t), df))"
        let scipy: [(t: Double, df: Double, p: Double)] = [
            (2.0, 5, 0.10193947882985835), (1.3, 12.7, 0.2167005345842175), (0.5, 3.3, 0.6485350763995584),
            (3.7, 40.2, 0.0006455934724827091), (-2.5, 8, 0.03694203771362412), (10, 2.5, 0.0044414957673074235),
            (0, 7, 1.0),
        ]
        for (t, df, p) in scipy {
            #expect(Self.close(StudentT.twoSidedPValue(t: t, degreesOfFreedom: df), p, relative: 1e-10), "t \(t), df \(df)")
        }
    }

    // Lead first-response hours, pilot and control, before and after the pilot started.
    static let pilotBefore = [30.5, 28.0, 35.2, 31.1, 29.9, 33.4, 27.8, 32.0, 30.2, 34.1, 29.5, 31.7]
    static let pilotAfter = [22.1, 24.5, 20.3, 23.8, 21.9, 25.0, 22.7, 19.8, 23.3, 24.1, 21.5]
    static let controlBefore = [31.2, 29.8, 33.5, 30.9, 28.7, 32.6, 30.1, 31.8, 29.4, 33.0]
    static let controlAfter = [30.0, 29.1, 31.9, 28.8, 30.6, 32.2, 29.7, 31.1, 28.9, 30.4, 31.5, 29.2, 30.8]

    @Test func differenceInDifferencesWithWelchsTestMatchesNumPyAndSciPy() throws {
        let test = PilotControlTest(pilotBefore: Self.pilotBefore, pilotAfter: Self.pilotAfter,
                                    controlBefore: Self.controlBefore, controlAfter: Self.controlAfter)
        // g = [np.array(x) for x in (pb, pa, cb, ca)]; m = [x.mean() for x in g]; v = [x.var(ddof=1)/len(x) for x in g]
        // did = (m[1]-m[0]) - (m[3]-m[2]); se = np.sqrt(sum(v)); df = sum(v)**2 / sum(vi**2/(len(x)-1) for vi, x in zip(v, g))
        // p = 2*stats.t.sf(abs(did/se), df)
        #expect(Self.close(test.differenceInDifferences, -7.703379953379951))
        #expect(Self.close(test.standardError, 1.030630611942458))
        #expect(Self.close(test.degreesOfFreedom, 34.47539605524982))
        #expect(Self.close(test.tStatistic, -7.474433481905974))
        #expect(Self.close(test.pValue, 1.0360180733853302e-08, relative: 1e-7))
        #expect(test.pilotBefore.count == 12 && test.controlAfter.count == 13)
        #expect(test.warnings.isEmpty)

        // The bootstrap interval contains the estimate and agrees with the t interval
        // did ± t(0.975, df)·se = [-9.797, -5.610] to within a tenth of its width.
        let interval = try #require(test.confidenceInterval)
        #expect(interval.contains(-7.703379953379951))
        #expect(abs(interval.lowerBound - -9.79681003697375) < 0.42)
        #expect(abs(interval.upperBound - -5.609949869786153) < 0.42)
        #expect(interval.upperBound < 0)
    }

    @Test func theEstimateAndIntervalUseTheKPIsAggregateAndTheTestTheMeans() throws {
        let test = PilotControlTest(pilotBefore: Self.pilotBefore, pilotAfter: Self.pilotAfter,
                                    controlBefore: Self.controlBefore, controlAfter: Self.controlAfter, aggregate: .median)
        // m = [np.median(x) for x in (pb, pa, cb, ca)]; (m[1]-m[0]) - (m[3]-m[2])
        #expect(Self.close(test.differenceInDifferences, -7.450000000000003))
        #expect(Self.close(test.meanDifferenceInDifferences, -7.703379953379951))
        #expect(Self.close(test.tStatistic, -7.474433481905974))
        let interval = try #require(test.confidenceInterval)
        #expect(interval.contains(-7.45) && interval.upperBound < 0)
        #expect(test.aggregate == .median)
    }

    @Test func theBootstrapIsFixedByItsSeed() {
        let a = PilotControlTest(pilotBefore: Self.pilotBefore, pilotAfter: Self.pilotAfter,
                                 controlBefore: Self.controlBefore, controlAfter: Self.controlAfter)
        let b = PilotControlTest(pilotBefore: Self.pilotBefore, pilotAfter: Self.pilotAfter,
                                 controlBefore: Self.controlBefore, controlAfter: Self.controlAfter)
        let c = PilotControlTest(pilotBefore: Self.pilotBefore, pilotAfter: Self.pilotAfter,
                                 controlBefore: Self.controlBefore, controlAfter: Self.controlAfter, seed: 7)
        #expect(a.confidenceInterval == b.confidenceInterval)
        #expect(a.confidenceInterval != c.confidenceInterval)
        #expect(a.seed == PilotControlTest.defaultSeed && a.resamples == 2_000)
    }

    @Test func groupsTooSmallToConcludeAreSaidSo() {
        // A group of one: a mean but no variance, so no test; and a warning naming the small samples.
        let one = PilotControlTest(pilotBefore: [10], pilotAfter: [8, 9, 7], controlBefore: [10, 11, 9], controlAfter: [10, 10, 11])
        let expected: Double = (8.0 - 10.0) - (31.0 / 3.0 - 10.0)
        #expect(Self.close(one.differenceInDifferences, expected, relative: 1e-12))
        #expect(one.pValue == nil && one.standardError == nil)
        #expect(one.warnings.contains { $0.contains("pilot before 1") && $0.contains("at least 10") })
        #expect(one.warnings.contains { $0.contains("fewer than two observations") })

        let empty = PilotControlTest(pilotBefore: [], pilotAfter: [1, 2], controlBefore: [1, 2], controlAfter: [1, 2])
        #expect(empty.differenceInDifferences == nil && empty.confidenceInterval == nil)

        let flat = PilotControlTest(pilotBefore: [5, 5], pilotAfter: [4, 4], controlBefore: [5, 5], controlAfter: [5, 5])
        #expect(flat.differenceInDifferences == -1)
        #expect(flat.pValue == nil)
        #expect(flat.warnings.contains("no sample varies, so there is no test"))
    }

    @Test func parallelTrendsBeforeThePilotMatchSciPysRegression() {
        let weeks = (0..<12).map(Double.init)
        let pilot = [10.3, 10.3, 11.1, 11.1, 12.2, 12.5, 12.9, 13.8, 13.7, 14.7, 14.9, 15.6]
        let control = [11.9, 12.65, 12.6, 13.45, 13.8, 14.45, 14.5, 15.25, 15.9, 15.95, 16.5, 16.75]
        let flat = [11.9, 12.2, 11.7, 12.1, 12.0, 12.2, 11.8, 12.1, 12.3, 11.9, 12.0, 11.8]
        // r = stats.linregress(w, y); slope = r.slope, variance = r.stderr**2, df = n - 2;
        // Welch: var = v1 + v2; df = var**2/(v1**2/d1 + v2**2/d2); p = 2*stats.t.sf(abs((s1-s2)/sqrt(var)), df)
        let parallel = ParallelTrendsCheck(pilot: Array(zip(weeks, pilot)).map { ($0, $1) },
                                           control: Array(zip(weeks, control)).map { ($0, $1) })
        #expect(Self.close(parallel.pilotSlope, 0.5003496503496503))
        #expect(Self.close(parallel.controlSlope, 0.44790209790209795, relative: 1e-6))
        #expect(Self.close(parallel.pValue, 0.0581634237867743, relative: 1e-6))
        #expect(parallel.parallel == true && parallel.warning == nil)

        let diverging = ParallelTrendsCheck(pilot: Array(zip(weeks, pilot)).map { ($0, $1) },
                                            control: Array(zip(weeks, flat)).map { ($0, $1) })
        #expect(Self.close(diverging.controlSlope, -0.002097902097902016, relative: 1e-6))
        #expect(Self.close(diverging.pValue, 5.413357144591105e-14, relative: 1e-4))
        #expect(diverging.parallel == false)
        #expect(diverging.warning?.contains("did not move in parallel") == true)

        let short = ParallelTrendsCheck(pilot: [(0, 1), (1, 2)], control: [(0, 1), (1, 2), (2, 3)])
        #expect(short.parallel == nil && short.warning?.contains("not enough data") == true)
    }
}
