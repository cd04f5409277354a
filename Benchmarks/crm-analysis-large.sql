-- A large synthetic CRM for timing the analysis reports (docs/benchmarks.md, "CRM analysis"):
-- 100k accounts, 300k deals with 800k stage changes, 500k orders, 200k tickets, 1M activities,
-- 200k leads, 200 campaigns with 500k members, 37 territories in three levels, 830 users.
-- Deterministic: every "random" value is a multiplicative hash of the row number. History runs
-- from 2023-01-01 to the as-of instant 2025-07-01T00:00:00Z (1751328000).
--
--   rollout init /tmp/crm-large && sqlite3 -bail /tmp/crm-large/rollout.sqlite < Benchmarks/crm-analysis-large.sql
PRAGMA synchronous = OFF;
BEGIN;

CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000) INSERT INTO n SELECT i FROM c;
-- h1 … h7: seven well-spread values in 0 ..< 2^31 − 1 for row i (Lehmer generators modulo the
-- Mersenne prime 2^31 − 1, with L'Ecuyer's and other full-period multipliers).
CREATE TEMP VIEW h AS SELECT i,
    (i * 742938285) % 2147483647 AS h1, (i * 950706376) % 2147483647 AS h2, (i * 1226874159) % 2147483647 AS h3,
    (i * 62089911) % 2147483647 AS h4, (i * 1343714438) % 2147483647 AS h5, (i * 1103515245) % 2147483647 AS h6,
    (i * 2027812808) % 2147483647 AS h7
FROM n;

-- China; six regions; five cities under each region.
INSERT INTO territories (id, name, parent_id)
SELECT i, CASE WHEN i = 1 THEN 'China' WHEN i <= 7 THEN 'Region ' || (i - 1) ELSE 'City ' || (i - 7) END,
       CASE WHEN i = 1 THEN NULL WHEN i <= 7 THEN 1 ELSE 2 + (i - 8) / 5 END
FROM n WHERE i <= 37;
-- Sales teams 1–30, one per city; service teams 31–40.
INSERT INTO teams (id, name, kind, territory_id)
SELECT i, CASE WHEN i <= 30 THEN 'Sales ' || i ELSE 'Service ' || (i - 30) END,
       CASE WHEN i <= 30 THEN 'sales' ELSE 'service' END, CASE WHEN i <= 30 THEN 7 + i END
FROM n WHERE i <= 40;
-- Users 1–600 sales reps (team (u − 1) % 30 + 1, its city); 601–630 sales managers of regions 2–7;
-- 631–830 service agents.
INSERT INTO users (id, name, email, team_id, job_role, territory_id, created_at)
SELECT i, 'User ' || i, 'user' || i || '@example.com',
       CASE WHEN i <= 600 THEN (i - 1) % 30 + 1 WHEN i <= 630 THEN NULL ELSE 31 + (i - 631) % 10 END,
       CASE WHEN i <= 600 THEN 'sales_rep' WHEN i <= 630 THEN 'sales_manager' ELSE 'service_agent' END,
       CASE WHEN i <= 600 THEN 7 + (i - 1) % 30 + 1 WHEN i <= 630 THEN 2 + (i - 601) % 6 END, 1672531200
FROM n WHERE i <= 830;
INSERT INTO user_roles (user_id, role)
SELECT i, CASE WHEN i <= 600 THEN 'sales_rep' WHEN i <= 630 THEN 'sales_manager' ELSE 'service_agent' END FROM n WHERE i <= 830;
INSERT INTO commission_rules (name, user_id, job_role, basis, rate_percent, valid_from_on) VALUES
    ('Everyone', NULL, NULL, 'revenue', 2, NULL), ('Reps', NULL, 'sales_rep', 'margin', 5, '2024-01-01'),
    ('User 7', 7, NULL, 'revenue', 3, NULL);

-- Account i is owned by rep (i % 600) + 1, in that rep's city.
INSERT INTO accounts (id, name, type, status, territory_id, owner_id, created_at)
SELECT i, 'Account ' || i, 'customer', 'active', 7 + (i % 600) % 30 + 1, i % 600 + 1, 1672531200 FROM n WHERE i <= 100000;
INSERT INTO contacts (id, account_id, name, owner_id, created_at)
SELECT i, i, 'Contact ' || i, i % 600 + 1, 1672531200 FROM n WHERE i <= 100000;

INSERT INTO campaigns (id, name, channel, status, actual_cost_minor, currency, starts_on, ends_on, created_at)
SELECT i, 'Campaign ' || i,
       CASE h1 % 6 WHEN 0 THEN 'traditional' WHEN 1 THEN 'phone' WHEN 2 THEN 'online' WHEN 3 THEN 'email' WHEN 4 THEN 'social' ELSE 'event' END,
       'completed', (10000 + h2 % 200000) * 100, 'CNY',
       date(1672531200 + h3 % 75000000, 'unixepoch'), date(1672531200 + h3 % 75000000 + 30 * 86400, 'unixepoch'), 1672531200
FROM h WHERE i <= 200;

-- Deals: 75 % meant to close 5–124 days after creation (still open when that is after the as-of
-- instant), 40 % of those won.
CREATE TEMP TABLE d AS
SELECT i AS id, h1 % 100000 + 1 AS account, 1672531200 + h2 % 78796800 AS created, h3 % 100 AS r, h4 AS h4, h5 AS h5,
       h6 AS h6, h7 AS h7
FROM h WHERE i <= 300000;
INSERT INTO opportunities (id, name, account_id, stage, amount_minor, currency, owner_id, created_at, expected_close_on,
                           closed_at, forecast_category, campaign_id)
