#!/bin/sh
# Times the CRM analysis reports on a workspace (docs/crm.md, "Speed"): for each
# command one warm-up run, then the median and range of seven whole-process wall times.
#
#   swift build -c release
#   rollout init /tmp/crm-large && sqlite3 -bail /tmp/crm-large/rollout.sqlite < Benchmarks/crm-analysis-large.sql
#   Benchmarks/crm-analysis-times.sh /tmp/crm-large/rollout.sqlite
set -eu
DB=${1:?usage: crm-analysis-times.sh WORKSPACE.sqlite [AS-OF]}
AS_OF=${2:-2025-07-01}
ROLLOUT=${ROLLOUT:-.build/release/rollout}
run() {
    "$ROLLOUT" "$@" --db "$DB" --as-of "$AS_OF" --json > /dev/null
    for _ in 1 2 3 4 5 6 7; do
        /usr/bin/time -f "%e" "$ROLLOUT" "$@" --db "$DB" --as-of "$AS_OF" --json 2>&1 > /dev/null
    done | sort -n | awk -v cmd="$*" '{ t[NR] = $1 } END { printf "%-75s %.3f s  (%.3f–%.3f)\n", cmd, t[4], t[1], t[7] }'
}
run crm report pipeline
run crm report pipeline --as user601@example.com
run crm report pipeline --as user7@example.com
run crm report forecast
run crm report forecast --by month --group territory
run crm report forecast --group owner --as user601@example.com
run crm report forecast --from 2024-07-01 --to 2025-06-30 --by month --group territory
run crm report sla
run crm report sla --from 2025-01-01 --to 2025-06-30
run crm report sla --as user631@example.com
