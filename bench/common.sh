# What every benchmark does first, sourced by each script after it moves to the repository:
# install wrk when missing, build the release binary once, make a work folder that is removed
# (with every server the script started) when the script ends, and start newsdesk on a port.

bench_prepare() {
  command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
  cargo build --release --locked -q
  work=$(mktemp -d)
  trap bench_cleanup EXIT
}

bench_cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  local pid
  for pid in "$work"/*.pid; do
    [[ -f $pid ]] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  rm -rf "$work"
  return 0
}

# serve_newsdesk PORT [SERVE OPTIONS…]: starts newsdesk on DATA in the work folder and waits
# until it answers.
serve_newsdesk() {
  local port=$1
  shift
  NEWSDESK_LOG=warn target/release/newsdesk serve --data "$work/data" --addr "127.0.0.1:$port" "$@" &
  for _ in $(seq 1 300); do curl -sf "localhost:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "newsdesk did not start on port $port" >&2
  exit 1
}
