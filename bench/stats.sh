#!/usr/bin/env bash
# Statistics as history grows (issue 4): a province of 10 posts and 40 stations, 1,000 codes and
# ROWS scans over a year, then the 90-day queries timed (counted from the rows, first ask, median of 5
# asks after) on SQLite and on a throwaway PostgreSQL (.ci/pg-start). See crates/store/examples/stats_bench.rs.
# Usage: bench/stats.sh [rows]   (from the workspace root; default 10,000,000; ~4 GB of disk a backend)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
profile=${FRONTIER_BENCH_PROFILE:-release}
cargo build --profile "$profile" -q -p frontier-store --example stats_bench
bench=target/$profile/examples/stats_bench
dir=$(mktemp -d)
eval "$(.ci/pg-start)"
trap '.ci/pg-stop; rm -rf "$dir"' EXIT
echo "== SQLite ($rows rows)"
"$bench" "sqlite://$dir/stats.db" "$rows"
rm -f "$dir"/stats.db*
echo "== PostgreSQL ($rows rows)"
"$bench" "$FRONTIER_TEST_POSTGRES_URL" "$rows"
