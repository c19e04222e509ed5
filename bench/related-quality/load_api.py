#!/usr/bin/env python3
"""Loads one labelled corpus into a running newsdesk through its JSON API and measures
"More like this" precision at 5 through the API, the way the outside checker does.

    python3 load_api.py --base http://127.0.0.1:8080 --token TOKEN --corpus bbc|tm|r8|weka|newsarticles [--limit N]
    python3 load_api.py --corpus bbc --offline        # no server: the texts and the TF-IDF baseline only

1. Every story is posted with POST /api/v1/articles (Authorization: Bearer TOKEN) as
   {"headline", "standfirst" (the first paragraph cut at a sentence end under 300 characters),
    "body" (the rest, Markdown paragraphs separated by blank lines), "section": "news",
    "authors": ["Staff"], "status": "published"}: one section, one author, published at once,
   no tags. A 201 with the story's "slug" is expected; anything else is printed with the
   corpus doc id.
2. Then GET /api/v1/articles/{slug}/related?limit=5 is polled (a few stories, up to --wait
   seconds) until the related lists are filled.
3. Then related is fetched for every story: P@5 = share of the 5 returned stories with the
   story's label (a short list counts its missing places as misses; a story not posted by this
   run counts as a miss), averaged over the stories; with the p50/p99 latency of those requests.
4. In the same run, the baseline: sklearn TfidfVectorizer(stop_words="english",
   sublinear_tf=True), cosine, leave-one-out top 5, on exactly the posted texts
   (headline + standfirst + body) of the stories that were posted.

Needs scikit-learn and numpy for the baseline; without them the script re-runs itself with
the .venv next to it when there is one. Corpus readers and the field split are in corpora.py.
"""
import argparse
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError:  # pragma: no cover - re-run with the research venv
    venv_py = os.path.join(HERE, ".venv", "bin", "python")
    if os.path.exists(venv_py) and not os.environ.get("LOAD_API_REEXEC"):
        os.environ["LOAD_API_REEXEC"] = "1"
        os.execv(venv_py, [venv_py] + sys.argv)
    sys.exit("load_api.py needs numpy and scikit-learn (pip install numpy scikit-learn)")

import corpora  # noqa: E402


# ---------------------------------------------------------------- HTTP

class Client:
    """One keep-alive connection per thread, so the latency measured is the server's, not TCP setup."""

    def __init__(self, base, token, timeout=30.0):
        u = urllib.parse.urlsplit(base.rstrip("/"))
        if u.scheme not in ("http", "https"):
            raise SystemExit("--base must start with http:// or https://")
        self.scheme, self.host, self.port = u.scheme, u.hostname, u.port
        self.prefix = u.path
        self.token = token
        self.timeout = timeout
        self.local = threading.local()

    def _conn(self, fresh=False):
        c = getattr(self.local, "conn", None)
        if c is None or fresh:
            if c is not None:
                c.close()
            cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            c = self.local.conn = cls(self.host, self.port, timeout=self.timeout)
            c.connect()
            c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle delay in the timings
        return c

    def request(self, method, path, body=None, retries=5):
        """Returns (status, parsed JSON or text, seconds taken by the last attempt)."""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        for attempt in range(retries + 1):
            conn = self._conn()
            try:
                t = time.perf_counter()
                conn.request(method, self.prefix + path, body=data, headers=headers)
                r = conn.getresponse()
                raw = r.read()
                dt = time.perf_counter() - t
            except (http.client.HTTPException, OSError):
                self._conn(fresh=True)  # dropped keep-alive connection: retry on a new one
                if attempt == retries:
                    raise
                time.sleep(0.2 * (attempt + 1))
                continue
            if r.getheader("Connection", "").lower() == "close":
                self._conn(fresh=True)
            if r.status in (429, 503) and attempt < retries:
                wait = r.getheader("Retry-After")
                time.sleep(min(float(wait) if wait and wait.replace(".", "", 1).isdigit() else 1.0, 30.0))
                continue
            text = raw.decode("utf-8", "replace")
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return r.status, parsed, dt
        raise RuntimeError("unreachable")


# ---------------------------------------------------------------- corpus

