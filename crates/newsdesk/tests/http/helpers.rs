//! `TestApp`: a real newsdesk server on a free port with a fresh database of its own.

use newsdesk::ServeConfig;
use newsdesk_core::{ReaderId, Role, Store};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed test on both stores, as `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::helpers::TestApp::spawn(crate::helpers::Backend::Postgres).await).await;
                }
            )*
        }
    };
}

pub fn admin_postgres_url() -> String {
    std::env::var("NEWSDESK_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database of its own for one test, dropped when the test ends.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        use sqlx::Connection;
        let name = format!("newsdesk_test_{:016x}", rand_u64());
        let admin = admin_postgres_url();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("PostgreSQL must run at NEWSDESK_TEST_POSTGRES (default 127.0.0.1:5432); .ci/run starts it");
        sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .unwrap_or(admin.clone());
        PgDatabase {
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_postgres_url()).await {
                    let _ = sqlx::Executor::execute(
                        &mut conn,
                        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                    )
                    .await;
                }
            });
        })
        .join();
    }
}

pub fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
    pub editor: String,
    _pg: Option<PgDatabase>,
    /// Where this node's database is: a PostgreSQL URL, or SQLite in `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServeConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("data"));
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PgDatabase::create().await),
        };
        config.database_url = pg.as_ref().map(|p| p.url.clone());
        // Most tests post faster than a person could; the tests of these guards turn them on.
        config.comment_min_seconds = 0;
        config.comments_per_minute = 0;
        // A thousand readers at once come from one address here.
        config.connections_per_address = 0;
        config.new_readers_per_hour = 0;
        // So a test can send readers from several addresses (`Reader::from`).
        config.trust_proxy = true;
        tweak(&mut config);
        let database_url = config.database_url.clone();
        let data_dir = config.data_dir.clone();
        let app = newsdesk::Application::build(config)
            .await
            .expect("the server builds");
        let port = app.port();
        let store = app.store();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        let editor = newsdesk::services::tokens::issue_token(store.as_ref(), Role::Editor, "tests")
            .await
            .unwrap();
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            store,
            _dir: dir,
            editor,
            _pg: pg,
            database_url,
            data_dir,
            _shutdown: tx,
        }
    }

    /// Another app node on this node's database: on PostgreSQL with a data folder of its own,
    /// on SQLite in the same folder (whose search index it then keeps in memory).
    pub async fn another_node(&self) -> TestApp {
        self.another_node_with(|_| {}).await
    }

    /// The same, with its configuration changed by `tweak`.
    pub async fn another_node_with(&self, tweak: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let url = self.database_url.clone();
        let shared_dir = self.data_dir.clone();
        let mut node = Self::spawn_with(Backend::Sqlite, move |c| {
            match url {
                Some(url) => c.database_url = Some(url),
                None => c.data_dir = shared_dir,
            }
            tweak(c)
        })
        .await;
        node.database_url = self.database_url.clone();
        node
    }

    /// The kind of database this node runs on.
    pub fn backend(&self) -> Backend {
        if self.database_url.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn token(&self, role: Role) -> String {
        newsdesk::services::tokens::issue_token(self.store.as_ref(), role, "tests")
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn get_json(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> (u16, Value) {
        let mut req = self.client.request(method, self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Creates a story as an editor and returns its JSON; panics unless it answers 201.
    pub async fn create(&self, body: Value) -> Value {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/v1/articles",
                Some(&self.editor),
                &body,
            )
            .await;
        assert_eq!(status, 201, "creating {body} answered {json}");
        json
    }

    /// Waits until `path` keeps one ETag for a second (several passes of the discovery
    /// indexes, whose "more like this" and lists follow a write a tick later), so a test that
    /// compares answers compares the same page; panics if it never settles.
    pub async fn settled(&self, path: &str) {
        let tag = |r: &reqwest::Response| r.headers().get("etag").cloned();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut last = tag(&self.get(path).await);
        let mut same = 0;
        while same < 4 {
            assert!(
                std::time::Instant::now() < deadline,
                "{path} kept changing for a minute"
            );
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            let now = tag(&self.get(path).await);
            same = if now == last { same + 1 } else { 0 };
            last = now;
        }
    }

    pub async fn count_articles(&self) -> i64 {
        let (_, all) = self
            .get_json("/api/v1/articles?per_page=1", Some(&self.editor))
            .await;
        all["total"].as_i64().unwrap()
    }
}

/// A complete, valid published story.
pub fn story(headline: &str) -> Value {
    json!({
        "headline": headline,
        "standfirst": "A short summary that sells the story.",
        "body": "The council said the harbour bridge would close for six weeks.\n\nTraders fear the worst.",
        "section": "city",
        "tags": ["transport", "harbour"],
        "authors": ["Maya Okafor"],
        "status": "published"
    })
}

/// A port nothing listens on now, for a server a test starts itself.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A reader's browser, as far as the debate needs one: it keeps the reader cookie it is given.
pub struct Reader<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    /// Where the reader's requests come from, as a trusted proxy says (`X-Forwarded-For`).
    pub address: Option<String>,
}

impl<'a> Reader<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Reader {
            app,
            cookie: None,
            address: None,
        }
    }

    /// A reader whose requests come from `address`.
    pub fn from(app: &'a TestApp, address: &str) -> Self {
        Reader {
            app,
            cookie: None,
            address: Some(address.to_string()),
        }
    }

    fn keep_cookie(&mut self, r: &reqwest::Response) {
        if let Some(c) = r.headers().get("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = Some(pair);
        }
    }

    fn with_cookie(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let req = match &self.address {
            Some(a) => req.header("x-forwarded-for", a),
            None => req,
        };
        match &self.cookie {
            Some(c) => req.header("cookie", c),
            None => req,
        }
    }

    pub async fn send_json(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (u16, Value) {
        let req = self
            .app
            .client
            .request(method, self.app.url(path))
            .json(body);
        let r = self.with_cookie(req).send().await.unwrap();
        self.keep_cookie(&r);
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_json(&mut self, path: &str, body: &Value) -> (u16, Value) {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self
            .with_cookie(self.app.client.get(self.app.url(path)))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form as a browser without script does; answers the response.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let req = self.app.client.post(self.app.url(path)).form(fields);
        let r = self.with_cookie(req).send().await.unwrap();
        self.keep_cookie(&r);
        r
    }

    /// The stamp this reader's forms on a page carry: the page's own (a page made for them),
    /// or, on a page every reader shares, the one its script asks for at `/stamp`.
    pub async fn stamp(&mut self, path: &str) -> String {
        let (_, html) = self.get_text(path).await;
        let on_page = form_stamp(&html);
        if !on_page.is_empty() {
            return on_page;
        }
        self.api_stamp().await
    }

    /// A stamp made for this reader at `POST /stamp` (which gives a new reader its cookie).
    pub async fn api_stamp(&mut self) -> String {
        let req = self.app.client.post(self.app.url("/stamp"));
        let r = self.with_cookie(req).send().await.unwrap();
        assert_eq!(r.status(), 200, "POST /stamp");
        self.keep_cookie(&r);
        let body: Value = r.json().await.unwrap();
        body["stamp"].as_str().unwrap().to_string()
    }

    /// A report, vote or poll answer over the API, as a reader's app sends one: with a fresh
    /// stamp of this reader's in the body.
    pub async fn post_counted(&mut self, path: &str, body: &Value) -> (u16, Value) {
        let mut body = body.clone();
        body["stamp"] = Value::String(self.api_stamp().await);
        self.post_json(path, &body).await
    }

    /// The reader's id, as their cookie names it.
    pub fn id(&self) -> ReaderId {
        let cookie = self.cookie.as_deref().expect("the reader has a cookie");
        // A signed value ends with the value itself, 32 hex digits.
        ReaderId(cookie[cookie.len() - 32..].to_string())
    }
}

/// The first form stamp in a page.
pub fn form_stamp(html: &str) -> String {
    let at = html
        .find("name=\"stamp\" value=\"")
        .expect("the page has a form stamp");
    let rest = &html[at + "name=\"stamp\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A comment as the API takes it.
pub fn comment(name: &str, body: &str) -> Value {
    json!({ "name": name, "body": body })
}

/// A small SMTP server that keeps every message it is given: the real protocol over TCP, so
/// the app's mail client is tested against a server, not a mock of itself.
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 sink ESMTP ready\r\n").await.ok();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "DATA" => {
                                write.write_all(b"354 end with a dot\r\n").await.ok();
                                let mut message = String::new();
                                while let Ok(Some(l)) = lines.next_line().await {
                                    if l == "." {
                                        break;
                                    }
                                    message.push_str(l.strip_prefix('.').unwrap_or(&l));
                                    message.push('\n');
                                }
                                kept.lock().unwrap().push(message);
                                b"250 queued\r\n"
                            }
                            "QUIT" => {
                                write.write_all(b"221 bye\r\n").await.ok();
                                break;
                            }
                            _ => b"502 not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        SmtpSink { port, messages }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }

    /// Waits (up to ten seconds) until `n` messages have arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "expected {n} emails, the SMTP server got {}",
            self.messages().len()
        );
    }
}
