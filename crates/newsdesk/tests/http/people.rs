//! People: an admin invites someone by email and the link sets a password once; deactivating
//! an editor stops their token and session at once on every node; tokens carry at most their
//! owner's role; a stranger's wrong passwords do not lock an editor out from their own address;
//! two-factor sign-in; and the audit log holds each of these.

use crate::desk::{try_login, Desk, PASSWORD};
use crate::helpers::{story, Backend, SmtpSink, TestApp};
use newsdesk_core::Role;

/// The value of the input with `id` in a page.
fn input_value(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

async fn login_from(app: &TestApp, email: &str, password: &str, ip: &str) -> reqwest::Response {
    let (_, page) = app.get_text("/admin/login").await;
    let stamp = crate::helpers::form_stamp(&page);
    app.client
        .post(app.url("/admin/login"))
        .header("x-forwarded-for", ip)
        .form(&[
            ("stamp", stamp.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/admin/"),
        ])
        .send()
        .await
        .unwrap()
}

async fn an_invitation_email_sets_a_password_once_and_the_audit_log_holds_it(backend: Backend) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_with(backend, |c| c.smtp_url = Some(url)).await;
    let admin = Desk::log_in(&app, "chief@example.org", Role::Admin).await;
    let csrf = admin.csrf().await;
    let r = admin
        .post(
            "/admin/people",
            &[
                ("csrf", &csrf),
                ("email", "new.writer@example.org"),
                ("role", "author"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let again = admin
        .post(
            "/admin/people",
            &[
                ("csrf", &csrf),
                ("email", "new.writer@example.org"),
                ("role", "author"),
            ],
        )
        .await;
    assert_eq!(
        again.status().as_u16(),
        422,
        "an address with an account is not invited over it"
    );
    let id = app
        .store
        .staff_accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.user.email == "new.writer@example.org")
        .unwrap()
        .user
        .id
        .0;
    let r = admin
        .post(&format!("/admin/people/{id}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let mails = sink.wait_for(2).await;
    let link = |m: &str| {
        let m = m.replace("=\n", "").replace("=3D", "=");
        assert!(m.contains("To: new.writer@example.org"), "{m}");
        let at = m
            .find("/admin/welcome?token=")
            .expect("a link in the email");
        m[at + 21..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect::<String>()
    };
    let token = link(&mails[0]);
    let second = link(&mails[1]);
    assert_eq!(token.len(), 64);
    assert_ne!(token, second);

    // Not yet able to sign in: the account has no password.
    let r = try_login(&app, "new.writer@example.org", "").await;
    assert_eq!(r.status().as_u16(), 401);

    let (status, page) = app.get_text(&format!("/admin/welcome?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("new.writer@example.org"));
    let set = |password: &'static str, again: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            app.client
                .post(app.url("/admin/welcome"))
                .form(&[
                    ("token", token.as_str()),
                    ("password", password),
                    ("again", again),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = set("a long new password", "a long new passwore").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("must be the same password typed again"));
    let r = set("a long new password", "a long new password").await;
    assert_eq!(r.status().as_u16(), 303);
    let r = set("another long password", "another long password").await;
    assert_eq!(r.status().as_u16(), 410, "the link works once");
    let r = app
        .client
        .post(app.url("/admin/welcome"))
        .form(&[
            ("token", second.as_str()),
            ("password", "taken over, I hope"),
            ("again", "taken over, I hope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        410,
        "a password set uses up every other link too"
    );
    let r = admin
        .post(&format!("/admin/people/{id}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        r.status().as_u16(),
        422,
        "no new link for an account with a password"
    );
    let r = try_login(&app, "new.writer@example.org", "a long new password").await;
    assert_eq!(r.status().as_u16(), 303);

    let (status, log) = admin.get("/admin/audit?who=new.writer").await;
    assert_eq!(status, 200);
    for line in [
        "account.password_set",
        "session.signed_in",
        "session.sign_in_failed",
    ] {
        assert!(log.contains(line), "{line} missing from {log}");
    }
    let (_, log) = admin.get("/admin/audit?action=account.invited").await;
    assert!(log.contains("user:chief@example.org") && log.contains("new.writer@example.org"));
    let editor = Desk::log_in(&app, "plain.editor@example.org", Role::Editor).await;
    assert_eq!(
        editor.get("/admin/audit").await.0,
        403,
        "the log is for admins"
    );
    assert_eq!(editor.get("/admin/people").await.0, 403);
}

async fn a_deactivated_editors_token_and_session_are_refused_at_once_on_both_nodes(app: TestApp) {
    let other = app.another_node().await;
    app.create(story("Budget talks resume")).await;
    let ed = Desk::log_in(&app, "ed@example.org", Role::Editor).await;
    let csrf = ed.csrf().await;
    let r = ed
        .post(
            "/admin/account/tokens",
            &[
                ("csrf", &csrf),
                ("label", "my script"),
                ("role", "admin"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        422,
        "a token carries at most its owner's role"
    );
    let r = ed
        .post(
            "/admin/account/tokens",
            &[
                ("csrf", &csrf),
                ("label", "my script"),
                ("role", "editor"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let token = input_value(&r.text().await.unwrap(), "new-token");
    let read = |node: &TestApp| {
        node.client
            .get(node.url("/api/v1/articles/budget-talks-resume/revisions"))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(read(&app).await.unwrap().status().as_u16(), 200);
    assert_eq!(read(&other).await.unwrap().status().as_u16(), 200);
    let (_, account) = ed.get("/admin/account").await;
    assert!(
        account.contains("my script"),
        "the token is listed with when it was last used"
    );

    let admin = Desk::log_in(&app, "chief@example.org", Role::Admin).await;
    let acsrf = admin.csrf().await;
    let ed_id = app
        .store
        .find_user_by_email("ed@example.org")
        .await
        .unwrap()
        .unwrap()
        .0
        .id
        .0;
    let r = admin
        .post(
            &format!("/admin/people/{ed_id}/deactivate"),
            &[("csrf", &acsrf)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(read(&app).await.unwrap().status().as_u16(), 401);
    assert_eq!(
        read(&other).await.unwrap().status().as_u16(),
        401,
        "the second node refuses it too"
    );
    let session = |node: &TestApp| {
        node.client
            .get(node.url("/admin/account"))
            .header("cookie", &ed.cookie)
            .send()
    };
    assert_eq!(
        session(&app).await.unwrap().status().as_u16(),
        303,
        "sent to log in"
    );
    assert_eq!(session(&other).await.unwrap().status().as_u16(), 303);
    assert_eq!(
        try_login(&app, "ed@example.org", PASSWORD)
            .await
            .status()
            .as_u16(),
        401
    );
    let (_, log) = admin.get("/admin/audit").await;
    for line in ["account.deactivated", "token.created"] {
        assert!(log.contains(line), "{line} missing");
    }
}

async fn a_strangers_wrong_passwords_do_not_lock_an_editor_out_of_their_own_address(
    backend: Backend,
) {
    let app = TestApp::spawn_with(backend, |c| c.trust_proxy = true).await;
    Desk::log_in(&app, "ed@example.org", Role::Editor).await;
    let mut refused = 0;
    for _ in 0..12 {
        let r = login_from(&app, "ed@example.org", "not the password", "203.0.113.66").await;
        if r.status().as_u16() == 429 {
            refused += 1;
        }
    }
    assert!(
        refused >= 8,
        "the stranger is slowed down ({refused} of 12 refused)"
    );
    let r = login_from(&app, "ed@example.org", PASSWORD, "198.51.100.20").await;
    assert_eq!(
        r.status().as_u16(),
        303,
        "the editor signs in from their own address"
    );

    // Guesses sent all at once are counted one by one: only a few reach the password check.
    let guesses = (0..16).map(|_| login_from(&app, "ed@example.org", "guess", "192.0.2.99"));
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers
        .iter()
        .filter(|r| r.status().as_u16() == 401)
        .count();
    assert!(
        checked <= 3,
        "{checked} of 16 parallel guesses were checked"
    );
}

async fn two_factor_sign_in_asks_for_the_apps_code(app: TestApp) {
    let ed = Desk::log_in(&app, "ed@example.org", Role::Editor).await;
    let csrf = ed.csrf().await;
    let r = ed
        .post("/admin/account/two-factor", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("data:image/png;base64,"), "a QR code to scan");
    let hidden = |page: &str, name: &str| {
        let key = format!("name=\"{name}\" value=\"");
        let at = page.find(&key).unwrap() + key.len();
        page[at..at + page[at..].find('"').unwrap()].to_string()
    };
    let (secret, seal) = (hidden(&page, "secret"), hidden(&page, "seal"));
    let code = |s: &str| {
        totp_rs::Builder::new()
            .with_secret(totp_rs::Secret::try_from_base32(s).unwrap())
            .with_account_name("x")
            .build()
            .unwrap()
            .generate_current()
            .to_string()
    };
    let confirm = |secret: String, seal: String, code: String| {
        let csrf = csrf.clone();
        let ed = &ed;
        async move {
            ed.post(
                "/admin/account/two-factor/confirm",
                &[
                    ("csrf", csrf.as_str()),
                    ("secret", &secret),
                    ("seal", &seal),
                    ("code", &code),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(
        confirm(secret.clone(), seal.clone(), "000000".into()).await,
        422
    );
    // A key the client chose, not the one this page showed, is refused.
    let chosen = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".to_string();
    assert_eq!(
        confirm(chosen.clone(), seal.clone(), code(&chosen)).await,
        422
    );
    assert_eq!(
        confirm(secret.clone(), seal.clone(), code(&secret)).await,
        303
    );
    // While it is on, a session alone cannot set up another key.
    let r = ed
        .post("/admin/account/two-factor", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status().as_u16(), 422, "no new key while one is on");
    assert_eq!(
        confirm(secret.clone(), seal.clone(), code(&secret)).await,
        422,
        "a second factor is not replaced while on"
    );

    let r = try_login(&app, "ed@example.org", PASSWORD).await;
    assert_eq!(
        r.status().as_u16(),
        200,
        "the password alone does not sign in"
    );
    assert!(r.headers().get("set-cookie").is_none());
    let page = r.text().await.unwrap();
    let at = page
        .find("name=\"ticket\" value=\"")
        .expect("a ticket for the code step")
        + 21;
    let ticket = page[at..at + page[at..].find('"').unwrap()].to_string();
    let send = |c: String| {
        app.client
            .post(app.url("/admin/login/code"))
            .form(&[
                ("ticket", ticket.as_str()),
                ("code", c.as_str()),
                ("next", "/admin/"),
            ])
            .send()
    };
    assert_eq!(send("123456".into()).await.unwrap().status().as_u16(), 401);
    let forged = app
        .client
        .post(app.url("/admin/login/code"))
        .form(&[
            ("ticket", format!("{}x", ticket).as_str()),
            ("code", code(&secret).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 401, "a changed ticket is refused");
    let used = code(&secret);
    let r = send(used.clone()).await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("nd_session="));
    let again = send(used).await.unwrap();
    assert_eq!(again.status().as_u16(), 401, "a code is taken once");
    assert!(again.text().await.unwrap().contains("used already"));
}

async fn a_persons_token_is_listed_with_its_last_use_and_revoked_from_their_page(app: TestApp) {
    app.create(story("Ferry timetable changes")).await;
    let ed = Desk::log_in(&app, "ed@example.org", Role::Author).await;
    let csrf = ed.csrf().await;
    let r = ed
        .post(
            "/admin/account/tokens",
            &[
                ("csrf", &csrf),
                ("label", "phone"),
                ("role", "author"),
                ("days", ""),
            ],
        )
        .await;
    let token = input_value(&r.text().await.unwrap(), "new-token");
    let ok = |t: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/api/v1/articles/ferry-timetable-changes/revisions"))
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(ok(token.clone()).await, 200);
    let mine = app.store.tokens(None).await.unwrap();
    let id = mine.iter().find(|t| t.label == "phone").unwrap().id;
    assert!(
        mine.iter()
            .find(|t| t.id == id)
            .unwrap()
            .last_used_at
            .is_some(),
        "last use is kept"
    );
    let r = ed
        .post(
            &format!("/admin/account/tokens/{id}/revoke"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(ok(token).await, 401);
}

on_both_stores!(
    a_deactivated_editors_token_and_session_are_refused_at_once_on_both_nodes,
    two_factor_sign_in_asks_for_the_apps_code,
    a_persons_token_is_listed_with_its_last_use_and_revoked_from_their_page,
);

mod by_backend {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn invitation_on_sqlite() {
        an_invitation_email_sets_a_password_once_and_the_audit_log_holds_it(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn invitation_on_postgres() {
        an_invitation_email_sets_a_password_once_and_the_audit_log_holds_it(Backend::Postgres)
            .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn lockout_on_sqlite() {
        a_strangers_wrong_passwords_do_not_lock_an_editor_out_of_their_own_address(Backend::Sqlite)
            .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn lockout_on_postgres() {
        a_strangers_wrong_passwords_do_not_lock_an_editor_out_of_their_own_address(
            Backend::Postgres,
        )
        .await;
    }
}
