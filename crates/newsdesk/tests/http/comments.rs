//! The reader debate: comments posted as a browser posts them and over the API, threads,
//! paging, votes, flags, edits, polls, and the guards against abuse.

use crate::helpers::{comment, form_stamp, story, Reader, TestApp};
use serde_json::{json, Value};

const STORY: &str = "/news/harbour-bridge-to-close";
const API: &str = "/api/v1/articles/harbour-bridge-to-close";

async fn with_story(app: &TestApp) {
    let mut s = story("Harbour bridge to close");
    s["debate"] = json!([
        "Should the bridge close in summer?",
        "Is six weeks too long?"
    ]);
    app.create(s).await;
}

async fn question_ids(app: &TestApp) -> Vec<i64> {
    let (_, d) = app.get_json(&format!("{API}/debate"), None).await;
    d.as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

async fn a_comment_posted_by_form_shows_escaped_on_the_next_request(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", &stamp),
                ("name", "Ana <img src=x onerror=alert(1)>"),
                ("body", "First line\nsecond line\n\n<script>alert('x')</script> see https://example.org/plan"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("{STORY}#comment-")), "{to}");
    let cookie = reader.cookie.clone().expect("a reader cookie is given");
    assert!(cookie.starts_with("nd_reader="));
    let (_, html) = reader.get_text(STORY).await;
    let id = to.rsplit('-').next().unwrap();
    assert!(html.contains(&format!("id=\"comment-{id}\"")));
    assert!(html.contains("Ana &#60;img src=x onerror=alert(1)&#62;"));
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
            || html.contains("&lt;script&gt;alert('x')&lt;/script&gt;")
    );
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("First line<br>\nsecond line</p>"));
    assert!(html.contains(r#"<a href="https://example.org/plan" rel="nofollow ugc noopener">"#));
    assert!(html.contains(r#"<span class="comment-count">(1)</span>"#));
    // Stored exactly as written.
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["items"][0]["name"], "Ana <img src=x onerror=alert(1)>");
    assert_eq!(list["total"], 1);
}

async fn a_refused_form_keeps_what_the_reader_typed(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", &stamp),
                ("name", "  "),
                ("body", "My long & careful argument"),
                ("email", "ana@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("My long &#38; careful argument"),
        "the text is kept"
    );
    assert!(html.contains("value=\"ana@example.org\""));
    assert!(html.contains("is empty: please write your name"));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"comment-name-error\""));
    // The form on that page carries a fresh stamp, so sending it again works.
    let stamp = form_stamp(&html);
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[
                ("stamp", &stamp),
                ("name", "Ana"),
                ("body", "My long & careful argument"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 1, "the refused attempt stored nothing");
}

async fn the_api_posts_lists_pages_and_sorts(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let mut ids = Vec::new();
    for i in 0..25 {
        let (status, body) = reader
            .post_json(
                &format!("{API}/comments"),
                &comment("Bo", &format!("Comment {i}")),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["status"], "published");
        ids.push(body["id"].as_i64().unwrap());
    }
    let (_, first) = app
        .get_json(&format!("{API}/comments?per_page=10"), None)
        .await;
    assert_eq!(first["total"], 25);
    assert_eq!(first["threads"], 25);
    assert_eq!(first["items"].as_array().unwrap().len(), 10);
    assert_eq!(first["items"][0]["id"].as_i64().unwrap(), ids[0]);
    let (_, last) = app
        .get_json(&format!("{API}/comments?per_page=10&page=3"), None)
        .await;
    assert_eq!(last["items"].as_array().unwrap().len(), 5);
    let (_, newest) = app
        .get_json(&format!("{API}/comments?sort=newest&per_page=1"), None)
        .await;
    assert_eq!(newest["items"][0]["id"].as_i64().unwrap(), ids[24]);
    let (status, bad) = app
        .get_json(&format!("{API}/comments?sort=loudest"), None)
        .await;
    assert_eq!(status, 422);
    assert!(bad["fields"]["sort"].is_string(), "{bad}");
    let (status, bad) = app.get_json(&format!("{API}/comments?page=0"), None).await;
    assert_eq!(status, 422);
    assert!(bad["fields"]["page"].is_string(), "{bad}");
    // The site pages through the same threads.
    let (_, page2) = app.get_text(&format!("{STORY}?cpage=2")).await;
    assert!(page2.contains("Comment 20") && !page2.contains("Comment 19<"));
    assert!(page2.contains("Page 2 of 2"));
}

async fn replies_nest_and_very_deep_replies_say_whom_they_answer(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let (_, root) = reader
        .post_json(&format!("{API}/comments"), &comment("Root", "Top"))
        .await;
    let mut parent = root["id"].as_i64().unwrap();
    for depth in 1..=6 {
        let mut c = comment(&format!("Level{depth}"), &format!("Reply at depth {depth}"));
        c["parent_id"] = json!(parent);
        let (status, body) = reader.post_json(&format!("{API}/comments"), &c).await;
        assert_eq!(status, 201, "{body}");
        parent = body["id"].as_i64().unwrap();
    }
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    let depths: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["depth"].as_i64().unwrap())
        .collect();
    assert_eq!(depths, vec![0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(list["threads"], 1);
    let (_, html) = app.get_text(STORY).await;
    assert!(html.contains("comment indent-4"));
    assert!(!html.contains("comment indent-5"));
    assert!(
        html.contains(">Level5</a>"),
        "the flattened reply links to its parent"
    );
    // A reply to a comment of another story is refused, naming the field.
    app.create(story("Another story")).await;
    let mut c = comment("X", "Wrong thread");
    c["parent_id"] = json!(parent);
    let (status, body) = reader
        .post_json("/api/v1/articles/another-story/comments", &c)
        .await;
    assert_eq!(status, 422);
    assert!(body["fields"]["parent_id"].is_string());
}

async fn bad_comments_are_refused_by_field(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let long = "x".repeat(5001);
    let cases: Vec<(Value, &str)> = vec![
        (comment("Ana", ""), "body"),
        (comment("", "Hello"), "name"),
        (comment("Ana", &long), "body"),
        (
            json!({"name": "Ana", "body": "Hi", "email": "not-an-address"}),
            "email",
        ),
        (
            json!({"name": "Ana", "body": "Hi", "notify_replies": true}),
            "email",
        ),
        (
            json!({"name": "Ana", "body": "Hi", "question_id": 999999}),
            "question_id",
        ),
        (
            json!({"name": "Ana", "body": "Hi", "parent_id": 999999}),
            "parent_id",
        ),
        (
            json!({"name": "Ana", "body": "Hi", "colour": "red"}),
            "colour",
        ),
        (json!({"name": "Ana", "body": 5}), "body"),
    ];
    for (body, field) in cases {
        let (status, answer) = reader.post_json(&format!("{API}/comments"), &body).await;
        assert_eq!(status, 422, "{body} answered {answer}");
        assert!(
            answer["fields"][field].is_string(),
            "{body} should name {field}: {answer}"
        );
    }
    let (status, _) = reader
        .post_json(
            "/api/v1/articles/no-such-story/comments",
            &comment("A", "B"),
        )
        .await;
    assert_eq!(status, 404);
    let r = app
        .client
        .post(app.url(&format!("{API}/comments")))
        .header("content-type", "text/plain")
        .body(r#"{"name":"A","body":"B"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        415,
        "a body a foreign form could send is refused"
    );
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 0, "nothing was half-written");
}

async fn a_reader_edits_and_deletes_only_their_own_comment(app: TestApp) {
    with_story(&app).await;
    let mut writer = Reader::new(&app);
    let mut other = Reader::new(&app);
    let (_, posted) = writer
        .post_json(&format!("{API}/comments"), &comment("Ana", "Frist!"))
        .await;
    let id = posted["id"].as_i64().unwrap();
    let mut reply = comment("Bo", "A reply");
    reply["parent_id"] = json!(id);
    other.post_json(&format!("{API}/comments"), &reply).await;
    let path = format!("{API}/comments/{id}");
    let (status, body) = other
        .send_json(reqwest::Method::PATCH, &path, &json!({"body": "Hijacked"}))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = writer
        .send_json(reqwest::Method::PATCH, &path, &json!({"body": "First!"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"], "First!");
    assert!(body["edited_at"].is_string());
    // The writer's permalink offers the edit form; nobody else's does.
    let (_, mine) = writer.get_text(&format!("{STORY}/comments/{id}")).await;
    assert!(mine.contains("Change your comment"));
    let (_, theirs) = other.get_text(&format!("{STORY}/comments/{id}")).await;
    assert!(!theirs.contains("Change your comment"));
    let (status, _) = other
        .send_json(reqwest::Method::DELETE, &path, &Value::Null)
        .await;
    assert_eq!(status, 403);
    let (status, _) = writer
        .send_json(reqwest::Method::DELETE, &path, &Value::Null)
        .await;
    assert_eq!(status, 204);
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 1, "only the reply still counts");
    assert_eq!(list["items"][0]["status"], "deleted");
    assert_eq!(list["items"][0]["body"], "");
    let (_, html) = app.get_text(STORY).await;
    assert!(html.contains("This comment was deleted by its writer."));
    assert!(html.contains("A reply"), "the reply still reads");
}

async fn the_edit_window_closes(app: TestApp) {
    with_story(&app).await;
    let mut writer = Reader::new(&app);
    let (_, posted) = writer
        .post_json(&format!("{API}/comments"), &comment("Ana", "Hello"))
        .await;
    let path = format!("{API}/comments/{}", posted["id"]);
    let (status, body) = writer
        .send_json(reqwest::Method::PATCH, &path, &json!({"body": "Too late"}))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"].as_str().unwrap().contains("0 minutes"));
}

async fn votes_and_flags_count_once_per_reader(app: TestApp) {
    with_story(&app).await;
    let mut writer = Reader::new(&app);
    let (_, posted) = writer
        .post_json(&format!("{API}/comments"), &comment("Ana", "Vote on me"))
        .await;
    let id = posted["id"].as_i64().unwrap();
    let vote = format!("{API}/comments/{id}/vote");
    let (status, _) = writer.post_counted(&vote, &json!({"value": 1})).await;
    assert_eq!(status, 403, "no voting on your own comment");
    let mut fans = Vec::new();
    for i in 0..3 {
        let mut r = Reader::from(&app, &format!("198.51.100.{i}"));
        let (status, body) = r.post_counted(&vote, &json!({"value": 1})).await;
        assert_eq!(status, 200, "{body}");
        fans.push(r);
    }
    let (status, body) = fans[0].post_counted(&vote, &json!({"value": -1})).await;
    assert_eq!(status, 409, "{body}");
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["items"][0]["upvotes"], 3);
    assert_eq!(list["items"][0]["downvotes"], 0);
    // Flags: once each; the third by readers with a record hides the comment until a
    // moderator decides.
    for r in &fans {
        crate::hardening::give_a_record(&app, r).await;
    }
    let flag = format!("{API}/comments/{id}/flag");
    for (i, r) in fans.iter_mut().enumerate() {
        let (status, body) = r.post_counted(&flag, &json!({"reason": "rude"})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], if i < 2 { "published" } else { "held" });
    }
    let (status, _) = fans[0].post_counted(&flag, &json!({})).await;
    assert!(
        status == 409 || status == 404,
        "a second flag is refused, got {status}"
    );
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 3, "only the regulars' own comments: {list}");
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != id));
    let (_, html) = app.get_text(STORY).await;
    assert!(!html.contains("Vote on me"));
}

