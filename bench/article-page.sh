#!/usr/bin/env bash
# Article page throughput against nginx serving the same bytes from a file, measured in the
# same run on the same machine. Prints both figures and their ratio.
# Usage: bench/article-page.sh [SLUG] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
slug=${1:-rail-strike-halts-commuter-lines}
secs=${2:-10}
conns=${3:-64}
command -v nginx >/dev/null || { apt-get install -y -qq nginx-light >/dev/null; }
source bench/common.sh
bench_prepare

app_port=18080; nginx_port=18081
serve_newsdesk $app_port --demo
mkdir -p "$work/www/news"
curl -sf localhost:$app_port/news/$slug -o "$work/www/news/$slug"
bytes=$(stat -c %s "$work/www/news/$slug")

start_nginx "$nginx_port" "$work/www"

run() { wrk -t2 -c"$conns" -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "page: /news/$slug ($bytes bytes), ${secs}s, $conns connections, $(nproc) cores"
ngx=$(run "http://127.0.0.1:$nginx_port/news/$slug")
app=$(run "http://127.0.0.1:$app_port/news/$slug")
echo "nginx:    $ngx req/s"
echo "newsdesk: $app req/s"
python3 -c "print(f'ratio newsdesk/nginx: {$app/$ngx:.3f}')"
