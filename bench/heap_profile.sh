#!/usr/bin/env bash
# What the heap holds after a stretch of the soak's load: bench/soak.sh's node and load, the
# node built with the system allocator (the `system-alloc` feature; heaptrack sees malloc and
# free, not mimalloc) and run under heaptrack from its start, then killed with SIGKILL, so that
# heaptrack's "leaked" means "still held at the end". Prints the largest holders with their
# call stacks; bounded caches show as a few MB each, what grows with time as more.
# Usage: bench/heap_profile.sh [MINUTES]   (25)
#   HEAP_OUT  where heaptrack's recording goes (/tmp/newsdesk-heap, heaptrack adds .zst)
#   HEAP_BIN  a binary already built with `--features system-alloc`: no builds then
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
minutes=${1:-25}
out=${HEAP_OUT:-/tmp/newsdesk-heap}
port=${SOAK_PORT:-18089}
command -v heaptrack >/dev/null || { echo "heaptrack is not installed (apt-get install heaptrack)" >&2; exit 1; }

bin=$(mktemp /tmp/newsdesk-sysalloc-XXXXXX)
if [[ -n ${HEAP_BIN:-} ]]; then
  cp "$HEAP_BIN" "$bin"
else
  cargo build --release --locked -q -p newsdesk --features system-alloc
  cp target/release/newsdesk "$bin"
  # The ordinary build again, so target/release/newsdesk is not left with the system allocator.
  cargo build --release --locked -q -p newsdesk
fi
chmod 755 "$bin"
rm -f "$out".*
log=$(mktemp /tmp/newsdesk-heap-soak-XXXXXX.log)
# Two minutes more than the profile, so the load is still running when the node is killed.
SOAK_WRAP="heaptrack -o $out" NEWSDESK_BIN=$bin SOAK_PORT=$port \
  bash bench/soak.sh "$((minutes + 2))" >"$log" 2>&1 &
soak=$!
trap 'kill $soak 2>/dev/null || true; rm -f "$bin"' EXIT
node=
for _ in $(seq 1 600); do
  node=$(node_pid "$bin" "$port")
  [[ -n $node ]] && break
  sleep 0.1
done
[[ -n $node ]] || { echo "the node did not start" >&2; cat "$log" >&2; exit 1; }
echo "heap profile: node $node under heaptrack for $minutes min; soak log $log"
sleep "$((minutes * 60))"
kill -9 "$node" 2>/dev/null || echo "the node was gone before the end"
# heaptrack writes its file once the node is gone.
for _ in $(seq 1 600); do pgrep -f "heaptrack -o $out" >/dev/null || break; sleep 1; done
recording=$(ls "$out".* | head -n 1)
echo "recording: $recording"
heaptrack_print --print-leaks 1 --print-peaks 0 --print-allocators 0 --print-temporary 0 \
  --peak-limit 20 --sub-peak-limit 6 "$recording" | sed -n '/^MEMORY LEAKS/,$p' | head -n 300
