#!/usr/bin/env bash
# The scan path against its baseline (issue 4), in one run on one machine:
#   1. a bare axum handler that answers GET /q/{code} with a fixed 302 (crates/server/examples/bare_redirect.rs);
#   2. the release `frontier` on a fresh SQLite database with the demo content and 1,000 codes.
# Both get `wrk -t2 -c64` over the same 1,000 random codes. The Lua script counts the 302s wrk received
# and every other answer and request sent; afterwards the scans table is counted: every 302 received must
# have its row, and the only rows more are of the requests wrk stopped waiting for (one per connection
# at most). The script fails when that does not hold.
# Usage: [ROUNDS=3] bench/scans.sh [seconds]   (from the workspace root)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
# A phone's user agent: without one wrk's requests count as bot scans, which skip what a person's
# scan costs (the code's last-scan moment, code_scans.rs).
phone='Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
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
cat >"$dir/random.lua" <<LUA
local codes = {}
for line in io.lines("$dir/codes.txt") do codes[#codes + 1] = line end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() found, other, sent = 0, 0, 0 end
function request()
  sent = sent + 1
  return wrk.format("GET", "/q/" .. codes[math.random(#codes)])
end
function response(status) if status == 302 then found = found + 1 else other = other + 1 end end
function done(summary)
  local f, o, s = 0, 0, 0
  for _, t in ipairs(threads) do f = f + t:get("found"); o = o + t:get("other"); s = s + t:get("sent") end
  io.write(string.format("302s received: %d; other answers: %d; socket errors: %d\n", f, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  -- wrk stops with a request in flight on each connection: the server may have recorded it.
  io.write(string.format("requests sent: %d (%d unanswered at the stop)\n", s, s - f - o))
end
LUA
rows() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from scans').fetchone()[0])" "$dir/f.db"; }

rps() { grep -E '^Requests/sec' "$1" | awk '{print $2}'; }
# Rounds alternate the two servers, so that a machine whose speed drifts (a shared host) weighs on
# both alike; the median round's ratio is the figure.
rounds=${ROUNDS:-3}
ratios=()
failed=0
for round in $(seq "$rounds"); do
  echo "== round $round/$rounds, baseline: bare axum handler, fixed 302"
  wrk -t2 -c64 -d"${secs}s" --latency -H "User-Agent: $phone" -s "$dir/random.lua" "http://127.0.0.1:$bare_port" |
    tee "$dir/bare.txt"
  echo "== round $round/$rounds, frontier: GET /q/{code} over 1,000 codes (each 302 after its scan is committed)"
  before=$(rows)
  wrk -t2 -c64 -d"${secs}s" --latency -H "User-Agent: $phone" -s "$dir/random.lua" "$base" | tee "$dir/scan.txt"
  sleep 1
  after=$(rows)
  written=$((after - before))
  received=$(grep -oE '^302s received: [0-9]+' "$dir/scan.txt" | grep -oE '[0-9]+$')
  sent=$(grep -oE '^requests sent: [0-9]+' "$dir/scan.txt" | grep -oE '[0-9]+$')
  # Every 302 has its row; the only rows more are of requests wrk sent but stopped waiting for.
  if [ "$written" -ge "$received" ] && [ "$written" -le "$sent" ]; then verdict=ok; else verdict=MISMATCH; failed=1; fi
  echo "scan rows written: $written (302s received: $received, requests sent: $sent): $verdict"
  ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$(rps "$dir/scan.txt")" "$(rps "$dir/bare.txt")")
  echo "round $round: $(rps "$dir/scan.txt") scans/s against $(rps "$dir/bare.txt"), ratio $ratio"
  ratios+=("$ratio")
done
kill $bare 2>/dev/null; wait $bare 2>/dev/null || true
python3 -c "import statistics,sys; r=sorted(map(float, sys.argv[1:])); print('ratio to the bare handler: ' + ' / '.join(f'{x:.0%}' for x in r) + f'; median {statistics.median(r):.0%}')" "${ratios[@]}"
[ "$failed" = 0 ] || { echo "scan rows and 302s disagree (see MISMATCH above)" >&2; exit 1; }
