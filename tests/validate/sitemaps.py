"""Checks newsdesk's sitemaps against the Sitemaps 0.9 schema and, for news sitemaps, the news
extension's schema (both in this folder, written for this project from the protocol texts).

Usage: python3 sitemaps.py BASE_URL PATH... ; prints a JSON report and exits 1 on any problem.
A sitemap index is checked, then every sitemap it lists.
"""
import json
import pathlib
import sys
import urllib.request

import xmlschema

HERE = pathlib.Path(__file__).parent
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SCHEMA = xmlschema.XMLSchema(
    str(HERE / "sitemap-0.9.xsd"),
    locations=[(NEWS_NS, str(HERE / "news-sitemap-0.9.xsd"))],
)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.read()


def main(base, paths):
    report = {"sitemaps": [], "problems": []}
    queue = [base + p for p in paths]
    while queue:
        url = queue.pop(0)
        body = fetch(url)
        try:
            SCHEMA.validate(body.decode("utf-8"))
        except xmlschema.XMLSchemaException as e:
            report["problems"].append({"url": url, "error": str(e)[:2000]})
            continue
        root = xmlschema.XMLResource(body.decode("utf-8")).root
        entries = len(root)
        if root.tag == SITEMAP_NS + "sitemapindex":
            queue.extend(s.find(SITEMAP_NS + "loc").text for s in root)
        report["sitemaps"].append({"url": url, "kind": root.tag.split("}")[1], "entries": entries})
    print(json.dumps(report, indent=2))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
