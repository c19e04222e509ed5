//! Feeds, sitemaps, robots.txt, link previews and schema.org data.

use crate::helpers::{story, TestApp};
use serde_json::{json, Value};

async fn seed(app: &TestApp) {
    for (i, section) in ["sport", "sport", "world"].iter().enumerate() {
        let mut s = story(&format!("Story {i} <b>&</b> \"quotes\""));
        s["section"] = json!(section);
        s["tags"] = json!(if i == 0 {
            vec!["cup final"]
        } else {
            vec!["weather"]
        });
        s["authors"] = json!(["Elena Marchetti"]);
        s["hero"] = json!({"url": "/media/x.svg", "alt": "A picture"});
        app.create(s).await;
    }
    let mut old = story("Three days old");
    old["published_at"] = json!((chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339());
    app.create(old).await;
}

async fn feeds_are_read_by_feed_parsers(app: TestApp) {
    seed(&app).await;
    let (status, body) = app.get_text("/feed.xml").await;
    assert_eq!(status, 200);
    let channel = rss::Channel::read_from(body.as_bytes()).expect("RSS parses");
    assert_eq!(channel.items().len(), 4);
    let first = &channel.items()[0];
    assert_eq!(
        first.title(),
        Some("Story 2 <b>&</b> \"quotes\""),
        "titles come back exactly as written"
    );
    assert!(first.link().unwrap().starts_with("http://127.0.0.1:"));
    assert!(first.pub_date().is_some());

    let (status, body) = app.get_text("/atom.xml").await;
    assert_eq!(status, 200);
    let feed = atom_syndication::Feed::read_from(body.as_bytes()).expect("Atom parses");
    assert_eq!(feed.entries().len(), 4);
    assert_eq!(feed.entries()[0].authors()[0].name(), "Elena Marchetti");

    let r = app.get("/feed.json").await;
    assert_eq!(
        r.headers()["content-type"],
        "application/feed+json; charset=utf-8"
    );
    let feed: Value = r.json().await.unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    for item in items {
        for key in ["id", "url", "title", "content_text", "date_published"] {
            assert!(item[key].is_string(), "item lacks {key}: {item}");
        }
    }
    assert!(items[0]["image"].as_str().unwrap().starts_with("http"));

    for (path, n) in [
        ("/section/sport/feed.xml", 2),
        ("/tag/cup%20final/feed.xml", 1),
        ("/author/elena-marchetti/feed.xml", 3),
    ] {
        let (status, body) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            rss::Channel::read_from(body.as_bytes())
                .unwrap()
                .items()
                .len(),
            n,
            "{path}"
        );
    }
    assert_eq!(
        app.get("/section/sport/atom.xml").await.status().as_u16(),
        200
    );
    assert_eq!(
        app.get("/section/sport/feed.json").await.status().as_u16(),
        200
    );
    assert_eq!(
        app.get("/section/nothing/feed.xml").await.status().as_u16(),
        404
    );
    assert_eq!(
        app.get("/section/sport/other.xml").await.status().as_u16(),
        404
    );
}

async fn sitemaps_list_stories_and_the_news_sitemap_only_the_last_two_days(app: TestApp) {
    seed(&app).await;
    let (status, map) = app.get_text("/sitemap.xml").await;
    assert_eq!(status, 200);
    well_formed(&map);
    assert!(map.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(map.contains("/news/three-days-old</loc>"));
    assert!(map.contains("/section/sport</loc>"));
    let (status, news) = app.get_text("/news-sitemap.xml").await;
    assert_eq!(status, 200);
    well_formed(&news);
    assert_eq!(news.matches("<news:news>").count(), 3);
    assert!(!news.contains("three-days-old"));
    assert!(
        news.contains("&lt;b&gt;&amp;&lt;/b&gt;"),
        "titles are escaped in XML"
    );
    let (status, robots) = app.get_text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: http://127.0.0.1:") && robots.contains("/news-sitemap.xml"));
}

fn well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
}

pub fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD present")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

