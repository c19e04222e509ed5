"""Memory-lean variants of the neighbourhood-vector method ("knn100l0.9") from FINDINGS.md.

Usage: nice -n 19 .venv/bin/python lean.py EXPERIMENT [corpus ...]
Experiments: grid (T x k), cand (candidate generation / word-cosine), skip (approximate kNN lists),
quant (8/16-bit), tok (tokenizer / idf), all.
P@5 is leave-one-out, as in eval.py.
"""
import os
import re
import sys
import time
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

import corpora
from eval import p_at_5, topk

KMAX = 100
LAM = 0.9
SELF_W = 0.5
SKIP_FLOOR = float(os.environ.get("SKIP_FLOOR", "0"))  # never skip a term held by at most this many stories

# ---------------------------------------------------------------- the Rust tokenizer (crates/newsdesk-core/src/related/terms.rs)

RUST_STOP = set("""the and for that with was were are has had have his her its their they them this these those from
but not who whom which what when where will would could should been being said says say also than then there here
into onto out over under after before about more most some such can may might must our you your she him all any each
other one two new just only very because while did does doing done how why now yet still last first week year years
told per cent mr mrs ms upon both own same between through during against without within among again further once off
few many much like make made get got take took come came going went way day days time times people according
including""".split())


def _strip_suffix_all(w, suf):
    while suf and w.endswith(suf):
        w = w[: -len(suf)]
    return w


def rust_stem(word):
    w = _strip_suffix_all(word, "'s")
    w = _strip_suffix_all(w, "'")
    n = len(w.encode("utf-8"))

    def cut(suffix, mn):
        return n > mn and w.endswith(suffix)
    if cut("ies", 4):
        s = w[:-3] + "y"
    elif cut("sses", 5) or cut("shes", 5) or cut("ches", 5) or cut("xes", 4):
        s = w[:-2]
    elif cut("ing", 5):
        s = w[:-3]
    elif cut("ed", 4) and not w.endswith("eed"):
        s = w[:-2]
    elif cut("s", 3) and not w.endswith("ss") and not w.endswith("us") and not w.endswith("is"):
        s = w[:-1]
    else:
        s = w
    return s.rstrip("e")


_SPLIT = re.compile(r"[^\w']+|_")  # Rust: split on chars that are neither alphanumeric nor '
_stem_cache = {}


def rust_terms(text):
    out = []
    for w in _SPLIT.split(text):
        w = w.strip("'").lower()
        if len(w) < 3 or w.isdigit() and w.isascii():
            continue
        if w in RUST_STOP:
            continue
        s = _stem_cache.get(w)
        if s is None:
            s = _stem_cache[w] = rust_stem(w)
        if len(s.encode("utf-8")) >= 2:
            out.append(s)
    return out


def sk_terms():
    return CountVectorizer(stop_words="english").build_analyzer()


# ---------------------------------------------------------------- first-order spaces

def counts(fields, an, weights):
    """Field-weighted term counts; fields = list of (headline, standfirst, body)."""
    cv = CountVectorizer(analyzer=an)
    cv.fit([" \n ".join(f) for f in fields])
    C = None
    for i, w in enumerate(weights):
        M = cv.transform([f[i] for f in fields]).astype(np.float64) * w
        C = M if C is None else C + M
    C = C.tocsr()
    C.eliminate_zeros()
    return C


def tfidf(C, idf="smooth"):
    n = C.shape[0]
    df = np.bincount(C.indices, minlength=C.shape[1]).astype(np.float64)
    if idf == "smooth":  # sklearn
        w = np.log((1 + n) / (1 + df)) + 1.0
    else:  # newsdesk today: ln(1 + N/df)
        w = np.log(1.0 + n / np.maximum(df, 1))
    X = C.copy()
    X.data = 1.0 + np.log(X.data)
    return normalize(X @ sp.diags(w)).tocsr(), df


