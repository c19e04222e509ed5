//! Imports and site pages: a plan applied twice adds nothing, a changed item is updated, a
//! failing plan writes none of itself, replies keep their threads, old addresses lead to the
//! items by id, and pages keep their slugs unique.

use crate::stories::fields;
use chrono::{Duration, Utc};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::import::{
    AddressTarget, CommentHome, ImportPlan, ImportedComment, ImportedPage, ImportedStory,
    OldAddress, OldTarget,
};
use newsdesk_core::pages::PageFields;
use newsdesk_core::{ArticleStatus, CommentId, Conflict, Store, StoreError};

fn page(slug: &str) -> PageFields {
    PageFields {
        slug: slug.into(),
        title: format!("Title of {slug}"),
        body: "Who we are.".into(),
        published: true,
        in_footer: true,
        position: 1,
    }
}

fn comment(id: &str, parent: Option<&str>, status: CommentStatus) -> ImportedComment {
    ImportedComment {
        external_id: id.into(),
        digest: format!("d{id}"),
        home: CommentHome::Imported("12".into()),
        parent: parent.map(str::to_string),
        name: format!("Reader {id}"),
        url: Some("https://reader.example.org/".into()),
        email: Some("reader@example.org".into()),
        body: format!("Comment {id}"),
        status,
        created_at: Utc::now() - Duration::hours(2),
        archive_id: Some(id.into()),
    }
}

fn plan() -> ImportPlan {
    ImportPlan {
        source: "wordpress:http://old.example".into(),
        owner: "import:wordpress".into(),
        stories: vec![ImportedStory {
            external_id: "12".into(),
            digest: "s1".into(),
            fields: fields("harbour-works", ArticleStatus::Published),
        }],
        pages: vec![ImportedPage {
            external_id: "30".into(),
            digest: "p1".into(),
            fields: page("about"),
        }],
        comments: vec![
            comment("1", None, CommentStatus::Published),
            comment("2", Some("1"), CommentStatus::Published),
            comment("3", Some("2"), CommentStatus::Held),
        ],
        addresses: vec![
            OldAddress {
                key: "/2026/05/14/harbour-works".into(),
                target: AddressTarget::Story("12".into()),
            },
            OldAddress {
                key: "/?page_id=30".into(),
                target: AddressTarget::Page("30".into()),
            },
            OldAddress {
                key: "/feed".into(),
                target: AddressTarget::Path("/feed.xml".into()),
            },
        ],
    }
}

async fn an_import_applied_twice_adds_nothing_and_a_change_is_an_update(s: &dyn Store) {
    let first = s.apply_import(&plan(), Utc::now()).await.unwrap();
    assert_eq!(
        (first.stories.added, first.pages.added, first.comments.added),
        (1, 1, 3)
    );
    let again = s.apply_import(&plan(), Utc::now()).await.unwrap();
    assert_eq!(
        (
            again.stories.unchanged,
            again.pages.unchanged,
            again.comments.unchanged
        ),
        (1, 1, 3)
    );
    assert_eq!((again.stories.added, again.comments.added), (0, 0));

    let story = s.find_article("harbour-works").await.unwrap().unwrap();
    assert_eq!(story.comment_count, 2, "the held reply is not counted");
    let top = s.archived_comment(story.id, "1").await.unwrap().unwrap();
    let deepest = s.archived_comment(story.id, "3").await.unwrap().unwrap();
    let c = s.find_comment(deepest).await.unwrap().unwrap();
    assert_eq!(
        (c.root_id, c.depth, c.status),
        (top, 2, CommentStatus::Held)
    );
    assert_eq!(c.url.as_deref(), Some("https://reader.example.org/"));
    let root = s.find_comment(top).await.unwrap().unwrap();
    assert_eq!(root.root_id, top, "a top comment is its own thread");

    let mut changed = plan();
    changed.stories[0].digest = "s2".into();
    changed.stories[0].fields.headline = "Harbour works finish early".into();
    changed.comments[2].digest = "d3b".into();
    changed.comments[2].status = CommentStatus::Published;
    let third = s.apply_import(&changed, Utc::now()).await.unwrap();
    assert_eq!((third.stories.updated, third.comments.updated), (1, 1));
    let story = s.find_article("harbour-works").await.unwrap().unwrap();
    assert_eq!(story.headline, "Harbour works finish early");
    assert_eq!(story.comment_count, 3);

    assert_eq!(
        s.old_address("/2026/05/14/harbour-works").await.unwrap(),
        Some(OldTarget::Story(story.id))
    );
    let about = s.site_page("about").await.unwrap().unwrap();
    assert_eq!(
        s.old_address("/?page_id=30").await.unwrap(),
        Some(OldTarget::Page(about.id))
    );
    assert_eq!(
        s.old_address("/feed").await.unwrap(),
        Some(OldTarget::Path("/feed.xml".into()))
    );
    assert_eq!(s.old_address("/nowhere\0").await.unwrap(), None);
    let all = s.comments_for_export(CommentId(0), 2).await.unwrap();
    assert_eq!(all.len(), 2);
    let rest = s.comments_for_export(all[1].id, 10).await.unwrap();
    assert_eq!(rest.len(), 1);
}

