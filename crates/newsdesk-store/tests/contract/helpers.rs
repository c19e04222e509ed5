//! A database of its own for each test, on either backend, and the macro that runs a test
//! on both.

use newsdesk_store::SqlStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed test on both stores, as `sqlite::NAME` and `postgres::NAME`. A test is
/// an `async fn(&dyn Store)`, so it sees the store only through the trait.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::helpers::TestDb::open(crate::helpers::Backend::Sqlite).await;
                    super::$name(&db.store).await;
                    db.store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::helpers::TestDb::open(crate::helpers::Backend::Postgres).await;
                    super::$name(&db.store).await;
                    db.store.close().await;
                }
            )*
        }
    };
}

/// A migrated store on a database no other test uses, removed when it is dropped.
pub struct TestDb {
    pub store: SqlStore,
    /// Where the database is, for reading it other than through the store.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
}

impl TestDb {
    pub async fn open(backend: Backend) -> TestDb {
        let (url, dir, pg) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("newsdesk.db").display());
                (url, Some(dir), None)
            }
            Backend::Postgres => {
                let pg = PgDatabase::create().await;
                (pg.url.clone(), None, Some(pg))
            }
        };
        let store = SqlStore::connect(&url).await.expect("the store opens");
        TestDb {
            store,
            url,
            _dir: dir,
            _pg: pg,
        }
    }
}

fn admin_postgres_url() -> String {
    std::env::var("NEWSDESK_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A PostgreSQL database of its own for one test, dropped when the test ends.
struct PgDatabase {
    name: String,
    url: String,
}

impl PgDatabase {
    async fn create() -> PgDatabase {
        use sqlx::Connection;
        let name = format!("newsdesk_test_{:016x}", rand_u64());
        let admin = admin_postgres_url();
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect(
            "PostgreSQL must run at NEWSDESK_TEST_POSTGRES (default 127.0.0.1:5432); .ci/run starts it",
        );
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
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own
        // with its own runtime removes the database.
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

fn rand_u64() -> u64 {
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
