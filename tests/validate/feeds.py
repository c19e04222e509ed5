"""Reads newsdesk's feeds as feed readers do and checks the JSON Feed against its schema.

Usage: python3 feeds.py BASE_URL PATH... ; prints a JSON report and exits 1 on any problem.
RSS and Atom go through feedparser (the parser many feed readers use): a feed it calls
malformed ("bozo"), or one without entries, is a problem. JSON feeds are checked against
tests/validate/jsonfeed-1.1.schema.json, written for this project from the JSON Feed 1.1 text.
"""
import json
import pathlib
import sys
import urllib.request

import feedparser
import jsonschema

SCHEMA = json.loads((pathlib.Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text())


def main(base, paths):
    report = {"feeds": [], "problems": []}
    for path in paths:
        with urllib.request.urlopen(base + path) as response:
            body = response.read()
            kind = response.headers.get("content-type", "")
        if path.endswith(".json"):
            try:
                feed = json.loads(body)
                jsonschema.validate(feed, SCHEMA)
                report["feeds"].append({"path": path, "items": len(feed["items"])})
            except (ValueError, jsonschema.ValidationError) as e:
                report["problems"].append(f"{path}: {str(e).splitlines()[0]}")
            continue
        parsed = feedparser.parse(body)
        if parsed.bozo:
            report["problems"].append(f"{path}: {parsed.bozo_exception}")
        if not parsed.entries:
            report["problems"].append(f"{path}: no entries")
        for entry in parsed.entries:
            if not entry.get("link") or not entry.get("title"):
                report["problems"].append(f"{path}: an entry without link or title")
        report["feeds"].append({"path": path, "version": parsed.version, "items": len(parsed.entries), "type": kind})
    print(json.dumps(report, indent=1))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
