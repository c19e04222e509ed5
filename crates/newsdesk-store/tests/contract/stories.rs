//! Stories: what is written reads back, slugs are unique across a story's history, and the
//! lists count only what they should.

use chrono::{Duration, Utc};
use newsdesk_core::store::ImportItem;
use newsdesk_core::{
    ArticleFields, ArticleFilter, ArticleInput, ArticleStatus, Claim, ClaimStatus, Conflict,
    PageRequest, Source, Store, StoreError,
};

pub fn fields(slug: &str, status: ArticleStatus) -> ArticleFields {
    ArticleInput {
        slug: Some(slug.into()),
        headline: Some(format!("Headline of {slug}")),
        standfirst: Some("Standfirst.".into()),
        body: Some("Body text.".into()),
        section: Some("world".into()),
        tags: Some(vec!["one".into(), "two".into()]),
        authors: Some(vec!["Priya Raman".into()]),
        status: Some(status),
        published_at: Some(Some(Utc::now() - Duration::hours(1))),
        debate: Some(vec!["Q1?".into()]),
        ..Default::default()
    }
    .validate(Utc::now())
    .unwrap()
}

async fn a_stored_story_reads_back_field_for_field(s: &dyn Store) {
    let f = fields("alpha", ArticleStatus::Published);
    let a = s.insert_article(&f, "token:1", Utc::now()).await.unwrap();
    let b = s.find_article("alpha").await.unwrap().unwrap();
    assert_eq!(a, b);
    assert_eq!(b.tags, vec!["one", "two"]);
    assert_eq!(b.debate[0].text, "Q1?");
    assert_eq!(
        b.published_at.unwrap().timestamp_millis(),
        f.published_at.unwrap().timestamp_millis()
    );
    assert_eq!(s.article_owner(a.id).await.unwrap(), "token:1");
}

async fn a_write_against_an_old_revision_is_refused(s: &dyn Store) {
    let a = s
        .insert_article(&fields("beta", ArticleStatus::Published), "x", Utc::now())
        .await
        .unwrap();
    s.update_article(
        a.id,
        a.revision,
        &fields("beta", ArticleStatus::Published),
        "x",
        Utc::now(),
    )
    .await
    .unwrap();
    let stale = s
        .update_article(
            a.id,
            a.revision,
            &fields("beta", ArticleStatus::Published),
            "x",
            Utc::now(),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)));
}

async fn two_updates_from_one_revision_never_both_land(s: &dyn Store) {
    for round in 0..10 {
        let slug = format!("race-{round}");
        let a = s
            .insert_article(&fields(&slug, ArticleStatus::Published), "x", Utc::now())
            .await
            .unwrap();
        let mut one = fields(&slug, ArticleStatus::Published);
        one.headline = "One".into();
        let mut two = fields(&slug, ArticleStatus::Published);
        two.headline = "Two".into();
        let (x, y) = tokio::join!(
            s.update_article(a.id, a.revision, &one, "one", Utc::now()),
            s.update_article(a.id, a.revision, &two, "two", Utc::now())
        );
        let landed: Vec<_> = [&x, &y].into_iter().filter(|r| r.is_ok()).collect();
        assert_eq!(landed.len(), 1, "round {round}: {x:?} / {y:?}");
        assert!(
            matches!(x, Err(StoreError::Stale)) || matches!(y, Err(StoreError::Stale)),
            "the other is told the story moved on"
        );
        let now = s.find_article(&slug).await.unwrap().unwrap();
        assert_eq!(now.revision, a.revision + 1);
        let winner = if x.is_ok() { "One" } else { "Two" };
        assert_eq!(now.headline, winner);
    }
}

fn with_claim(slug: &str, status: ClaimStatus, hours_ago: i64) -> ArticleFields {
    let mut f = fields(slug, ArticleStatus::Published);
    f.published_at = Some(Utc::now() - Duration::hours(hours_ago));
    f.claims = vec![Claim {
        quote: "Body text".into(),
        source: Source {
            name: "A source".into(),
            role: String::new(),
            url: None,
        },
        status,
        note: String::new(),
    }];
    f
}

