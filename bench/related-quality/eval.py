"""Leave-one-out precision at 5 of "More like this" variants on the corpora in corpora.py.

Usage: .venv/bin/python eval.py [corpus ...] [--methods m1,m2]
P@5 of a story = share of its 5 most similar other stories with the same label; averaged over all stories.
"""
import re
import sys
import time
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

import corpora

K = int(__import__("os").environ.get("K", "50"))  # candidates kept per story for the re-ranking methods

# ---------------------------------------------------------------- neighbours and the metric

def topk(X, k=K, Y=None, chunk=1000):
    """Top-k by dot product of rows of Y (default X) against rows of X, self excluded."""
    Y = X if Y is None else Y
    n = X.shape[0]
    k = min(k, n - 2)
    XT = X.T.tocsr() if sp.issparse(X) else X.T
    idx = np.zeros((n, k), dtype=np.int32)
    sim = np.zeros((n, k), dtype=np.float32)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        S = Y[s:e] @ XT
        S = S.toarray() if sp.issparse(S) else np.asarray(S)
        S = S.astype(np.float32)
        S[np.arange(e - s), np.arange(s, e)] = -np.inf
        part = np.argpartition(-S, k, axis=1)[:, :k]
        ps = np.take_along_axis(S, part, 1)
        o = np.argsort(-ps, axis=1, kind="stable")
        idx[s:e] = np.take_along_axis(part, o, 1)
        sim[s:e] = np.take_along_axis(ps, o, 1)
    return idx, sim


def p_at_5(idx, labels):
    labels = np.asarray(labels)
    return float((labels[idx[:, :5]] == labels[:, None]).mean())


# ---------------------------------------------------------------- text to vectors

_stemmer = None


def analyzer(stem=False, bigrams=False):
    base = CountVectorizer(stop_words="english").build_analyzer()  # lowercase, \b\w\w+\b, stop words
    global _stemmer
    if stem and _stemmer is None:
        from nltk.stem.snowball import SnowballStemmer  # same algorithm as the rust-stemmers crate
        _stemmer = SnowballStemmer("english")
    cache = {}

    def st(w):
        r = cache.get(w)
        if r is None:
            r = cache[w] = _stemmer.stem(w)
        return r

    def an(text):
        toks = base(text)
        if stem:
            toks = [st(t) for t in toks]
        if bigrams:
            # bigrams of consecutive kept tokens (stop words removed first)
            toks = toks + [a + " " + b for a, b in zip(toks, toks[1:])]
        return toks
    return an


def field_counts(docs, an, weights=(1.0, 1.0, 1.0), min_df=1):
    """Term counts with per-field multipliers (title, standfirst, body)."""
    cv = CountVectorizer(analyzer=an, min_df=min_df)
    cv.fit([d["title"] + "\n" + d["standfirst"] + "\n" + d["body"] for d in docs])
    C = None
    for w, f in zip(weights, ("title", "standfirst", "body")):
        M = cv.transform([d[f] for d in docs]).astype(np.float64) * w
        C = M if C is None else C + M
    return C.tocsr()


def idf_of(C):
    n = C.shape[0]
    df = np.bincount(C.indices, minlength=C.shape[1])
    return np.log((1 + n) / (1 + df)) + 1.0  # sklearn's smooth idf


def tfidf_from_counts(C, sublinear=True):
    X = C.copy()
    if sublinear:
        X.data = 1.0 + np.log(X.data)
    X = X @ sp.diags(idf_of(C))
    return normalize(X)


