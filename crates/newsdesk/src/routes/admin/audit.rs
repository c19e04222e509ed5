//! `/admin/audit`: the audit log for admins, filtered by who, what, subject and dates, paged
//! newest first; `/admin/audit.jsonl` exports the same lines as JSON, one a line.

use super::access::Admin;
use super::frame::Frame;
use super::respond::private;
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::layout::Layout;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use newsdesk_core::audit::{AuditAction, AuditEntry, AuditFilter};
use newsdesk_core::FieldErrors;
use serde::Deserialize;

const PER_PAGE: i64 = 50;
/// The most lines one export holds; narrow the dates for more.
const EXPORT_MAX: i64 = 10_000;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditQuery {
    who: String,
    action: String,
    subject: String,
    /// From this day (YYYY-MM-DD, UTC).
    from: String,
    /// Up to and with this day.
    to: String,
    before: Option<i64>,
    done: Option<String>,
}

impl AuditQuery {
    fn filter(&self, limit: i64) -> Result<AuditFilter, AppError> {
        let mut errors = FieldErrors::default();
        let mut day = |field: &str, value: &str, next: bool| -> Option<DateTime<Utc>> {
            if value.trim().is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
                Ok(d) => {
                    let d = if next { d.succ_opt().unwrap_or(d) } else { d };
                    d.and_hms_opt(0, 0, 0).map(|t| t.and_utc())
                }
                Err(_) => {
                    errors.add(field, "must be a day written YYYY-MM-DD");
                    None
                }
            }
        };
        let since = day("from", &self.from, false);
        let until = day("to", &self.to, true);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(AuditFilter {
            actor: text(&self.who),
            action: text(&self.action),
            subject: text(&self.subject),
            since,
            until,
            before_id: self.before,
            limit,
        })
    }

    /// The filters as a query string, for the next page and the export.
    fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("who", self.who.as_str()),
                ("action", &self.action),
                ("subject", &self.subject),
                ("from", &self.from),
                ("to", &self.to),
            ])
            .finish()
    }
}

pub struct Line {
    pub iso: String,
    pub when: String,
    pub entry: AuditEntry,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    frame: Frame,
    q: AuditQuery,
    actions: Vec<&'static str>,
    lines: Vec<Line>,
    older: Option<String>,
    export: String,
}

pub async fn show(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Params(q): Params<AuditQuery>,
) -> Result<Response, AppError> {
    let filter = q.filter(PER_PAGE + 1)?;
    let mut entries = state.store.audit_entries(&filter).await?;
    let more = entries.len() as i64 > PER_PAGE;
    entries.truncate(PER_PAGE as usize);
    let older = more
        .then(|| {
            entries
                .last()
                .map(|e| format!("/admin/audit?{}&before={}", q.query_string(), e.id))
        })
        .flatten();
    let (layout, frame) = Frame::new(&state, &staff, "Audit log", "audit", q.done.clone()).await?;
    let mut actions: Vec<&'static str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    actions.sort_unstable();
    Ok(private(AuditPage {
        export: format!("/admin/audit.jsonl?{}", q.query_string()),
        lines: entries
            .into_iter()
            .map(|entry| Line {
                iso: entry.at.to_rfc3339(),
                when: entry.at.format("%-d %b %Y %H:%M:%S UTC").to_string(),
                entry,
            })
            .collect(),
        older,
        actions,
        q,
        layout,
        frame,
    }))
}

/// The lines the filters pick, newest first, as JSON lines.
pub async fn export(
    State(state): State<AppState>,
    Admin(_staff): Admin,
    Params(q): Params<AuditQuery>,
) -> Result<Response, AppError> {
    let entries = state.store.audit_entries(&q.filter(EXPORT_MAX)?).await?;
    let mut body = String::new();
    for e in &entries {
        // Line and paragraph separators stay escaped, so no reader splits one line in two.
        let line = serde_json::to_string(e)
            .map_err(anyhow::Error::from)?
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
            .replace('\u{85}', "\\u0085");
        body.push_str(&line);
        body.push('\n');
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/jsonl; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.jsonl\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}
