//! People: deactivating an account ends its sessions and tokens at once; a token carries at
//! most its owner's role, expires and can be revoked; invitations work once; profiles are
//! found by their byline's slug.

use chrono::{Duration, Utc};
use newsdesk_core::people::AuthorProfile;
use newsdesk_core::store::SessionOrigin;
use newsdesk_core::{Role, Store, UserId};

async fn person(s: &dyn Store, email: &str, role: Role) -> UserId {
    s.create_user(email, "hash", role, false, Utc::now())
        .await
        .unwrap()
        .id
}

async fn session(s: &dyn Store, user: UserId, hash: &str) {
    let now = Utc::now();
    let origin = SessionOrigin {
        ip: "198.51.100.4".into(),
        user_agent: "Firefox on a laptop".into(),
    };
    s.create_session(hash, user, "csrf", &origin, now, now + Duration::hours(1))
        .await
        .unwrap();
}

async fn deactivating_an_account_ends_its_sessions_and_tokens_at_once(s: &dyn Store) {
    let ed = person(s, "ed@example.org", Role::Editor).await;
    session(s, ed, "aaaaaaaaaaaaaaaa-session").await;
    s.create_token("tok-ed", Role::Editor, "laptop", Some(ed), None, Utc::now())
        .await
        .unwrap();
    s.create_token("tok-system", Role::Editor, "feeds", None, None, Utc::now())
        .await
        .unwrap();
    assert!(s.find_token("tok-ed", Utc::now()).await.unwrap().is_some());
    assert!(s.deactivate(ed, Utc::now()).await.unwrap());
    assert!(s
        .find_session("aaaaaaaaaaaaaaaa-session", Utc::now())
        .await
        .unwrap()
        .is_none());
    assert!(s.find_token("tok-ed", Utc::now()).await.unwrap().is_none());
    assert!(
        s.find_token("tok-system", Utc::now())
            .await
            .unwrap()
            .is_some(),
        "others' stay"
    );
    let account = s.staff_account(ed).await.unwrap().unwrap();
    assert!(!account.active);
    // Back again, the old sessions and tokens stay ended.
    assert!(s.reactivate(ed).await.unwrap());
    assert!(s.find_token("tok-ed", Utc::now()).await.unwrap().is_none());
    session(s, ed, "bbbbbbbbbbbbbbbb-session").await;
    assert!(s
        .find_session("bbbbbbbbbbbbbbbb-session", Utc::now())
        .await
        .unwrap()
        .is_some());
}

async fn a_token_carries_at_most_its_owners_role_and_can_expire_or_be_revoked(s: &dyn Store) {
    let ana = person(s, "ana@example.org", Role::Editor).await;
    let now = Utc::now();
    let id = s
        .create_token(
            "tok-a",
            Role::Author,
            "phone",
            Some(ana),
            Some(now + Duration::days(1)),
            now,
        )
        .await
        .unwrap();
    let t = s.find_token("tok-a", now).await.unwrap().unwrap();
    assert_eq!((t.role, t.owner), (Role::Author, Some(ana)));
    assert!(t.last_used_at.is_none());
    s.touch_token(id, now).await.unwrap();
    let t = s.find_token("tok-a", now).await.unwrap().unwrap();
    assert_eq!(
        t.last_used_at.map(|t| t.timestamp_millis()),
        Some(now.timestamp_millis())
    );
    assert!(
        s.find_token("tok-a", now + Duration::days(2))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    s.set_role(ana, Role::Contributor).await.unwrap();
    assert!(
        s.find_token("tok-a", now).await.unwrap().is_none(),
        "an author's token is refused once its owner is only a contributor"
    );
    s.set_role(ana, Role::Editor).await.unwrap();
    let other = person(s, "other@example.org", Role::Editor).await;
    assert!(
        !s.revoke_token(id, Some(other), now).await.unwrap(),
        "not theirs to revoke"
    );
    assert!(s.revoke_token(id, Some(ana), now).await.unwrap());
    assert!(
        !s.revoke_token(id, None, now).await.unwrap(),
        "revoked once"
    );
    assert!(s.find_token("tok-a", now).await.unwrap().is_none());
    let listed = s.tokens(Some(ana)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].owner_email.as_deref(), Some("ana@example.org"));
    assert!(!listed[0].live(now));
    assert_eq!(s.tokens(None).await.unwrap().len(), 1);
}

