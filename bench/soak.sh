#!/usr/bin/env bash
# A soak: one node on a fresh demo site under a steady mixed load at a fixed, modest rate for
# an hour (story, home, section and tag pages, feeds, search, related stories, comment pages
# and poll tallies through the API, and a trickle of comments, votes, poll answers and reports
# through the API, as readers' apps send them). It passes when no answer is other than
# expected (no 5xx, no refusal, no connection error) and the node logs no error; when memory
# is flat (anonymous memory, RssAnon, every 10 s less SQLite's own heap, its gauge on /metrics;
# VmRSS shown beside: the last minute's
# median within 10% or 20 MB of the median around the 5th minute, after warm-up, and the
# least-squares slope over the second half under 20 MB an hour, judged on runs of 20 minutes
# or more); and when every acknowledged comment,
# vote and poll answer is counted through the API at the end. Exits 1 otherwise. The load,
# the samples and the checks are bench/soak_load.py.
# Usage: bench/soak.sh [MINUTES] [postgres]
#   SOAK_RATE    actions a second (40; a vote, poll answer or report is two requests)
#   SOAK_CSV     where the memory samples go (a file in /tmp, named at the end)
#   NEWSDESK_BIN a binary already built, such as target/debug/newsdesk: no release build then
#   SOAK_PORT    the node's port (18087)
#   SOAK_WRAP    a command the node runs under, such as `heaptrack -o FILE`
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
rate=${SOAK_RATE:-40}
csv=${SOAK_CSV:-$(mktemp /tmp/newsdesk-soak-XXXXXX.csv)}
bin=${NEWSDESK_BIN:-target/release/newsdesk}
source bench/common.sh
# No wrk here, so not bench_prepare: the release build (unless a binary is named) and the
# work folder, removed with the node when the script ends.
[[ -n ${NEWSDESK_BIN:-} ]] || cargo build --release --locked -q
work=$(mktemp -d)
trap bench_cleanup EXIT
port=${SOAK_PORT:-18087}
base="http://127.0.0.1:$port"
store_args=()
store=SQLite
if [[ ${2:-} == postgres ]]; then
  db="bench_soak_$$"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
  trap 'psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; bench_cleanup' EXIT
  store_args=(--database "postgres://postgres@127.0.0.1:5432/$db")
  store=PostgreSQL
fi

# Every limit that would refuse the load itself is off: debate writes a minute, reports an
# hour, new reader cookies an hour, a form's least time on screen, conversations closing.
# The metrics token lets the load read the page cache's gauge beside each memory sample.
export SOAK_METRICS_TOKEN="soak-$$-$RANDOM"
# SOAK_WRAP runs the node under a tool (bench/heap_profile.sh: heaptrack); the node's own
# process is then found by its command line, for its memory.
read -ra wrap <<<"${SOAK_WRAP:-}"
NEWSDESK_LOG=warn "${wrap[@]}" "$bin" serve --data "$work/data" "${store_args[@]}" --addr "127.0.0.1:$port" --demo \
  --metrics-token "$SOAK_METRICS_TOKEN" \
  --comments-per-minute 0 --reports-per-hour 0 --new-readers-per-hour 0 --comment-min-seconds 0 \
  --comments-close-after-days 0 >/dev/null 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$base/healthz" >/dev/null || { echo "newsdesk did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
(( ${#wrap[@]} == 0 )) || pid=$(node_pid "$bin" "$port")

echo "soak: $bin, $store, $minutes min, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
status=0
python3 bench/soak_load.py "$base" "$pid" "$((minutes * 60))" "$rate" "$csv" || status=$?
kill -0 "$pid" 2>/dev/null || { echo "the node is gone"; status=1; }
# The node's own account: anything it logged at error level, or a panic.
errors=$(sed 's/\x1b\[[0-9;]*m//g' "$work/serve.log" | grep -E ' ERROR |panicked' || true)
echo "node log: $(grep -c . <<<"$errors" || true) errors or panics ($(grep -c . "$work/serve.log" || true) lines at warn and above)"
if [[ -n $errors ]]; then
  head -n 5 <<<"$errors"
  status=1
fi
(( status == 0 )) && echo "SOAK PASSED" || echo "SOAK FAILED"
exit "$status"
