#!/usr/bin/env bash
# The first page of a story's comments with 50,000 comments against the same page with 10,
# measured in the same run over the JSON API (never cached, so every request reads the
# database). Prints both rates and their ratio; 1.0 means a huge thread costs nothing extra.
# Usage: bench/thread-paging.sh [COMMENTS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
many=${1:-50000}
secs=${2:-10}
source bench/common.sh
bench_prepare
port=18083
serve_newsdesk $port --demo --comments-per-minute 0
big=rail-strike-halts-commuter-lines
small=rail-strike-costs-city-traders
# A thread one page long, so the two first pages hold the same number of comments.
page=port-avel-rail-talks-collapse

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"name":"Reader %d","body":"Comment %d, with a few words to make it look real."}', n % 500, n))
end
LUA
count() { curl -sf "localhost:$port/api/v1/articles/$1/comments?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
# Fill the big thread, then give the small one its ten.
while (( $(count $big) < many )); do
  wrk -t2 -c64 -d2s -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/articles/$big/comments" >/dev/null
done
for i in $(seq 1 10); do
  curl -sf -X POST -H 'content-type: application/json' -d "{\"name\":\"R\",\"body\":\"Comment $i\"}" \
    "localhost:$port/api/v1/articles/$small/comments" >/dev/null
done
for i in $(seq 1 20); do
  curl -sf -X POST -H 'content-type: application/json' -d "{\"name\":\"Reader $i\",\"body\":\"Comment $i, with a few words to make it look real.\"}" \
    "localhost:$port/api/v1/articles/$page/comments" >/dev/null
done
run() { wrk -t2 -c32 -d"${secs}s" --latency "$1" | awk '/Requests\/sec/ {r=$2} $1=="99%" {p=$2} END {print r, p}'; }
read -r small_rate small_p99 < <(run "http://127.0.0.1:$port/api/v1/articles/$small/comments")
read -r page_rate page_p99 < <(run "http://127.0.0.1:$port/api/v1/articles/$page/comments")
read -r big_rate big_p99 < <(run "http://127.0.0.1:$port/api/v1/articles/$big/comments")
read -r newest_rate newest_p99 < <(run "http://127.0.0.1:$port/api/v1/articles/$big/comments?sort=newest")
read -r best_rate best_p99 < <(run "http://127.0.0.1:$port/api/v1/articles/$big/comments?sort=best")
# The big thread's first page cut to the small thread's length: the same bytes' worth of
# comments, so only the thread's size differs.
read -r short_rate short_p99 < <(run "http://127.0.0.1:$port/api/v1/articles/$big/comments?per_page=10")
echo "first page of comments (20 threads) over the API, ${secs}s each, $(nproc) cores"
echo "10 comments:              $small_rate req/s (p99 $small_p99)"
echo "20 comments (one page):   $page_rate req/s (p99 $page_p99)"
echo "$(count $big) comments, oldest: $big_rate req/s (p99 $big_p99)"
echo "$(count $big) comments, newest: $newest_rate req/s (p99 $newest_p99)"
echo "$(count $big) comments, best:   $best_rate req/s (p99 $best_p99)"
echo "$(count $big) comments, oldest, 10 a page: $short_rate req/s (p99 $short_p99)"
python3 -c "print(f'ratio big/10 comments: oldest {$big_rate/$small_rate:.2f}, newest {$newest_rate/$small_rate:.2f}, best {$best_rate/$small_rate:.2f}')"
python3 -c "print(f'ratio big/10 comments, both pages 10 long: {$short_rate/$small_rate:.2f}')"
python3 -c "print(f'ratio big/one full page: oldest {$big_rate/$page_rate:.2f}, newest {$newest_rate/$page_rate:.2f}, best {$best_rate/$page_rate:.2f}')"