def truncate_rows(X, T):
    if not T:
        return X
    X = X.tocsr().copy()
    for i in range(X.shape[0]):
        a, b = X.indptr[i], X.indptr[i + 1]
        if b - a > T:
            d = X.data[a:b]
            d[np.argpartition(-d, T)[T:]] = 0.0
    X.eliminate_zeros()
    return normalize(X).tocsr()


def _trunc_keep_weights(X, T):
    """Top-T terms of each row with their weights in the whole vector (no renormalisation)."""
    X = X.tocsr().copy()
    for i in range(X.shape[0]):
        a, b = X.indptr[i], X.indptr[i + 1]
        if b - a > T:
            d = X.data[a:b]
            d[np.argpartition(-d, T)[T:]] = 0.0
    X.eliminate_zeros()
    return X


def quantize(a, bits):
    if not bits:
        return a
    q = float(2 ** bits - 1)
    return np.round(np.asarray(a) * q) / q


# ---------------------------------------------------------------- kNN lists

def knn_lists(X, df=None, skip=None, rescore=False, k=KMAX):
    """Exact top-k by cosine, or approximate: only terms with df <= skip*N are looked up (the
    inverted index skips them), ranked by the partial dot product over those terms, or (rescore)
    candidates found that way ranked by their full cosine."""
    if not skip:
        return topk(X, k)
    n = X.shape[0]
    keep = (df <= max(skip * n, SKIP_FLOOR)).astype(np.float64)
    Xm = (X @ sp.diags(keep)).tocsr()
    Xm.eliminate_zeros()
    k = min(k, n - 2)
    idx = np.zeros((n, k), dtype=np.int32)
    sim = np.zeros((n, k), dtype=np.float32)
    XT, XmT = X.T.tocsr(), Xm.T.tocsr()
    for s in range(0, n, 1000):
        e = min(n, s + 1000)
        P = (Xm[s:e] @ XmT).toarray().astype(np.float32)
        if rescore:
            F = (X[s:e] @ XT).toarray().astype(np.float32)
            S = np.where(P > 0, F, -1.0).astype(np.float32)
        else:
            S = np.where(P > 0, P, -1.0).astype(np.float32)
        S[np.arange(e - s), np.arange(s, e)] = -np.inf
        part = np.argpartition(-S, k, axis=1)[:, :k]
        ps = np.take_along_axis(S, part, 1)
        o = np.argsort(-ps, axis=1, kind="stable")
        idx[s:e] = np.take_along_axis(part, o, 1)
        sim[s:e] = np.take_along_axis(ps, o, 1)
    sim[sim < 0] = 0.0  # fewer than k candidates: padding, weight 0
    return idx, sim


def build_cost(X, df, skip=None):
    """Accumulator updates per story when its kNN list is found through an inverted index over the
    (truncated) vectors, skipping terms with df > skip*N: sum over its looked-up terms of the
    posting length. Returned as a fraction of N (x 100,000 = updates per story at 100k stories),
    and the share of postings kept."""
    n = X.shape[0]
    plen = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)  # postings of truncated vectors
    use = np.ones(X.shape[1], bool) if not skip else (df <= max(skip * n, SKIP_FLOOR))
    per_doc = np.asarray((X.astype(bool).astype(np.float64) @ sp.diags(plen * use)).sum(1)).ravel()
    return per_doc.mean() / n, plen[use].sum() / plen.sum()


# ---------------------------------------------------------------- neighbourhood scoring