def bm25_from_counts(C, k1=1.2, b=0.75):
    X = C.copy().tocsr()
    dl = np.asarray(C.sum(1)).ravel()
    avg = dl.mean()
    rows = np.repeat(np.arange(C.shape[0]), np.diff(X.indptr))
    tf = X.data
    X.data = tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl[rows] / avg))
    n = C.shape[0]
    df = np.bincount(C.indices, minlength=C.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    return normalize(X @ sp.diags(idf))


def truncate_rows(X, n_terms):
    """Keep the n_terms largest weights of each row, then re-normalise."""
    X = X.tocsr().copy()
    for i in range(X.shape[0]):
        a, b = X.indptr[i], X.indptr[i + 1]
        if b - a > n_terms:
            d = X.data[a:b]
            cut = np.argpartition(-d, n_terms)[n_terms:]
            d[cut] = 0.0
    X.eliminate_zeros()
    return normalize(X)


def joined(docs):
    return [d["title"] + "\n" + d["standfirst"] + "\n" + d["body"] for d in docs]


# ---------------------------------------------------------------- re-ranking on top of a base vector space

def prf(X, idx, sim, k=10, beta=1.0, weighted=False):
    """Rocchio: query = own vector + beta * mean of its k nearest neighbours; rank again."""
    n = X.shape[0]
    if weighted:
        w = np.clip(sim[:, :k], 0, None)
        w = w / np.maximum(w.sum(1, keepdims=True), 1e-12)
    else:
        w = np.full((n, k), 1.0 / k)
    A = sp.csr_matrix((w.ravel(), idx[:, :k].ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))
    Q = X + beta * (A @ X)
    return topk(X, Y=normalize(Q))


def snn(idx, sim, k=20, gamma=1.0):
    """Shared-nearest-neighbour re-rank of the K candidates: cos + gamma * |N_k(i) & N_k(j)| / k."""
    n = idx.shape[0]
    k = min(k, idx.shape[1])
    sets = [set(r[:k].tolist()) for r in idx]
    new = np.empty_like(sim)
    for i in range(n):
        si = sets[i]
        new[i] = sim[i] + gamma * np.array([len(si & sets[j]) for j in idx[i]]) / k
    o = np.argsort(-new, axis=1, kind="stable")
    return np.take_along_axis(idx, o, 1), np.take_along_axis(new, o, 1)


def csls(idx, sim, k=10):
    """Hubness correction: score(i,j) = 2 cos(i,j) - r_j, r_j = mean cos of j to its k nearest."""
    r = sim[:, :k].mean(1)
    new = 2 * sim - r[idx]
    o = np.argsort(-new, axis=1, kind="stable")
    return np.take_along_axis(idx, o, 1), np.take_along_axis(new, o, 1)


def knn_vectors(n, idx, sim, k=20, power=1.0, self_w=None):
    """Each story as the (l2-normalised) vector of its k nearest neighbours' similarities, itself included."""
    k = min(k, idx.shape[1])
    w = np.clip(sim[:, :k], 0, None) ** power
    A = sp.csr_matrix((w.ravel(), idx[:, :k].ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))
    # the story itself joins its own neighbourhood; default weight = mean similarity to the nearest neighbour
    sw = w[:, :1].mean() if self_w is None else self_w
    A = A + sw * sp.identity(n, format="csr")
    return normalize(A)


def knnvec(X, idx, sim, k=20, lam=0.5, power=1.0, self_w=None):
    """Score = (1-lam) * cos(x_i, x_j) + lam * cos(neighbourhood_i, neighbourhood_j)."""
    V = knn_vectors(X.shape[0], idx, sim, k, power, self_w)
    Z = sp.hstack([np.sqrt(1 - lam) * sp.csr_matrix(X), np.sqrt(lam) * V]).tocsr()
    return topk(Z)


def mutual(idx, sim, k=20, bonus=0.1):
    """Mutual kNN: + bonus when i is also among j's k nearest."""
    n = idx.shape[0]
    sets = [set(r[:k].tolist()) for r in idx]
    new = sim + bonus * np.array([[i in sets[j] for j in idx[i]] for i in range(n)], dtype=np.float32)
    o = np.argsort(-new, axis=1, kind="stable")
    return np.take_along_axis(idx, o, 1), np.take_along_axis(new, o, 1)


# ---------------------------------------------------------------- methods

def run_methods(docs, methods):
    labels = [d["label"] for d in docs]
    out = {}
    cache = {}

    def counts(stem=False, bigrams=False, weights=(1, 1, 1), min_df=1):
        key = (stem, bigrams, weights, min_df)
        if key not in cache:
            cache[key] = field_counts(docs, analyzer(stem, bigrams), weights, min_df)
        return cache[key]

    def base(name):
        if name not in cache:
            cache[name] = SPACES[name]()
        return cache[name]

    SPACES = {
        "tfidf": lambda: normalize(TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(joined(docs))),
        "tfidf_t3": lambda: tfidf_from_counts(counts(weights=(3, 1, 1))),
        "tfidf_t3s2": lambda: tfidf_from_counts(counts(weights=(3, 2, 1))),
        "tfidf_stem": lambda: tfidf_from_counts(counts(stem=True)),
        "tfidf_stem_t3": lambda: tfidf_from_counts(counts(stem=True, weights=(3, 1, 1))),
        "tfidf_bigram": lambda: tfidf_from_counts(counts(bigrams=True, min_df=2)),
        "tfidf_stem_bigram": lambda: tfidf_from_counts(counts(stem=True, bigrams=True, min_df=2)),
        "bm25": lambda: bm25_from_counts(counts()),
        "bm25_stem_t3": lambda: bm25_from_counts(counts(stem=True, weights=(3, 1, 1))),
        "lsa200": lambda: normalize(TruncatedSVD(min(200, len(docs) - 1), random_state=0).fit_transform(base("tfidf"))),
        "tfidf_top48": lambda: truncate_rows(base("tfidf"), 48),
        "tfidf_top100": lambda: truncate_rows(base("tfidf"), 100),
        "tfidf_top200": lambda: truncate_rows(base("tfidf"), 200),
        "stem_t3_top48": lambda: truncate_rows(base("tfidf_stem_t3"), 48),
        "stem_t3_top100": lambda: truncate_rows(base("tfidf_stem_t3"), 100),
    }

    def neigh(space):
        key = ("nn", space)
        if key not in cache:
            cache[key] = topk(base(space))
        return cache[key]

    for m in methods:
        t = time.time()
        if m in SPACES:
            idx, sim = neigh(m)
        elif m.startswith("lsa") and "@" not in m:  # lsa200 / lsa300 on plain tf-idf
            dims = int(re.sub(r"\D", "", m) or 200)
            dims = min(dims, base("tfidf").shape[0] - 1)
            Z = TruncatedSVD(dims, random_state=0, algorithm="randomized", n_iter=5).fit_transform(base("tfidf"))
            idx, sim = topk(normalize(Z))
        else:
            # re-rankers: "<reranker>@<space>", e.g. prf10@tfidf, snn@tfidf_stem_t3
            rr, _, space = m.partition("@")
            space = space or "tfidf"
            i0, s0 = neigh(space)
            mm = re.match(r"prf(w?)(\d+)(?:b([\d.]+))?$", rr)
            if mm:
                idx, sim = prf(base(space), i0, s0, k=int(mm.group(2)), beta=float(mm.group(3) or 1.0),
                               weighted=bool(mm.group(1)))
            elif rr.startswith("prf2x"):  # two rounds of PRF
                k = int(rr[5:] or 10)
                i1, s1 = prf(base(space), i0, s0, k=k)
                idx, sim = prf(base(space), i1, s1, k=k)
            elif rr.startswith("knn"):  # knn<k>l<lam>[p<power>]
                mm = re.match(r"knn(\d+)l([\d.]+)(?:p([\d.]+))?(?:s([\d.]+))?$", rr)
                idx, sim = knnvec(base(space), i0, s0, k=int(mm.group(1)), lam=float(mm.group(2)),
                                  power=float(mm.group(3) or 1.0),
                                  self_w=float(mm.group(4)) if mm.group(4) else None)
            elif rr.startswith("snn"):
                mm = re.match(r"snn(\d+)?(?:g([\d.]+))?$", rr)
                idx, sim = snn(i0, s0, k=int(mm.group(1) or 20), gamma=float(mm.group(2) or 1.0))
            elif rr.startswith("csls"):
                idx, sim = csls(i0, s0, k=int(rr[4:] or 10))
            elif rr.startswith("mutual"):
                idx, sim = mutual(i0, s0)
            elif rr.startswith("prfsnn"):  # PRF then SNN
                i1, s1 = prf(base(space), i0, s0, k=int(rr[6:] or 10))
                idx, sim = snn(i1, s1)
            else:
                raise SystemExit("unknown method " + m)
        out[m] = p_at_5(idx, labels)
        print("   %-28s %.4f  (%.1fs)" % (m, out[m], time.time() - t), flush=True)
    return out


DEFAULT_METHODS = [
    "tfidf", "tfidf_t3", "tfidf_t3s2", "tfidf_stem", "tfidf_stem_t3", "tfidf_bigram", "tfidf_stem_bigram",
    "bm25", "bm25_stem_t3",
    "tfidf_top48", "tfidf_top100", "tfidf_top200",
    "lsa200",
    "prf5@tfidf", "prf10@tfidf", "prfw10@tfidf", "prf10b0.5@tfidf", "prf20@tfidf", "prf2x10@tfidf",
    "snn@tfidf", "csls@tfidf", "mutual@tfidf",
    "prf10@tfidf_stem_t3", "snn@tfidf_stem_t3", "prfsnn@tfidf_stem_t3",
    "prf10@tfidf_top48", "prf10@stem_t3_top48", "prf10@stem_t3_top100",
]

if __name__ == "__main__":
    args = sys.argv[1:]
    methods = DEFAULT_METHODS
    if "--methods" in args:
        i = args.index("--methods")
        methods = args[i + 1].split(",")
        args = args[:i] + args[i + 2:]
    names = args or list(corpora.LOADERS)
    results = {}
    for name in names:
        docs = corpora.LOADERS[name]()
        print("== %s: %d docs, %d labels" % (name, len(docs), len(set(d["label"] for d in docs))), flush=True)
        results[name] = run_methods(docs, methods)
    # markdown table
    print("\n| method | " + " | ".join(names) + " |")
    print("| --- | " + " | ".join("---" for _ in names) + " |")
    for m in methods:
        print("| %s | " % m + " | ".join("%.3f" % results[n][m] for n in names) + " |")
