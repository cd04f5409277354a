import CRMCore
import RolloutMetrics
import RolloutTesting
import Testing

/// The adoption metrics beyond active-user adoption (BuiltInMetricsTests), each on a handful of
/// users with the expected value worked out by hand, and the users and records it must leave out.
@Suite struct AdoptionMetricsTests {
    let harness = CatalogHarness()

    @Test func activitiesPerWorkingDayIsTheMeanOverActiveMembersIdleOnesIncluded() throws {
        let m = try harness.measureGroup("user.activities_per_working_day") { crm, busy, outsider in
            let team = try crm.team("West")
            let idle = try crm.user("Idle", team: team)
            let gone = try crm.user("Gone", team: team)
            let newcomer = try crm.user("Newcomer", team: team, createdAt: .day("2025-04-05"))
            for day in 3...16 { try crm.activity(owner: busy, at: .at(String(format: "2025-03-%02d", day), hours: 10)) } // 14
            try crm.activity(owner: busy, at: .day("2025-03-01"))                // before the window
            try crm.activity(owner: busy, at: .day("2025-04-01"))                // at the end: out
            try crm.activity(owner: outsider, at: .day("2025-03-10"))            // other group
            try crm.activity(owner: gone, at: .day("2025-03-10"))
            try crm.deactivate(user: gone)                                       // inactive: left out
            return [busy, idle, gone, newcomer]                                  // newcomer created after the window: left out
        }
        // 21 working days: busy 14 / 21, idle 0
        #expect(m.sampleSize == 2)
        let expected = (14.0 / 21 + 0) / 2
        #expect(abs(m.value! - expected) < 1e-9)
    }

    @Test func weeklyActiveUseIsTheShareOfWholeWeeksCountedBackFromTheEndWithASignIn() throws {
        let m = try harness.measureGroup("user.weekly_active_share") { crm, busy, _ in
            let team = try crm.team("West")
            let idle = try crm.user("Idle", team: team)
            let gone = try crm.user("Gone", team: team)
            // 30 days hold 4 whole weeks: [03-25, 04-01), [03-18, 03-25), [03-11, 03-18), [03-04, 03-11).
            try crm.login(user: busy, at: .at("2025-03-26", hours: 9))
            try crm.login(user: busy, at: .at("2025-03-27", hours: 9))           // same week
            try crm.login(user: busy, at: .at("2025-03-12", hours: 9))
            try crm.login(user: busy, at: .at("2025-03-03", hours: 9))           // before the first whole week
            try crm.login(user: busy, at: .day("2025-04-01"))                    // at the end: out
            try crm.login(user: idle, at: .day("2025-02-20"))                    // before the window
            try crm.login(user: gone, at: .day("2025-03-20"))
            try crm.deactivate(user: gone)                                       // inactive: left out
            return [busy, idle, gone]
        }
        // busy 2 of 4 weeks, idle 0 of 4
        #expect(m.sampleSize == 2)
        #expect(m.value == 25)
    }

    @Test func weeklyActiveUseHasNoValueInAWindowShorterThanAWeek() throws {
        let m = try harness.measure("user.weekly_active_share", window: 6) { crm, member, _ in
            try crm.login(user: member, at: .day("2025-03-30"))
        }
        #expect(m.sampleSize == 0)
        #expect(m.value == nil)
    }

    @Test func mobileShareIsTheMeanShareOfPeoplesSignInsFromTheAppOverUsersWhoSignedIn() throws {
        let m = try harness.measureGroup("user.mobile_sign_in_share") { crm, field, outsider in
            let team = try crm.team("West")
            let office = try crm.user("Office", team: team)
            let idle = try crm.user("Idle", team: team)
            for day in ["2025-03-03", "2025-03-04", "2025-03-05"] {
                try crm.login(user: field, at: .at(day, hours: 8), channel: "mobile")
            }
            try crm.login(user: field, at: .at("2025-03-06", hours: 8), channel: "web")
            try crm.login(user: field, at: .at("2025-03-06", hours: 9), channel: "api")      // an integration: out
            try crm.login(user: field, at: .at("2025-03-07", hours: 9), channel: "api")
            try crm.login(user: field, at: .day("2025-02-27"), channel: "mobile")            // before the window
            try crm.login(user: office, at: .at("2025-03-10", hours: 8), channel: "web")
            try crm.login(user: idle, at: .at("2025-03-10", hours: 8), channel: "api")       // only an integration: out
            try crm.login(user: outsider, at: .at("2025-03-10", hours: 8), channel: "mobile") // other group
            return [field, office, idle]
        }
        // field 3 of 4, office 0 of 1
        #expect(m.sampleSize == 2)
        #expect(m.value == 37.5)
    }
}
