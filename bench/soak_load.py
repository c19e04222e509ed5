"""The soak's steady mixed load, its memory samples and its checks (bench/soak.sh runs it).

Usage: soak_load.py BASE PID SECONDS RATE CSV
       soak_load.py --judge CSV   (the memory verdict of a run's samples, judged again)

For SECONDS, RATE actions a second at a fixed pace (not flat-out), each one of: the home page,
story pages, section and tag pages, feeds, search (API and page), related stories, comment
pages and poll tallies through the API, and a trickle of writes through the API: comments
(top-level and replies), votes on comments, poll answers and reports. A vote, poll answer or
report is two requests, as a reader's app sends it: `POST /stamp` with the reader's cookie
(a new reader gets theirs there), then the write with that stamp. Every 10 s the node's
VmRSS and RssAnon (from /proc/PID/status) go into CSV, with the gauges of its page cache and
SQLite's heap. The memory verdict is on anonymous memory less SQLite's heap: the file-backed
part of RSS is the binary's code as each path first runs and the search index's files, pages
the kernel may drop, bounded by those files. At the end: requests by kind, every answer that
was not the expected status (any 5xx, 4xx, connection error or timeout), memory after the
warm-up (5 minutes, or a third of a shorter run) against the end and the slope over the second
half, and whether what was acknowledged is there: each story's comment count, each voted
comment's votes, each poll's answers. Exits 1 when any check fails.

Standard library only: threads with one keep-alive connection each.
"""
import collections
import csv
import http.client
import json
import os
import queue
import random
import re
import sys
import threading
import time
import urllib.parse

WORKERS = 16
SAMPLE_EVERY = 10.0
# The node closes a kept-alive connection idle for its header timeout (10 s by default): a
# connection idle for longer than this is opened again before use, so no request races it.
IDLE_REOPEN = 4.0
# An action and its weight in the mix (a counted write is two requests).
MIX = [
    ("story_page", 24), ("home", 8), ("listing_page", 4), ("feed", 5), ("search_api", 6),
    ("search_page", 3), ("related", 7), ("comments_api", 14), ("debate_api", 3),
    ("comment_post", 8), ("vote", 8), ("poll_answer", 6), ("report", 2),
]
EXPECTED = {"comment_post": 201}  # every other kind answers 200
# Memory is flat when the end is within this of the end of the warm-up (the larger of the two),
# and the least-squares slope over the run's second half is under SLOPE_BOUND.
# The slope is judged only over a second half of 10 minutes or more (a run of 20): one sample
# swings by some 10 MB, so over a shorter span the slope is noise.
FLAT_FRACTION, FLAT_MB, SLOPE_BOUND_MB_PER_HOUR, SLOPE_MIN_SECONDS = 0.10, 20.0, 20.0, 600.0
WARMUP_SECONDS = 300.0

WORDS = ("council harbour budget rail strike school river storm hospital election market housing "
         "bridge water energy farmers library museum court police festival football weather").split()
SENTENCES = [
    "I read the whole piece twice and I still think the council has not explained the cost.",
    "My street had the same problem last winter and nobody came to look at it for weeks.",
    "Good reporting, but I would like to know what the other side says about the numbers.",
    "The figures in the third paragraph do not match what was said at the meeting.",
    "We moved here ten years ago and this is the first time anyone has asked us.",
    "Thanks for following this up; the first story left a lot of questions open.",
    "I disagree with the last comment: the plan was public for months before the vote.",
    "Does anyone know whether the change applies to the villages outside town too?",
]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.count = collections.Counter()
        self.errors = collections.Counter()  # (kind, status or exception name) -> n
        self.latency = collections.defaultdict(list)
        self.max_lag = 0.0
        self.late = 0  # actions started more than a second after their time

    def record(self, kind, status, seconds):
        with self.lock:
            self.count[kind] += 1
            self.latency[kind].append(seconds)
            if status != EXPECTED.get(kind, 200):
                self.errors[(kind, status)] += 1

    def totals(self):
        with self.lock:
            return sum(self.count.values()), sum(self.errors.values())


