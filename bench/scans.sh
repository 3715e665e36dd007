#!/usr/bin/env bash
# The scan path against its baseline (issue 4), in one run on one machine:
#   1. a bare axum handler that answers GET /q/{code} with a fixed 302 (crates/server/examples/bare_redirect.rs);
#   2. the release `frontier` on a fresh SQLite database with the demo content and 1,000 codes.
# Both get `oha -c 64` over the same 1,000 codes in random order, with a phone's user agent. After
# each frontier run the scans table is counted (once the scan inbox is filed): the rows written must
# equal the 302s oha received, with no other answer and no error. The script fails when that does not hold.
# Usage: [ROUNDS=3] bench/scans.sh [seconds]   (from the workspace root)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
# A phone's user agent: without one the requests count as bot scans, which skip what a person's
# scan costs (the code's last-scan moment, code_scans.rs).
phone='Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'
# oha (a Rust load generator) waits at its deadline for the answers still on their way, so the
# 302s it counts can be compared with the rows exactly. Built once into target/bench-tools.
oha=target/bench-tools/bin/oha
[ -x "$oha" ] || cargo install -q --locked oha --version 1.16.0 --root target/bench-tools
# FRONTIER_BENCH_PROFILE=quick measures a build without LTO while iterating (figures come from release).
profile=${FRONTIER_BENCH_PROFILE:-release}
cargo build --profile "$profile" -q -p frontier-server --bin frontier --example bare_redirect
bin=target/$profile
dir=$(mktemp -d)
port=18555
bare_port=18556
# No demo scan history: the rows counted at the end must be the benchmark's own.
export FRONTIER_DATA_DIR="$dir/data" FRONTIER_DATABASE_URL="sqlite://$dir/f.db" FRONTIER_DEMO_SCANS=false
"$bin/frontier" serve --demo --bind 127.0.0.1:$port >"$dir/out.log" 2>"$dir/err.log" &
pid=$!
"$bin/examples/bare_redirect" 127.0.0.1:$bare_port >"$dir/bare.log" 2>&1 &
bare=$!
trap 'kill $pid $bare 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q "listening" "$dir/out.log" 2>/dev/null && break; sleep 0.2; done
base=http://127.0.0.1:$port

# 1,000 codes (the demo has a few dozen): an admin creates them through GraphQL, 50 per request.
printf 'mat-khau-do-tai-2026\n' | "$bin/frontier" user create --email bench@bdbp.example --role admin \
  --unit bdbp-lang-son >/dev/null
token=$(curl -s "$base/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(email: \"bench@bdbp.example\", password: \"mat-khau-do-tai-2026\") { accessToken } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
python3 - "$base" "$token" "$dir/codes.txt" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
def gql(query):
    req = urllib.request.Request(base + "/graphql", json.dumps({"query": query}).encode(),
        {"content-type": "application/json", "authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))
codes = []
for batch in range(20):
    fields = " ".join(
        f'c{i}: createQrCode(input: {{ place: "nha-van-hoa-thon-na-pan", target: {{ kind: PLACE, slug: "nha-van-hoa-thon-na-pan" }} }}) {{ code }}'
        for i in range(50))
    answer = gql("mutation { " + fields + " }")
    if answer.get("errors"):
        sys.exit(f"creating codes failed: {answer['errors'][0]['message']}")
    codes += [v["code"] for v in answer["data"].values()]
open(out, "w").write("\n".join(codes))
print(f"{len(codes)} codes created")
PY
sed "s|^|$base/q/|" "$dir/codes.txt" >"$dir/scan-urls.txt"
sed "s|^|http://127.0.0.1:$bare_port/q/|" "$dir/codes.txt" >"$dir/bare-urls.txt"
rows() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from scans').fetchone()[0])" "$dir/f.db"; }
# 64 connections for the given seconds over the 1,000 codes in random order; at the deadline oha
# waits for the answers still on their way (-w), so every request it sent is counted.
load() {
  "$oha" -z "${secs}s" -w -c 64 --redirect 0 --no-tui --output-format json -H "User-Agent: $phone" \
    --urls-from-file "$1" >"$2"
}
# A field of oha's JSON summary `d`.
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# One line of a run: requests/s, p50 and p99, the answers by status and the errors.
report() {
  field "$1" '"%.0f requests/s, p50 %.2f ms, p99 %.2f ms; answers %s; errors %d %s" % (d["summary"]["requestsPerSec"],
    d["latencyPercentiles"]["p50"] * 1e3, d["latencyPercentiles"]["p99"] * 1e3, dict(sorted(d["statusCodeDistribution"].items())),
    sum(d["errorDistribution"].values()), d["errorDistribution"] or "")'
}

# Rounds alternate the two servers, so that a machine whose speed drifts (a shared host) weighs on
# both alike; the median round's ratio is the figure.
rounds=${ROUNDS:-3}
ratios=()
failed=0
for round in $(seq "$rounds"); do
  load "$dir/bare-urls.txt" "$dir/bare.json"
  echo "round $round/$rounds, bare axum handler (fixed 302): $(report "$dir/bare.json")"
  before=$(rows)
  load "$dir/scan-urls.txt" "$dir/scan.json"
  echo "round $round/$rounds, frontier GET /q/{code} (each 302 after its scan is committed): $(report "$dir/scan.json")"
  received=$(field "$dir/scan.json" 'd["statusCodeDistribution"].get("302", 0)')
  # A crowd's scans are committed to the scan inbox first and filed into `scans` by a thread of
  # their own, moments later: wait (up to 30 s) until the rows are all there, and say how long.
  filed_in=$(python3 - "$dir/f.db" "$before" "$received" <<'PY'
import sqlite3, sys, time
db, before, received = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.monotonic()
while True:
    written = sqlite3.connect(db).execute("select count(*) from scans").fetchone()[0] - before
    if written >= received or time.monotonic() - start > 30:
        break
    time.sleep(0.01)
print(f"{time.monotonic() - start:.2f}")
PY
)
  after=$(rows)
  written=$((after - before))
  others=$(field "$dir/scan.json" 'sum(d["statusCodeDistribution"].values()) - d["statusCodeDistribution"].get("302", 0) + sum(d["errorDistribution"].values())')
  # Every scan stored got its 302 and every 302 has its row: the counts are equal, and nothing
  # else was answered.
  if [ "$written" -eq "$received" ] && [ "$others" -eq 0 ]; then verdict=ok; else verdict=MISMATCH; failed=1; fi
  echo "round $round/$rounds: scan rows written $written (all in \`scans\` ${filed_in} s after the load), 302s received $received, other answers or errors $others: $verdict"
  ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.3f}')" \
    "$(field "$dir/scan.json" 'd["summary"]["requestsPerSec"]')" "$(field "$dir/bare.json" 'd["summary"]["requestsPerSec"]')")
  echo "round $round/$rounds: ratio to the bare handler $ratio"
  ratios+=("$ratio")
done
kill $bare 2>/dev/null; wait $bare 2>/dev/null || true
python3 -c "import statistics,sys; r=sorted(map(float, sys.argv[1:])); print('ratio to the bare handler: ' + ' / '.join(f'{x:.0%}' for x in r) + f'; median {statistics.median(r):.0%}')" "${ratios[@]}"
[ "$failed" = 0 ] || { echo "scan rows and 302s disagree (see MISMATCH above)" >&2; exit 1; }
