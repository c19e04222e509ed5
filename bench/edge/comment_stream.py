"""Posts comments to one story at a steady rate and, after each 201, reads the story's newest
page once, newest first: every comment must be on that first read, unless newer comments
already filled the page (counted apart, as moved on). Prints one JSON line, with the cores
the client itself used.

Usage: comment_stream.py PORT SLUG RATE SECONDS
"""
import http.client
import json
import os
import re
import sys
import threading
import time

port, slug, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
# Enough posters that the rate holds while the server is busy with the readers too.
THREADS = 32
lock = threading.Lock()
totals = {"posted": 0, "refused": 0, "missing": 0, "moved_on": 0}


def worker(k):
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
    every = THREADS / rate
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < seconds:
        due = start + n * every + k * every / THREADS
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        n += 1
        body = json.dumps({"name": f"Stream {k}", "body": f"Comment {k}-{n} sent while readers read the page."})
        conn.request("POST", f"/api/v1/articles/{slug}/comments", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        answer = r.read()
        if r.status != 201:
            with lock:
                totals["refused"] += 1
            continue
        cid = json.loads(answer)["id"]
        conn.request("GET", f"/news/{slug}?sort=newest")
        page = conn.getresponse().read().decode()
        shown = [int(i) for i in re.findall(r'id="comment-(\d+)"', page)]
        with lock:
            totals["posted"] += 1
            if cid in shown:
                continue
            # Newer comments filled the first page since the 201: it was there, then moved on.
            if shown and min(shown) > cid:
                totals["moved_on"] += 1
            else:
                totals["missing"] += 1


threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
began = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - began
totals["per_second"] = round(totals["posted"] / elapsed, 1)
# The client's own share of the machine, which the readers and the node do not get.
cpu = os.times()
totals["client_cores"] = round((cpu.user + cpu.system) / elapsed, 2)
print(json.dumps(totals))