class Client:
    """One keep-alive connection, opened again after an error, a `Connection: close` or a pause."""

    def __init__(self, host, port, stats):
        self.host, self.port, self.stats = host, port, stats
        self.conn, self.used = None, 0.0

    def send(self, kind, method, path, body=None, cookie=None, encoding=None):
        """Answers (status, headers, body bytes); status is the exception's name on failure."""
        now = time.monotonic()
        if self.conn is not None and now - self.used > IDLE_REOPEN:
            self.conn.close()
            self.conn = None
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {}
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if cookie:
            headers["Cookie"] = cookie
        if encoding:
            headers["Accept-Encoding"] = encoding
        t = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read()
            status, hdrs = r.status, r
            if (r.getheader("connection") or "").lower() == "close":
                self.conn.close()
                self.conn = None
        except Exception as e:  # a refused, reset or timed-out request is an error like a 5xx
            self.conn.close()
            self.conn = None
            status, hdrs, data = type(e).__name__, None, b""
        self.used = time.monotonic()
        self.stats.record(kind, status, time.perf_counter() - t)
        return status, hdrs, data


class Site:
    """What the load knows of the site, and what it was told was stored."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.lock = threading.Lock()
        self.stories, self.sections, self.tags, self.words = [], set(), set(), set()
        self.questions = []  # (slug, question id)
        self.comments = []  # (slug, comment id)
        self.roots = collections.defaultdict(list)  # slug -> top-level comment ids
        self.readers = []  # cookies of readers who vote, answer polls and report
        self.writers = []  # cookies of readers who comment
        self.done = set()  # (what, reader cookie, target): each once per reader
        self.before = {}  # slug -> published comments before the load
        self.published = collections.Counter()  # slug -> comments acknowledged as published
        self.held = collections.Counter()
        self.votes = collections.defaultdict(lambda: [0, 0])  # comment id -> acknowledged up, down
        self.polls = collections.Counter()  # question id -> acknowledged answers
        self.n = 0

    def get_json(self, path):
        c = http.client.HTTPConnection(self.host, self.port, timeout=60)
        c.request("GET", path)
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.status != 200:
            raise SystemExit(f"GET {path}: {r.status}")
        return json.loads(data)

    def all_comments(self, slug):
        page, items = 1, []
        while True:
            p = self.get_json(f"/api/v1/articles/{slug}/comments?per_page=100&page={page}")
            items += p["items"]
            if page * 100 >= p["threads"]:
                return p["total"], items
            page += 1

    def learn(self):
        page = 1
        while True:
            p = self.get_json(f"/api/v1/articles?per_page=100&page={page}")
            for a in p["items"]:
                if a.get("status", "published") != "published":
                    continue
                self.stories.append(a["slug"])
                if a.get("section"):
                    self.sections.add(a["section"] if isinstance(a["section"], str) else a["section"].get("slug", ""))
                for t in a.get("tags") or []:
                    self.tags.add(t if isinstance(t, str) else t.get("slug", ""))
                self.words.update(w.lower() for w in re.findall(r"[A-Za-z]{5,}", a.get("headline", "")))
            if not p["items"] or page * 100 >= p["total"]:
                break
            page += 1
        self.sections.discard("")
        self.tags.discard("")
        self.words = sorted(self.words) or WORDS
        for slug in self.stories:
            for q in self.get_json(f"/api/v1/articles/{slug}/debate"):
                self.questions.append((slug, q["id"]))
            total, items = self.all_comments(slug)
            self.before[slug] = total
            for c in items:
                if c["status"] == "published":
                    self.comments.append((slug, c["id"]))
                    if c["depth"] == 0:
                        self.roots[slug].append(c["id"])
        self.vote_before = self.vote_counts()
        self.poll_before = self.poll_counts()

    def vote_counts(self):
        out = {}
        for slug in self.stories:
            for c in self.all_comments(slug)[1]:
                out[c["id"]] = (c["upvotes"], c["downvotes"])
        return out

    def poll_counts(self):
        out = {}
        for slug in {s for s, _ in self.questions}:
            for q in self.get_json(f"/api/v1/articles/{slug}/debate"):
                out[q["id"]] = q["votes"]
        return out


def cookie_of(hdrs):
    c = hdrs.getheader("set-cookie") if hdrs else None
    return c.split(";", 1)[0] if c else None


def counted(client, site, what, targets, rnd):
    """A reader who has not done WHAT to the target yet (one who has been here before, mostly;
    else a new one, whose cookie comes with the stamp), their stamp, and the target; None when
    the stamp was refused (counted as an error)."""
    target = rnd.choice(targets)
    cookie = None
    with site.lock:
        for _ in range(4 if rnd.random() < 0.9 else 0):
            c = rnd.choice(site.readers) if site.readers else None
            if c is not None and (what, c, target) not in site.done:
                cookie = c
                site.done.add((what, c, target))
                break
    status, hdrs, data = client.send("stamp", "POST", "/stamp", cookie=cookie)
    if status != 200:
        return None
    if cookie is None:
        cookie = cookie_of(hdrs)
        with site.lock:
            site.done.add((what, cookie, target))
            if len(site.readers) < 300:
                site.readers.append(cookie)
            else:
                site.readers[rnd.randrange(300)] = cookie
    return cookie, json.loads(data)["stamp"], target


def act(kind, client, site, rnd):
    slug = rnd.choice(site.stories)
    enc = rnd.choice([None, "gzip", "br, gzip"])
    if kind == "story_page":
        client.send(kind, "GET", f"/news/{slug}", encoding=enc)
    elif kind == "home":
        client.send(kind, "GET", "/", encoding=enc)
    elif kind == "listing_page":
        pick = rnd.choice([("section", s) for s in site.sections] + [("tag", t) for t in site.tags] or [("section", "news")])
        client.send(kind, "GET", f"/{pick[0]}/{urllib.parse.quote(pick[1])}", encoding=enc)
    elif kind == "feed":
        path = rnd.choice(["/feed.xml", "/atom.xml", "/feed.json", f"/news/{slug}/comments.xml", "/sitemap.xml"])
        client.send(kind, "GET", path, encoding=enc)
    elif kind in ("search_api", "search_page"):
        q = " ".join(rnd.sample(site.words, rnd.choice([1, 1, 2])))
        path = "/api/v1/search" if kind == "search_api" else "/search"
        client.send(kind, "GET", f"{path}?q={urllib.parse.quote(q)}", encoding=enc)
    elif kind == "related":
        client.send(kind, "GET", f"/api/v1/articles/{slug}/related?limit={rnd.choice([3, 5, 10])}")
    elif kind == "comments_api":
        sort = rnd.choice(["oldest", "newest", "best"])
        client.send(kind, "GET", f"/api/v1/articles/{slug}/comments?sort={sort}&page={rnd.choice([1, 1, 1, 2])}")
    elif kind == "debate_api":
        client.send(kind, "GET", f"/api/v1/articles/{slug}/debate")
    elif kind == "comment_post":
        with site.lock:
            site.n += 1
            n = site.n
            cookie = rnd.choice(site.writers) if site.writers and rnd.random() < 0.5 else None
            parent = rnd.choice(site.roots[slug]) if site.roots[slug] and rnd.random() < 0.3 else None
        body = {"name": f"Soak reader {n % 997}",
                "body": f"{rnd.choice(SENTENCES)} {rnd.choice(SENTENCES)} (comment {n})"}
        if parent is not None:
            body["parent_id"] = parent
        status, hdrs, data = client.send(kind, "POST", f"/api/v1/articles/{slug}/comments", body, cookie)
        if status == 201:
            posted = json.loads(data)
            with site.lock:
                if posted["status"] == "published":
                    site.published[slug] += 1
                    site.comments.append((slug, posted["id"]))
                    if parent is None:
                        site.roots[slug].append(posted["id"])
                else:
                    site.held[slug] += 1
                new = cookie_of(hdrs)
                if cookie is None and new and len(site.writers) < 200:
                    site.writers.append(new)
    elif kind == "vote":
        with site.lock:
            recent = site.comments[-500:]
        if not recent:  # nothing to vote on yet: a comment instead
            return act("comment_post", client, site, rnd)
        got = counted(client, site, "vote", recent, rnd)
        if got:
            cookie, stamp, (slug, cid) = got
            value = rnd.choice([1, 1, -1])
            status, _, _ = client.send(kind, "POST", f"/api/v1/articles/{slug}/comments/{cid}/vote",
                                       {"value": value, "stamp": stamp}, cookie)
            if status == 200:
                with site.lock:
                    site.votes[cid][0 if value == 1 else 1] += 1
    elif kind == "poll_answer" and site.questions:
        got = counted(client, site, "poll", site.questions, rnd)
        if got:
            cookie, stamp, (slug, qid) = got
            status, _, _ = client.send(kind, "POST", f"/api/v1/articles/{slug}/debate/{qid}/vote",
                                       {"answer": rnd.choice(["yes", "no", "not_sure"]), "stamp": stamp}, cookie)
            if status == 200:
                with site.lock:
                    site.polls[qid] += 1
    elif kind == "report":
        with site.lock:
            some = rnd.sample(site.comments, min(200, len(site.comments)))
        if not some:
            return act("comment_post", client, site, rnd)
        got = counted(client, site, "report", some, rnd)
        if got:
            cookie, stamp, (slug, cid) = got
            client.send(kind, "POST", f"/api/v1/articles/{slug}/comments/{cid}/flag",
                        {"reason": "Off topic", "stamp": stamp}, cookie)


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field}")


def node_gauges(host, port):
    """What the node's page cache and SQLite's own heap hold (their gauges on /metrics, in MB),
    so a rise in RSS can be told apart from bounded caches filling; None for each the node
    does not tell."""
    try:
        conn = http.client.HTTPConnection(host, port, timeout=5)
        conn.request("GET", "/metrics",
                     headers={"Authorization": f"Bearer {os.environ.get('SOAK_METRICS_TOKEN', '')}"})
        text = conn.getresponse().read().decode()
        conn.close()
    except (OSError, http.client.HTTPException):
        text = ""

    def gauge(name):
        m = re.search(rf"^{name} (\S+)$", text, re.M)
        return float(m.group(1)) / 1e6 if m else None
    return gauge("newsdesk_page_cache_bytes"), gauge("newsdesk_sqlite_memory_bytes")


def slope_per_hour(points):
    """The least-squares slope of RSS over time in MB an hour, and its standard error."""
    n = len(points)
    if n < 3:
        return 0.0, float("inf")
    mt = sum(t for t, _ in points) / n
    mr = sum(r for _, r in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    b = sum((t - mt) * (r - mr) for t, r in points) / var
    residual = sum((r - mr - b * (t - mt)) ** 2 for t, r in points) / (n - 2)
    return b * 3600, (residual / var) ** 0.5 * 3600


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000 if xs else 0.0


def judge_memory(samples, cached, sqlite, took, seconds, where, hwm=float("nan"), anon=None):
    """Prints the memory verdict of a run's samples ((seconds, MB) each; `cached` the page
    cache's, `sqlite` SQLite's own heap) and answers whether memory was flat. With SQLite's
    gauge, the verdict is on the rest of the process: SQLite's page caches fill as the database
    grows, up to their bound (each connection's cache_size and statement cache), which a
    one-hour soak at this rate reaches late; its own figures are shown beside."""
    measure = "VmRSS"
    if anon:
        print(f"\nVmRSS: {median([r for t, r in samples if 240 <= t <= 360] or [0]):.1f} MB at 5 min, "
              f"{median([r for t, r in samples if t >= took - 60] or [0]):.1f} MB at the end; of it anonymous "
              f"(RssAnon) {median([r for t, r in anon if 240 <= t <= 360] or [0]):.1f} MB and "
              f"{median([r for t, r in anon if t >= took - 60] or [0]):.1f} MB; the rest is file-backed")
        samples, measure = anon, "RssAnon"
    if sqlite:
        lite = dict(sqlite)
        print(f"\nSQLite's own heap (its gauge): {median([m for t, m in sqlite if t <= 360 and t >= 240] or [0]):.1f} MB "
              f"at 5 min, {median([m for t, m in sqlite if t >= took - 60] or [0]):.1f} MB at the end, "
              f"max {max(m for _, m in sqlite):.1f} MB; the verdict below is on {measure} less it")
        print(f"  {measure} itself: {median([r for t, r in samples if 240 <= t <= 360] or [0]):.1f} MB at 5 min, "
              f"{median([r for t, r in samples if t >= took - 60] or [0]):.1f} MB at the end")
        samples = [(t, r - lite[t]) for t, r in samples if t in lite]
    # One sample swings by some 10 MB as the allocator returns memory: each end is the median
    # of a minute's samples (around the end of the warm-up; the run's last minute).
    warm_at = min(WARMUP_SECONDS, seconds / 3)
    warm = median([r for t, r in samples if abs(t - warm_at) <= 30] or [samples[-1][1]])
    end = median([r for t, r in samples if t >= took - 60] or [samples[-1][1]])
    peak = max(r for _, r in samples)
    second_half = [s for s in samples if s[0] >= took / 2]
    slope, error = slope_per_hour(second_half)
    judged = took / 2 >= SLOPE_MIN_SECONDS
    allowed = max(FLAT_FRACTION * warm, FLAT_MB)
    gone = samples[-1][0] < took - 2 * SAMPLE_EVERY  # the node stopped answering /proc
    flat = end - warm <= allowed and (slope < SLOPE_BOUND_MB_PER_HOUR or not judged) and not gone
    print(f"\nmemory ({measure}{' less SQLite' if sqlite else ''} every {SAMPLE_EVERY:.0f} s, {where}):")
    first = median([r for t, r in samples if abs(t - 300) <= 30] or [samples[0][1]])
    print(f"  at 5 min: {first:.1f} MB; at {warm_at / 60:.1f} min (after warm-up): {warm:.1f} MB; "
          f"at the end: {end:.1f} MB ({end - warm:+.1f} MB since the warm-up, allowed +{allowed:.1f}); "
          f"max sampled {peak:.1f} MB; VmHWM {hwm:.1f} MB")
    print(f"  least-squares slope over the second half ({len(second_half)} samples): {slope:+.1f} MB/hour "
          f"(standard error {error:.1f}); bound {SLOPE_BOUND_MB_PER_HOUR:.0f} MB/hour"
          + ("" if judged else f", not judged: a second half under {SLOPE_MIN_SECONDS / 60:.0f} min cannot measure it"))
    if cached:
        print(f"  the page cache (its gauge): {median([c for t, c in cached if abs(t - warm_at) <= 30] or [0]):.1f} MB "
              f"after warm-up, {median([c for t, c in cached if t >= took - 60] or [0]):.1f} MB at the end, "
              f"max {max(c for _, c in cached):.1f} MB")
    print(f"  verdict: {'memory flat' if flat else 'the node was gone before the end' if gone else 'MEMORY NOT FLAT'}")
    return flat


def judge_csv(path):
    """`soak_load.py --judge CSV`: the memory verdict of a run's samples, judged again."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    samples = [(float(r["seconds"]), float(r["rss_mb"])) for r in rows]
    cached = [(float(r["seconds"]), float(r["page_cache_mb"])) for r in rows if r.get("page_cache_mb")]
    sqlite = [(float(r["seconds"]), float(r["sqlite_mb"])) for r in rows if r.get("sqlite_mb")]
    anon = [(float(r["seconds"]), float(r["anon_mb"])) for r in rows if r.get("anon_mb")]
    took = samples[-1][0]
    flat = judge_memory(samples, cached, sqlite, took, took, f"{len(samples)} samples in {path}", anon=anon)
    sys.exit(0 if flat else 1)


def main():
    base, pid, seconds, rate, csv_path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    site = Site(base)
    site.learn()
    print(f"site: {len(site.stories)} stories, {len(site.comments)} comments, {len(site.questions)} poll questions; "
          f"{rate:g} actions a second for {seconds / 60:g} min, {WORKERS} connections")
    stats = Stats()
    tasks = queue.Queue()
    kinds, weights = zip(*MIX)

    def worker(i):
        client, rnd = Client(site.host, site.port, stats), random.Random(i)
        while True:
            item = tasks.get()
            if item is None:
                return
            kind, due = item
            lag = time.monotonic() - due
            with stats.lock:
                stats.max_lag = max(stats.max_lag, lag)
                stats.late += lag > 1.0
            try:
                act(kind, client, site, rnd)
            except Exception as e:  # a fault of this tool, shown and counted, never a lost worker
                stats.record(kind, f"load tool {type(e).__name__}: {e}", 0.0)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(WORKERS)]
    for t in threads:
        t.start()

    samples = []  # (seconds, rss MB)
    anon = []  # (seconds, RssAnon MB)
    cached = []  # (seconds, page cache MB)
    sqlite = []  # (seconds, SQLite's own heap MB)
    out = open(csv_path, "w", newline="")
    w = csv.writer(out)
    w.writerow(["seconds", "rss_mb", "requests", "errors", "page_cache_mb", "sqlite_mb", "anon_mb"])
    start = time.monotonic()

    def sample():
        t = time.monotonic() - start
        try:
            rss = rss_mb(pid)
            anonymous = rss_mb(pid, "RssAnon")
        except OSError:  # the node is gone: every request fails from here, and that is the verdict
            return
        req, err = stats.totals()
        samples.append((t, rss))
        anon.append((t, anonymous))
        pages, lite = node_gauges(site.host, site.port)
        if pages is not None:
            cached.append((t, pages))
        if lite is not None:
            sqlite.append((t, lite))
        w.writerow([f"{t:.0f}", f"{rss:.1f}", req, err, "" if pages is None else f"{pages:.1f}",
                    "" if lite is None else f"{lite:.1f}", f"{anonymous:.1f}"])
        out.flush()
        if len(samples) % 6 == 1:
            shown = "?" if pages is None else f"{pages:5.1f}"
            lite_shown = "?" if lite is None else f"{lite:5.1f}"
            print(f"  {t / 60:5.1f} min  RSS {rss:6.1f} MB  anonymous {anonymous:6.1f} MB  page cache {shown} MB  SQLite {lite_shown} MB  "
                  f"{req} requests  {err} errors", flush=True)

    rnd = random.Random(0)
    sample()
    next_sample, due, n = start + SAMPLE_EVERY, start, 0
    while due < start + seconds:
        now = time.monotonic()
        if now >= next_sample:
            sample()
            next_sample += SAMPLE_EVERY
        if due > now:
            time.sleep(min(due, next_sample) - now)
            continue
        tasks.put((rnd.choices(kinds, weights)[0], due))
        n += 1
        due = start + n / rate
    for _ in threads:
        tasks.put(None)
    for t in threads:
        t.join(timeout=60)
    took = time.monotonic() - start
    sample()
    out.close()
    try:
        hwm = rss_mb(pid, "VmHWM")
    except OSError:
        hwm = float("nan")

    failed = []
    total, errors = stats.totals()
    print(f"\nrequests in {took / 60:.1f} min: {total} ({total / took:.1f} a second); "
          f"actions started over a second late: {stats.late} (most {stats.max_lag:.2f} s)")
    print(f"  {'kind':<14}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind in sorted(stats.count, key=lambda k: -stats.count[k]):
        e = sum(v for (k, _), v in stats.errors.items() if k == kind)
        lat = stats.latency[kind]
        print(f"  {kind:<14}{stats.count[kind]:>9}{e:>8}{pct(lat, .5):>9.1f}{pct(lat, .99):>9.1f}{max(lat) * 1000:>9.1f}")
    print(f"errors (answers other than the expected status, connection errors): {errors}")
    for (kind, status), v in sorted(stats.errors.items(), key=lambda x: str(x)):
        print(f"  {kind} -> {status}: {v}")
    if errors:
        failed.append(f"{errors} errors")

    flat = judge_memory(samples, cached, sqlite, took, seconds, f"{len(samples)} samples in {csv_path}", hwm, anon)
    if not flat:
        failed.append("memory not flat")

    # What was acknowledged is there.
    try:
        acked = sum(site.published.values())
        lost = []
        for slug in site.stories:
            now_total = site.all_comments(slug)[0]
            if now_total != site.before[slug] + site.published[slug]:
                lost.append(f"{slug}: {site.before[slug]} before + {site.published[slug]} acknowledged, {now_total} now")
        print(f"\ncomments acknowledged (201): {acked + sum(site.held.values())}, published {acked}, "
              f"held for moderators {sum(site.held.values())}; story comment counts through the API "
              f"{'all match' if not lost else 'DO NOT MATCH'} ({len(site.stories)} stories)")
        for line in lost:
            print("  " + line)
        votes_now, polls_now = site.vote_counts(), site.poll_counts()
        bad_votes = [cid for cid, (up, down) in site.votes.items()
                     if votes_now.get(cid) != (site.vote_before.get(cid, (0, 0))[0] + up,
                                               site.vote_before.get(cid, (0, 0))[1] + down)]
        bad_polls = [q for q, n in site.polls.items() if polls_now.get(q) != site.poll_before.get(q, 0) + n]
        print(f"votes acknowledged: {sum(u + d for u, d in site.votes.values())} on {len(site.votes)} comments, "
              f"{'all counted' if not bad_votes else f'{len(bad_votes)} comments miscounted'}; "
              f"poll answers acknowledged: {sum(site.polls.values())}, "
              f"{'all counted' if not bad_polls else f'{len(bad_polls)} questions miscounted'}")
        if lost or bad_votes or bad_polls:
            failed.append("acknowledged writes missing")
    except (OSError, http.client.HTTPException, SystemExit) as e:
        print(f"\nthe acknowledged writes could not be checked: {e}")
        failed.append("acknowledged writes not checked")

    print(f"\nload checks: {'passed' if not failed else 'FAILED: ' + ', '.join(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--judge"]:
        judge_csv(sys.argv[2])
    main()
