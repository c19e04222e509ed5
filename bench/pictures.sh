#!/usr/bin/env bash
# Pictures: how long after a 12-megapixel phone photo (4000×3000 JPEG with a rotation flag
# and a GPS position) is uploaded until every variant (5 widths × JPEG and WebP) can be
# served, through the real API on the release build. The reference, in the same run on the
# same photo, is Pillow doing the same work in one process (decode, rotate, the same five
# Lanczos resizes, each encoded as JPEG and WebP): the ratio says how newsdesk's pipeline
# compares with a mature image library, whatever the machine's load.
# Usage: bench/pictures.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
source bench/common.sh
bench_prepare
python3 -c "import PIL" 2>/dev/null || pip install -q pillow
port=18086
base="http://127.0.0.1:$port"
serve_newsdesk $port
token=$(NEWSDESK_LOG=warn target/release/newsdesk token create --role editor --data "$work/data" | tail -n1)

python3 bench/pictures_reference.py make "$work" "$rounds"
ours=()
theirs=()
for i in $(seq 1 "$rounds"); do
  photo="$work/photo-$i.jpg"
  start=$(date +%s%N)
  name=$(curl -sf -X POST "$base/api/v1/media?filename=photo.jpg" -H "Authorization: Bearer $token" \
    -H "Content-Type: image/jpeg" --data-binary @"$photo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')
  until curl -sf "$base/api/v1/media/$name" -H "Authorization: Bearer $token" | grep -q '"variants_ready":true'; do
    sleep 0.01
  done
  end=$(date +%s%N)
  ours+=("$(( (end - start) / 1000000 ))")
  theirs+=("$(python3 bench/pictures_reference.py run "$photo")")
done
python3 - "${ours[*]}" "${theirs[*]}" <<'PY'
import statistics, sys
ours = [float(x) / 1000 for x in sys.argv[1].split()]
ref = [float(x) for x in sys.argv[2].split()]
print(f"12 MP JPEG, upload to every variant ready, {len(ours)} rounds")
print(f"  newsdesk (HTTP upload, clean, 10 variants, stored): median {statistics.median(ours):.2f} s, worst {max(ours):.2f} s")
print(f"  Pillow, same work in one process, no storage:       median {statistics.median(ref):.2f} s, worst {max(ref):.2f} s")
print(f"  ratio newsdesk / Pillow (median): {statistics.median(ours) / statistics.median(ref):.2f}")
PY