def load_docs(name, limit=None, seed=0):
    """The corpus stories as the API gets them. With --limit, a fixed random sample of that many
    (seeded; the corpora are stored grouped by label, so a prefix would hold one label)."""
    docs = corpora.load(name)
    order = list(range(len(docs)))
    if limit and limit < len(docs):
        random.Random(seed).shuffle(order)
        order = sorted(order[:limit])
    out = []
    for i in order:
        d = docs[i]
        h, s, b = corpora.api_fields(d)
        out.append({"id": d.get("id") or str(i), "label": d["label"], "headline": h, "standfirst": s, "body": b})
    return out


def payload(d):
    return {"headline": d["headline"], "standfirst": d["standfirst"], "body": d["body"],
            "section": "news", "authors": ["Staff"], "status": "published"}


def texts(docs):
    return [d["headline"] + "\n" + d["standfirst"] + "\n" + d["body"] for d in docs]


# ---------------------------------------------------------------- the metric

def precision_at_5(lists, labels):
    """lists[i] = indices (into labels) of the stories returned for story i, -1 for a story not
    from this corpus. Short lists count their missing places as misses."""
    tot = 0.0
    for i, got in enumerate(lists):
        tot += sum(1 for j in got[:5] if j >= 0 and labels[j] == labels[i]) / 5.0
    return tot / max(len(lists), 1)


