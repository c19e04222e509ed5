//! Reading a migrated SQLite database's schema back from its catalogue and pragmas.

use super::normal::{checks, column, normal, sql_type, without_comments};
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet};

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

pub async fn schema(url: &str) -> BTreeSet<String> {
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