async fn best_first_orders_by_votes(app: TestApp) {
    with_story(&app).await;
    let mut writer = Reader::new(&app);
    let (_, a) = writer
        .post_json(&format!("{API}/comments"), &comment("A", "Plain"))
        .await;
    let (_, b) = writer
        .post_json(&format!("{API}/comments"), &comment("B", "Liked"))
        .await;
    let mut fan = Reader::new(&app);
    fan.post_counted(
        &format!("{API}/comments/{}/vote", b["id"]),
        &json!({"value": 1}),
    )
    .await;
    fan.post_counted(
        &format!("{API}/comments/{}/vote", a["id"]),
        &json!({"value": -1}),
    )
    .await;
    let (_, best) = app
        .get_json(&format!("{API}/comments?sort=best"), None)
        .await;
    assert_eq!(best["items"][0]["id"], b["id"]);
    let (_, html) = app.get_text(&format!("{STORY}?sort=best")).await;
    assert!(html.find("Liked").unwrap() < html.find("Plain").unwrap());
    assert!(html.contains(r#"<a aria-current="true" href="/news/harbour-bridge-to-close?sort=best#comments">Best first</a>"#));
}

async fn polls_take_one_answer_per_reader_and_show_tallies(app: TestApp) {
    with_story(&app).await;
    let q = question_ids(&app).await;
    let mut reader = Reader::new(&app);
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/debate/{}/vote", q[0]),
            &[("stamp", &stamp), ("answer", "yes")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("{STORY}#question-{}", q[0]).as_str()
    );
    let mut other = Reader::new(&app);
    let (status, t) = other
        .post_counted(
            &format!("{API}/debate/{}/vote", q[0]),
            &json!({"answer": "not_sure"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(
        (
            t["yes"].as_i64(),
            t["not_sure"].as_i64(),
            t["votes"].as_i64()
        ),
        (Some(1), Some(1), Some(2))
    );
    let (status, _) = other
        .post_counted(
            &format!("{API}/debate/{}/vote", q[0]),
            &json!({"answer": "no"}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = other
        .post_counted(
            &format!("{API}/debate/{}/vote", q[1]),
            &json!({"answer": "maybe"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = other
        .post_counted(
            &format!("{API}/debate/999999/vote"),
            &json!({"answer": "no"}),
        )
        .await;
    assert_eq!(status, 404);
    let (_, html) = reader.get_text(STORY).await;
    assert!(html.contains(r#"<li data-answer="yes"><span class="tally-label">Yes</span>"#));
    assert!(html.contains(
        r#"<span class="tally-percent">50</span>% (<span class="tally-count">1</span>)"#
    ));
    // Answering a question in the comments links the answer to it.
    let mut c = comment("Cy", "Yes, summer is quieter.");
    c["question_id"] = json!(q[0]);
    other.post_json(&format!("{API}/comments"), &c).await;
    let (_, answers) = app.get_text(&format!("{STORY}?question={}", q[0])).await;
    assert!(answers.contains("Answers to: <strong>Should the bridge close in summer?</strong>"));
    assert!(answers.contains("Yes, summer is quieter."));
    let (_, d) = app.get_json(&format!("{API}/debate"), None).await;
    assert_eq!(d[0]["answers"], 1);
    // Readers may propose a question; it waits for a moderator.
    let (status, p) = other
        .post_json(
            &format!("{API}/debate/proposals"),
            &json!({"question": "Who pays for the ferry?", "name": "Cy"}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["status"], "pending");
    assert!(!app
        .get_text(STORY)
        .await
        .1
        .contains("Who pays for the ferry?"));
}

async fn forged_hasty_and_cross_site_forms_are_refused(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let path = format!("{STORY}/comments");
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &path,
            &[("stamp", &stamp), ("name", "Bot"), ("body", "Buy now")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "sent faster than a person types");
    let html = r.text().await.unwrap();
    assert!(html.contains("quicker than a person can write"));
    assert!(html.contains("Buy now"), "the text is kept");
    let r = reader
        .post_form(
            &path,
            &[("stamp", "123.abc"), ("name", "Bot"), ("body", "Buy now")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("did not come from our page"));
    let r = reader
        .post_form(&path, &[("name", "Bot"), ("body", "Buy now")])
        .await;
    assert_eq!(r.status().as_u16(), 422, "no stamp at all");
    let r = reader
        .post_form(
            &path,
            &[
                ("stamp", &stamp),
                ("name", "Bot"),
                ("body", "Buy now"),
                ("homepage", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "the honeypot was filled");
    let r = app
        .client
        .post(app.url(&path))
        .header("origin", "https://evil.example")
        .form(&[
            ("stamp", stamp.as_str()),
            ("name", "Bot"),
            ("body", "Buy now"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "a post from another site");
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 0);
}

async fn the_rate_limit_answers_429_with_retry_after(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    for _ in 0..2 {
        let (status, _) = reader
            .post_json(&format!("{API}/comments"), &comment("Ana", "Hi"))
            .await;
        assert_eq!(status, 201);
    }
    let r = app
        .client
        .post(app.url(&format!("{API}/comments")))
        .json(&comment("Ana", "Third"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // The form says the same in words, in the site's frame.
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[("stamp", &stamp), ("name", "Ana"), ("body", "Hi")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let page = r.text().await.unwrap();
    assert!(
        page.to_lowercase().contains("too many requests"),
        "the reason, in words"
    );
    assert!(
        page.contains(">Hi</textarea>"),
        "and the form keeps what the reader wrote"
    );
}

async fn screening_holds_links_and_files_banned_words_as_spam(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let (_, held) = reader
        .post_json(
            &format!("{API}/comments"),
            &comment(
                "Ana",
                "a https://a.example b https://b.example c https://c.example",
            ),
        )
        .await;
    assert_eq!(held["status"], "held");
    let (_, spam) = reader
        .post_json(
            &format!("{API}/comments"),
            &comment("Ana", "Cheap CASINO chips"),
        )
        .await;
    assert_eq!(spam["status"], "held", "readers are not told it is spam");
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 0);
    // The writer sees their held comment's page with a notice; others get a 404.
    let url = held["url"].as_str().unwrap();
    let (status, html) = reader.get_text(url).await;
    assert_eq!(status, 200);
    assert!(html.contains("waiting for a moderator"));
    assert_eq!(app.get_text(url).await.0, 404);
}

async fn premoderation_holds_everything(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[("stamp", &stamp), ("name", "Ana"), ("body", "Hello")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.contains("/comments/"),
        "held comments go to their own page: {to}"
    );
    let (_, html) = reader.get_text(&to).await;
    assert!(html.contains("waiting for a moderator"));
    assert!(!app.get_text(STORY).await.1.contains("Hello</p>"));
}

async fn closed_conversations_take_no_comments(app: TestApp) {
    with_story(&app).await;
    // A comment from before the conversation closed (written straight to the store).
    let a = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    let old = app
        .store
        .add_comment(newsdesk_core::comment::NewComment {
            article_id: a.id,
            parent_id: None,
            question_id: None,
            name: "Early".into(),
            body: "Said before it closed".into(),
            email: None,
            notify_replies: false,
            reader: newsdesk_core::ReaderId("e".repeat(32)),
            ip: "10.0.0.3".into(),
            status: newsdesk_core::comment::CommentStatus::Published,
            reason: String::new(),
            created_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    let (_, html) = app.get_text(STORY).await;
    assert!(html.contains("Comments are closed on this story."));
    assert!(
        html.contains("Said before it closed"),
        "what was said still reads"
    );
    assert!(!html.contains("id=\"comment-body\""));
    assert!(
        !html.contains("class=\"vote-form\"") && !html.contains("class=\"poll\""),
        "no buttons that cannot work"
    );
    let mut reader = Reader::new(&app);
    let (status, body) = reader
        .post_json(&format!("{API}/comments"), &comment("Ana", "Hi"))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = reader
        .post_counted(
            &format!("{API}/comments/{}/vote", old.id),
            &json!({"value": 1}),
        )
        .await;
    assert_eq!(status, 403, "no votes on a closed conversation");
    let q = question_ids(&app).await;
    let (status, _) = reader
        .post_counted(
            &format!("{API}/debate/{}/vote", q[0]),
            &json!({"answer": "yes"}),
        )
        .await;
    assert_eq!(status, 403, "no poll answers either");
}

async fn a_reader_without_script_lands_on_the_page_holding_their_comment(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    for i in 0..3 {
        reader
            .post_json(
                &format!("{API}/comments"),
                &comment("Ana", &format!("Earlier {i}")),
            )
            .await;
    }
    let stamp = reader.stamp(STORY).await;
    let r = reader
        .post_form(
            &format!("{STORY}/comments"),
            &[("stamp", &stamp), ("name", "Bo"), ("body", "On page two")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("{STORY}?cpage=2#comment-")), "{to}");
    let (_, page) = reader.get_text(to.split('#').next().unwrap()).await;
    assert!(page.contains("On page two"));
}

async fn a_comment_written_by_another_node_shows_within_a_second(app: TestApp) {
    with_story(&app).await;
    assert!(app.get_text(STORY).await.1.contains("No comments yet"));
    let a = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    let at = std::time::Instant::now();
    app.store
        .add_comment(newsdesk_core::comment::NewComment {
            article_id: a.id,
            parent_id: None,
            question_id: None,
            name: "Elsewhere".into(),
            body: "Written on node two".into(),
            email: None,
            notify_replies: false,
            reader: newsdesk_core::ReaderId("b".repeat(32)),
            ip: "10.0.0.2".into(),
            status: newsdesk_core::comment::CommentStatus::Published,
            reason: String::new(),
            created_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    while !app.get_text(STORY).await.1.contains("Written on node two") {
        assert!(
            at.elapsed() < std::time::Duration::from_secs(2),
            "the page was stale for over a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn a_storm_of_a_thousand_comments_is_stored_once_each(app: TestApp) {
    with_story(&app).await;
    let posts = (0..1000).map(|i| {
        let client = app.client.clone();
        let url = app.url(&format!("{API}/comments"));
        tokio::spawn(async move {
            let r = client
                .post(url)
                .json(&comment("Storm", &format!("Storm comment {i}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 201);
            r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
        })
    });
    let mut ids: Vec<i64> = futures_join(posts).await;
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        1000,
        "every comment was acknowledged with its own id"
    );
    let mut seen = Vec::new();
    for page in 1..=10 {
        let (_, list) = app
            .get_json(&format!("{API}/comments?per_page=100&page={page}"), None)
            .await;
        assert_eq!(list["total"], 1000);
        for c in list["items"].as_array().unwrap() {
            seen.push(c["id"].as_i64().unwrap());
        }
    }
    seen.sort();
    assert_eq!(seen, ids, "each stored once, and all appear");
}

/// Readers crowding a busy story's page share its renders (see `render_flights`); a render
/// that began before a comment was acknowledged must never reach the one who wrote it.
async fn each_comment_is_on_the_first_read_after_its_201_while_readers_crowd_the_page(
    app: TestApp,
) {
    with_story(&app).await;
    let page = format!("{STORY}?sort=newest");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers = (0..12).map(|_| {
        let (client, url, stop) = (app.client.clone(), app.url(&page), stop.clone());
        tokio::spawn(async move {
            let mut reads = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = client.get(&url).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200);
                r.bytes().await.unwrap();
                reads += 1;
            }
            reads
        })
    });
    let readers: Vec<_> = readers.collect();
    let writers = (0..6).map(|w| {
        let (client, post, url) = (
            app.client.clone(),
            app.url(&format!("{API}/comments")),
            app.url(&page),
        );
        tokio::spawn(async move {
            for i in 0..15 {
                let r = client
                    .post(&post)
                    .json(&comment(
                        "Crowd",
                        &format!("Comment {w}-{i} while the page is read"),
                    ))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 201);
                let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
                let html = client.get(&url).send().await.unwrap().text().await.unwrap();
                let shown: Vec<i64> = html
                    .split("id=\"comment-")
                    .skip(1)
                    .filter_map(|s| s.split('"').next()?.parse().ok())
                    .collect();
                // Only newer comments may have pushed it off the first page.
                assert!(
                    shown.contains(&id) || shown.iter().min().is_some_and(|m| *m > id),
                    "comment {id} missing from the first read after its 201: {shown:?}"
                );
            }
        })
    });
    futures_join(writers).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads: u32 = futures_join(readers.into_iter()).await.into_iter().sum();
    assert!(
        reads > 90,
        "the readers read while the comments came: {reads}"
    );
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await.unwrap());
    }
    out
}

async fn the_story_has_a_comments_feed_and_discussion_data(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let (_, first) = reader
        .post_json(
            &format!("{API}/comments"),
            &comment("Ana", "First </script><b>bold</b>"),
        )
        .await;
    let mut reply = comment("Bo", "A reply & more");
    reply["parent_id"] = first["id"].clone();
    reader.post_json(&format!("{API}/comments"), &reply).await;
    let r = app.get(&format!("{STORY}/comments.xml")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/rss+xml"));
    let channel =
        rss::Channel::read_from(&r.bytes().await.unwrap()[..]).expect("a feed parser reads it");
    assert_eq!(channel.items().len(), 2);
    assert_eq!(
        channel.items()[0].description(),
        Some("<p>A reply &amp; more</p>"),
        "newest first, the reader's text escaped for feed readers that show HTML"
    );
    assert_eq!(
        channel.items()[1].description(),
        Some("<p>First &lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;</p>")
    );
    let (_, html) = app.get_text(STORY).await;
    assert!(html.contains(r#"<link rel="alternate" type="application/rss+xml" title="Comments on: Harbour bridge to close" href="/news/harbour-bridge-to-close/comments.xml">"#));
    let data = crate::discovery::json_ld(&html);
    let graph = data["@graph"].as_array().unwrap();
    let article = graph.iter().find(|g| g["@type"] == "NewsArticle").unwrap();
    assert_eq!(article["commentCount"], 2);
    let forum = graph
        .iter()
        .find(|g| g["@type"] == "DiscussionForumPosting")
        .expect("the debate as a forum posting");
    assert_eq!(forum["commentCount"], 2);
    let comments = forum["comment"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["text"], "First </script><b>bold</b>");
    assert_eq!(comments[0]["author"]["name"], "Ana");
    assert!(comments[1]["parentItem"]["@id"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/comments/{}", first["id"])));
    assert_eq!(
        app.get(&format!("{STORY}/comments.xml"))
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        app.get("/news/no-such-story/comments.xml")
            .await
            .status()
            .as_u16(),
        404
    );
}

on_both_stores!(
    the_story_has_a_comments_feed_and_discussion_data,
    a_comment_posted_by_form_shows_escaped_on_the_next_request,
    a_refused_form_keeps_what_the_reader_typed,
    the_api_posts_lists_pages_and_sorts,
    replies_nest_and_very_deep_replies_say_whom_they_answer,
    bad_comments_are_refused_by_field,
    a_reader_edits_and_deletes_only_their_own_comment,
    votes_and_flags_count_once_per_reader,
    best_first_orders_by_votes,
    polls_take_one_answer_per_reader_and_show_tallies,
    a_comment_written_by_another_node_shows_within_a_second,
    a_storm_of_a_thousand_comments_is_stored_once_each,
    each_comment_is_on_the_first_read_after_its_201_while_readers_crowd_the_page,
);

/// Tests that need settings of their own, on SQLite (the rules are the same code on both).
mod with_settings {
    use super::*;
    use crate::helpers::Backend;
    use newsdesk_core::screen::CommentMode;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_edit_window_closes_on_sqlite() {
        the_edit_window_closes(
            TestApp::spawn_with(Backend::Sqlite, |c| {
                c.discussion.edit_window = chrono::Duration::zero()
            })
            .await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn forged_hasty_and_cross_site_forms_are_refused_on_sqlite() {
        forged_hasty_and_cross_site_forms_are_refused(
            TestApp::spawn_with(Backend::Sqlite, |c| c.comment_min_seconds = 3).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_rate_limit_answers_429_with_retry_after_on_sqlite() {
        the_rate_limit_answers_429_with_retry_after(
            TestApp::spawn_with(Backend::Sqlite, |c| c.comments_per_minute = 2).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn screening_holds_links_and_files_banned_words_as_spam_on_postgres() {
        screening_holds_links_and_files_banned_words_as_spam(
            TestApp::spawn_with(Backend::Postgres, |c| {
                c.discussion.screen.banned_words = vec!["casino".into()]
            })
            .await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn premoderation_holds_everything_on_sqlite() {
        premoderation_holds_everything(
            TestApp::spawn_with(Backend::Sqlite, |c| {
                c.discussion.screen.mode = CommentMode::Premoderated
            })
            .await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reader_without_script_lands_on_the_page_holding_their_comment_on_sqlite() {
        a_reader_without_script_lands_on_the_page_holding_their_comment(
            TestApp::spawn_with(Backend::Sqlite, |c| c.comments_per_page = 2).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closed_conversations_take_no_comments_on_sqlite() {
        closed_conversations_take_no_comments(
            TestApp::spawn_with(Backend::Sqlite, |c| {
                c.discussion.screen.mode = CommentMode::Closed
            })
            .await,
        )
        .await;
    }
}
