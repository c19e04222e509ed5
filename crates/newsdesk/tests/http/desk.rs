//! A newsroom member in the browser: logged in through the real login form, with the session
//! cookie and the page's CSRF token.

use crate::helpers::{form_stamp, TestApp};
use newsdesk_core::Role;

pub const PASSWORD: &str = "a long enough password";

/// A signed-in member of the newsroom: their session cookie and the page's CSRF token.
pub struct Desk<'a> {
    app: &'a TestApp,
    pub cookie: String,
}

impl<'a> Desk<'a> {
    pub async fn log_in(app: &'a TestApp, email: &str, role: Role) -> Desk<'a> {
        newsdesk::services::staff::create_user(app.store.as_ref(), email, PASSWORD, role, false)
            .await
            .unwrap();
        let r = try_login(app, email, PASSWORD).await;
        assert_eq!(r.status().as_u16(), 303, "logging in");
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        Desk {
            app,
            cookie: set.split(';').next().unwrap().to_string(),
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .app
            .client
            .get(self.app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn csrf(&self) -> String {
        let (_, html) = self.get("/admin/").await;
        let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field");
        let rest = &html[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.app
            .client
            .post(self.app.url(path))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }
}

impl Desk<'_> {
    /// Sends a form with a file, as a browser sends a form with `enctype="multipart/form-data"`.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        (field, file_name, mime, bytes): (&str, &str, &str, Vec<u8>),
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_string())
            .mime_str(mime)
            .unwrap();
        form = form.part(field.to_string(), part);
        self.app
            .client
            .post(self.app.url(path))
            .header("cookie", &self.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

pub async fn try_login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let (_, page) = app.get_text("/admin/login").await;
    let stamp = form_stamp(&page);
    app.client
        .post(app.url("/admin/login"))
        .form(&[
            ("stamp", stamp.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/admin/moderation"),
        ])
        .send()
        .await
        .unwrap()
}