def score_top5(X, idx, sim, labels, k=KMAX, cand="rev", wc="full", bits=None, lam=LAM, c=SELF_W):
    """Top-5 by (1-lam)*word cosine + lam*N_i.N_j over a candidate set.
    cand: all   - every story (the reference);
          rev   - stories whose N shares a support element with N_i (what reverse lists give:
                  exact N_i.N_j for every j with a nonzero dot);
          fwd   - kNN(i) + kNN(m) for m in kNN(i) (forward lists only), scored with exact N_i.N_j;
          hop2  - the same candidates, scored by sum_m N_i[m] * s_mj/|W_j| (j's weight seen from m's
                  forward list, so no reverse lists and no merge per candidate).
    wc:   full  - the word cosine of the (truncated) vectors for every candidate;
          knn   - s_ij when j is in kNN(i), else 0."""
    n = X.shape[0]
    k = min(k, idx.shape[1])
    s = np.clip(sim[:, :k], 0, None)
    if bits:
        s = quantize(s, bits)
    ip = np.arange(0, n * k + 1, k)
    W = sp.csr_matrix((s.ravel().astype(np.float64), idx[:, :k].ravel(), ip), shape=(n, n))
    if c == "mean":  # the mean nearest-neighbour similarity, as in FINDINGS.md
        c = float(s[:, 0].mean())
    W = (W + c * sp.identity(n, format="csr")).tocsr()
    rn = np.sqrt(np.asarray(W.multiply(W).sum(1)).ravel())
    N = (sp.diags(1 / rn) @ W).tocsr()
    if bits:
        N.data = quantize(N.data, bits)
    NT = N.T.tocsr()
    Wd = (W @ sp.diags(1 / rn)).tocsr()  # Wd[m, j] = s_mj / |W_j|
    if bits:
        Wd.data = quantize(Wd.data, bits)
    Sk = sp.csr_matrix((s.ravel().astype(np.float64), idx[:, :k].ravel(), ip), shape=(n, n))
    B = W.astype(bool).astype(np.float32)  # forward support incl. self
    XT = X.T.tocsr()
    out = np.zeros((n, 5), dtype=np.int32)
    ncand = 0
    for a in range(0, n, 500):
        b = min(n, a + 500)
        if cand == "hop2":
            D = (N[a:b] @ Wd).toarray()
        else:
            D = (N[a:b] @ NT).toarray()
        C = (X[a:b] @ XT).toarray() if wc == "full" else Sk[a:b].toarray()
        S = (1 - lam) * C + lam * D
        if cand == "rev":
            mask = D > 0
        elif cand in ("fwd", "hop2"):
            mask = (B[a:b] @ B).toarray() > 0
        else:
            mask = np.ones_like(S, bool)
        mask[np.arange(b - a), np.arange(a, b)] = False
        ncand += mask.sum()
        S = np.where(mask, S, -np.inf)
        S[np.arange(b - a), np.arange(a, b)] = -np.inf
        part = np.argpartition(-S, 5, axis=1)[:, :5]
        ps = np.take_along_axis(S, part, 1)
        o = np.argsort(-ps, axis=1, kind="stable")
        out[a:b] = np.take_along_axis(part, o, 1)
    return p_at_5(out, labels), ncand / n


# ---------------------------------------------------------------- experiment driver

class Corpus:
    def __init__(self, name):
        self.name = name
        docs = corpora.load(name)
        self.labels = [d["label"] for d in docs]
        self.fields = [corpora.api_fields(d) for d in docs]
        self.cache = {}

    def space(self, key):
        """key = (tokenizer, idf, field weights, T, bits)."""
        if key in self.cache:
            return self.cache[key]
        tok, idf, fw, T, bits = key
        if tok == "sklearn_vec":  # the exact baseline of FINDINGS.md
            V = TfidfVectorizer(stop_words="english", sublinear_tf=True)
            X = normalize(V.fit_transform([" \n ".join(f) for f in self.fields])).tocsr()
            df = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)
        else:
            ck = ("counts", tok, fw)
            if ck not in self.cache:
                self.cache[ck] = counts(self.fields, rust_terms if tok == "ours" else sk_terms(), fw)
            X, df = tfidf(self.cache[ck], idf)
        X = truncate_rows(X, T)
        if bits:
            X = X.copy()
            X.data = quantize(X.data, bits)
        self.cache[key] = (X, df)
        return X, df

    def neigh(self, key, skip=None, rescore=False):
        nk = ("nn", key, skip, rescore)
        if nk not in self.cache:
            X, df = self.space(key)
            self.cache[nk] = knn_lists(X, df, skip, rescore)
        return self.cache[nk]

    def tfidf_p5(self, key):
        X, _ = self.space(key)
        idx, _ = self.neigh(key)
        return p_at_5(idx, self.labels)

    def run(self, key, k=KMAX, cand="rev", wc="full", skip=None, rescore=False, bits=None, c=SELF_W):
        X, df = self.space(key)
        idx, sim = self.neigh(key, skip, rescore)
        return score_top5(X, idx, sim, self.labels, k, cand, wc, bits, c=c)


