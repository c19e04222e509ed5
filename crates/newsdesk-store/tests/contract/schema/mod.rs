//! The two migration trees define one schema: both are migrated, each database is read back
//! from its own catalogue, and the two descriptions must match fact for fact.
//!
//! A schema is described as sorted lines, one fact each (a table, a column, a key, a
//! constraint, an index), in a vocabulary both databases map to. What legitimately differs
//! is normalised:
//! - column types fall into integer / text / real / bool / timestamp / bytes;
//! - an id the database assigns (SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`, PostgreSQL's
//!   identity column) is `generated`; a SQLite rowid alias without AUTOINCREMENT, which may
//!   hand out an id again, is `generated, reused` and so differs;
//! - primary-key columns are NOT NULL: SQLite lets NULL into a primary key that is not a rowid
//!   alias (a legacy quirk), PostgreSQL does not; no code writes NULL there;
//! - SQLite's automatic indexes are not compared as indexes: the PRIMARY KEY and UNIQUE
//!   constraints behind them are, as PostgreSQL's constraints are;
//! - CHECK expressions, defaults and partial-index conditions are compared as normalised text,
//!   not parsed: lower case outside quotes, casts such as `::text` dropped, parentheses dropped
//!   (so `(a AND b) OR c` and `a AND (b OR c)` would compare equal), spaces collapsed.
//! - sqlx's `_sqlx_migrations` table is left out.

mod normal;
mod postgres;
mod sqlite;

use crate::helpers::{Backend, TestDb};
use normal::{checks, normal, sql_type};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_trees_define_the_same_tables_columns_keys_constraints_and_indexes() {
    let sqlite = TestDb::open(Backend::Sqlite).await;
    let postgres = TestDb::open(Backend::Postgres).await;
    let lite = sqlite::schema(&sqlite.url).await;
    let pg = postgres::schema(&postgres.url).await;
    assert!(
        lite.iter().any(|l| l.starts_with("index comments_held")),
        "the reading found the schema: {lite:#?}"
    );
    let only_lite: Vec<&String> = lite.difference(&pg).collect();
    let only_pg: Vec<&String> = pg.difference(&lite).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "the migration trees have drifted apart.\n\
         only in migrations/sqlite:\n  {}\n\
         only in migrations/postgres:\n  {}",
        lines(&only_lite),
        lines(&only_pg),
    );
    sqlite.store.close().await;
    postgres.store.close().await;
}

#[test]
fn the_normal_form_hides_syntax_and_keeps_meaning() {
    assert_eq!(normal("(status = 'held'::text)"), "status = 'held'");
    assert_eq!(normal("CHECK ((id = 1))"), "check id = 1");
    assert_eq!(normal("status  =  'Held'"), "status = 'Held'");
    assert_eq!(
        normal("(kind = 'a'::character varying AND n > 0)"),
        "kind = 'a' and n > 0"
    );
    assert_ne!(normal("flags > 0"), normal("flags >= 0"));
    assert_eq!(sql_type("BIGINT"), "integer");
    assert_eq!(sql_type("character varying"), "text");
    assert_eq!(
        checks(
            "CREATE TABLE t (id BIGINT CHECK (id = 1), -- check (no)\n x TEXT CHECK (x <> '('))"
        ),
        vec!["id = 1".to_string(), "x <> '('".to_string()]
    );
}

fn lines(facts: &[&String]) -> String {
    if facts.is_empty() {
        return "(nothing)".into();
    }
    facts
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join("\n  ")
}