async fn story_pages_carry_link_previews_and_schema_org_data(app: TestApp) {
    let mut s = story("Claims </script> story");
    s["slug"] = json!("claims-story");
    s["body"] = json!(
        "Alpha said the tide is rising. Beta said the sea is flat. Gamma said the moon is cheese."
    );
    s["hero"] = json!({"url": "/media/sea.svg", "alt": "The sea"});
    s["claims"] = json!([
        {"quote": "the tide is rising", "source": {"name": "Alpha", "role": "Harbour master"}, "status": "verified", "note": "Tide tables agree."},
        {"quote": "the sea is flat", "source": {"name": "Beta"}, "status": "unverified", "note": ""},
        {"quote": "the moon is cheese", "source": {"name": "Gamma"}, "status": "false", "note": "It is rock."}
    ]);
    app.create(s).await;
    let (_, html) = app.get_text("/news/claims-story").await;
    assert!(
        html.contains("<meta property=\"og:title\" content=\"Claims &#60;/script&#62; story\">"),
        "og:title escaped"
    );
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(html.contains("property=\"og:image\" content=\"http://127.0.0.1:"));
    let data = json_ld(&html);
    let graph = data["@graph"].as_array().unwrap();
    let article = graph.iter().find(|n| n["@type"] == "NewsArticle").unwrap();
    assert_eq!(article["headline"], "Claims </script> story");
    for key in [
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "mainEntityOfPage",
        "image",
    ] {
        assert!(!article[key].is_null(), "NewsArticle lacks {key}");
    }
    assert!(graph.iter().any(|n| n["@type"] == "BreadcrumbList"));
    let reviews: Vec<&Value> = graph
        .iter()
        .filter(|n| n["@type"] == "ClaimReview")
        .collect();
    assert_eq!(reviews.len(), 2, "only claims with a verdict are reviewed");
    assert_eq!(reviews[0]["claimReviewed"], "the tide is rising");
    assert_eq!(reviews[1]["reviewRating"]["alternateName"], "False");
}

on_both_stores!(
    more_like_this_is_chosen_by_content_and_follows_new_stories,
    feeds_are_read_by_feed_parsers,
    sitemaps_list_stories_and_the_news_sitemap_only_the_last_two_days,
    story_pages_carry_link_previews_and_schema_org_data,
);

fn topical(headline: &str, body: &str, section: &str) -> Value {
    let mut s = story(headline);
    s["body"] = json!(body);
    s["section"] = json!(section);
    s["tags"] = json!([]);
    s["standfirst"] = json!(format!("{body} {body}"));
    s
}

async fn related(app: &TestApp, slug: &str) -> Vec<String> {
    let (status, list) = app
        .get_json(&format!("/api/v1/articles/{slug}/related?limit=5"), None)
        .await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap().to_string())
        .collect()
}

