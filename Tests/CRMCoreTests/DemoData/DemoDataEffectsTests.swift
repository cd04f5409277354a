@testable import CRMCore
import GRDB
import Testing

/// The demo history behaves like a real pilot, as plain SQL over the generated rows shows: the
/// pilot teams change after the pilot starts, the control teams only after the cut-over, and
/// before the pilot both follow the same process.
@Suite struct DemoDataEffectsTests {
    typealias Fixture = DemoDataFixture

    /// The windows compared: the year before the pilot, the pilot after its 21-day ramp, and the
    /// time after the cut-over's 28-day ramp.
    let before = (from: Fixture.historyStart, to: Fixture.pilotStart)
    let pilot = (from: Fixture.pilotStart.adding(days: 21), to: Fixture.cutover)
    let after = (from: Fixture.cutover.adding(days: 28), to: Fixture.end)

    @Test func pilotLeadResponseDropsByMoreThanHalfOnceThePilotStarts() throws {
        try Fixture.standard().read { db throws in
            let old = Fixture.median(try Fixture.leadResponseHours(.pilot, from: before.from, to: before.to, db))
            let new = Fixture.median(try Fixture.leadResponseHours(.pilot, from: pilot.from, to: pilot.to, db))
            #expect((24...36).contains(old), "median before the pilot: \(old) h")
            #expect(new < 0.5 * old, "median during the pilot: \(new) h, before: \(old) h")
            #expect((4.5...8).contains(new), "median during the pilot: \(new) h")
        }
    }

    @Test func controlLeadResponseHoldsUntilTheCutoverAndThenDrops() throws {
        try Fixture.standard().read { db throws in
            let old = Fixture.median(try Fixture.leadResponseHours(.control, from: before.from, to: before.to, db))
            let duringPilot = Fixture.median(try Fixture.leadResponseHours(.control, from: pilot.from, to: pilot.to, db))
            let new = Fixture.median(try Fixture.leadResponseHours(.control, from: after.from, to: after.to, db))
            #expect((0.8...1.25).contains(duringPilot / old), "control during the pilot: \(duringPilot) h, before: \(old) h")
            #expect(new < 0.5 * old, "control after the cut-over: \(new) h, before: \(old) h")
            #expect((5...9.5).contains(new), "control after the cut-over: \(new) h")
        }
    }

    @Test func beforeThePilotBothGroupsRespondAlike() throws {
        try Fixture.standard().read { db throws in
            let pilotGroup = Fixture.median(try Fixture.leadResponseHours(.pilot, from: before.from, to: before.to, db))
            let control = Fixture.median(try Fixture.leadResponseHours(.control, from: before.from, to: before.to, db))
            #expect((0.85...1.18).contains(pilotGroup / control), "pilot \(pilotGroup) h, control \(control) h")
            let pilotSLA = try Fixture.slaCompliance(.pilot, from: before.from, to: before.to, db)
            let controlSLA = try Fixture.slaCompliance(.control, from: before.from, to: before.to, db)
            #expect(abs(pilotSLA - controlSLA) < 0.05, "pilot \(pilotSLA), control \(controlSLA)")
            let pilotSignIns = try Fixture.signInRate(.pilot, from: before.from, to: before.to, db)
            let controlSignIns = try Fixture.signInRate(.control, from: before.from, to: before.to, db)
            #expect(abs(pilotSignIns - controlSignIns) < 0.06, "pilot \(pilotSignIns), control \(controlSignIns)")
        }
    }

    @Test func firstResponseSLAComplianceRisesFromAboutSeventyToAboutNinetyPercent() throws {
        try Fixture.standard().read { db throws in
            let expectations: [(Fixture.Group, (from: Timestamp, to: Timestamp), ClosedRange<Double>, String)] = [
                (.pilot, before, 0.64...0.76, "pilot before"),
                (.pilot, pilot, 0.85...0.95, "pilot during the pilot"),
                (.control, pilot, 0.64...0.76, "control during the pilot"),
                (.control, after, 0.85...0.95, "control after the cut-over"),
            ]
            for (group, window, range, label) in expectations {
                let share = try Fixture.slaCompliance(group, from: window.from, to: window.to, db)
                #expect(range.contains(share), "\(label): \(share)")
            }
        }
    }

