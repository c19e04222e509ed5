#!/usr/bin/env bash
# Two builds of newsdesk side by side on the page a busy story has: each run a fresh demo site
# on SQLite, 20 comments, then `wrk -c64` on the story page for SECONDS while
# bench/edge/comment_stream.py posts 500 comments a second (each checked on the first read
# after its 201); builds A and B alternate, and nginx serving the same page alone is measured
# each round for the ratio. Keep a copy of each binary first (`cp target/release/newsdesk …`).
# Usage: bench/stream-ab.sh BIN_A BIN_B [ROUNDS] [SECONDS]
set -uo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || { apt-get install -y -qq nginx-light >/dev/null; }
source bench/common.sh
A=$1; B=$2; rounds=${3:-3}; secs=${4:-10}
slug=rail-strike-halts-commuter-lines
port=18095; nport=18096
work=$(mktemp -d)
trap bench_cleanup EXIT
wrk_rate() { wrk -t2 -c64 -d${secs}s --latency "$1" | awk '/Requests\/sec/ {r=$2} $1=="99%" {p=$2} END {print r, p}'; }
run_one() {
  local bin=$1 label=$2
  rm -rf "$work/data"
  NEWSDESK_LOG=warn $bin serve --data "$work/data" --addr 127.0.0.1:$port --demo --comments-per-minute 0 &
  local pid=$!
  for _ in $(seq 1 300); do curl -sf localhost:$port/healthz >/dev/null && break; sleep 0.1; done
  for i in $(seq 1 20); do
    curl -sf -o /dev/null -H 'content-type: application/json' -d "{\"name\":\"Reader $i\",\"body\":\"Comment $i on the strike: the trains were late again, the buses full, and nobody says when it ends.\"}" localhost:$port/api/v1/articles/$slug/comments
  done
  if [[ ! -f $work/www/news/$slug ]]; then
    mkdir -p $work/www/news; curl -sf localhost:$port/news/$slug -o $work/www/news/$slug
    start_nginx "$nport" "$work/www"
  fi
  python3 bench/edge/comment_stream.py $port $slug 500 $secs > $work/s.json &
  local sp=$!
  read -r rate p99 <<<"$(wrk_rate http://127.0.0.1:$port/news/$slug)"
  wait $sp
  local cpu
  cpu=$(ps -o cputime= -p $pid)
  kill $pid; wait $pid 2>/dev/null
  echo "$label pages/s $rate p99 $p99 stream $(cat $work/s.json) node_cputime $cpu"
}
for r in $(seq 1 $rounds); do
  run_one "$A" "A r$r"
  run_one "$B" "B r$r"
  read -r nrate _ <<<"$(wrk_rate http://127.0.0.1:$nport/news/$slug)"
  echo "nginx alone r$r pages/s $nrate"
done
