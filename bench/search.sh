#!/usr/bin/env bash
# Search at archive scale: fills a site with made-up stories over the API (100,000 by default),
# rebuilds the search index with `newsdesk reindex` (timed), then drives GET /api/v1/search with
# a mix of queries (words, phrases, prefixes, exclusions, filters, newest-first) and reports
# the rate and the latency percentiles. The reference, measured in the same run, is the API's
# plain list of the ten newest stories (GET /api/v1/articles?per_page=10): a page of ten
# stories read from the database with no search at all.
# Usage: bench/search.sh [STORIES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
stories=${1:-100000}
secs=${2:-10}
source bench/common.sh
bench_prepare
port=18084
base="http://127.0.0.1:$port"
serve() { serve_newsdesk $port; }
serve
token=$(NEWSDESK_LOG=warn target/release/newsdesk token create --role editor --data "$work/data" | tail -n1)

started=$(date +%s)
fill_stories "$base" "$token" "$stories"
total=$(story_count "$base")
echo "stories: $total, posted in $(( $(date +%s) - started )) s"

# A rebuild from scratch, as an operator would run it, then the server again.
kill %1; wait %1 2>/dev/null || true
NEWSDESK_LOG=warn target/release/newsdesk reindex --data "$work/data" | tail -n1
serve
pid=$(jobs -p | tail -n1)
searched() { curl -sf "$base/api/v1/search?from=1970-01-01&per_page=1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["indexing"])'; }
read -r indexed indexing < <(searched)
echo "indexed after restart: $indexed (still indexing: $indexing)"
# The related-stories index is built afresh at each start; measure once the server is idle.
while true; do
  before=$(awk '{print $14 + $15}' /proc/$pid/stat); sleep 2; after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  (( after - before < 40 )) && break
done

cat > "$work/queries.lua" <<'LUA'
queries = {
  "q=strike", "q=harbour+bridge", "q=%22city+council%22", "q=elect*", "q=market+-bank",
  "q=festival&section=culture", "q=the+city", "q=goal&sort=newest", "q=study&from=2026-01-01",
  "q=vaccine+ocean", "q=stadi*", "q=mayor&tag=budget", "q=rail&author=maya-okafor",
  "q=people&page=3", "q=telescope+satellite+fossil", "q=report",
}
LUA
for target in api page; do
  path=$([[ $target == api ]] && echo "/api/v1/search?" || echo "/search?")
  { echo "dofile('$work/queries.lua')"; cat <<LUA
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "$path" .. queries[(i % #queries) + 1])
end
LUA
  } > "$work/$target.lua"
done
run() { wrk -t"${threads:-2}" -c"${conns:-16}" -d"${secs}s" --latency "$@" | awk '/Requests\/sec/ {r=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print r, p50, p99}'; }
echo "over HTTP, $(nproc) cores, $indexed stories, ${secs}s a run"
# One client at a time shows each request's own latency; sixteen show the rate under load.
for load in "1 1" "2 16"; do
  read -r threads conns <<<"$load"
  read -r list_rate list_p50 list_p99 < <(run "$base/api/v1/articles?per_page=10")
  read -r rate p50 p99 < <(run -s "$work/api.lua" "$base/api/v1/search")
  read -r page_rate page_p50 page_p99 < <(run -s "$work/page.lua" "$base/search")
  echo "$conns connection(s):"
  echo "  reference, the ten newest stories (API): $list_rate req/s (p50 $list_p50, p99 $list_p99)"
  echo "  search, 16 kinds of query (API):         $rate req/s (p50 $p50, p99 $p99)," \
    "ratio to the reference $(python3 -c "print(f'{$rate/$list_rate:.2f}')")"
  echo "  the same on the /search page:            $page_rate req/s (p50 $page_p50, p99 $page_p99)," \
    "ratio to the reference $(python3 -c "print(f'{$page_rate/$list_rate:.2f}')")"
done
echo "server memory (VmRSS): $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status); index on disk: $(du -sh "$work/data/search" | cut -f1)"