def tfidf_baseline(docs, labels):
    """sklearn TF-IDF cosine, leave-one-out top 5, on the same texts."""
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts(docs))
    n = X.shape[0]
    lists = []
    XT = X.T.tocsr()
    for a in range(0, n, 1000):
        b = min(n, a + 1000)
        S = (X[a:b] @ XT).toarray()
        S[np.arange(b - a), np.arange(a, b)] = -np.inf
        k = min(5, n - 1)
        part = np.argpartition(-S, k - 1, axis=1)[:, :k] if n > k else np.argsort(-S, axis=1)[:, :k]
        ps = np.take_along_axis(S, part, 1)
        # best first; ties by lower index, like a stable sort
        for r in range(b - a):
            lists.append([int(j) for _, j in sorted(zip(-ps[r], part[r]))])
    return precision_at_5(lists, labels)


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, int(round(q / 100.0 * len(xs) + 0.5)) - 1))  # nearest rank
    return xs[i]


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--token", default=os.environ.get("NEWSDESK_TOKEN", ""))
    ap.add_argument("--corpus", required=True, choices=sorted(corpora.CHECKER))
    ap.add_argument("--limit", type=int, default=None, help="post a fixed random sample of N stories")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--concurrency", type=int, default=4, help="parallel requests while posting")
    ap.add_argument("--wait", type=float, default=10.0, help="seconds to wait for related lists to fill")
    ap.add_argument("--settle", type=float, default=1.5,
                    help="seconds after the last post before measuring: new stories must be related "
                         "by content within a second, and the measure is of the settled index")
    ap.add_argument("--offline", action="store_true", help="no server: corpus, fields and baseline only")
    ap.add_argument("--out", help="write per-story results here (JSON)")
    args = ap.parse_args()

    docs = load_docs(args.corpus, args.limit, args.seed)
    print("%s: %d stories, %d labels %s" % (args.corpus, len(docs), len(set(d["label"] for d in docs)),
                                          dict(Counter(d["label"] for d in docs).most_common())), flush=True)
    if args.offline:
        labels = [d["label"] for d in docs]
        print("TF-IDF baseline P@5 (leave-one-out, same texts): %.4f" % tfidf_baseline(docs, labels))
        sl = [len(d["standfirst"]) for d in docs]
        print("standfirst length: max %d, mean %.0f; empty bodies: %d" %
              (max(sl), sum(sl) / len(sl), sum(1 for d in docs if not d["body"].strip())))
        return 0
    if not args.token:
        sys.exit("--token (or NEWSDESK_TOKEN) is required")

    api = Client(args.base, args.token)

    # 1. post
    t0 = time.time()
    slugs = [None] * len(docs)
    errors = []

    def post(i):
        d = docs[i]
        try:
            st, js, _ = api.request("POST", "/api/v1/articles", payload(d))
        except Exception as e:  # noqa: BLE001 - report and go on
            return i, None, "request failed: %r" % (e,)
        if st != 201:
            return i, None, "HTTP %d %s" % (st, json.dumps(js)[:400] if not isinstance(js, str) else js[:400])
        if not isinstance(js, dict) or not js.get("slug"):
            return i, None, "201 without a slug: %s" % (json.dumps(js)[:200],)
        return i, js["slug"], None

    with ThreadPoolExecutor(max(1, args.concurrency)) as ex:
        for n, (i, slug, err) in enumerate(ex.map(post, range(len(docs))), 1):
            if err:
                errors.append(i)
                print("POST failed for doc %s (%s): %s" % (docs[i]["id"], docs[i]["label"], err), flush=True)
            slugs[i] = slug
            if n % 500 == 0:
                print("  posted %d/%d (%.0fs)" % (n, len(docs), time.time() - t0), flush=True)
    post_s = time.time() - t0
    ok = [i for i in range(len(docs)) if slugs[i]]
    print("posted %d/%d in %.1fs (%.1f stories/s), %d errors" %
          (len(ok), len(docs), post_s, len(ok) / max(post_s, 1e-9), len(errors)), flush=True)
    if len(ok) < 6:
        sys.exit("too few stories posted to measure P@5")
    docs = [docs[i] for i in ok]
    slugs = [slugs[i] for i in ok]
    labels = [d["label"] for d in docs]
    index_of = {s: i for i, s in enumerate(slugs)}

    # 2. wait until related lists are filled (the last posted stories first, they are the newest)
    probe = sorted(set([len(slugs) - 1, len(slugs) // 2, 0, len(slugs) - 2, 1]))
    t1 = time.time()
    while True:
        filled = 0
        for i in probe:
            st, js, _ = api.request("GET", "/api/v1/articles/%s/related?limit=5" % urllib.parse.quote(slugs[i]))
            if st == 200 and isinstance(js, list) and len(js) > 0:
                filled += 1
        if filled == len(probe):
            break
        if time.time() - t1 > args.wait:
            print("warning: after %.0fs only %d of %d probed stories have related stories" %
                  (args.wait, filled, len(probe)), flush=True)
            break
        time.sleep(0.25)
    print("related lists filled %.2fs after the last post" % (time.time() - t1), flush=True)
    time.sleep(max(0.0, args.settle - (time.time() - t1)))

    # 3. related for every story, one at a time (latency without contention from this client)
    lists, lat, foreign, short, bad = [], [], 0, 0, 0
    per_story = []
    for i, slug in enumerate(slugs):
        st, js, dt = api.request("GET", "/api/v1/articles/%s/related?limit=5" % urllib.parse.quote(slug))
        lat.append(dt * 1000.0)
        got = []
        if st != 200 or not isinstance(js, list):
            bad += 1
            print("GET related failed for doc %s (%s): HTTP %d %s" %
                  (docs[i]["id"], docs[i]["label"], st, str(js)[:200]), flush=True)
        else:
            for r in js[:5]:
                j = index_of.get(r.get("slug"), -1) if isinstance(r, dict) else -1
                if j < 0:
                    foreign += 1
                if j == i:
                    print("warning: doc %s is related to itself" % docs[i]["id"], flush=True)
                got.append(j)
            if len(js) < 5:
                short += 1
        lists.append(got)
        per_story.append({"id": docs[i]["id"], "label": labels[i], "slug": slug,
                          "related": [slugs[j] if j >= 0 else None for j in got],
                          "hits": sum(1 for j in got if j >= 0 and labels[j] == labels[i])})
    p5 = precision_at_5(lists, labels)

    # 4. the baseline on the same texts
    base = tfidf_baseline(docs, labels)

    print()
    print("corpus            %s (%d stories, %d labels)" % (args.corpus, len(docs), len(set(labels))))
    print("API P@5           %.4f" % p5)
    print("TF-IDF P@5        %.4f  (sklearn, same texts, leave-one-out)" % base)
    print("difference        %+.4f  (%s)" % (p5 - base, "beats the baseline" if p5 > base else "does NOT beat the baseline"))
    print("related latency   p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d requests)" %
          (pct(lat, 50), pct(lat, 99), max(lat), len(lat)))
    print("short lists %d, results from outside this corpus %d, failed requests %d, failed posts %d" %
          (short, foreign, bad, len(errors)))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"corpus": args.corpus, "p5": p5, "tfidf_p5": base,
                       "latency_ms": {"p50": pct(lat, 50), "p99": pct(lat, 99), "max": max(lat)},
                       "stories": per_story}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