async fn the_newsroom_lists_by_owner_and_claims_to_check_oldest_first(s: &dyn Store) {
    let now = Utc::now();
    s.insert_article(&fields("mine", ArticleStatus::Draft), "user:a", now)
        .await
        .unwrap();
    let older = s
        .insert_article(
            &with_claim("older", ClaimStatus::Unverified, 48),
            "user:b",
            now,
        )
        .await
        .unwrap();
    s.insert_article(
        &with_claim("newer", ClaimStatus::Disputed, 24),
        "user:a",
        now,
    )
    .await
    .unwrap();
    s.insert_article(
        &with_claim("checked", ClaimStatus::Verified, 12),
        "user:b",
        now,
    )
    .await
    .unwrap();
    let slugs = |filter: ArticleFilter| async move {
        let list = s
            .list_articles(&filter, PageRequest::page(1, 10), now)
            .await
            .unwrap();
        list.items.into_iter().map(|a| a.slug).collect::<Vec<_>>()
    };
    let mine = ArticleFilter {
        owner: Some("user:a".into()),
        ..Default::default()
    };
    assert_eq!(slugs(mine).await, ["mine", "newer"]);
    let to_check = ArticleFilter {
        open_claims: true,
        oldest_first: true,
        ..Default::default()
    };
    assert_eq!(slugs(to_check.clone()).await, ["older", "newer"]);
    // Once verified, a story leaves the list.
    let checked = with_claim("older", ClaimStatus::Verified, 48);
    s.update_article(older.id, older.revision, &checked, "user:b", now)
        .await
        .unwrap();
    assert_eq!(slugs(to_check).await, ["newer"]);
}

async fn the_newsroom_finds_stories_by_words_most_recently_changed_first(s: &dyn Store) {
    let then = Utc::now() - Duration::hours(2);
    let mut bridge = fields("bridge", ArticleStatus::Draft);
    bridge.headline = "Harbour BRIDGE to close".into();
    let bridge = s.insert_article(&bridge, "user:a", then).await.unwrap();
    assert_eq!(bridge.updated_by, "user:a", "the writer changed it last");
    let mut odd = fields("odd", ArticleStatus::Draft);
    odd.standfirst = "Fares rise by 5% for the bridge_users.".into();
    s.insert_article(&odd, "user:b", then).await.unwrap();
    s.insert_article(&fields("other", ArticleStatus::Draft), "user:b", then)
        .await
        .unwrap();
    let changed = s
        .update_article(
            bridge.id,
            bridge.revision,
            &fields("bridge", ArticleStatus::Draft),
            "user:c",
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(changed.updated_by, "user:c");
    let slugs = |words: &str| {
        let filter = ArticleFilter {
            words: Some(words.into()),
            by_change: true,
            ..Default::default()
        };
        async move {
            let list = s
                .list_articles(&filter, PageRequest::page(1, 10), Utc::now())
                .await
                .unwrap();
            list.items.into_iter().map(|a| a.slug).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        slugs("headline of").await,
        ["bridge", "other", "odd"],
        "most recently changed first, then the newest"
    );
    assert_eq!(
        slugs("5%").await,
        ["odd"],
        "a % is a percent sign, not a wildcard"
    );
    assert_eq!(slugs("bridge_").await, ["odd"]);
    assert!(slugs("nothing like this").await.is_empty());
}

async fn every_save_keeps_a_whole_revision_with_who_and_when(s: &dyn Store) {
    let first = fields("kept", ArticleStatus::Draft);
    let a = s
        .insert_article(&first, "user:a", Utc::now())
        .await
        .unwrap();
    let mut second = fields("kept", ArticleStatus::Published);
    second.headline = "A second headline".into();
    s.update_article(a.id, a.revision, &second, "user:b", Utc::now())
        .await
        .unwrap();
    let list = s.revisions(a.id).await.unwrap();
    let shown: Vec<(i64, &str)> = list
        .iter()
        .map(|r| (r.revision, r.saved_by.as_str()))
        .collect();
    assert_eq!(shown, [(2, "user:b"), (1, "user:a")], "newest first");
    let (info, old) = s.revision(a.id, 1).await.unwrap().unwrap();
    assert_eq!(info.revision, 1);
    assert_eq!(old.headline, "Headline of kept");
    assert_eq!(old.status, ArticleStatus::Draft);
    assert_eq!(old.debate, ["Q1?"]);
    let (_, new) = s.revision(a.id, 2).await.unwrap().unwrap();
    assert_eq!(new, newsdesk_core::revision::Snapshot::of(&second));
    assert!(s.revision(a.id, 3).await.unwrap().is_none());
    // A refused save keeps no revision.
    let stale = s
        .update_article(a.id, a.revision, &first, "user:c", Utc::now())
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)));
    assert_eq!(s.revisions(a.id).await.unwrap().len(), 2);
    s.delete_article(a.id).await.unwrap();
    assert!(
        s.revisions(a.id).await.unwrap().is_empty(),
        "gone with the story"
    );
}

