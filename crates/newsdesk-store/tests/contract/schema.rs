//! The two migration trees define one schema: both are migrated, each database is read back
//! from its own catalogue, and the two descriptions must match fact for fact.
//!
//! A schema is described as sorted lines, one fact each (a table, a column, a key, a
//! constraint, an index), in a vocabulary both databases map to. What legitimately differs
//! is normalised:
//! - column types fall into integer / text / real / bool / timestamp;
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

use crate::helpers::{Backend, TestDb};
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_trees_define_the_same_tables_columns_keys_constraints_and_indexes() {
    let sqlite = TestDb::open(Backend::Sqlite).await;
    let postgres = TestDb::open(Backend::Postgres).await;
    let lite = sqlite_schema(&sqlite.url).await;
    let pg = postgres_schema(&postgres.url).await;
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

/// One column, as both databases describe it.
fn column(table: &str, position: usize, name: &str, kind: &str, facts: &[&str]) -> String {
    let mut line = format!("column {table}.{position:02} {name} {kind}");
    for f in facts.iter().filter(|f| !f.is_empty()) {
        line.push_str(", ");
        line.push_str(f);
    }
    line
}

fn sql_type(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") || t == "numeric" {
        "real"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("time") || t.contains("date") {
        "timestamp"
    } else {
        "unknown type"
    }
}

/// SQL text in a form both databases' spellings of one expression share.
fn normal(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\'' => {
                out.push(c);
                while i < chars.len() {
                    out.push(chars[i]);
                    i += 1;
                    if chars[i - 1] == '\'' {
                        break;
                    }
                }
            }
            // A cast such as `::text` or `::character varying`.
            ':' if chars.get(i) == Some(&':') => {
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_')
                {
                    i += 1;
                }
                for two_words in [" varying", " precision"] {
                    let rest: String = chars[i..].iter().take(two_words.len()).collect();
                    if rest.eq_ignore_ascii_case(two_words) {
                        i += two_words.len();
                    }
                }
                out.push(' ');
            }
            '(' | ')' | '"' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// SQL with its `--` comments removed (string literals kept whole).
fn without_comments(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if !quoted && c == '-' && chars.peek() == Some(&'-') {
            for n in chars.by_ref() {
                if n == '\n' {
                    out.push('\n');
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The CHECK expressions a SQLite `CREATE TABLE` declares, normalised: SQLite keeps them
/// only in the statement's text.
fn checks(create: &str) -> Vec<String> {
    let sql = without_comments(create);
    let upper = sql.to_ascii_uppercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let start = from + at;
        from = start + 5;
        let word_before = upper[..start]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let rest = sql[from..].trim_start();
        if word_before || !rest.starts_with('(') {
            continue;
        }
        let open = sql.len() - rest.len();
        let (mut depth, mut quoted) = (0, false);
        for (i, c) in sql[open..].char_indices() {
            match c {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        found.push(normal(&sql[open + 1..open + i]));
                        from = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    found
}

#[derive(Default)]
struct ForeignKey {
    from: Vec<String>,
    to: String,
    to_columns: Vec<String>,
    rules: String,
}

fn rule(action: &str) -> String {
    action.to_ascii_lowercase()
}

async fn sqlite_schema(url: &str) -> BTreeSet<String> {
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    let mut facts = BTreeSet::new();
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for t in &tables {
        let table: String = t.get(0);
        let create: String = t.get(1);
        facts.insert(format!("table {table}"));
        let cols = sqlx::query(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for c in &cols {
            let pk: i64 = c.get(4);
            if pk > 0 {
                key.push((pk, c.get(0)));
            }
        }
        key.sort();
        let rowid_alias = key.len() == 1;
        for (i, c) in cols.iter().enumerate() {
            let name: String = c.get(0);
            let declared: String = c.get(1);
            let not_null: i64 = c.get(2);
            let default: Option<String> = c.get(3);
            let in_key = key.iter().any(|(_, k)| k == &name);
            // Only a column declared exactly INTEGER PRIMARY KEY is the rowid, assigned by
            // SQLite; AUTOINCREMENT keeps it from handing out an id again.
            let generated = if in_key && rowid_alias && declared.eq_ignore_ascii_case("integer") {
                if create.to_ascii_uppercase().contains("AUTOINCREMENT") {
                    "generated"
                } else {
                    "generated, reused"
                }
            } else {
                ""
            };
            let default = default.map(|d| format!("default {}", normal(&d)));
            facts.insert(column(
                &table,
                i + 1,
                &name,
                sql_type(&declared),
                &[
                    if not_null == 1 || in_key {
                        "not null"
                    } else {
                        ""
                    },
                    default.as_deref().unwrap_or(""),
                    generated,
                ],
            ));
        }
        let key: Vec<String> = key.into_iter().map(|(_, k)| k).collect();
        if !key.is_empty() {
            facts.insert(format!("primary key {table} ({})", key.join(", ")));
        }
        for check in checks(&create) {
            facts.insert(format!("check {table} {check}"));
        }
        let fks = sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete \
             FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        // One row per column: a key over several columns comes as several rows of one id.
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for f in &fks {
            let key = by_id.entry(f.get(0)).or_insert_with(|| ForeignKey {
                to: f.get(1),
                rules: format!(
                    "on delete {} on update {}",
                    rule(&f.get::<String, _>(5)),
                    rule(&f.get::<String, _>(4))
                ),
                ..Default::default()
            });
            key.from.push(f.get(2));
            key.to_columns
                .push(f.get::<Option<String>, _>(3).unwrap_or_default());
        }
        for key in by_id.into_values() {
            facts.insert(format!(
                "foreign key {table} ({}) references {} ({}) {}",
                key.from.join(", "),
                key.to,
                key.to_columns.join(", "),
                key.rules
            ));
        }
        let indexes = sqlx::query(
            "SELECT l.name, l.\"unique\", l.origin, m.sql FROM pragma_index_list(?1) l \
             LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for ix in &indexes {
            let name: String = ix.get(0);
            let unique: i64 = ix.get(1);
            let origin: String = ix.get(2);
            let sql: Option<String> = ix.get(3);
            let cols = sqlx::query(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let cols: Vec<String> = cols
                .iter()
                .map(|c| {
                    let col: String = c
                        .get::<Option<String>, _>(0)
                        .unwrap_or_else(|| "<expression>".into());
                    let desc: i64 = c.get(1);
                    if desc == 1 {
                        format!("{col} desc")
                    } else {
                        col
                    }
                })
                .collect();
            match origin.as_str() {
                "pk" => {}
                "u" => {
                    facts.insert(format!("unique {table} ({})", cols.join(", ")));
                }
                _ => {
                    let sql = without_comments(&sql.unwrap_or_default());
                    let upper = sql.to_ascii_uppercase();
                    let predicate = upper
                        .rfind(" WHERE ")
                        .map(|at| format!(" where {}", normal(&sql[at + 7..])))
                        .unwrap_or_default();
                    facts.insert(format!(
                        "index {name} on {table} ({}){}{predicate}",
                        cols.join(", "),
                        if unique == 1 { " unique" } else { "" }
                    ));
                }
            }
        }
    }
    conn.close().await.unwrap();
    facts
}

/// PostgreSQL's letters for a foreign key's action.
fn pg_rule(letter: &str) -> String {
    match letter {
        "a" => "no action",
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        _ => "unknown",
    }
    .into()
}

async fn postgres_schema(url: &str) -> BTreeSet<String> {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let mut facts = BTreeSet::new();
    let tables = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for t in &tables {
        let table: String = t.get(0);
        facts.insert(format!("table {table}"));
        let cols = sqlx::query(
            "SELECT column_name::text, data_type::text, is_nullable::text, column_default::text, \
             is_identity::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for (i, c) in cols.iter().enumerate() {
            let name: String = c.get(0);
            let kind: String = c.get(1);
            let nullable: String = c.get(2);
            let default: Option<String> = c.get(3);
            let identity: String = c.get(4);
            let default = default.map(|d| format!("default {}", normal(&d)));
            facts.insert(column(
                &table,
                i + 1,
                &name,
                sql_type(&kind),
                &[
                    if nullable == "NO" { "not null" } else { "" },
                    default.as_deref().unwrap_or(""),
                    if identity == "YES" { "generated" } else { "" },
                ],
            ));
        }
    }
    let constraints = sqlx::query(
        "SELECT t.relname::text, c.contype::text, \
           (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) \
              FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) \
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), \
           (SELECT relname::text FROM pg_class WHERE oid = c.confrelid), \
           (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) \
              FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord) \
              JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum), \
           c.confdeltype::text, c.confupdtype::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for c in &constraints {
        let table: String = c.get(0);
        let kind: String = c.get(1);
        let cols: Option<String> = c.get(2);
        let cols = cols.unwrap_or_default();
        match kind.as_str() {
            "p" => {
                facts.insert(format!("primary key {table} ({cols})"));
            }
            "u" => {
                facts.insert(format!("unique {table} ({cols})"));
            }
            "f" => {
                let to: String = c.get(3);
                let to_cols: String = c.get(4);
                facts.insert(format!(
                    "foreign key {table} ({cols}) references {to} ({to_cols}) \
                     on delete {} on update {}",
                    pg_rule(&c.get::<String, _>(5)),
                    pg_rule(&c.get::<String, _>(6)),
                ));
            }
            "c" => {
                let def: String = c.get(7);
                let expr = normal(&def);
                let expr = expr.strip_prefix("check ").unwrap_or(&expr);
                facts.insert(format!("check {table} {expr}"));
            }
            other => {
                facts.insert(format!("constraint of kind {other} on {table}"));
            }
        }
    }
    let indexes = sqlx::query(
        "SELECT i.relname::text, t.relname::text, ix.indisunique, \
           pg_get_expr(ix.indpred, ix.indrelid), \
           (SELECT string_agg(pg_get_indexdef(ix.indexrelid, k.ord, true) \
              || CASE WHEN pg_index_column_has_property(ix.indexrelid, k.ord, 'desc') \
                 THEN ' desc' ELSE '' END, ', ' ORDER BY k.ord) \
              FROM generate_series(1, ix.indnkeyatts::int) k(ord)) \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid \
                         AND c.conrelid = ix.indrelid AND c.contype IN ('p', 'u'))",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for ix in &indexes {
        let name: String = ix.get(0);
        let table: String = ix.get(1);
        let unique: bool = ix.get(2);
        let predicate: Option<String> = ix.get(3);
        let cols: String = ix.get(4);
        // pg_get_indexdef quotes names that are keywords (`"position"`); SQLite does not.
        let cols = cols.replace('"', "");
        facts.insert(format!(
            "index {name} on {table} ({cols}){}{}",
            if unique { " unique" } else { "" },
            predicate
                .map(|p| format!(" where {}", normal(&p)))
                .unwrap_or_default()
        ));
    }
    conn.close().await.unwrap();
    facts
}
