import CRMCore
import RolloutMetrics
import RolloutTesting
import Testing

/// The service metrics beyond the first two (BuiltInMetricsTests), each on a handful of tickets
/// with the expected value worked out by hand, and the tickets it must leave out. Resolution
/// targets (sla_policies): normal 4 320 minutes (72 h), urgent 480 minutes (8 h).
@Suite struct ServiceMetricsTests {
    let harness = CatalogHarness()

    @Test func resolutionSLAComplianceCountsTicketsWhoseOutcomeIsKnownAtTheEndOfTheWindow() throws {
        let m = try harness.measure("ticket.resolution_sla_compliance") { crm, member, outsider in
            try crm.ticket(assignee: member, createdAt: .day("2025-03-10"), type: "request", resolvedAfterHours: 10)  // met
            try crm.ticket(assignee: member, createdAt: .day("2025-03-11"), type: "request", resolvedAfterHours: 80)  // breached
            try crm.ticket(assignee: member, createdAt: .day("2025-03-12"), type: "incident", resolvedAfterHours: 30,
                           resolutionDueAfterHours: 24)                              // breached: the calendar's due time wins
            try crm.ticket(assignee: member, createdAt: .day("2025-03-13"), type: "request")                          // past due, open
            try crm.ticket(assignee: member, createdAt: .at("2025-03-31", hours: 12), type: "request")                // not yet due: out
            try crm.ticket(assignee: member, createdAt: .day("2025-03-30"), type: "request", resolvedAfterHours: 48)  // resolved at :to, due later: out
            try crm.ticket(assignee: member, createdAt: .day("2025-03-14"), type: "incident", priority: .urgent,
                           resolvedAfterHours: 6)                                                                    // met (8 h)
            try crm.ticket(assignee: outsider, createdAt: .day("2025-03-14"), type: "request", resolvedAfterHours: 1) // other group
            try crm.ticket(assignee: member, createdAt: .day("2025-02-20"), type: "request", resolvedAfterHours: 1)   // before the window
        }
        #expect(m.sampleSize == 5)
        #expect(m.value == 40)
    }

    @Test func complaintsResolvedOnTimeCountOnlyComplaints() throws {
        let m = try harness.measure("ticket.complaint_resolution_sla_compliance") { crm, member, outsider in
            try crm.ticket(assignee: member, createdAt: .day("2025-03-10"), type: "complaint", resolvedAfterHours: 70)  // met
            try crm.ticket(assignee: member, createdAt: .day("2025-03-11"), type: "complaint", resolvedAfterHours: 73)  // breached
            try crm.ticket(assignee: member, createdAt: .day("2025-03-12"), type: "complaint", resolvedAfterHours: 20,
                           resolutionDueAfterHours: 16)                                                               // breached
            try crm.ticket(assignee: member, createdAt: .day("2025-03-13"), type: "complaint", resolutionDueAfterHours: 16) // past due, open
            try crm.ticket(assignee: member, createdAt: .day("2025-03-30"), type: "complaint")                          // not yet due: out
            try crm.ticket(assignee: member, createdAt: .day("2025-03-14"), type: "request", resolvedAfterHours: 1)     // not a complaint
            try crm.ticket(assignee: outsider, createdAt: .day("2025-03-14"), type: "complaint", resolvedAfterHours: 1) // other group
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 25)
    }

    @Test func knowledgeBaseUseIsTicketsWithALinkedArticleOverTicketsResolvedInTheWindow() throws {
        let m = try harness.measure("ticket.kb_article_use") { crm, member, outsider in
            let helped = try crm.ticket(assignee: member, createdAt: .day("2025-03-09"), type: "question", resolvedAfterHours: 30)
            try crm.linkArticle(ticket: helped, at: .at("2025-03-09", hours: 2))                                        // 100
            try crm.ticket(assignee: member, createdAt: .day("2025-03-10"), type: "question", resolvedAfterHours: 30)   // 0
            let late = try crm.ticket(assignee: member, createdAt: .day("2025-03-11"), type: "question", resolvedAfterHours: 30)
            try crm.linkArticle(ticket: late, at: .day("2025-04-02"))                                                  // 0: linked after the window
            let earlier = try crm.ticket(assignee: member, createdAt: .day("2025-02-10"), type: "question", resolvedAfterHours: 30)
            try crm.linkArticle(ticket: earlier, at: .day("2025-02-10"))                                               // resolved before the window
            let open = try crm.ticket(assignee: member, createdAt: .day("2025-03-12"), type: "question")
            try crm.linkArticle(ticket: open, at: .day("2025-03-12"))                                                  // not resolved
            let theirs = try crm.ticket(assignee: outsider, createdAt: .day("2025-03-12"), type: "question", resolvedAfterHours: 3)
            try crm.linkArticle(ticket: theirs, at: .day("2025-03-12"))                                                // other group
        }
        #expect(m.sampleSize == 3)
        let expected = 100.0 / 3
        #expect(abs(m.value! - expected) < 1e-9)
    }
}
