//! Moderation: the queue and its actions, bans, comment modes and reader proposals.

use crate::debate::{comment, story};
use chrono::Utc;
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::moderation::{BanKind, ModAction, ModeScope, NewBan, QueueFilter, QueueKind};
use newsdesk_core::screen::CommentMode;
use newsdesk_core::store::{Report, StoryChange};
use newsdesk_core::{CommentId, ReaderId, Store, StoreError};

fn queue(kind: QueueKind) -> QueueFilter {
    QueueFilter {
        kind,
        article: None,
        reason: None,
        offset: 0,
        limit: 50,
    }
}

async fn a_ban_lifted_twice_is_not_found(s: &dyn Store) {
    let id = s
        .add_ban(
            &NewBan {
                kind: BanKind::Email,
                value: " Troll@Example.org ".into(),
                reason: "abuse".into(),
                created_by: "user:1".into(),
                expires_at: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let bans = s.active_bans(Utc::now()).await.unwrap();
    assert_eq!(bans.len(), 1);
    assert_eq!(
        (bans[0].id, bans[0].value.as_str()),
        (id, "troll@example.org")
    );
    s.lift_ban(id, "user:1", Utc::now()).await.unwrap();
    assert!(s.active_bans(Utc::now()).await.unwrap().is_empty());
    assert!(matches!(
        s.lift_ban(id, "user:1", Utc::now()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.lift_ban(id + 1000, "user:1", Utc::now()).await,
        Err(StoreError::NotFound)
    ));
    let log = s.moderation_log(None, 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["lift ban", "ban"], "newest first");
}

async fn a_decision_on_held_comments_logs_each_and_teaches_the_classifier(s: &dyn Store) {
    let a = story(s, "moderated").await;
    let held = s
        .add_comment(comment(a.id, "r1", CommentStatus::Held))
        .await
        .unwrap();
    let (items, total) = s.moderation_queue(&queue(QueueKind::Held)).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(items[0].comment.id, held.id);
    assert_eq!(items[0].article_slug, "moderated");

    let missing = CommentId(held.id.0 + 1000);
    let changed = s
        .moderate(
            &[held.id, missing],
            ModAction::Spam,
            "link farm",
            "user:2",
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(changed.len(), 1, "a comment that does not exist is skipped");
    assert_eq!(changed[0].status, CommentStatus::Spam);
    assert_eq!(
        s.moderation_queue(&queue(QueueKind::Held)).await.unwrap().1,
        0
    );
    assert_eq!(
        s.moderation_queue(&queue(QueueKind::Spam)).await.unwrap().1,
        1
    );
    let log = s.moderation_log(Some(held.id), 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].action.as_str(), log[0].detail.as_str()),
        ("spam", "link farm")
    );
    let model = s.spam_model().await.unwrap();
    assert_eq!((model.spam_docs, model.ham_docs), (1, 0));
}

async fn approving_a_flagged_comment_clears_its_flags(s: &dyn Store) {
    let a = story(s, "reported").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    let r1 = ReaderId("r1".into());
    let report = Report {
        reader: &r1,
        address: "192.0.2.1",
        reason: "spam",
        hide_at: 0,
        trusted_before: Utc::now(),
    };
    s.flag_comment(c.id, &report, Utc::now()).await.unwrap();
    let (items, _) = s
        .moderation_queue(&queue(QueueKind::Flagged))
        .await
        .unwrap();
    assert_eq!(items[0].reports, vec!["spam".to_string()]);
    s.moderate(&[c.id], ModAction::Approve, "", "user:2", Utc::now())
        .await
        .unwrap();
    assert_eq!(
        s.moderation_queue(&queue(QueueKind::Flagged))
            .await
            .unwrap()
            .1,
        0
    );
    assert_eq!(s.find_comment(c.id).await.unwrap().unwrap().flags, 0);
    assert_eq!(s.spam_model().await.unwrap().ham_docs, 1);
}

async fn a_proposal_decided_twice_is_not_found(s: &dyn Store) {
    let a = story(s, "proposed").await;
    let id = s
        .propose_question(
            a.id,
            "Should it?",
            "Ada",
            &ReaderId("r1".into()),
            Utc::now(),
        )
        .await
        .unwrap();
    let pending = s.pending_proposals().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].id, pending[0].article_slug.as_str()),
        (id, "proposed")
    );
    let decided = s
        .decide_proposal(id, true, None, "user:2", Utc::now())
        .await
        .unwrap();
    assert_eq!(decided.text, "Should it?");
    assert!(s.pending_proposals().await.unwrap().is_empty());
    assert!(matches!(
        s.decide_proposal(id, false, None, "user:2", Utc::now())
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn an_accepted_proposal_joins_its_story_in_the_same_transaction(s: &dyn Store) {
    let a = story(s, "asked").await;
    let id = s
        .propose_question(a.id, "Who pays?", "Ada", &ReaderId("r1".into()), Utc::now())
        .await
        .unwrap();
    let mut f = crate::stories::fields("asked", newsdesk_core::ArticleStatus::Published);
    f.debate = vec!["Who pays?".into()];
    f.debate_ids = vec![None];
    let stale = StoryChange {
        id: a.id,
        revision: a.revision - 1,
        fields: &f,
    };
    assert!(matches!(
        s.decide_proposal(id, true, Some(stale), "user:2", Utc::now())
            .await,
        Err(StoreError::Stale)
    ));
    assert_eq!(
        s.pending_proposals().await.unwrap().len(),
        1,
        "a refused change leaves the proposal waiting"
    );
    let current = StoryChange {
        id: a.id,
        revision: a.revision,
        fields: &f,
    };
    s.decide_proposal(id, true, Some(current), "user:2", Utc::now())
        .await
        .unwrap();
    let after = s.find_article("asked").await.unwrap().unwrap();
    let questions: Vec<&str> = after.debate.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(questions, vec!["Who pays?"]);
    assert!(s.pending_proposals().await.unwrap().is_empty());
}

async fn a_story_s_comment_mode_is_set_and_cleared(s: &dyn Store) {
    let a = story(s, "closing").await;
    let before = s.site_revision().await.unwrap();
    s.set_comment_mode(
        &ModeScope::Story(a.id),
        Some(CommentMode::Closed),
        "user:2",
        Utc::now(),
    )
    .await
    .unwrap();
    s.set_comment_mode(
        &ModeScope::Section("world".into()),
        Some(CommentMode::Premoderated),
        "user:2",
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(s.site_revision().await.unwrap() > before);
    let modes = s.comment_modes().await.unwrap();
    assert_eq!(modes.for_story(a.id, "world"), Some(CommentMode::Closed));
    s.set_comment_mode(&ModeScope::Story(a.id), None, "user:2", Utc::now())
        .await
        .unwrap();
    let modes = s.comment_modes().await.unwrap();
    assert_eq!(
        modes.for_story(a.id, "world"),
        Some(CommentMode::Premoderated)
    );
    let log = s.moderation_log(None, 1).await.unwrap();
    assert_eq!(log[0].detail, "story closing: inherit");
}

on_both_stores!(
    a_ban_lifted_twice_is_not_found,
    a_decision_on_held_comments_logs_each_and_teaches_the_classifier,
    approving_a_flagged_comment_clears_its_flags,
    a_proposal_decided_twice_is_not_found,
    an_accepted_proposal_joins_its_story_in_the_same_transaction,
    a_story_s_comment_mode_is_set_and_cleared,
);
