//! Turning rows into domain values, and dynamic parameter lists.

use crate::internal;
use chrono::{DateTime, TimeZone, Utc};
use newsdesk_core::comment::{Comment, CommentStatus};
use newsdesk_core::{
    Article, ArticleId, ArticleStatus, CommentId, DebateQuestion, QuestionId, ReaderId, StoreError,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The columns every article query selects, in the order `article_from_row` reads them.
pub const ARTICLE_COLUMNS: &str =
    "id, slug, headline, standfirst, body, section, tags, authors, status, \
     published_at, created_at, updated_at, hero, claims, corrections, revision, \
     COALESCE((SELECT comments FROM threads WHERE threads.article_id = articles.id), 0), updated_by";

/// The columns every comment query selects, in the order `comment_from_row` reads them.
pub const COMMENT_COLUMNS: &str = "id, article_id, parent_id, root_id, depth, question_id, name, body, email, \
     notify_replies, reader_id, ip, status, reason, upvotes, downvotes, flags, created_at, edited_at, url, archive_id";

/// How many columns `COMMENT_COLUMNS` names: a query that selects more after them reads
/// those from here on.
pub const COMMENT_COLUMN_COUNT: usize = 21;

pub fn comment_from_row(row: &AnyRow) -> Result<Comment, StoreError> {
    let status: String = row.try_get(12).map_err(internal)?;
    Ok(Comment {
        id: CommentId(row.try_get(0).map_err(internal)?),
        article_id: ArticleId(row.try_get(1).map_err(internal)?),
        parent_id: row
            .try_get::<Option<i64>, _>(2)
            .map_err(internal)?
            .map(CommentId),
        root_id: CommentId(row.try_get(3).map_err(internal)?),
        depth: row.try_get(4).map_err(internal)?,
        question_id: row
            .try_get::<Option<i64>, _>(5)
            .map_err(internal)?
            .map(QuestionId),
        name: row.try_get(6).map_err(internal)?,
        body: row.try_get(7).map_err(internal)?,
        email: row.try_get(8).map_err(internal)?,
        notify_replies: row.try_get::<i64, _>(9).map_err(internal)? != 0,
        reader: ReaderId(row.try_get(10).map_err(internal)?),
        ip: row.try_get(11).map_err(internal)?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::Internal(format!("unknown comment status {status}")))?,
        reason: row.try_get(13).map_err(internal)?,
        upvotes: row.try_get(14).map_err(internal)?,
        downvotes: row.try_get(15).map_err(internal)?,
        flags: row.try_get(16).map_err(internal)?,
        created_at: time(row.try_get(17).map_err(internal)?),
        edited_at: row
            .try_get::<Option<i64>, _>(18)
            .map_err(internal)?
            .map(time),
        url: row.try_get(19).map_err(internal)?,
        archive_id: row.try_get(20).map_err(internal)?,
    })
}

/// Rows of two columns read as pairs.
pub fn pairs<A, B>(rows: &[AnyRow]) -> Result<Vec<(A, B)>, StoreError>
where
    A: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    B: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0).map_err(internal)?,
                r.try_get(1).map_err(internal)?,
            ))
        })
        .collect()
}

pub fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Internal(format!("stored {what} is not valid JSON: {e}")))
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain values always serialise")
}

pub fn article_from_row(row: &AnyRow) -> Result<Article, StoreError> {
    let get_s = |i: usize| row.try_get::<String, _>(i).map_err(internal);
    let status: String = get_s(8)?;
    let hero: Option<String> = row.try_get(12).map_err(internal)?;
    Ok(Article {
        id: ArticleId(row.try_get(0).map_err(internal)?),
        slug: get_s(1)?,
        headline: get_s(2)?,
        standfirst: get_s(3)?,
        body: get_s(4)?,
        section: get_s(5)?,
        tags: json(&get_s(6)?, "tags")?,
        authors: json(&get_s(7)?, "authors")?,
        status: ArticleStatus::parse(&status)
            .ok_or_else(|| StoreError::Internal(format!("unknown stored status {status}")))?,
        published_at: row
            .try_get::<Option<i64>, _>(9)
            .map_err(internal)?
            .map(time),
        created_at: time(row.try_get(10).map_err(internal)?),
        updated_at: time(row.try_get(11).map_err(internal)?),
        hero: hero.as_deref().map(|h| json(h, "hero")).transpose()?,
        claims: json(&get_s(13)?, "claims")?,
        corrections: json(&get_s(14)?, "corrections")?,
        revision: row.try_get(15).map_err(internal)?,
        comment_count: row.try_get(16).map_err(internal)?,
        updated_by: get_s(17)?,
        debate: Vec::new(),
    })
}

/// LIKE's wildcards in `s` taken literally (with `ESCAPE '\'`).
pub fn like_escaped(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A value bound into a query built at run time.
#[derive(Debug, Clone)]
pub enum Param {
    Text(String),
    Int(i64),
    /// A NULL of each type: PostgreSQL checks a parameter's type against its column's.
    NullText,
    NullInt,
}

/// Collects parameters and hands out their `$N` placeholders.
#[derive(Default)]
pub struct Params(pub Vec<Param>);

impl Params {
    pub fn push(&mut self, p: Param) -> String {
        self.0.push(p);
        format!("${}", self.0.len())
    }

    pub fn list<'a>(&mut self, items: impl IntoIterator<Item = &'a String>) -> String {
        items
            .into_iter()
            .map(|s| self.push(Param::Text(s.clone())))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for p in &self.0 {
            q = match p {
                Param::Text(s) => q.bind(s.as_str()),
                Param::Int(i) => q.bind(*i),
                Param::NullText => q.bind(None::<String>),
                Param::NullInt => q.bind(None::<i64>),
            };
        }
        q
    }
}

pub fn debate_from_row(row: &AnyRow) -> Result<(i64, DebateQuestion), StoreError> {
    Ok((
        row.try_get(0).map_err(internal)?,
        DebateQuestion {
            id: row.try_get(1).map_err(internal)?,
            text: row.try_get(2).map_err(internal)?,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comment_column_count_is_the_number_of_comment_columns() {
        assert_eq!(COMMENT_COLUMNS.split(',').count(), COMMENT_COLUMN_COUNT);
    }
}
