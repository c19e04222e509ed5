//! The page cache's own tests: what it keeps, counts, drops and answers.

use super::*;
use axum::body::Body;

fn page(body: &str) -> Arc<Page> {
    Arc::new(Page::new(
        HeaderMap::new(),
        Bytes::from(body.to_string()),
        |_| Some(SystemTime::now()),
    ))
}

#[test]
fn a_page_rendered_before_a_clear_is_not_kept_after_it() {
    let cache = PageCache::default();
    let generation = cache.generation.load(Ordering::SeqCst);
    cache.clear();
    cache.put("/".into(), generation, page("stale"));
    assert!(cache.get("/").is_none());
}

#[test]
fn a_new_store_revision_drops_every_page() {
    let cache = PageCache::default();
    cache.observe(7);
    cache.put(
        "/a".into(),
        cache.generation.load(Ordering::SeqCst),
        page("a"),
    );
    cache.observe(7);
    assert!(cache.get("/a").is_some());
    cache.observe(8);
    assert!(cache.get("/a").is_none());
}

#[test]
fn replacing_a_page_keeps_the_byte_count_right() {
    let cache = PageCache::default();
    let g = cache.generation.load(Ordering::SeqCst);
    cache.put("/a".into(), g, page("12345"));
    cache.put("/a".into(), g, page("12"));
    assert_eq!(cache.pages.read().unwrap().bytes, "/a".len() + 2);
}

#[test]
fn a_compressed_copy_made_for_an_answer_is_counted_and_freed_with_its_page() {
    let cache = PageCache::default();
    let g = cache.generation.load(Ordering::SeqCst);
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    let html = "<p>The same paragraph again and again.</p>".repeat(200);
    let kept = Arc::new(Page::new(headers, Bytes::from(html.clone()), |_| None));
    cache.put("/news/a".into(), g, kept.clone());
    assert_eq!(
        cache.pages.read().unwrap().bytes,
        "/news/a".len() + html.len()
    );
    let mut asks = HeaderMap::new();
    asks.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    let answer = cache.answer("/news/a", &kept, &asks, &kept.headers);
    assert_eq!(answer.headers()[header::CONTENT_ENCODING], "gzip");
    let counted = cache.pages.read().unwrap().bytes;
    assert!(
        counted > "/news/a".len() + html.len(),
        "the gzip copy is counted"
    );
    assert_eq!(counted, "/news/a".len() + kept.held());
    // A second answer in the same encoding makes no copy and counts nothing more.
    cache.answer("/news/a", &kept, &asks, &kept.headers);
    assert_eq!(cache.pages.read().unwrap().bytes, counted);
    cache.forget_story("a");
    assert_eq!(cache.pages.read().unwrap().bytes, 0);
}

#[test]
fn forgetting_a_story_drops_its_pages_only() {
    let cache = PageCache::default();
    let g = cache.generation.load(Ordering::SeqCst);
    for key in ["/news/a", "/news/a?cpage=2", "/news/ab", "/"] {
        cache.put(key.into(), g, page("xx"));
    }
    cache.forget_story("a");
    assert!(cache.get("/news/a").is_none() && cache.get("/news/a?cpage=2").is_none());
    assert!(cache.get("/news/ab").is_some() && cache.get("/").is_some());
    let bytes = cache.pages.read().unwrap().bytes;
    assert_eq!(bytes, "/news/ab".len() + 2 + "/".len() + 2);
}

#[test]
fn a_cached_page_holds_no_stamp_and_keeps_its_date_while_its_bytes_stay() {
    let p = page("<i v=\"__ND_FORM_STAMP__\"><i v=\"__ND_FORM_STAMP__\">");
    assert_eq!(
        p.body
            .body(super::super::representation::Encoding::Identity)
            .0,
        "<i v=\"\"><i v=\"\">"
    );
    let cache = PageCache::default();
    let first = cache.last_modified("/a", "tag1");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(cache.last_modified("/a", "tag1"), first);
    let second = cache.last_modified("/a", "tag2");
    assert!(second > first);
    // Changed again within the same second: no date could tell the two apart.
    assert_eq!(cache.last_modified("/a", "tag3"), None);
    assert_eq!(cache.last_modified("/a", "tag3"), None);
    // Made again a second later: from the second after they appeared, they alone held it.
    std::thread::sleep(Duration::from_millis(1100));
    let third = cache.last_modified("/a", "tag3");
    assert_eq!(third, second.map(|s| s + Duration::from_secs(1)));
    assert_eq!(cache.last_modified("/a", "tag3"), third);
}

fn key_of(uri: &str) -> Option<String> {
    cache_key(&Request::builder().uri(uri).body(Body::empty()).unwrap())
}

#[test]
fn page_keys_keep_paging_and_ignore_tracking_tags() {
    assert_eq!(key_of("/news/a").as_deref(), Some("/news/a"));
    assert_eq!(
        key_of("/news/a?utm_source=x&sort=best&cpage=2").as_deref(),
        Some("/news/a?cpage=2&sort=best")
    );
    assert_eq!(key_of("/news/a?page=%27"), None);
    assert_eq!(key_of("/news/a?page=1&page=2"), None);
}

#[test]
fn pages_past_their_age_are_dropped_before_the_budget_is_full() {
    let cache = PageCache::default();
    let generation = cache.generation.load(Ordering::SeqCst);
    let long_ago = Instant::now() - 2 * MAX_AGE;
    let mut old = Page::new(HeaderMap::new(), Bytes::from("old"), |_| None);
    old.made = long_ago;
    cache.put("/old".into(), generation, Arc::new(old));
    cache.pages.write().unwrap().swept = Some(long_ago);

    let fresh = page("fresh");
    cache.put("/fresh".into(), generation, fresh.clone());

    let pages = cache.pages.read().unwrap();
    assert!(!pages.by_key.contains_key("/old"));
    assert_eq!(pages.bytes, "/fresh".len() + fresh.counted());
}
