"""P@5 of the shipped method with other tokenizers: the Snowball stemmer, scikit-learn's stop list
(FINDINGS2.md, last section). Usage: .venv/bin/python tokenizers.py CORPUS..."""
import sys, time, re
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
import lean, corpora
from lean import Corpus, rust_stem, RUST_STOP, _SPLIT
from nltk.stem.snowball import SnowballStemmer
from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
snow = SnowballStemmer("english")
SKSTOP = set(ENGLISH_STOP_WORDS)
def make(stemf, stop, minlen=3):
    cache = {}
    def an(text):
        out = []
        for w in _SPLIT.split(text):
            w = w.strip("'").lower()
            if w.endswith("'s"): w = w[:-2]
            if len(w) < minlen or (w.isdigit() and w.isascii()): continue
            if w in stop: continue
            s = cache.get(w)
            if s is None: s = cache[w] = stemf(w)
            if len(s) >= 2: out.append(s)
        return out
    return an
TOKS = {
 "ours": lean.rust_terms,
 "snow+ourstop": make(snow.stem, RUST_STOP),
 "snow+skstop": make(snow.stem, SKSTOP),
 "snow+both": make(snow.stem, SKSTOP | RUST_STOP),
 "ourstem+both": make(rust_stem, SKSTOP | RUST_STOP),
}
orig_counts = lean.counts
names = sys.argv[1:] or lean.CORPORA
for name in names:
    c = Corpus(name)
    row = []
    for tn, an in TOKS.items():
        C = orig_counts(c.fields, an, (3, 2, 1))
        X, df = lean.tfidf(C, "smooth")
        X = lean.truncate_rows(X, 200)
        idx, sim = lean.knn_lists(X, df)
        p = lean.score_top5(X, idx, sim, c.labels, 100, "fwd", "knn", c=0.3)[0]
        t = lean.p_at_5(idx, c.labels)
        row.append("%s %.3f (knn-only %.3f)" % (tn, p, t))
    print(name, " | ".join(row), flush=True)