    @Test func signInsRiseFromAboutHalfTheWorkingDaysToNearlyAll() throws {
        try Fixture.standard().read { db throws in
            let expectations: [(Fixture.Group, (from: Timestamp, to: Timestamp), ClosedRange<Double>, String)] = [
                (.pilot, before, 0.38...0.55, "pilot before"),
                (.pilot, pilot, 0.85...0.95, "pilot during the pilot"),
                (.control, pilot, 0.38...0.55, "control during the pilot"),
                (.control, after, 0.77...0.90, "control after the cut-over"),
            ]
            for (group, window, range, label) in expectations {
                let rate = try Fixture.signInRate(group, from: window.from, to: window.to, db)
                #expect(range.contains(rate), "\(label): \(rate)")
            }
        }
    }

    /// Outcomes by creation cohort (both groups, each from when it changed), far enough from the
    /// end that almost every lead and deal has been decided.
    @Test func conversionWinRateSalesCycleAndRecordCompletenessImproveAfterTheChange() throws {
        try Fixture.standard().read { db throws in
            let pilotUsers = try Fixture.users(of: .pilot, db)
            let oldCohort = "created_at < \(Fixture.pilotStart.secondsSinceEpoch)"
            let newCohort = """
                ((owner_id IN (SELECT value FROM json_each('\(pilotUsers)')) AND created_at >= \(pilot.from.secondsSinceEpoch)) \
                OR created_at >= \(after.from.secondsSinceEpoch))
                """
            func value(_ sql: String) throws -> Double { try Double.fetchOne(db, sql: sql) ?? .nan }

            let decidedBy = Fixture.end.adding(days: -60).secondsSinceEpoch
            let conversion = "SELECT AVG(converted_at IS NOT NULL) FROM leads WHERE status IN ('converted', 'disqualified') "
                + "AND created_at < \(decidedBy) AND "
            let oldConversion = try value(conversion + oldCohort), newConversion = try value(conversion + newCohort)
            #expect((0.15...0.21).contains(oldConversion), "conversion before: \(oldConversion)")
            #expect((0.20...0.28).contains(newConversion), "conversion after: \(newConversion)")

            let closedBy = Fixture.end.adding(days: -120).secondsSinceEpoch
            let winRate = "SELECT AVG(stage = 'closed_won') FROM opportunities WHERE closed_at IS NOT NULL "
                + "AND created_at < \(closedBy) AND "
            let oldWinRate = try value(winRate + oldCohort), newWinRate = try value(winRate + newCohort)
            #expect((0.25...0.31).contains(oldWinRate), "win rate before: \(oldWinRate)")
            #expect((0.30...0.40).contains(newWinRate), "win rate after: \(newWinRate)")

            let cycle = "SELECT (closed_at - created_at) / 86400.0 FROM opportunities WHERE stage = 'closed_won' "
                + "AND created_at < \(closedBy) AND "
            let oldCycle = Fixture.median(try Double.fetchAll(db, sql: cycle + oldCohort))
            let newCycle = Fixture.median(try Double.fetchAll(db, sql: cycle + newCohort))
            #expect((41...50).contains(oldCycle), "sales cycle before: \(oldCycle) days")
            #expect((29...41).contains(newCycle) && newCycle < 0.9 * oldCycle, "sales cycle after: \(newCycle) days")

            let completeness = """
                SELECT AVG(25.0 * ((account_id IS NOT NULL) + (title IS NOT NULL) + (email IS NOT NULL) + (phone IS NOT NULL)))
                FROM contacts WHERE
                """
            let oldCompleteness = try value(completeness + " " + oldCohort)
            let newCompleteness = try value(completeness + " " + newCohort)
            #expect((70...78).contains(oldCompleteness), "completeness before: \(oldCompleteness) %")
            #expect((91...97).contains(newCompleteness), "completeness after: \(newCompleteness) %")
        }
    }