SELECT id, 'Deal ' || id, account,
       CASE WHEN r < 75 AND created + (5 + h4 % 120) * 86400 <= 1751328000
            THEN CASE WHEN h5 % 100 < 40 THEN 'closed_won' ELSE 'closed_lost' END
            ELSE CASE h5 % 4 WHEN 0 THEN 'prospecting' WHEN 1 THEN 'qualification' WHEN 2 THEN 'proposal' ELSE 'negotiation' END END,
       (5000 + h6 % 500000) * 100, 'CNY', account % 600 + 1, created,
       date(created + (20 + h6 % 160) * 86400, 'unixepoch'),
       CASE WHEN r < 75 AND created + (5 + h4 % 120) * 86400 <= 1751328000 THEN created + (5 + h4 % 120) * 86400 END,
       CASE WHEN h7 % 20 = 0 THEN 'commit' WHEN h7 % 20 = 1 THEN 'omitted' END,
       CASE WHEN h7 % 10 = 3 THEN h7 % 200 + 1 END
FROM d;
-- History: created in prospecting, qualified two days later, then the current stage (at the close,
-- or five days after creation).
INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at)
SELECT id, NULL, 'prospecting', created_at FROM opportunities;
INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at)
SELECT id, 'prospecting', 'qualification', created_at + 2 * 86400 FROM opportunities WHERE stage <> 'prospecting';
INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at)
SELECT id, 'qualification', stage, COALESCE(closed_at, created_at + 5 * 86400) FROM opportunities
WHERE stage <> 'prospecting' AND stage <> 'qualification';

-- Orders: 85 % fulfilled, 10 % open, 5 % cancelled; cost 50–94 % of the total.
INSERT INTO orders (id, number, account_id, owner_id, status, ordered_at, total_minor, cost_minor, currency)
SELECT i, 'SO' || i, h1 % 100000 + 1, (h1 % 100000 + 1) % 600 + 1,
       CASE WHEN h3 % 100 < 85 THEN 'fulfilled' WHEN h3 % 100 < 95 THEN 'open' ELSE 'cancelled' END,
       1672531200 + h2 % 78796800, (1000 + h4 % 200000) * 100, (1000 + h4 % 200000) * (50 + h5 % 45), 'CNY'
FROM h WHERE i <= 500000;

-- Tickets over the whole history; answered 10–609 minutes and resolved 1–100 hours after creation
-- unless that is after the as-of instant; 1 % never answered nor resolved.
CREATE TEMP TABLE t AS
SELECT i AS id, 1672531200 + h1 % 78796800 AS created,
       CASE h2 % 4 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'normal' ELSE 'low' END AS priority,
       h3 % 100 AS r, h4 AS h4, h5 AS h5, h6 AS h6
FROM h WHERE i <= 200000;
INSERT INTO tickets (id, subject, type, channel, priority, status, account_id, assignee_id, created_at, first_response_at,
                     resolved_at, first_response_due_at, first_response_warn_at, resolution_due_at, resolution_warn_at)
SELECT t.id, 'Ticket ' || t.id, 'request', 'phone', t.priority,
       CASE WHEN t.r > 0 AND t.created + (3600 + t.h5 % 360000) <= 1751328000 THEN 'resolved' ELSE 'open' END,
       t.h6 % 100000 + 1, 631 + t.h4 % 200, t.created,
       CASE WHEN t.r > 0 AND t.created + (600 + t.h4 % 36000) <= 1751328000 THEN t.created + 600 + t.h4 % 36000 END,
       CASE WHEN t.r > 0 AND t.created + (3600 + t.h5 % 360000) <= 1751328000 THEN t.created + 3600 + t.h5 % 360000 END,
       t.created + p.first_response_minutes * 60, t.created + p.first_response_minutes * 45,
       t.created + p.resolution_minutes * 60, t.created + p.resolution_minutes * 45
FROM t JOIN sla_policies p ON p.priority = t.priority;

-- Activities by reps on their own accounts (account (u − 1) + 600k is owned by rep u).
INSERT INTO activities (id, kind, subject, owner_id, account_id, at)
SELECT i, 'call', 'Call ' || i, h1 % 600 + 1, h1 % 600 + 600 * (1 + h2 % 165), 1672531200 + h3 % 78796800
FROM h WHERE i <= 1000000;

INSERT INTO leads (id, name, source, status, owner_id, created_at, converted_at, converted_account_id, campaign_id, channel)
SELECT i, 'Lead ' || i, 'web', CASE WHEN h2 % 100 < 30 THEN 'converted' ELSE 'contacted' END, h1 % 600 + 1,
       1672531200 + h3 % 75000000,
       CASE WHEN h2 % 100 < 30 THEN 1672531200 + h3 % 75000000 + 20 * 86400 END,
       CASE WHEN h2 % 100 < 30 THEN h1 % 600 + 600 * (1 + h4 % 165) END,
       CASE WHEN h5 % 10 < 3 THEN h5 % 200 + 1 END, NULL
FROM h WHERE i <= 200000;
INSERT INTO campaign_members (campaign_id, contact_id, lead_id, status, response, responded_at)
SELECT h1 % 200 + 1, CASE WHEN h2 % 2 = 0 THEN h3 % 100000 + 1 END, CASE WHEN h2 % 2 = 1 THEN h3 % 200000 + 1 END,
       CASE WHEN h4 % 5 = 0 THEN 'responded' ELSE 'sent' END,
       CASE WHEN h4 % 5 = 0 THEN CASE h5 % 6 WHEN 0 THEN 'interested' WHEN 1 THEN 'request_info' WHEN 2 THEN 'purchase_intent'
            WHEN 3 THEN 'not_interested' WHEN 4 THEN 'complaint' ELSE 'unsubscribe' END END,
       CASE WHEN h4 % 5 = 0 THEN 1700000000 END
FROM h WHERE i <= 500000;

COMMIT;
