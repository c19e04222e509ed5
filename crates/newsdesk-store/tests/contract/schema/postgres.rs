//! Reading a migrated PostgreSQL database's schema back from information_schema and
//! pg_catalog.

use super::normal::{column, normal, sql_type};
use sqlx::{Connection, Row};
use std::collections::BTreeSet;

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

pub async fn schema(url: &str) -> BTreeSet<String> {
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