async fn a_claims_public_states_are_kept_only_for_versions_readers_could_see(s: &dyn Store) {
    let mut draft = with_claim("told", ClaimStatus::False, 2);
    draft.status = ArticleStatus::Draft;
    let a = s
        .insert_article(&draft, "user:a", Utc::now())
        .await
        .unwrap();
    let live = with_claim("told", ClaimStatus::Verified, 2);
    s.update_article(a.id, a.revision, &live, "user:b", Utc::now())
        .await
        .unwrap();
    let states = s.live_claim_states(a.id).await.unwrap();
    assert_eq!(
        states.len(),
        1,
        "the draft's verdict is not public: {states:?}"
    );
    assert_eq!(states[0].0.saved_by, "user:b");
    assert_eq!(
        states[0].1,
        [("Body text".to_string(), ClaimStatus::Verified)]
    );
    s.delete_article(a.id).await.unwrap();
    assert!(s.live_claim_states(a.id).await.unwrap().is_empty());
}

async fn a_taken_slug_is_a_conflict_that_names_the_slug(s: &dyn Store) {
    s.insert_article(&fields("gamma", ArticleStatus::Draft), "x", Utc::now())
        .await
        .unwrap();
    let again = s
        .insert_article(&fields("gamma", ArticleStatus::Draft), "x", Utc::now())
        .await;
    match again {
        Err(StoreError::Conflict(Conflict::Slug(slug))) => assert_eq!(slug, "gamma"),
        other => panic!("expected a slug conflict, got {other:?}"),
    }
}

async fn a_slug_a_story_once_had_still_finds_it_and_is_taken(s: &dyn Store) {
    let a = s
        .insert_article(
            &fields("old-name", ArticleStatus::Published),
            "x",
            Utc::now(),
        )
        .await
        .unwrap();
    s.update_article(
        a.id,
        a.revision,
        &fields("new-name", ArticleStatus::Published),
        "x",
        Utc::now(),
    )
    .await
    .unwrap();
    let found = s.find_article("old-name").await.unwrap().unwrap();
    assert_eq!((found.id, found.slug.as_str()), (a.id, "new-name"));
    let taken = s
        .insert_article(&fields("old-name", ArticleStatus::Draft), "x", Utc::now())
        .await;
    assert!(
        matches!(&taken, Err(StoreError::Conflict(Conflict::Slug(slug))) if slug == "old-name"),
        "{taken:?}"
    );
    let b = s
        .insert_article(&fields("other", ArticleStatus::Draft), "x", Utc::now())
        .await
        .unwrap();
    let renamed = s
        .update_article(
            b.id,
            b.revision,
            &fields("new-name", ArticleStatus::Draft),
            "x",
            Utc::now(),
        )
        .await;
    assert!(
        matches!(&renamed, Err(StoreError::Conflict(Conflict::Slug(slug))) if slug == "new-name"),
        "{renamed:?}"
    );
}

