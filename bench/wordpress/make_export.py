#!/usr/bin/env python3
"""Writes a large WordPress export (WXR 1.2) for the import benchmark: POSTS posts in the block
editor's markup, each with COMMENTS comments (a third of them replies), in the shape WordPress 6
itself writes (see tests/fixtures/wordpress/site.xml). The words are generated here.

usage: make_export.py FILE [POSTS] [COMMENTS_PER_POST]
"""
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("harbour council river bridge market school library ferry station budget flood "
         "festival road weather hospital park museum tram club match season vote plan "
         "residents mayor street workers trains harbourside repairs opening week year town").split()


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def main():
    path = sys.argv[1]
    posts = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    per_post = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    rng = random.Random(7)
    out = open(path, "w", encoding="utf-8")
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n')
    w('<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n')
    w("<title>Bench Gazette</title>\n<link>http://bench.example.org</link>\n<description></description>\n")
    w("<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>http://bench.example.org</wp:base_site_url>\n")
    w("<wp:base_blog_url>http://bench.example.org</wp:base_blog_url>\n")
    for i in range(1, 6):
        w(f"<wp:author><wp:author_id>{i}</wp:author_id><wp:author_login>{cdata(f'writer{i}')}</wp:author_login>"
          f"<wp:author_email>{cdata(f'writer{i}@bench.example.org')}</wp:author_email>"
          f"<wp:author_display_name>{cdata(f'Writer Number {i}')}</wp:author_display_name>"
          "<wp:author_first_name></wp:author_first_name><wp:author_last_name></wp:author_last_name></wp:author>\n")
    sections = ["news", "sport", "business", "culture", "politics"]
    comment_id = 0
    for p in range(1, posts + 1):
        day = 1 + p % 28
        month = 1 + (p // 28) % 12
        date = f"2025-{month:02d}-{day:02d} {p % 24:02d}:{p % 60:02d}:00"
        title = sentence(rng, 7)[:-1] + f" {p}"
        slug = f"story-{p}"
        paras = "".join(
            f"<!-- wp:paragraph -->\n<p>{escape(sentence(rng, 25))} {escape(sentence(rng, 20))}</p>\n<!-- /wp:paragraph -->\n\n"
            for _ in range(6))
        body = (paras + "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">What happens next</h2>\n<!-- /wp:heading -->\n\n"
                + "<!-- wp:list -->\n<ul><li>" + escape(sentence(rng, 6)) + "</li><li>" + escape(sentence(rng, 6))
                + "</li></ul>\n<!-- /wp:list -->\n\n" + paras[:400].rsplit("<!--", 1)[0])
        section = sections[p % len(sections)]
        w("<item>\n")
        w(f"<title>{cdata(title)}</title>\n<link>http://bench.example.org/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/</link>\n")
        w(f"<dc:creator>{cdata(f'writer{1 + p % 5}')}</dc:creator>\n")
        w(f'<guid isPermaLink="false">http://bench.example.org/?p={p}</guid>\n<description></description>\n')
        w(f"<content:encoded>{cdata(body)}</content:encoded>\n<excerpt:encoded>{cdata('')}</excerpt:encoded>\n")
        w(f"<wp:post_id>{p}</wp:post_id>\n<wp:post_date>{cdata(date)}</wp:post_date>\n")
        w(f"<wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>\n<wp:post_modified_gmt>{cdata(date)}</wp:post_modified_gmt>\n")
        w(f"<wp:comment_status>{cdata('open')}</wp:comment_status>\n<wp:post_name>{cdata(slug)}</wp:post_name>\n")
        w(f"<wp:status>{cdata('publish')}</wp:status>\n<wp:post_parent>0</wp:post_parent>\n<wp:menu_order>0</wp:menu_order>\n")
        w(f"<wp:post_type>{cdata('post')}</wp:post_type>\n<wp:post_password>{cdata('')}</wp:post_password>\n")
        w(f'<category domain="category" nicename="{section}">{cdata(section.title())}</category>\n')
        w(f'<category domain="post_tag" nicename="{WORDS[p % len(WORDS)]}">{cdata(WORDS[p % len(WORDS)])}</category>\n')
        first = comment_id + 1
        for c in range(per_post):
            comment_id += 1
            parent = rng.randint(first, comment_id - 1) if c % 3 == 2 and comment_id > first else 0
            approved = "1" if c % 10 else "0"
            w("<wp:comment>\n")
            w(f"<wp:comment_id>{comment_id}</wp:comment_id>\n<wp:comment_author>{cdata(f'Reader {comment_id % 997}')}</wp:comment_author>\n")
            w(f"<wp:comment_author_email>{cdata(f'reader{comment_id % 997}@mail.example')}</wp:comment_author_email>\n")
            w("<wp:comment_author_url></wp:comment_author_url>\n<wp:comment_author_IP>" + cdata("192.0.2.1") + "</wp:comment_author_IP>\n")
            w(f"<wp:comment_date>{cdata(date)}</wp:comment_date>\n<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>\n")
            w(f"<wp:comment_content>{cdata(sentence(rng, 30))}</wp:comment_content>\n")
            w(f"<wp:comment_approved>{cdata(approved)}</wp:comment_approved>\n<wp:comment_type>{cdata('comment')}</wp:comment_type>\n")
            w(f"<wp:comment_parent>{parent}</wp:comment_parent>\n<wp:comment_user_id>0</wp:comment_user_id>\n")
            w("</wp:comment>\n")
        w("</item>\n")
    w("</channel>\n</rss>\n")
    out.close()


if __name__ == "__main__":
    main()