async fn what_the_newsroom_changed_or_deleted_since_an_import_stays_as_it_is(s: &dyn Store) {
    s.apply_import(&plan(), Utc::now()).await.unwrap();
    let story = s.find_article("harbour-works").await.unwrap().unwrap();
    let mut takedown = fields("harbour-works", ArticleStatus::Unpublished);
    takedown.headline = "Withdrawn".into();
    s.update_article(
        story.id,
        story.revision,
        &takedown,
        "user:ed@example.org",
        Utc::now(),
    )
    .await
    .unwrap();
    let about = s.site_page("about").await.unwrap().unwrap();
    s.delete_site_page(about.id).await.unwrap();
    let held = s.archived_comment(story.id, "3").await.unwrap().unwrap();
    s.set_comment_status(held, CommentStatus::Spam, "moderator", Utc::now())
        .await
        .unwrap();

    let mut newer = plan();
    newer.stories[0].digest = "s2".into();
    newer.stories[0].fields.headline = "Harbour works finish early".into();
    newer.comments[2].digest = "d3b".into();
    newer.comments[2].status = CommentStatus::Published;
    let out = s.apply_import(&newer, Utc::now()).await.unwrap();
    assert_eq!(
        out.stories.updated + out.pages.added + out.comments.updated,
        0,
        "{out:?}"
    );
    assert_eq!(out.kept.len(), 3, "{:?}", out.kept);
    let story = s.find_article("harbour-works").await.unwrap().unwrap();
    assert_eq!(
        (story.headline.as_str(), story.status),
        ("Withdrawn", ArticleStatus::Unpublished)
    );
    assert!(
        s.site_page("about").await.unwrap().is_none(),
        "a deleted page stays deleted"
    );
    assert_eq!(s.old_address("/?page_id=30").await.unwrap(), None);
    assert_eq!(
        s.find_comment(held).await.unwrap().unwrap().status,
        CommentStatus::Spam
    );
}

async fn a_failing_import_writes_none_of_itself(s: &dyn Store) {
    let mut bad = plan();
    bad.addresses.push(OldAddress {
        key: "/lost".into(),
        target: AddressTarget::Story("404".into()),
    });
    assert!(s.apply_import(&bad, Utc::now()).await.is_err());
    assert!(s.find_article("harbour-works").await.unwrap().is_none());
    assert!(s.site_page("about").await.unwrap().is_none());
    assert_eq!(s.old_address("/feed").await.unwrap(), None);
}

async fn an_imported_story_whose_slug_is_taken_gets_its_own(s: &dyn Store) {
    s.insert_article(
        &fields("harbour-works", ArticleStatus::Published),
        "user:a@example.org",
        Utc::now(),
    )
    .await
    .unwrap();
    let out = s.apply_import(&plan(), Utc::now()).await.unwrap();
    assert_eq!(
        out.renamed,
        vec![("harbour-works".to_string(), "harbour-works-12".to_string())]
    );
    assert!(s.find_article("harbour-works-12").await.unwrap().is_some());
}

async fn site_pages_keep_unique_slugs_and_the_footer_lists_the_published_ones(s: &dyn Store) {
    let before = s.site_revision().await.unwrap();
    let about = s
        .create_site_page(&page("about"), "user:e@example.org", Utc::now())
        .await
        .unwrap();
    assert!(s.site_revision().await.unwrap() > before);
    let mut draft = page("privacy");
    draft.published = false;
    s.create_site_page(&draft, "user:e@example.org", Utc::now())
        .await
        .unwrap();
    assert!(matches!(
        s.create_site_page(&page("about"), "user:e@example.org", Utc::now())
            .await,
        Err(StoreError::Conflict(Conflict::Slug(_)))
    ));
    assert_eq!(
        s.footer_pages().await.unwrap(),
        vec![("about".to_string(), "Title of about".to_string())]
    );
    let mut moved = page("about-us");
    moved.body = "New words.".into();
    s.update_site_page(about, &moved, "user:e@example.org", Utc::now())
        .await
        .unwrap();
    assert!(s.site_page("about").await.unwrap().is_none());
    assert_eq!(
        s.site_page("about-us").await.unwrap().unwrap().body,
        "New words."
    );
    s.delete_site_page(about).await.unwrap();
    assert!(matches!(
        s.delete_site_page(about).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.site_pages().await.unwrap().len(), 1);
}

on_both_stores!(
    an_import_applied_twice_adds_nothing_and_a_change_is_an_update,
    what_the_newsroom_changed_or_deleted_since_an_import_stays_as_it_is,
    a_failing_import_writes_none_of_itself,
    an_imported_story_whose_slug_is_taken_gets_its_own,
    site_pages_keep_unique_slugs_and_the_footer_lists_the_published_ones,
);
