#!/usr/bin/env bash
# "More like this" at 100,000 stories: the index's top-five time against comparing a story with
# every other story, both measured in the same run, and the topic precision on the made-up
# labelled corpus. Usage: bench/related.sh [STORIES]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked -q -p newsdesk-core --example related_bench -- "${1:-100000}"
