//! Fast for real readers: pages compressed as the client asks and the same bytes for every
//! reader, validators and 304s, what shared caches are told (policy and surrogate keys), the
//! form stamps that reach a shared page another way, and the purge hook.

use crate::helpers::{form_stamp, story, Reader, TestApp};
use newsdesk::services::purge::{PurgeFormat, PurgeHook};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const STORY: &str = "/news/tram-line-opens-early";

async fn with_story(app: &TestApp) -> i64 {
    app.create(story("Tram line opens early")).await;
    id_of(app, "tram-line-opens-early").await
}

async fn id_of(app: &TestApp, slug: &str) -> i64 {
    app.store.find_article(slug).await.unwrap().unwrap().id.0
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn unbrotli(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("valid brotli");
    String::from_utf8(out).unwrap()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut out = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut out)
        .expect("valid gzip");
    out
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn every_text_answer_comes_compressed_as_asked_and_revalidates_with_a_304(app: TestApp) {
    with_story(&app).await;
    // Enough stories that the sitemap is worth compressing.
    for n in ["one", "two", "three", "four"] {
        app.create(story(&format!("Night bus route {n} returns")))
            .await;
    }
    // They reach "more like this" a tick after they were saved, changing the story's page,
    // maybe twice within one second (a date cannot tell such bytes apart, so they get none).
    app.settled(STORY).await;
    // A draft changes no page but drops them all: the story's page is made again a second
    // later, and its date then names these bytes alone.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut draft = story("Harbour crane inspected");
    draft["status"] = json!("draft");
    app.create(draft).await;
    for path in [
        STORY,
        "/",
        "/feed.xml",
        "/sitemap.xml",
        "/static/site.css",
        "/static/site.js",
        "/api/v1/articles",
        "/api/v1/articles/tram-line-opens-early",
    ] {
        let plain = get(&app, path, &[]).await;
        assert_eq!(plain.status(), 200, "{path}");
        assert_eq!(header(&plain, "content-encoding"), "", "{path}");
        assert!(header(&plain, "vary").contains("Accept-Encoding"), "{path}");
        let etag = header(&plain, "etag");
        // A story read through the API keeps its revision as its tag (what `If-Match` names).
        let revision = path.starts_with("/api/v1/articles/");
        if revision {
            assert_eq!(etag, "\"1\"");
        } else {
            assert!(
                etag.starts_with('"') && etag.len() > 20,
                "{path}: a strong ETag: {etag}"
            );
        }
        let modified = header(&plain, "last-modified");
        assert!(modified.ends_with(" GMT"), "{path}: {modified}");
        let plain = plain.text().await.unwrap();

        let br = get(&app, path, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(header(&br, "content-encoding"), "br", "{path}");
        let br_tag = header(&br, "etag");
        if !revision {
            assert_ne!(br_tag, etag, "{path}: each encoding has its own tag");
        }
        let bytes = br.bytes().await.unwrap();
        assert!(
            bytes.len() < plain.len() * 3 / 5,
            "{path}: {} of {}",
            bytes.len(),
            plain.len()
        );
        assert_eq!(unbrotli(&bytes), plain, "{path}");

        let gz = get(&app, path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(header(&gz, "content-encoding"), "gzip", "{path}");
        assert_eq!(gunzip(&gz.bytes().await.unwrap()), plain, "{path}");

        for (name, value) in [
            ("if-none-match", etag.as_str()),
            ("if-none-match", br_tag.as_str()),
            ("if-modified-since", modified.as_str()),
        ] {
            let again = get(&app, path, &[(name, value), ("accept-encoding", "br")]).await;
            assert_eq!(again.status(), 304, "{path} with {name}");
            assert_eq!(header(&again, "etag"), br_tag, "{path}");
            assert!(again.bytes().await.unwrap().is_empty());
        }
        let other = get(&app, path, &[("if-none-match", "\"something-else\"")]).await;
        assert_eq!(other.status(), 200, "{path}");
    }
}

async fn a_changed_page_gets_a_new_tag_and_an_unchanged_one_keeps_its_date(app: TestApp) {
    with_story(&app).await;
    let first = get(&app, STORY, &[]).await;
    let (etag, modified) = (header(&first, "etag"), header(&first, "last-modified"));
    // Rendered again (another reader's cookie, the cache dropped by an unrelated write): the
    // same bytes keep their tag and their date.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // (A draft: a published story in its section would join the page's related stories.)
    let mut unrelated = story("Ferry timetable changes");
    unrelated["status"] = json!("draft");
    app.create(unrelated).await;
    let again = get(&app, STORY, &[("cookie", "nd_reader=whatever")]).await;
    assert_eq!(header(&again, "etag"), etag);
    assert_eq!(header(&again, "last-modified"), modified);
    let mut reader = Reader::new(&app);
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", &stamp),
                ("name", "Ida"),
                ("body", "About time too."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let changed = get(&app, STORY, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status(), 200, "a new comment changes the page");
    assert_ne!(header(&changed, "etag"), etag);
    assert!(changed.text().await.unwrap().contains("About time too."));
}

async fn public_pages_are_the_same_bytes_for_every_reader_and_may_be_kept_by_a_cdn(app: TestApp) {
    let id = with_story(&app).await;
    let stranger = get(&app, STORY, &[]).await;
    let policy = header(&stranger, "cache-control");
    for part in [
        "public",
        "s-maxage=",
        "stale-while-revalidate=",
        "stale-if-error=",
    ] {
        assert!(policy.contains(part), "{policy}");
    }
    assert_eq!(header(&stranger, "set-cookie"), "");
    let keys = header(&stranger, "surrogate-key");
    let keys: Vec<&str> = keys.split(' ').collect();
    for k in ["site", &format!("story-{id}"), &format!("thread-{id}")] {
        assert!(keys.contains(&k), "{keys:?} lacks {k}");
    }
    assert_eq!(header(&stranger, "cache-tag"), keys.join(","));
    let stranger = stranger.text().await.unwrap();
    assert_eq!(
        form_stamp(&stranger),
        "",
        "a shared page holds no one's stamp"
    );

    // A reader who has commented (with their cookie) gets the very same bytes.
    let mut reader = Reader::new(&app);
    let stamp = reader.stamp(STORY).await;
    assert!(!stamp.is_empty());
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", &stamp),
                ("name", "Ola"),
                ("body", "Good news for the east side."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, theirs) = reader.get_text(STORY).await;
    let (_, anyone) = app.get_text(STORY).await;
    assert_eq!(theirs, anyone);

    for (path, key) in [
        ("/", "home".to_string()),
        ("/feed.xml", "feeds".to_string()),
        ("/sitemap.xml", "sitemaps".to_string()),
        ("/corrections", "corrections".to_string()),
        ("/section/city", "section-city".to_string()),
        ("/tag/transport", "tag-transport".to_string()),
    ] {
        let r = get(&app, path, &[]).await;
        assert_eq!(r.status(), 200, "{path}");
        let keys = header(&r, "surrogate-key");
        assert!(keys.split(' ').any(|k| k == key), "{path}: {keys}");
        if path != "/sitemap.xml" && path != "/corrections" {
            assert!(
                keys.split(' ').any(|k| k == format!("story-{id}")),
                "{path}: {keys}"
            );
        }
    }
    // A HEAD is answered as the GET is, without the body.
    let head = app.client.head(app.url(STORY)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(header(&head, "cache-control"), policy);
    assert!(head.bytes().await.unwrap().is_empty());
    // Pages made for one visitor are kept by no one.
    let search = get(&app, "/search?q=tram", &[]).await;
    assert_eq!(header(&search, "cache-control"), "private, no-store");
    assert_eq!(header(&search, "surrogate-key"), "");
}

async fn a_reader_without_script_confirms_their_form_once_and_it_is_taken(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let (_, page) = reader.get_text(STORY).await;
    assert_eq!(form_stamp(&page), "");
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", ""),
                ("homepage", ""),
                ("name", "Per <b>"),
                ("body", "Trams <em>at last</em> & on time"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), "private, no-store");
    let confirm = r.text().await.unwrap();
    assert!(confirm.contains("Please confirm"));
    assert!(
        confirm.contains("Trams &#60;em&#62;at last&#60;/em&#62; &#38; on time"),
        "{confirm}"
    );
    assert!(!confirm.contains("<em>at last"));
    let stamp = form_stamp(&confirm);
    assert!(!stamp.is_empty());
    assert!(
        reader.cookie.is_some(),
        "the reader is given their cookie with the stamp"
    );
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", &stamp),
                ("homepage", ""),
                ("name", "Per <b>"),
                ("body", "Trams <em>at last</em> & on time"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, list) = app
        .get_json("/api/v1/articles/tram-line-opens-early/comments", None)
        .await;
    let bodies: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Trams <em>at last</em> & on time"]);
    // A stamp from /stamp is refused from another site.
    let r = app
        .client
        .post(app.url("/stamp"))
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// A purge hook that keeps what it is sent and refuses the first `refuse` requests.
#[derive(Clone, Default)]
struct Hook {
    seen: Arc<Mutex<Vec<(String, axum::http::HeaderMap, String)>>>,
    refuse: Arc<Mutex<usize>>,
}

impl Hook {
    async fn start(refuse: usize) -> (Hook, String) {
        let hook = Hook::default();
        *hook.refuse.lock().unwrap() = refuse;
        let kept = hook.clone();
        let app = axum::Router::new().fallback(
            move |method: axum::http::Method, headers: axum::http::HeaderMap, body: String| {
                let kept = kept.clone();
                async move {
                    kept.seen
                        .lock()
                        .unwrap()
                        .push((method.to_string(), headers, body));
                    let mut refuse = kept.refuse.lock().unwrap();
                    if *refuse > 0 {
                        *refuse -= 1;
                        return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                    }
                    axum::http::StatusCode::OK
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/purge", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        (hook, url)
    }

    /// Waits until a request names `key`; answers every request so far.
    async fn wait_for(&self, key: &str) -> Vec<(String, axum::http::HeaderMap, String)> {
        for _ in 0..100 {
            let seen = self.seen.lock().unwrap().clone();
            if seen
                .iter()
                .any(|(_, h, b)| b.contains(key) || format!("{h:?}").contains(key))
            {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no purge named {key}: {:?}", self.seen.lock().unwrap());
    }
}

fn with_hook(url: String, format: PurgeFormat) -> impl FnOnce(&mut newsdesk::ServeConfig) {
    move |c| {
        c.purge = Some(PurgeHook {
            url,
            format,
            token: Some("secret-token".into()),
        })
    }
}

async fn each_change_purges_exactly_the_keys_it_touched(backend: crate::helpers::Backend) {
    let (hook, url) = Hook::start(1).await;
    let app = TestApp::spawn_with(backend, with_hook(url, PurgeFormat::Generic)).await;
    let mut s = story("Tram line opens early");
    s["tags"] = json!(["Transport"]);
    app.create(s).await;
    let id = id_of(&app, "tram-line-opens-early").await;
    // The hook refused the first request: it is sent again.
    let seen = hook.wait_for(&format!("story-{id}")).await;
    assert_eq!(seen[0].0, "POST");
    assert_eq!(seen[0].1["authorization"], "Bearer secret-token");
    let sent: Value = serde_json::from_str(&seen.last().unwrap().2).unwrap();
    let keys: Vec<&str> = sent["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    for k in [
        format!("story-{id}"),
        "home".into(),
        "feeds".into(),
        "section-city".into(),
        "tag-transport".into(),
    ] {
        assert!(keys.contains(&k.as_str()), "{keys:?} lacks {k}");
    }
    assert!(
        !keys.contains(&"site"),
        "a story does not purge the whole site"
    );
    // Refused, sent again, and sent once more half a second later.
    let story_key = format!("story-{id}");
    for _ in 0..60 {
        let seen = hook.seen.lock().unwrap().clone();
        if seen
            .iter()
            .filter(|(_, _, b)| b.contains(&story_key))
            .count()
            >= 3
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    hook.seen.lock().unwrap().clear();
    // A comment purges its conversation only.
    let mut reader = Reader::new(&app);
    let (status, _) = reader
        .post_json(
            "/api/v1/articles/tram-line-opens-early/comments",
            &json!({"name": "Ida", "body": "Finally."}),
        )
        .await;
    assert_eq!(status, 201);
    hook.wait_for(&format!("thread-{id}")).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let seen = hook.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "sent, and once more: {seen:?}");
    for (_, _, body) in seen {
        let sent: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(sent["keys"], json!([format!("thread-{id}")]));
    }
    // A flood of writes to one conversation is purged a few times a second, not per write.
    hook.seen.lock().unwrap().clear();
    for n in 0..30 {
        let body = json!({"name": "Ida", "body": format!("Again {n}.")});
        let (status, _) = reader
            .post_json("/api/v1/articles/tram-line-opens-early/comments", &body)
            .await;
        assert_eq!(status, 201);
    }
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let rounds = hook.seen.lock().unwrap().len();
    assert!(rounds <= 12, "{rounds} purge requests for 30 comments");
}

async fn the_fastly_cloudflare_and_varnish_forms_are_sent_as_each_expects() {
    for format in [
        PurgeFormat::Fastly,
        PurgeFormat::Cloudflare,
        PurgeFormat::Varnish,
    ] {
        let (hook, url) = Hook::start(0).await;
        let app =
            TestApp::spawn_with(crate::helpers::Backend::Sqlite, with_hook(url, format)).await;
        let id = with_story(&app).await;
        let key = format!("story-{id}");
        let seen = hook.wait_for(&key).await;
        let (method, headers, body) = &seen[0];
        match format {
            PurgeFormat::Fastly => {
                assert_eq!(method, "POST");
                assert_eq!(headers["fastly-key"], "secret-token");
                let keys = headers["surrogate-key"].to_str().unwrap();
                assert!(keys.split(' ').any(|k| k == key), "{keys}");
            }
            PurgeFormat::Cloudflare => {
                assert_eq!(method, "POST");
                assert_eq!(headers["authorization"], "Bearer secret-token");
                let sent: Value = serde_json::from_str(body).unwrap();
                assert!(sent["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k == &json!(key)));
            }
            PurgeFormat::Varnish => {
                assert_eq!(method, "PURGE");
                let keys = headers["xkey-purge"].to_str().unwrap();
                assert!(keys.split(' ').any(|k| k == key), "{keys}");
            }
            PurgeFormat::Generic => unreachable!(),
        }
    }
}

on_both_stores!(
    every_text_answer_comes_compressed_as_asked_and_revalidates_with_a_304,
    a_changed_page_gets_a_new_tag_and_an_unchanged_one_keeps_its_date,
    public_pages_are_the_same_bytes_for_every_reader_and_may_be_kept_by_a_cdn,
    a_reader_without_script_confirms_their_form_once_and_it_is_taken,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_change_purges_exactly_the_keys_it_touched_on_sqlite() {
    each_change_purges_exactly_the_keys_it_touched(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_change_purges_exactly_the_keys_it_touched_on_postgres() {
    each_change_purges_exactly_the_keys_it_touched(crate::helpers::Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purges_go_in_the_fastly_cloudflare_and_varnish_forms() {
    the_fastly_cloudflare_and_varnish_forms_are_sent_as_each_expects().await;
}
