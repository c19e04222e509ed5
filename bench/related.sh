#!/usr/bin/env bash
# "More like this" on real news that no one here wrote: each labelled corpus (fetched from the
# package registries by bench/related-quality/fetch.sh) is loaded through the API into a fresh
# node (release build, SQLite, empty), one section, one author, no tags; then precision at 5
# and the latency of GET /api/v1/articles/{slug}/related, with plain TF-IDF cosine
# (scikit-learn, same texts, leave-one-out) measured beside it in the same run.
# Then the index at 100,000 made-up stories in one process: build time, top-five time, memory.
# Usage: bench/related.sh [CORPUS…]   (default: bbc tm weka r8 newsarticles)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_prepare
bash bench/related-quality/fetch.sh >/dev/null
port=18091
corpora=("$@")
[[ ${#corpora[@]} -gt 0 ]] || corpora=(bbc tm weka r8 newsarticles)
for corpus in "${corpora[@]}"; do
  rm -rf "$work/data"
  serve_newsdesk "$port" --comments-per-minute 0
  token=$(NEWSDESK_LOG=warn target/release/newsdesk token create --role editor --data "$work/data" | tail -n1)
  python3 bench/related-quality/load_api.py --base "http://127.0.0.1:$port" --token "$token" \
    --corpus "$corpus" --wait 60 --out "$work/$corpus.json" | grep -v '^  posted'
  kill %1 2>/dev/null || kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
done
echo
/usr/bin/time -f "peak memory of the 100,000-story build: %M kB" \
  cargo run --release --locked -q -p newsdesk-core --example related_bench -- 100000
