#!/usr/bin/env bash
# Load benchmark of `sparse serve` on loopback (issue #4): CACM indexed with bm25, wrk against GET /search with the
# 64 CACM queries, at 1, 8 and 32 connections, without and with a concurrent writer that adds documents through
# POST /documents the whole time. Prints one JSON line per run: p50/p99 latency, requests/s, non-2xx responses, and,
# for writer runs, how many acknowledged documents were not found afterwards (lost updates).
# Usage: eval/load-bench.sh [shared-dir] [seconds-per-run]     Needs wrk and curl (apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
seconds=${2:-10}
port=18080
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build src/SparseSearch.Cli -c Release -v quiet -nologo >/dev/null
sparse() { dotnet src/SparseSearch.Cli/bin/Release/net10.0/sparse.dll "$@"; }

sparse index --dataset "$shared/datasets/cacm" --encoder bm25 --index "$work/cacm" 2>/dev/null
if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then echo "port $port is already in use" >&2; exit 1; fi
# Started directly (not through the function), so $! is the server itself and the trap stops it.
dotnet src/SparseSearch.Cli/bin/Release/net10.0/sparse.dll serve --index "$work/cacm" --urls "http://127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done

# The queries, URL-encoded, one per line, for the wrk script to cycle through.
python3 -c "
import json, sys, urllib.parse
for line in open('$shared/datasets/cacm/queries.jsonl'):
    print(urllib.parse.quote_plus(json.loads(line)['text']))" > "$work/queries.txt"
cat > "$work/search.lua" <<LUA
local queries = {}
for line in io.lines("$work/queries.txt") do queries[#queries + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/search?k=10&q=" .. queries[(n % #queries) + 1])
end
LUA

# writer FILE: adds 5-document batches until killed, appending each acknowledged id to FILE.
writer() {
  local batch=0
  while true; do
    batch=$((batch + 1))
    local body="[" ids=()
    for i in 1 2 3 4 5; do
      ids+=("load-$batch-$i")
      body+="{\"id\":\"load-$batch-$i\",\"title\":\"load test\",\"text\":\"time sharing operating system document $batch $i\"},"
    done
    body="${body%,}]"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/documents" < /dev/null || true)
    if [ "$code" = 200 ]; then
      printf '%s\n' "${ids[@]}" >> "$1"
    else
      echo "POST /documents answered '$code'" >&2
    fi
  done
}

for with_writer in false true; do
  for connections in 1 8 32; do
    acked="$work/acked-$with_writer-$connections.txt"; : > "$acked"
    if [ "$with_writer" = true ]; then writer "$acked" 2>> "$work/writer.log" & writer_pid=$!; fi
    threads=$(( connections < 2 ? 1 : 2 ))
    out=$(wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -s "$work/search.lua" "http://127.0.0.1:$port")
    if [ "$with_writer" = true ]; then kill "$writer_pid"; wait "$writer_pid" 2>/dev/null || true; fi
    lost=0
    while read -r id; do
      [ -n "$id" ] || continue
      curl -sf -o /dev/null "http://127.0.0.1:$port/documents/$id" || lost=$((lost + 1))
    done < "$acked"
    WRK="$out" python3 - "$connections" "$with_writer" "$(wc -l < "$acked")" "$lost" <<'PY'
import json, os, re, sys
out = os.environ["WRK"]
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 3)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
requests = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
errors = re.search(r"Socket errors: (.*)", out)
print(json.dumps({"connections": int(sys.argv[1]), "concurrent_writer": sys.argv[2] == "true", "requests": requests,
                  "requests_per_second": rps, "p50_ms": ms("50"), "p99_ms": ms("99"),
                  "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(1) if errors else "none",
                  "documents_acknowledged": int(sys.argv[3]), "documents_lost": int(sys.argv[4])}))
PY
  done
done
[ -s "$work/writer.log" ] && { echo "writer errors:" >&2; tail -5 "$work/writer.log" >&2; }
grep -c " 50[0-9] " "$work/serve.log" >/dev/null 2>&1 && echo "the server log mentions 5xx responses" >&2 || true
