#!/usr/bin/env bash
# Acknowledged, durable comments a second into SQLite (WAL, synchronous=FULL): many readers
# post to one story at once over the JSON API, and every 201 is a comment committed to disk.
# The reference, measured in the same run: how many synchronous 4 KiB writes the disk takes a
# second, which bounds any design that commits each comment on its own.
# Usage: bench/comments.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-128}
source bench/common.sh
bench_prepare
port=18082
serve_newsdesk $port --demo --comments-per-minute 0 --metrics-token bench
slug=rail-strike-halts-commuter-lines
before=$(curl -sf "localhost:$port/api/v1/articles/$slug/comments?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"name":"Bench reader","body":"Comment number %d from the benchmark, long enough to look like a real one."}', n))
end
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
LUA

out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/articles/$slug/comments")
after=$(curl -sf "localhost:$port/api/v1/articles/$slug/comments?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
errors=$(echo "$out" | awk -F= '/non2xx/ {print $2}')

dd if=/dev/zero of="$work/fsync.test" bs=4k count=2000 oflag=dsync 2> "$work/dd.txt" || true
fsyncs=$(python3 - "$work/dd.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"copied, ([0-9.]+) s", text)
print(f"{2000/float(m.group(1)):.0f}" if m else "unknown")
PY
)
echo "comments posted to one story, ${secs}s, $conns connections, $(nproc) cores, SQLite synchronous=FULL"
echo "acknowledged: $rate comments/s (p99 latency $p99), refused: ${errors:-0}"
echo "stored: $((after - before)) comments"
echo "reference, synchronous 4 KiB writes: $fsyncs/s"
[[ $fsyncs != unknown ]] && python3 -c "print(f'ratio acknowledged comments / synchronous writes: {$rate/$fsyncs:.1f}')"
# Comments per commit (each commit one fsync of the log), from the server's own batch histogram.
curl -sf -H 'Authorization: Bearer bench' "localhost:$port/metrics" | python3 -c '
import sys
sums = {}
for line in sys.stdin:
    name, _, value = line.rpartition(" ")
    if name.startswith("newsdesk_comment_batch_size_sum") or name.startswith("newsdesk_comment_batch_size_count"):
        sums[name.split("{")[0]] = sums.get(name.split("{")[0], 0) + float(value)
s, c = sums.get("newsdesk_comment_batch_size_sum", 0), sums.get("newsdesk_comment_batch_size_count", 0)
print(f"comments per commit (one fsync each): {s/c:.1f} ({s:.0f} comments in {c:.0f} commits)" if c else "no batch metric")
'