async fn an_invitation_sets_a_password_once(s: &dyn Store) {
    let new = s
        .create_user("new@example.org", "", Role::Author, false, Utc::now())
        .await
        .unwrap()
        .id;
    assert!(!s.staff_account(new).await.unwrap().unwrap().has_password);
    let now = Utc::now();
    s.create_invite("inv-1", new, now, now + Duration::days(3))
        .await
        .unwrap();
    assert_eq!(s.peek_invite("inv-1", now).await.unwrap(), Some(new));
    let (a, b) = tokio::join!(s.take_invite("inv-1", now), s.take_invite("inv-1", now));
    let taken: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(
        taken,
        vec![new],
        "a link works once, even when used twice at once"
    );
    assert_eq!(s.peek_invite("inv-1", now).await.unwrap(), None);
    s.create_invite("inv-2", new, now, now + Duration::days(3))
        .await
        .unwrap();
    assert_eq!(
        s.take_invite("inv-2", now + Duration::days(4))
            .await
            .unwrap(),
        None,
        "expired"
    );
    s.create_invite("inv-3", new, now, now + Duration::days(3))
        .await
        .unwrap();
    assert!(s.set_password(new, "new-hash", None).await.unwrap());
    assert_eq!(
        s.peek_invite("inv-3", now).await.unwrap(),
        None,
        "a password set uses up the account's other links"
    );
    assert!(s.staff_account(new).await.unwrap().unwrap().has_password);
}

async fn a_password_change_ends_every_other_session_and_sessions_end_one_by_one(s: &dyn Store) {
    let ed = person(s, "ed@example.org", Role::Editor).await;
    session(s, ed, "1111111111111111aaaa").await;
    session(s, ed, "2222222222222222bbbb").await;
    session(s, ed, "3333333333333333cccc").await;
    let listed = s.sessions_of(ed, Utc::now()).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].ip, "198.51.100.4");
    assert!(s.end_session(ed, "3333333333333333").await.unwrap());
    let other = person(s, "other@example.org", Role::Editor).await;
    assert!(
        !s.end_session(other, "2222222222222222").await.unwrap(),
        "only one's own"
    );
    assert!(!s.end_session(ed, "%").await.unwrap(), "not a pattern");
    assert!(s
        .set_password(ed, "h2", Some("1111111111111111aaaa"))
        .await
        .unwrap());
    let left = s.sessions_of(ed, Utc::now()).await.unwrap();
    assert_eq!(
        left.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec!["1111111111111111"]
    );
}

async fn a_profile_is_found_by_its_bylines_slug_and_two_factor_is_kept(s: &dyn Store) {
    let ed = person(s, "ed@example.org", Role::Editor).await;
    let p = AuthorProfile {
        name: "Cleo Park".into(),
        bio: "Covers the harbour.".into(),
        picture: "/media/0123456789abcdef0123456789abcdef.jpg".into(),
    };
    let before = s.site_revision().await.unwrap();
    assert!(s.set_profile(ed, &p, "cleo-park").await.unwrap());
    assert!(s.site_revision().await.unwrap() > before);
    assert_eq!(s.author_profile("cleo-park").await.unwrap(), Some(p));
    assert_eq!(s.author_profile("nobody").await.unwrap(), None);
    assert_eq!(s.totp_secret(ed).await.unwrap(), None);
    s.set_totp(ed, Some("JBSWY3DPEHPK3PXP")).await.unwrap();
    assert_eq!(
        s.totp_secret(ed).await.unwrap().as_deref(),
        Some("JBSWY3DPEHPK3PXP")
    );
    assert!(s.staff_account(ed).await.unwrap().unwrap().two_factor);
    assert!(s.take_totp_step(ed, 59_000_001).await.unwrap());
    assert!(
        !s.take_totp_step(ed, 59_000_001).await.unwrap(),
        "a code is taken once"
    );
    assert!(
        !s.take_totp_step(ed, 59_000_000).await.unwrap(),
        "nor an older one"
    );
    assert!(s.take_totp_step(ed, 59_000_002).await.unwrap());
    assert_eq!(s.staff_accounts().await.unwrap().len(), 1);
}

on_both_stores!(
    deactivating_an_account_ends_its_sessions_and_tokens_at_once,
    a_token_carries_at_most_its_owners_role_and_can_expire_or_be_revoked,
    an_invitation_sets_a_password_once,
    a_password_change_ends_every_other_session_and_sessions_end_one_by_one,
    a_profile_is_found_by_its_bylines_slug_and_two_factor_is_kept,
);