async fn an_import_replaces_stories_of_the_same_slug_in_one_transaction(s: &dyn Store) {
    s.insert_article(&fields("delta", ArticleStatus::Draft), "x", Utc::now())
        .await
        .unwrap();
    let mut changed = fields("delta", ArticleStatus::Published);
    changed.headline = "Replaced".into();
    let items = vec![
        ImportItem {
            fields: changed,
            owner: "import".into(),
        },
        ImportItem {
            fields: fields("epsilon", ArticleStatus::Published),
            owner: "import".into(),
        },
    ];
    assert_eq!(s.import_articles(&items, Utc::now()).await.unwrap(), 2);
    assert_eq!(
        s.find_article("delta").await.unwrap().unwrap().headline,
        "Replaced"
    );
    assert_eq!(s.all_articles().await.unwrap().len(), 2);
}

async fn due_scheduled_stories_are_published_once(s: &dyn Store) {
    let mut f = fields("zeta", ArticleStatus::Scheduled);
    f.published_at = Some(Utc::now() - Duration::seconds(5));
    s.insert_article(&f, "x", Utc::now()).await.unwrap();
    let mut later = fields("eta", ArticleStatus::Scheduled);
    later.published_at = Some(Utc::now() + Duration::days(1));
    s.insert_article(&later, "x", Utc::now()).await.unwrap();
    let live = ArticleFilter {
        live_only: true,
        ..Default::default()
    };
    assert_eq!(
        s.list_articles(&live, PageRequest::page(1, 10), Utc::now())
            .await
            .unwrap()
            .total,
        1,
        "a due story is live before the tick"
    );
    assert_eq!(s.publish_due(Utc::now()).await.unwrap().len(), 1);
    assert!(s.publish_due(Utc::now()).await.unwrap().is_empty());
    assert_eq!(
        s.find_article("zeta").await.unwrap().unwrap().status,
        ArticleStatus::Published
    );
    assert_eq!(
        s.find_article("eta").await.unwrap().unwrap().status,
        ArticleStatus::Scheduled
    );
}

async fn sections_count_only_live_stories(s: &dyn Store) {
    s.insert_article(&fields("one-a", ArticleStatus::Published), "x", Utc::now())
        .await
        .unwrap();
    s.insert_article(&fields("one-b", ArticleStatus::Draft), "x", Utc::now())
        .await
        .unwrap();
    assert_eq!(
        s.sections(Utc::now()).await.unwrap(),
        vec![("world".to_string(), 1)]
    );
}

async fn every_story_write_moves_the_site_revision_on(s: &dyn Store) {
    s.ping().await.unwrap();
    let start = s.site_revision().await.unwrap();
    let a = s
        .insert_article(&fields("theta", ArticleStatus::Draft), "x", Utc::now())
        .await
        .unwrap();
    let inserted = s.site_revision().await.unwrap();
    assert!(inserted > start);
    s.delete_article(a.id).await.unwrap();
    assert!(s.site_revision().await.unwrap() > inserted);
    assert!(matches!(
        s.delete_article(a.id).await,
        Err(StoreError::NotFound)
    ));
}

on_both_stores!(
    two_updates_from_one_revision_never_both_land,
    a_claims_public_states_are_kept_only_for_versions_readers_could_see,
    every_save_keeps_a_whole_revision_with_who_and_when,
    the_newsroom_finds_stories_by_words_most_recently_changed_first,
    the_newsroom_lists_by_owner_and_claims_to_check_oldest_first,
    a_stored_story_reads_back_field_for_field,
    a_write_against_an_old_revision_is_refused,
    a_taken_slug_is_a_conflict_that_names_the_slug,
    a_slug_a_story_once_had_still_finds_it_and_is_taken,
    an_import_replaces_stories_of_the_same_slug_in_one_transaction,
    due_scheduled_stories_are_published_once,
    sections_count_only_live_stories,
    every_story_write_moves_the_site_revision_on,
);