    @Test func ticketsAreResolvedFasterAfterTheChange() throws {
        try Fixture.standard().read { db throws in
            func hours(_ group: Fixture.Group, _ window: (from: Timestamp, to: Timestamp)) throws -> Double {
                Fixture.median(try Double.fetchAll(db, sql: """
                    SELECT (resolved_at - created_at) / 3600.0 FROM tickets
                    WHERE created_at >= ? AND created_at < ? AND resolved_at IS NOT NULL
                      AND assignee_id IN (SELECT value FROM json_each(?))
                    """, arguments: [window.from, window.to, try Fixture.users(of: group, db)]))
            }
            let old = try hours(.pilot, before), new = try hours(.pilot, pilot)
            #expect((22...31).contains(old), "resolution before: \(old) h")
            #expect((15...21).contains(new), "resolution during the pilot: \(new) h")
            let control = try hours(.control, pilot)
            #expect((22...31).contains(control), "control resolution during the pilot: \(control) h")
        }
    }

    @Test func ticketsFollowThePriorityTypeAndChannelMix() throws {
        try Fixture.standard().read { db throws in
            let total = Double(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets") ?? 0)
            func share(_ condition: String) throws -> Double {
                Double(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE \(condition)") ?? 0) / total
            }
            #expect(abs(try share("priority = 'urgent'") - 0.05) < 0.01)
            #expect(abs(try share("priority = 'high'") - 0.20) < 0.02)
            #expect(abs(try share("priority = 'normal'") - 0.55) < 0.02)
            #expect(abs(try share("type = 'complaint'") - 0.08) < 0.015)
            let channels = try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM tickets ORDER BY channel")
            #expect(channels == ["email", "in_person", "letter", "phone", "social", "web"])
            // About three tickets per agent per working day.
            let agentDays = try Double.fetchOne(db, sql: """
                SELECT COUNT(*) * 1.0 / COUNT(DISTINCT t.assignee_id) / COUNT(DISTINCT t.created_at / 86400)
                FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE u.job_role = 'service_agent'
                """) ?? 0
            #expect((2.6...3.6).contains(agentDays), "tickets per agent per working day: \(agentDays)")
        }
    }

    @Test func leadsDipAroundChineseNewYearAndAverageAboutPointEightPerRepPerDay() throws {
        try Fixture.standard().read { db throws in
            let reps = Double(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE job_role = 'sales_rep'") ?? 0)
            func perRepPerWorkingDay(_ from: Timestamp, _ to: Timestamp) throws -> Double {
                let leads = Double(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads WHERE created_at >= ? AND created_at < ?",
                                                    arguments: [from, to]) ?? 0)
                var days = 0.0
                var day = from
                while day < to {
                    if day.isoWeekday <= 5 { days += 1 }
                    day = day.adding(days: 1)
                }
                return leads / reps / days
            }
            // Spring Festival 2025 began on 29 January.
            let festival = try perRepPerWorkingDay(Timestamp(year: 2025, month: 1, day: 27), Timestamp(year: 2025, month: 2, day: 7))
            let autumn = try perRepPerWorkingDay(Timestamp(year: 2024, month: 9, day: 2), Timestamp(year: 2024, month: 11, day: 30))
            let year = try perRepPerWorkingDay(Fixture.historyStart, Fixture.historyStart.adding(days: 364))
            #expect((0.7...0.95).contains(year), "leads per rep per working day: \(year)")
            #expect(festival < 0.7 * autumn, "Spring Festival \(festival), autumn \(autumn)")
        }
    }
}
