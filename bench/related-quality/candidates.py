"""Leave-one-out P@5 of the shipped method when a query reads only the lists of a story's nearest m
neighbours (FINDINGS2.md, last section). Usage: .venv/bin/python candidates.py CORPUS..."""
import sys
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
import numpy as np, scipy.sparse as sp
import lean
from lean import Corpus
def run(X, idx, sim, labels, k, m, c=0.3, lam=0.9):
    n = X.shape[0]; k = min(k, idx.shape[1]); mm = min(m, k)
    s = np.clip(sim[:, :k], 0, None)
    ip = np.arange(0, n*k+1, k)
    W = sp.csr_matrix((s.ravel().astype(np.float64), idx[:, :k].ravel(), ip), shape=(n, n))
    W = (W + c*sp.identity(n, format="csr")).tocsr()
    rn = np.sqrt(np.asarray(W.multiply(W).sum(1)).ravel())
    N = (sp.diags(1/rn) @ W).tocsr(); NT = N.T.tocsr()
    Sk = sp.csr_matrix((s.ravel().astype(np.float64), idx[:, :k].ravel(), ip), shape=(n, n))
    B = W.astype(bool).astype(np.float32)
    ipm = np.arange(0, n*mm+1, mm)
    Bm = sp.csr_matrix((np.ones(n*mm, np.float32), idx[:, :mm].ravel(), ipm), shape=(n, n))
    Bm = (Bm + sp.identity(n, format="csr", dtype=np.float32)).tocsr()
    out = np.zeros((n, 5), dtype=np.int32); ncand = 0
    for a in range(0, n, 500):
        b = min(n, a+500)
        D = (N[a:b] @ NT).toarray(); C = Sk[a:b].toarray()
        S = (1-lam)*C + lam*D
        mask = (Bm[a:b] @ B).toarray() > 0
        mask[np.arange(b-a), np.arange(a, b)] = False
        ncand += mask.sum()
        S = np.where(mask, S, -np.inf)
        part = np.argpartition(-S, 5, axis=1)[:, :5]
        ps = np.take_along_axis(S, part, 1); o = np.argsort(-ps, axis=1, kind="stable")
        out[a:b] = np.take_along_axis(part, o, 1)
    return lean.p_at_5(out, labels), ncand/n
for name in sys.argv[1:]:
    c = Corpus(name)
    C = lean.counts(c.fields, lean.rust_terms, (3, 2, 1))
    X, df = lean.tfidf(C, "smooth"); X = lean.truncate_rows(X, 200)
    idx, sim = lean.knn_lists(X, df)
    print(name, " | ".join("m=%d %.3f (%.0f cand)" % ((m,) + run(X, idx, sim, c.labels, 100, m)) for m in (100, 60, 25, 15, 10, 5)), flush=True)
