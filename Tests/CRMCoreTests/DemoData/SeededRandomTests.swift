@testable import CRMCore
import Foundation
import Testing

/// The generator's random numbers: the published reference outputs of its algorithms, and the
/// shape of each distribution over many draws.
@Suite struct SeededRandomTests {
    @Test func xoshiro256StarStarMatchesTheReferenceImplementation() {
        var random = SeededRandom(state: (1, 2, 3, 4))
        let outputs = (0..<6).map { _ in random.next() }
        #expect(outputs == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                            607_988_272_756_665_600])
    }

    @Test func splitMix64MatchesTheReferenceImplementation() {
        var mixer = SplitMix64(state: 1_234_567)
        let outputs = (0..<5).map { _ in mixer.next() }
        #expect(outputs == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                            4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    @Test func theSameSeedAndStreamRepeatAndOtherStreamsDiffer() {
        var a = SeededRandom(seed: 42, stream: 7)
        var b = SeededRandom(seed: 42, stream: 7)
        var c = SeededRandom(seed: 42, stream: 8)
        var d = SeededRandom(seed: 43, stream: 7)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        #expect(first != (0..<4).map { _ in d.next() })
    }

    @Test func uniformIntegersStayInRangeAndCoverIt() {
        var random = SeededRandom(seed: 1)
        var seen = Array(repeating: 0, count: 7)
        for _ in 0..<7_000 { seen[random.int(below: 7)] += 1 }
        #expect(seen.allSatisfy { (850...1150).contains($0) }, "\(seen)")
        for _ in 0..<1_000 {
            let unit = random.unit()
            #expect(unit >= 0 && unit < 1)
        }
    }

    @Test func normalLogNormalAndPoissonHaveTheirMoments() {
        var random = SeededRandom(seed: 2)
        let n = 40_000
        let normals = (0..<n).map { _ in random.standardNormal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)

        let logNormals = (0..<n).map { _ in random.logNormal(median: 30, sigma: 0.9) }
        #expect(abs(DemoDataFixture.median(logNormals) - 30) < 1)

        for lambda in [0.8, 3.0, 75.0] {
            let draws = (0..<n).map { _ in Double(random.poisson(lambda)) }
            let drawMean = draws.reduce(0, +) / Double(n)
            let drawVariance = draws.reduce(0) { $0 + ($1 - drawMean) * ($1 - drawMean) } / Double(n - 1)
            #expect(abs(drawMean - lambda) < 0.03 * lambda + 0.02, "λ = \(lambda): mean \(drawMean)")
            #expect(abs(drawVariance - lambda) < 0.06 * lambda + 0.03, "λ = \(lambda): variance \(drawVariance)")
        }
        #expect(random.poisson(0) == 0)
    }

    @Test func categoricalDrawsFollowTheWeights() {
        var random = SeededRandom(seed: 3)
        let priorities = Categorical([("urgent", 5.0), ("high", 20), ("normal", 55), ("low", 20)])
        var counts: [String: Int] = [:]
        for _ in 0..<20_000 { counts[priorities.sample(&random), default: 0] += 1 }
        #expect(abs(Double(counts["urgent"] ?? 0) / 20_000 - 0.05) < 0.007)
        #expect(abs(Double(counts["normal"] ?? 0) / 20_000 - 0.55) < 0.015)
    }

    @Test func theNormalQuantileInvertsTheNormalDistribution() {
        #expect(abs(standardNormalQuantile(0.5)) < 1e-9)
        #expect(abs(standardNormalQuantile(0.9) - 1.281_551_565_5) < 1e-6)
        #expect(abs(standardNormalQuantile(0.7) - 0.524_400_512_7) < 1e-6)
        #expect(abs(standardNormalQuantile(0.01) + 2.326_347_874_0) < 1e-6)
    }

    @Test func shufflingKeepsEveryElement() {
        var random = SeededRandom(seed: 4)
        var values = Array(0..<50)
        random.shuffle(&values)
        #expect(values != Array(0..<50))
        #expect(values.sorted() == Array(0..<50))
    }

    @Test func theCalendarKnowsWorkingDaysAndSpringFestival() {
        let monday = Timestamp(year: 2025, month: 3, day: 3).secondsSinceEpoch / 86_400
        #expect(DemoCalendar.isWorkingDay(monday))
        #expect(!DemoCalendar.isWorkingDay(monday + 5))
        let festival = DemoCalendar.chineseNewYear(year: 2025)
        #expect(festival == Timestamp(year: 2025, month: 1, day: 29).secondsSinceEpoch / 86_400)
        #expect(DemoCalendar.springFestivalFactor(day: festival + 3) < 0.5)
        #expect(DemoCalendar.springFestivalFactor(day: monday + 120) > 0.999)
        // A Saturday evening moves to Monday morning; an instant in office hours stays.
        let saturdayEvening = (monday + 5) * 86_400 + 20 * 3600
        let moved = DemoCalendar.atWork(saturdayEvening)
        #expect(moved / 86_400 == monday + 7 && moved % 86_400 >= 8 * 3600 && moved % 86_400 < 10 * 3600)
        let tuesdayNoon = (monday + 1) * 86_400 + 12 * 3600
        #expect(DemoCalendar.atWork(tuesdayNoon) == tuesdayNoon)
    }

    @Test func theRolloutRampsInOverThreeWeeksForThePilotAndFourForEveryone() throws {
        let plan = DemoDataFixture.plan()
        let rollout = DemoRollout(plan: plan)
        let pilot = plan.pilotStart.secondsSinceEpoch, cutover = plan.cutover.secondsSinceEpoch
        #expect(rollout.adoption(at: pilot, pilot: true) == 0)
        #expect(abs(rollout.adoption(at: pilot + 21 * 43_200, pilot: true) - 0.5) < 1e-9)
        #expect(rollout.adoption(at: pilot + 21 * 86_400, pilot: true) == 1)
        #expect(rollout.adoption(at: pilot + 21 * 86_400, pilot: false) == 0)
        #expect(abs(rollout.adoption(at: cutover + 14 * 86_400, pilot: false) - 0.5) < 1e-9)
        #expect(rollout.adoption(at: cutover + 14 * 86_400, pilot: true) == 1)
        let effect = DemoEffects.leadResponseMedianHours
        #expect(abs(effect.median(adoption: 0.5, pilot: true) - (30.0 * 6).squareRoot()) < 1e-9)
        #expect(effect.median(adoption: 1, pilot: false) == 7)
    }
}