SK = ("sklearn", "smooth", (1, 1, 1))
CORPORA = ["tm", "weka", "newsarticles", "bbc", "r8"]


def sk(T=None, bits=None):
    return SK + (T, bits)


def table(rows, names, header):
    print("\n| " + header + " | " + " | ".join(names) + " |")
    print("| --- " * (len(names) + 1) + "|")
    for label, vals in rows:
        print("| %s | " % label + " | ".join(v if isinstance(v, str) else "%.3f" % v for v in vals) + " |", flush=True)


def main():
    exp = sys.argv[1]
    names = sys.argv[2:] or CORPORA
    cs = [Corpus(n) for n in names]
    t0 = time.time()
    if exp in ("grid", "all"):
        rows = [("tfidf (sklearn vectorizer)", [c.tfidf_p5(("sklearn_vec", None, None, None, None)) for c in cs]),
                ("tfidf (same, from counts)", [c.tfidf_p5(sk()) for c in cs])]
        for T in (None, 200, 150, 100, 64, 48):
            rows.append(("tfidf top%s" % (T or "all"), [c.tfidf_p5(sk(T)) for c in cs]))
        table(rows, names, "first-order only")
        rows = []
        for T in (None, 200, 150, 100, 64, 48):
            for k in (100, 64, 50, 30):
                rows.append(("T=%s k=%d" % (T or "all", k), [c.run(sk(T), k)[0] for c in cs]))
                print(rows[-1], "%.0fs" % (time.time() - t0), flush=True)
        table(rows, names, "knn-vector, reverse lists, full word cosine")
        cost = []
        for T in (None, 200, 150, 100, 64, 48):
            cost.append(("T=%s" % (T or "all"), ["%.0f" % np.mean(np.diff(c.space(sk(T))[0].indptr)) for c in cs]))
        table(cost, names, "mean terms per story")
    if exp in ("cand", "all"):
        rows = []
        for T, k in ((None, 100), (200, 100), (100, 100), (100, 64), (100, 50), (64, 64), (64, 50), (48, 50)):
            for cand in ("all", "rev", "fwd", "hop2"):
                for wc in ("full", "knn"):
                    if cand == "all" and wc == "knn":
                        continue
                    r = [c.run(sk(T), k, cand, wc) for c in cs]
                    rows.append(("T=%s k=%d %s wc=%s" % (T or "all", k, cand, wc), [x[0] for x in r]))
                    print(rows[-1], "cand/story", ["%.0f" % x[1] for x in r], "%.0fs" % (time.time() - t0), flush=True)
        table(rows, names, "candidates / word cosine")
    if exp in ("skip", "all"):
        rows, cost = [], []
        for T, k in ((None, 100), (None, 64), (200, 100), (200, 64), (100, 64)):
            for skip in (None, 0.2, 0.1, 0.05):
                for rescore in ((False,) if not skip else (False, True)):
                    lab = "T=%s k=%d skip>%s%s" % (T or "all", k, skip or "none", " rescored" if rescore else "")
                    rows.append((lab, [c.run(sk(T), k, "fwd", "knn", skip, rescore)[0] for c in cs]))
                    print(rows[-1], "%.0fs" % (time.time() - t0), flush=True)
                    if k == 64:
                        cost.append(("T=%s skip>%s" % (T or "all", skip or "none"),
                                     ["%.0f%% / %.0f%%" % tuple(100 * np.array(build_cost(*c.space(sk(T)), skip))) for c in cs]))
        table(rows, names, "approximate kNN lists (fwd, word cosine from the kNN list)")
        table(cost, names, "build cost: mean sum of posting lengths per story as % of N / postings kept")
    if exp in ("quant", "all"):
        rows = []
        for T, k in ((None, 100), (None, 64), (200, 64)):
            for bits in (None, 16, 8):
                for cand, wc in (("rev", "full"), ("fwd", "knn")):
                    rows.append(("T=%s k=%d %s wc=%s bits=%s" % (T or "all", k, cand, wc, bits or 32),
                                 [c.run(sk(T, bits), k, cand, wc, bits=bits)[0] for c in cs]))
                    print(rows[-1], "%.0fs" % (time.time() - t0), flush=True)
        table(rows, names, "quantised vector weights and similarities")
    if exp in ("tok", "all"):
        rows = []
        variants = [("sklearn tok, smooth idf, fields 1/1/1", ("sklearn", "smooth", (1, 1, 1))),
                    ("sklearn tok, ln(1+N/df), fields 1/1/1", ("sklearn", "ours", (1, 1, 1))),
                    ("sklearn tok, smooth idf, fields 3/2/1", ("sklearn", "smooth", (3, 2, 1))),
                    ("ours tok, ln(1+N/df), fields 3/2/1 (newsdesk)", ("ours", "ours", (3, 2, 1))),
                    ("ours tok, smooth idf, fields 3/2/1", ("ours", "smooth", (3, 2, 1))),
                    ("ours tok, ln(1+N/df), fields 1/1/1", ("ours", "ours", (1, 1, 1)))]
        for lab, v in variants:
            for T, k in ((None, None), (48, None), (None, 100), (None, 64), (200, 64), (100, 64), (48, 50)):
                key = v + (T, None)
                if k is None:
                    rows.append(("%s, T=%s, tfidf" % (lab, T or "all"), [c.tfidf_p5(key) for c in cs]))
                else:
                    rows.append(("%s, T=%s k=%d knn" % (lab, T or "all", k), [c.run(key, k, "fwd", "knn")[0] for c in cs]))
                print(rows[-1], "%.0fs" % (time.time() - t0), flush=True)
        table(rows, names, "tokenizer / idf / field weights")
    if exp in ("selfw", "all"):
        rows = []
        for T, k in ((None, 100), (None, 64), (200, 64), (100, 64)):
            for cw in (0.5, "mean", 0.3, 1.0):
                for cand, wc in (("fwd", "knn"),):
                    rows.append(("T=%s k=%d %s wc=%s c=%s" % (T or "all", k, cand, wc, cw),
                                 [c.run(sk(T), k, cand, wc, c=cw)[0] for c in cs]))
                    print(rows[-1], "%.0fs" % (time.time() - t0), flush=True)
        table(rows, names, "self weight c")
    if exp in ("asym", "all"):
        rows = []
        for c in cs:
            X, df = c.space(sk())
            for Ti in (48, 64, 100, 150):
                for renorm in (False, True):
                    Xi = truncate_rows(X, Ti) if renorm else _trunc_keep_weights(X, Ti)
                    c.cache[("asym", Ti, renorm)] = topk(Xi, KMAX, Y=X)
        for Ti in (48, 64, 100, 150):
            for renorm in (False, True):
                for k in (100, 64):
                    vals = []
                    for c in cs:
                        idx, sim = c.cache[("asym", Ti, renorm)]
                        vals.append(score_top5(c.space(sk())[0], idx, sim, c.labels, k, "fwd", "knn")[0])
                    rows.append(("index top%d%s, query all terms, k=%d" % (Ti, " renormalised" if renorm else "", k), vals))
                    print(rows[-1], "%.0fs" % (time.time() - t0), flush=True)
        table(rows, names, "asymmetric kNN lists (fwd, wc=knn)")
    if exp == "one":  # ad hoc: lean.py one T k cand wc skip rescore bits tok idf fw corpus...
        pass


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
