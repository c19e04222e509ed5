#!/usr/bin/env bash
# The page a viral story really has (20 comments) against nginx serving the very same bytes,
# in one run, alternating, at 64 connections: as they are (identity), and compressed
# (newsdesk's gzip and brotli against nginx's gzip_static serving the precompressed file);
# then the same page while comments arrive at 500 a second, each checked on the first read
# after its 201, against nginx alone and against nginx while the same stream runs (its client
# and the node's work on the comments load the two cores in both measurements then). On
# SQLite, then on PostgreSQL, side by side.
# Usage: bench/edge.sh [SECONDS] [CONNECTIONS] [COMMENTS_A_SECOND]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
stream=${3:-500}
command -v nginx >/dev/null || { apt-get install -y -qq nginx-light >/dev/null; }
source bench/common.sh
bench_prepare
slug=rail-strike-halts-commuter-lines
nginx_port=18091

# wrk URL [HEADER]: requests a second and p99 latency.
measure() {
  local out
  if [[ -n ${2:-} ]]; then
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "$2" "$1")
  else
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$1")
  fi
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
}

one_store() {
  local name=$1 port=$2
  shift 2
  serve_newsdesk "$port" --demo --comments-per-minute 0 "$@"
  for i in $(seq 1 20); do
    curl -sf -o /dev/null -H 'content-type: application/json' \
      -d "{\"name\":\"Reader $i\",\"body\":\"Comment $i on the strike: the trains were late again, the buses full, and nobody says when it ends.\"}" \
      "localhost:$port/api/v1/articles/$slug/comments"
  done
  rm -rf "$work/www" && mkdir -p "$work/www/news"
  curl -sf "localhost:$port/news/$slug" -o "$work/www/news/$slug"
  gzip -6 -k "$work/www/news/$slug"
  local bytes gz br
  bytes=$(stat -c %s "$work/www/news/$slug")
  gz=$(stat -c %s "$work/www/news/$slug.gz")
  br=$(curl -sf -H 'Accept-Encoding: br' "localhost:$port/news/$slug" | wc -c)
  start_nginx "$nginx_port" "$work/www" "gzip_static on;"
  local ngx_url="http://127.0.0.1:$nginx_port/news/$slug" app_url="http://127.0.0.1:$port/news/$slug"
  echo "== $name: /news/$slug, $bytes bytes ($gz gzip, $br brotli), ${secs}s a run, $conns connections, $(nproc) cores"
  for round in 1 2; do
    read -r n_id n_id_p99 <<<"$(measure "$ngx_url")"
    read -r a_id a_id_p99 <<<"$(measure "$app_url")"
    read -r n_gz n_gz_p99 <<<"$(measure "$ngx_url" 'Accept-Encoding: gzip')"
    read -r a_gz a_gz_p99 <<<"$(measure "$app_url" 'Accept-Encoding: gzip')"
    read -r a_br a_br_p99 <<<"$(measure "$app_url" 'Accept-Encoding: br, gzip')"
    python3 - "$round" "$n_id" "$a_id" "$a_id_p99" "$n_gz" "$a_gz" "$a_br" "$a_br_p99" <<'PY'
import sys
r, n_id, a_id, a_id_p99, n_gz, a_gz, a_br, a_br_p99 = sys.argv[1:]
n_id, a_id, n_gz, a_gz, a_br = map(float, (n_id, a_id, n_gz, a_gz, a_br))
print(f"round {r}: identity {a_id:.0f}/s vs nginx {n_id:.0f}/s = {a_id/n_id:.2f}x (p99 {a_id_p99}); "
      f"gzip {a_gz:.0f}/s vs gzip_static {n_gz:.0f}/s = {a_gz/n_gz:.2f}x; "
      f"brotli {a_br:.0f}/s = {a_br/n_gz:.2f}x gzip_static (p99 {a_br_p99})")
PY
  done
  # The same page while comments arrive: readers and writers at once.
  python3 bench/edge/comment_stream.py "$port" "$slug" "$stream" "$secs" > "$work/stream.json" &
  local streamer=$!
  read -r a_busy a_busy_p99 <<<"$(measure "$app_url")"
  wait $streamer
  read -r n_busy _ <<<"$(measure "$ngx_url")"
  # nginx again with the same stream running (its posts and reads still go to newsdesk): the
  # stream's client and the node's work on the comments then load the machine in both
  # measurements, and what differs is only the server readers ask.
  python3 bench/edge/comment_stream.py "$port" "$slug" "$stream" "$secs" > "$work/stream2.json" &
  streamer=$!
  read -r n_loaded _ <<<"$(measure "$ngx_url")"
  wait $streamer
  python3 - "$a_busy" "$a_busy_p99" "$n_busy" "$n_loaded" "$work/stream.json" <<'PY'
import json, os, sys
a, p99, n, loaded, path = float(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
s = json.load(open(path))
print(f"while comments arrive ({s['per_second']}/s taken, {s['refused']} refused): {a:.0f}/s = {a/n:.2f}x nginx alone "
      f"({n:.0f}/s), {a/loaded:.2f}x nginx beside the same stream ({loaded:.0f}/s) (p99 {p99}); "
      f"{s['missing']} of {s['posted']} comments missing from the first read after their 201 "
      f"({s['moved_on']} pushed off the first page by newer ones); the stream's client used "
      f"{s.get('client_cores', 0):.2f} of the {os.cpu_count()} cores")
PY
  kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.3
  kill %1 2>/dev/null || true
  wait 2>/dev/null || true
}

one_store SQLite 18092
rm -rf "$work/data"
db="newsdesk_bench_$$"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
trap 'psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; bench_cleanup' EXIT
one_store "PostgreSQL 15" 18093 --database "postgres://postgres@127.0.0.1:5432/$db"
