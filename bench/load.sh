#!/usr/bin/env bash
# Load figures for BENCHMARKS.md: the release binary on a fresh SQLite database with the demo content,
# `wrk` (Debian package) at 64 connections against a scan URL, a reader page and a GraphQL query.
# Usage: bench/load.sh [seconds]   (run from the workspace root; builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p frontier-server --bin frontier
dir=$(mktemp -d)
port=18555
target/release/frontier serve --demo --bind 127.0.0.1:$port --database-url "sqlite://$dir/f.db" >"$dir/out.log" 2>"$dir/err.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do grep -q "listening" "$dir/out.log" 2>/dev/null && break; sleep 0.2; done
base=http://127.0.0.1:$port
cat >"$dir/gql.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ articles(first: 10) { edges { node { title summary category { name } } } } }"}'
LUA
rows() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from scans').fetchone()[0])" "$dir/f.db"; }
echo "== scan redirect GET /q/3N2KJ4 (each request writes one committed row)"
before=$(rows)
wrk -t2 -c64 -d"${secs}s" --latency "$base/q/3N2KJ4" | tee "$dir/scan.txt"
after=$(rows)
echo "scan rows written: $((after - before)); requests wrk completed: $(grep -Eo '^ +[0-9]+ requests' "$dir/scan.txt" | tr -dc 0-9)"
echo "== reader page GET /p/nha-van-hoa-thon-na-ca"
wrk -t2 -c64 -d"${secs}s" --latency "$base/p/nha-van-hoa-thon-na-ca"
echo "== GraphQL: 10 articles with their categories"
wrk -t2 -c64 -d"${secs}s" --latency -s "$dir/gql.lua" "$base/graphql"
