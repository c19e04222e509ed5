//! The audit log, appended to and read newest first.

use crate::rows::{like_escaped, time, Param, Params};
use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::audit::{AuditEntry, AuditFilter, NewAuditEntry};
use newsdesk_core::store::AuditStore;
use newsdesk_core::StoreError;
use sqlx::Row;

/// Text a person typed, made safe to keep: PostgreSQL cannot hold NUL.
fn kept(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn record_audit(&self, e: &NewAuditEntry, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(millis(now))
        .bind(kept(&e.actor))
        .bind(e.action.as_str())
        .bind(kept(&e.subject))
        .bind(kept(&e.detail))
        .bind(kept(&e.ip))
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut params = Params::default();
        let mut wheres: Vec<String> = Vec::new();
        let mut contains = |column: &str, value: &Option<String>, params: &mut Params| {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty() && !has_nul(v)) {
                let p = params.push(Param::Text(format!("%{}%", like_escaped(v))));
                wheres.push(format!("{column} LIKE {p} ESCAPE '\\'"));
            }
        };
        contains("actor", &f.actor, &mut params);
        contains("subject", &f.subject, &mut params);
        if let Some(a) = f.action.as_deref().filter(|v| !v.is_empty() && !has_nul(v)) {
            let p = params.push(Param::Text(format!("{}%", like_escaped(a))));
            wheres.push(format!("action LIKE {p} ESCAPE '\\'"));
        }
        if let Some(t) = f.since {
            let p = params.push(Param::Int(millis(t)));
            wheres.push(format!("at >= {p}"));
        }
        if let Some(t) = f.until {
            let p = params.push(Param::Int(millis(t)));
            wheres.push(format!("at < {p}"));
        }
        if let Some(id) = f.before_id {
            let p = params.push(Param::Int(id));
            wheres.push(format!("id < {p}"));
        }
        let filter = if wheres.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wheres.join(" AND "))
        };
        let l = params.push(Param::Int(f.limit.clamp(1, 10_000)));
        let sql = format!(
            "SELECT id, at, actor, action, subject, detail, ip FROM audit_log {filter} \
             ORDER BY id DESC LIMIT {l}"
        );
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get(0).map_err(internal)?,
                    at: time(r.try_get(1).map_err(internal)?),
                    actor: r.try_get(2).map_err(internal)?,
                    action: r.try_get(3).map_err(internal)?,
                    subject: r.try_get(4).map_err(internal)?,
                    detail: r.try_get(5).map_err(internal)?,
                    ip: r.try_get(6).map_err(internal)?,
                })
            })
            .collect()
    }
}
