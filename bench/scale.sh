#!/usr/bin/env bash
# A site at archive scale: 100,000 stories and 1,000,000 comments posted through the API, then
# - peak memory (VmHWM) of the node that took them, and of a restarted node under 30 s of
#   mixed reads (story pages, comment pages, related stories) over the whole archive;
# - start to serving related stories by content, from the index the node kept on disk, with
#   the same start after that file is removed (the index built from the stories) as reference.
# Usage: bench/scale.sh [STORIES] [COMMENTS] [postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
stories=${1:-100000}
comments=${2:-1000000}
source bench/common.sh
bench_prepare
port=18086
base="http://127.0.0.1:$port"
store_args=()
if [[ ${3:-} == postgres ]]; then
  db="bench_scale_$$"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
  trap 'psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; bench_cleanup' EXIT
  store_args=(--database "postgres://postgres@127.0.0.1:5432/$db")
fi
# start LOG: a node on the work folder's data, logging at info into LOG; waits until it answers.
start() {
  NEWSDESK_LOG=info,sqlx=warn target/release/newsdesk serve --data "$work/data" "${store_args[@]}" \
    --addr "127.0.0.1:$port" --comments-per-minute 0 >/dev/null 2>"$1" &
  pid=$!
  for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && return; sleep 0.05; done
  echo "newsdesk did not start" >&2
  exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
peak() { awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status"; }
# watch FILE: the largest anonymous (the heap) and file-backed (mapped files: the binary, the
# search index's segments, which the kernel may drop) resident memory of the node, sampled
# twice a second into FILE until the node stops, so a peak can be told apart.
watch_rss() {
  local anon=0 filed=0 a f
  while kill -0 "$pid" 2>/dev/null; do
    read -r a f < <(awk '/RssAnon/ {a=$2} /RssFile/ {f=$2} END {print a+0, f+0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    (( a > anon )) && anon=$a
    (( f > filed )) && filed=$f
    echo "$anon $filed" > "$1"
    sleep 0.5
  done
}
parts() { read -r a f < "$1"; echo "  of which at most $((a / 1024)) MB anonymous and $((f / 1024)) MB file-backed (sampled twice a second)"; }

start "$work/fill.log"
watch_rss "$work/fill.rss" &
watcher=$!
token=$(NEWSDESK_LOG=warn target/release/newsdesk token create --role editor --data "$work/data" "${store_args[@]}" | tail -n1)
started=$(date +%s)
fill_stories "$base" "$token" "$stories"
echo "stories: $(story_count "$base"), posted in $(( $(date +%s) - started )) s"

# Every story's address, for the comment and read scripts.
python3 - "$base" "$stories" > "$work/slugs.lua" <<'PY'
import json, sys, urllib.request
base, want = sys.argv[1], int(sys.argv[2])
slugs, page = [], 1
while len(slugs) < want:
    with urllib.request.urlopen(f"{base}/api/v1/articles?per_page=100&page={page}") as r:
        items = json.load(r)["items"]
    if not items:
        break
    slugs += [i["slug"] for i in items]
    page += 1
print("slugs = {" + ",".join(json.dumps(s) for s in slugs) + "}")
PY
cat > "$work/comment.lua" <<LUA
dofile("$work/slugs.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function setup(thread) thread:set("tid", math.random(1000000)) end
request = function()
  n = n + 1
  local slug = slugs[math.random(#slugs)]
  return wrk.format(nil, "/api/v1/articles/" .. slug .. "/comments", nil,
    string.format('{"name":"Reader %d","body":"Comment %d on the story: a view of the matter, with reasons given."}', n % 997, n))
end
LUA
taken=0
started=$(date +%s)
while (( taken < comments )); do
  out=$(wrk -t2 -c64 -d20s -s "$work/comment.lua" "$base/" | awk '/requests in/ {print $1}')
  taken=$(( taken + out ))
done
echo "comments: about $taken posted in $(( $(date +%s) - started )) s"
echo "peak memory of the node that took them: $(peak)"
stop
wait "$watcher" || true
parts "$work/fill.rss"

cat > "$work/read.lua" <<LUA
dofile("$work/slugs.lua")
local i = 0
request = function()
  i = i + 1
  local slug = slugs[math.random(#slugs)]
  local kind = i % 3
  if kind == 0 then return wrk.format("GET", "/news/" .. slug) end
  if kind == 1 then return wrk.format("GET", "/api/v1/articles/" .. slug .. "/comments") end
  return wrk.format("GET", "/api/v1/articles/" .. slug .. "/related")
end
LUA
# ready LOG: starts a node and sets `took` to the seconds from its start until its log says
# related stories are by content (no command substitution: the node must stay this shell's).
ready() {
  local t0
  t0=$(date +%s.%N)
  start "$1"
  until grep -q -e "loaded the kept related-stories index" -e "built the related-stories index" "$1"; do sleep 0.02; done
  took=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.2f} s')")
}
ready "$work/kept.log"
watch_rss "$work/read.rss" &
watcher=$!
echo "restart, related stories by content from the kept index after: $took"
sed 's/\x1b\[[0-9;]*m//g' "$work/kept.log" | grep -o "loaded the kept.*" | head -n1
# Related stories one request at a time (one keep-alive connection), as load_api.py measures,
# once the node has settled (its first pass over the archive's stamps, the database warm).
sleep 10
python3 - "$base" "$work/slugs.lua" <<'PY'
import http.client, random, re, sys, time
host = sys.argv[1].split("//")[1]
slugs = re.findall(r'"([^"]+)"', open(sys.argv[2]).read())
random.seed(1)
c = http.client.HTTPConnection(host)
lat = []
for slug in random.sample(slugs, min(3000, len(slugs))):
    t = time.perf_counter()
    c.request("GET", f"/api/v1/articles/{slug}/related?limit=5")
    r = c.getresponse(); r.read()
    lat.append((time.perf_counter() - t) * 1000)
    assert r.status == 200, r.status
lat.sort()
print(f"related stories at {len(slugs)} stories: p50 {lat[len(lat)//2]:.2f} ms, p99 {lat[int(len(lat)*0.99)]:.2f} ms, max {lat[-1]:.2f} ms ({len(lat)} requests)")
PY
wrk -t2 -c32 -d30s -s "$work/read.lua" "$base/" | grep -E "Requests/sec|Non-2xx" || true
echo "peak memory of the restarted node under reads: $(peak)"
stop
wait "$watcher" || true
parts "$work/read.rss"
rm "$work/data/related.idx"
ready "$work/built.log"
echo "reference, the same start with the index built from the stories: $took"
stop
