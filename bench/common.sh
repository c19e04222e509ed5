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

# start_nginx PORT ROOT [DIRECTIVE…]: nginx serving ROOT on PORT (two workers, sendfile), the
# reference the page benchmarks compare with; extra http-level directives may follow.
start_nginx() {
  local port=$1 root=$2
  shift 2
  # nginx's workers run as another user: they must reach the files (else every answer is a 403).
  chmod 755 "$work"
  chmod -R a+rX "$root"
  cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  keepalive_requests 100000;
  $*
  server { listen 127.0.0.1:$port; root $root; }
}
CONF
  nginx -c "$work/nginx.conf"
  sleep 0.5
}

# The pid of a node serving on PORT from binary BIN, found by its command line (a node run
# under a tool is that tool's child); empty if there is none yet.
node_pid() { pgrep -f "^$1 serve .*127.0.0.1:$2" || true; }

story_count() { curl -sf "$1/api/v1/articles?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

# fill_stories BASE TOKEN COUNT: posts made-up stories through the API until there are COUNT.
fill_stories() {
  while (( $(story_count "$1") < $3 )); do
    NEWSDESK_TOKEN=$2 wrk -t2 -c16 -d5s -s bench/lua/post_stories.lua "$1/api/v1/articles" >/dev/null
  done
}
