#!/usr/bin/env bash
# WordPress import: a generated export of POSTS posts (block-editor markup) with 20 comments
# each (10,000 and 200,000 by default, the size the issue names) imported into a fresh SQLite
# site and a fresh PostgreSQL database by the release build, then imported again (nothing to
# add). The reference, in the same run on the same file, is Python's C XML parser
# (xml.etree.iterparse) reading the file and counting its items and comments: the floor any
# importer pays just to read it, whatever the machine's load.
# Usage: bench/wordpress.sh [POSTS]
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-10000}
source bench/common.sh
bench_prepare
file="$work/export.xml"
python3 bench/wordpress/make_export.py "$file" "$posts" 20
echo "export: $(du -h "$file" | cut -f1), $posts posts, $((posts * 20)) comments"

seconds() { python3 -c "import sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.1f}')" "$1" "$2"; }

start=$(date +%s%N)
python3 - "$file" <<'PY'
import sys, xml.etree.ElementTree as ET
items = comments = 0
for _, el in ET.iterparse(sys.argv[1]):
    if el.tag == "item":
        items += 1
        el.clear()
    elif el.tag.endswith("}comment"):
        comments += 1
print(f"reference read {items} items and {comments} comments")
PY
reference=$(seconds "$start" "$(date +%s%N)")

run_import() {
  local start out
  start=$(date +%s%N)
  out=$(NEWSDESK_LOG=warn target/release/newsdesk import wordpress "$file" "$@")
  echo "$out" | grep -E "stories:|comments:" >&2
  seconds "$start" "$(date +%s%N)"
}
sqlite=$(run_import --data "$work/data")
again=$(run_import --data "$work/data")
db="bench_wp_$$"
createdb -h 127.0.0.1 -U postgres "$db"
postgres=$(run_import --database "postgres://postgres@127.0.0.1:5432/$db")
dropdb -h 127.0.0.1 -U postgres "$db"

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }
echo "reference (Python's C XML parser, reading only): ${reference} s"
echo "import into SQLite:      ${sqlite} s ($(ratio "$sqlite" "$reference")× the reference)"
echo "import again (no change): ${again} s ($(ratio "$again" "$reference")×)"
echo "import into PostgreSQL:  ${postgres} s ($(ratio "$postgres" "$reference")×)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r)"