async fn more_like_this_is_chosen_by_content_and_follows_new_stories(app: TestApp) {
    // The same section for every story, so only their words can tell the subjects apart.
    let ferry = "The harbour ferry timetable changes as ferry crews and ferry passengers face higher ferry fares.";
    let museum =
        "Detectives say the stolen painting left the museum gallery before the alarm sounded.";
    for (h, b) in [
        ("Ferry fares rise again", ferry),
        ("Ferry crews warn of cuts", ferry),
        ("Museum theft: painting stolen", museum),
        ("Museum alarm failed, detectives say", museum),
        ("Gallery reopens after museum theft", museum),
    ] {
        app.create(topical(h, b, "city")).await;
    }
    let mut draft = topical("Ferry draft not for readers", ferry, "city");
    draft["status"] = json!("draft");
    app.create(draft).await;
    let start = std::time::Instant::now();
    let first = loop {
        let r = related(&app, "ferry-fares-rise-again").await;
        if r.first().map(String::as_str) == Some("ferry-crews-warn-of-cuts") {
            break r;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(3),
            "not related by content: {r:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(
        !first.contains(&"ferry-fares-rise-again".to_string()),
        "never the story itself"
    );
    assert!(
        !first.contains(&"ferry-draft-not-for-readers".to_string()),
        "published stories only"
    );
    // A new story on the subject is related within a second of its publication.
    let published = std::time::Instant::now();
    app.create(topical(
        "Ferry passengers protest at the harbour",
        ferry,
        "city",
    ))
    .await;
    loop {
        let now = related(&app, "ferry-fares-rise-again").await;
        if now.contains(&"ferry-passengers-protest-at-the-harbour".to_string()) {
            break;
        }
        assert!(
            published.elapsed() < std::time::Duration::from_secs(2),
            "the new story was not related within a second: {now:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    // On another node too, and a withdrawn story leaves both within a second.
    let other = app.another_node().await;
    let new_one = "ferry-passengers-protest-at-the-harbour".to_string();
    within_a_second(&other, "ferry-fares-rise-again", |r| r.contains(&new_one)).await;
    let (status, _) = app
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/articles/{new_one}"),
            Some(&app.editor),
            &json!({"status": "unpublished"}),
        )
        .await;
    assert_eq!(status, 200);
    for node in [&app, &other] {
        within_a_second(node, "ferry-fares-rise-again", |r| !r.contains(&new_one)).await;
    }
    let museum_related = related(&app, "museum-theft-painting-stolen").await;
    assert!(
        museum_related[..2]
            .iter()
            .all(|s| s.contains("museum") || s.contains("gallery")),
        "{museum_related:?}"
    );
    // The page shows them, with an excerpt cut at a word boundary.
    let (_, html) = app.get_text("/news/ferry-fares-rise-again").await;
    let more = &html[html.find("id=\"more-like-this\"").expect("more like this")..];
    assert!(more.contains("/news/ferry-crews-warn-of-cuts"));
    assert!(more.contains("…</p>"), "long excerpts end with an ellipsis");
    let (status, body) = app
        .get_json(
            "/api/v1/articles/ferry-fares-rise-again/related?limit=99",
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["fields"]["limit"].is_string());
    assert_eq!(
        app.get_json("/api/v1/articles/nothing-here/related", None)
            .await
            .0,
        404
    );
}

/// Waits until the story's related list passes `ok`, for at most a second and a half (the
/// nodes poll four times a second).
async fn within_a_second(app: &TestApp, slug: &str, ok: impl Fn(&Vec<String>) -> bool) {
    let start = std::time::Instant::now();
    loop {
        let r = related(app, slug).await;
        if ok(&r) {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_millis(1500),
            "not within a second: {r:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// The `<loc>`s of a sitemap or sitemap index.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| s[..s.find("</loc>").unwrap()].to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_site_gets_a_sitemap_index() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |c| {
        c.demo = true;
        c.sitemap_urls = 5;
    })
    .await;
    let (status, index) = app.get_text("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(
        index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
        "{index}"
    );
    well_formed(&index);
    let files = locs(&index);
    let (_, live) = app.get_json("/api/v1/articles?per_page=1", None).await;
    let stories = live["total"].as_u64().unwrap() as usize;
    assert_eq!(
        files.len(),
        1 + stories.div_ceil(5),
        "pages.xml and one file per five stories"
    );
    let mut story_urls = Vec::new();
    for file in &files {
        let path = file.strip_prefix(&app.base).unwrap();
        let (status, xml) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        well_formed(&xml);
        assert!(xml.contains("<urlset"));
        let urls = locs(&xml);
        assert!(urls.len() <= 5 || path.ends_with("pages.xml"));
        story_urls.extend(urls.into_iter().filter(|u| u.contains("/news/")));
    }
    story_urls.sort();
    story_urls.dedup();
    assert_eq!(story_urls.len(), stories, "every live story once");
    assert_eq!(
        app.get_text(&format!(
            "/sitemaps/stories-{}.xml",
            stories.div_ceil(5) + 1
        ))
        .await
        .0,
        404
    );
    assert_eq!(app.get_text("/sitemaps/other.xml").await.0, 404);
}
