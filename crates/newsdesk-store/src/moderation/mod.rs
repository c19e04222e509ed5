//! What moderators see and do: the queue and its actions, bans, comment modes, the
//! moderation log, reader proposals, and the spam classifier's counts.

mod record;

use crate::debate::recount;
use crate::rows::{comment_from_row, time, COMMENT_COLUMNS, COMMENT_COLUMN_COUNT};
use crate::site::bump_revision;
use crate::stories::write::update_in;
use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::classifier::SpamModel;
use newsdesk_core::comment::Comment;
use newsdesk_core::moderation::{
    Ban, BanKind, LogEntry, ModAction, ModeScope, ModeTable, NewBan, Proposal, QueueFilter,
    QueueItem, QueueKind,
};
use newsdesk_core::screen::CommentMode;
use newsdesk_core::store::{ModerationStore, StoryChange};
use newsdesk_core::{ArticleId, CommentId, StoreError};
pub(crate) use record::log;
use record::teach;
use sqlx::Row;

#[async_trait]
impl ModerationStore for SqlStore {
    async fn moderation_queue(&self, f: &QueueFilter) -> Result<(Vec<QueueItem>, i64), StoreError> {
        if f.reason.as_deref().is_some_and(has_nul) {
            return Ok((Vec::new(), 0));
        }
        let (condition, order) = match f.kind {
            QueueKind::Held => ("c.status = 'held'", "c.id ASC"),
            QueueKind::Flagged => (
                "c.status = 'published' AND c.flags > 0",
                "c.flags DESC, c.id ASC",
            ),
            QueueKind::Spam => ("c.status = 'spam'", "c.id DESC"),
        };
        let mut sql =
            format!("FROM comments c JOIN articles a ON a.id = c.article_id WHERE {condition}");
        if f.article.is_some() {
            sql.push_str(" AND c.article_id = $1");
        }
        if f.reason.is_some() {
            sql.push_str(" AND LOWER(c.reason) LIKE $2 ESCAPE '\\'");
        }
        let article = f.article.map(|a| a.0).unwrap_or(0);
        let reason = f.reason.as_deref().map(|r| {
            let escaped = r
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        // Both parameters are always bound so the numbering stays fixed; an unused one is ignored
        // by the condition `$N = $N`.
        let keep = " AND $1 = $1 AND $2 = $2";
        let total: i64 = sqlx::query(&format!("SELECT COUNT(*) {sql}{keep}"))
            .bind(article)
            .bind(reason.clone().unwrap_or_default())
            .fetch_one(&self.write)
            .await
            .map_err(internal)?
            .try_get(0)
            .map_err(internal)?;
        let columns = COMMENT_COLUMNS
            .split(", ")
            .map(|c| format!("c.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {columns}, a.slug, a.headline {sql}{keep} ORDER BY {order} LIMIT $3 OFFSET $4"
        ))
        .bind(article)
        .bind(reason.unwrap_or_default())
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(&self.write)
        .await
        .map_err(internal)?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(QueueItem {
                    comment: comment_from_row(r)?,
                    article_slug: r.try_get(COMMENT_COLUMN_COUNT).map_err(internal)?,
                    article_headline: r.try_get(COMMENT_COLUMN_COUNT + 1).map_err(internal)?,
                    reports: Vec::new(),
                    parent: None,
                })
            })
            .collect::<Result<Vec<QueueItem>, StoreError>>()?;
        let mut items = items;
        if !items.is_empty() {
            let ids = items
                .iter()
                .map(|i| i.comment.id.0.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let rows = sqlx::query(&format!(
                "SELECT comment_id, reason FROM comment_flags WHERE comment_id IN ({ids}) AND reason <> '' \
                 ORDER BY created_at"
            ))
            .fetch_all(&self.write)
            .await
            .map_err(internal)?;
            for r in &rows {
                let id: i64 = r.try_get(0).map_err(internal)?;
                if let Some(item) = items.iter_mut().find(|i| i.comment.id.0 == id) {
                    item.reports.push(r.try_get(1).map_err(internal)?);
                }
            }
            let parents: Vec<String> = items
                .iter()
                .filter_map(|i| i.comment.parent_id)
                .map(|p| p.0.to_string())
                .collect();
            if !parents.is_empty() {
                let rows = sqlx::query(&format!(
                    "SELECT {COMMENT_COLUMNS} FROM comments WHERE id IN ({})",
                    parents.join(", ")
                ))
                .fetch_all(&self.write)
                .await
                .map_err(internal)?;
                for r in &rows {
                    let parent = comment_from_row(r)?;
                    for item in items
                        .iter_mut()
                        .filter(|i| i.comment.parent_id == Some(parent.id))
                    {
                        item.parent = Some(parent.clone());
                    }
                }
            }
        }
        Ok((items, total))
    }

    async fn moderate(
        &self,
        ids: &[CommentId],
        action: ModAction,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Comment>, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let mut changed = Vec::new();
        let mut articles: Vec<ArticleId> = Vec::new();
        for id in ids {
            let row = sqlx::query(&format!(
                "SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1"
            ))
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
            let Some(row) = row else { continue };
            let mut c = comment_from_row(&row)?;
            // Approval clears the reason; an action without one keeps the reason already there.
            let kept_reason = match action {
                ModAction::Approve => String::new(),
                _ if reason.is_empty() => c.reason.clone(),
                _ => reason.to_string(),
            };
            // Approving a flagged comment clears its flags, so it leaves the flagged list and only
            // new reports weigh toward hiding it again.
            sqlx::query(
                "UPDATE comments SET status = $1, reason = $2, \
                 flags = CASE WHEN $1 = 'published' THEN 0 ELSE flags END, \
                 flag_weight = CASE WHEN $1 = 'published' THEN 0 ELSE flag_weight END WHERE id = $3",
            )
            .bind(action.status().as_str())
            .bind(&kept_reason)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            log(&mut tx, actor, action.as_str(), Some(*id), reason, now).await?;
            teach(
                &mut tx,
                &format!("{}\n{}", c.name, c.body),
                action != ModAction::Approve,
            )
            .await?;
            c.status = action.status();
            c.reason = kept_reason;
            if !articles.contains(&c.article_id) {
                articles.push(c.article_id);
            }
            changed.push(c);
        }
        for a in articles {
            recount(&mut tx, a, now).await?;
        }
        tx.commit().await.map_err(internal)?;
        Ok(changed)
    }

    async fn add_ban(&self, ban: &NewBan, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let value = ban.normalised().map_err(StoreError::Internal)?;
        let mut tx = self.write.begin().await.map_err(internal)?;
        let id: i64 = sqlx::query(
            "INSERT INTO bans (kind, value, reason, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(ban.kind.as_str())
        .bind(&value)
        .bind(&ban.reason)
        .bind(&ban.created_by)
        .bind(millis(now))
        .bind(ban.expires_at.map(millis))
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)?;
        let until = ban
            .expires_at
            .map(|t| format!(" until {}", t.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_default();
        let detail = format!("{} {value}{until}: {}", ban.kind.as_str(), ban.reason);
        log(&mut tx, &ban.created_by, "ban", None, &detail, now).await?;
        tx.commit().await.map_err(internal)?;
        Ok(id)
    }

    async fn lift_ban(&self, id: i64, actor: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let done = sqlx::query(
            "UPDATE bans SET expires_at = $1 WHERE id = $2 AND (expires_at IS NULL OR expires_at > $1)",
        )
        .bind(millis(now))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        log(&mut tx, actor, "lift ban", None, &format!("ban {id}"), now).await?;
        tx.commit().await.map_err(internal)
    }

    async fn active_bans(&self, now: DateTime<Utc>) -> Result<Vec<Ban>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, value, reason, created_by, created_at, expires_at FROM bans \
             WHERE expires_at IS NULL OR expires_at > $1 ORDER BY id DESC",
        )
        .bind(millis(now))
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(1).map_err(internal)?;
                Ok(Ban {
                    id: r.try_get(0).map_err(internal)?,
                    kind: BanKind::parse(&kind)
                        .ok_or_else(|| StoreError::Internal(format!("unknown ban kind {kind}")))?,
                    value: r.try_get(2).map_err(internal)?,
                    reason: r.try_get(3).map_err(internal)?,
                    created_by: r.try_get(4).map_err(internal)?,
                    created_at: time(r.try_get(5).map_err(internal)?),
                    expires_at: r.try_get::<Option<i64>, _>(6).map_err(internal)?.map(time),
                })
            })
            .collect()
    }

    async fn set_comment_mode(
        &self,
        scope: &ModeScope,
        mode: Option<CommentMode>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (kind, key) = scope.key();
        let mut tx = self.write.begin().await.map_err(internal)?;
        match mode {
            Some(m) => sqlx::query(
                "INSERT INTO comment_modes (scope, key, mode) VALUES ($1, $2, $3) \
                 ON CONFLICT (scope, key) DO UPDATE SET mode = excluded.mode",
            )
            .bind(kind)
            .bind(&key)
            .bind(m.as_str()),
            None => sqlx::query("DELETE FROM comment_modes WHERE scope = $1 AND key = $2")
                .bind(kind)
                .bind(&key),
        }
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        // Stories are kept by id; the log names them by slug.
        let shown = match scope {
            ModeScope::Story(id) => sqlx::query("SELECT slug FROM articles WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal)?
                .map(|r| r.try_get::<String, _>(0))
                .transpose()
                .map_err(internal)?
                .unwrap_or(key.clone()),
            _ => key.clone(),
        };
        let detail = format!(
            "{kind} {shown}: {}",
            mode.map(|m| m.as_str()).unwrap_or("inherit")
        );
        log(&mut tx, actor, "mode", None, &detail, now).await?;
        // The mode shows on the story pages (the form or "closed"), so their copies must go.
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)
    }

    async fn comment_modes(&self) -> Result<ModeTable, StoreError> {
        let rows = sqlx::query("SELECT scope, key, mode FROM comment_modes")
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        let mut table = ModeTable::default();
        for r in &rows {
            let mode: String = r.try_get(2).map_err(internal)?;
            if let Some(m) = CommentMode::parse(&mode) {
                table.0.push((
                    r.try_get(0).map_err(internal)?,
                    r.try_get(1).map_err(internal)?,
                    m,
                ));
            }
        }
        Ok(table)
    }

    async fn moderation_log(
        &self,
        comment: Option<CommentId>,
        limit: i64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let filter = if comment.is_some() {
            "comment_id = $1"
        } else {
            "$1 = $1"
        };
        let rows = sqlx::query(&format!(
            "SELECT id, at, actor, action, comment_id, detail FROM moderation_log WHERE {filter} \
             ORDER BY id DESC LIMIT $2"
        ))
        .bind(comment.map(|c| c.0).unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.write)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(LogEntry {
                    id: r.try_get(0).map_err(internal)?,
                    at: time(r.try_get(1).map_err(internal)?),
                    actor: r.try_get(2).map_err(internal)?,
                    action: r.try_get(3).map_err(internal)?,
                    comment_id: r
                        .try_get::<Option<i64>, _>(4)
                        .map_err(internal)?
                        .map(CommentId),
                    detail: r.try_get(5).map_err(internal)?,
                })
            })
            .collect()
    }

    async fn pending_proposals(&self) -> Result<Vec<Proposal>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM question_proposals p JOIN articles a ON a.id = p.article_id \
             WHERE p.status = 'pending' ORDER BY p.id LIMIT 200"
        ))
        .fetch_all(&self.write)
        .await
        .map_err(internal)?;
        rows.iter().map(proposal_from_row).collect()
    }

    async fn decide_proposal(
        &self,
        id: i64,
        accept: bool,
        story: Option<StoryChange<'_>>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Proposal, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let status = if accept { "accepted" } else { "declined" };
        let done = sqlx::query(
            "UPDATE question_proposals SET status = $1 WHERE id = $2 AND status = 'pending'",
        )
        .bind(status)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM question_proposals p JOIN articles a ON a.id = p.article_id WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
        let p = proposal_from_row(&row)?;
        if let Some(change) = story.filter(|_| accept) {
            // A story that moved on since it was read answers Stale and nothing is kept.
            update_in(
                &mut tx,
                change.id,
                Some(change.revision),
                change.fields,
                actor,
                now,
            )
            .await?;
            bump_revision(&mut tx).await?;
        }
        log(
            &mut tx,
            actor,
            &format!("question {status}"),
            None,
            &p.text,
            now,
        )
        .await?;
        tx.commit().await.map_err(internal)?;
        Ok(p)
    }

    async fn spam_model(&self) -> Result<SpamModel, StoreError> {
        let rows = sqlx::query("SELECT word, spam, ham FROM spam_words LIMIT 200000")
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        let mut model = SpamModel::default();
        for r in &rows {
            let word: String = r.try_get(0).map_err(internal)?;
            let spam: i64 = r.try_get(1).map_err(internal)?;
            let ham: i64 = r.try_get(2).map_err(internal)?;
            if word.is_empty() {
                model.spam_docs = spam;
                model.ham_docs = ham;
            } else {
                model.words.insert(word, (spam, ham));
            }
        }
        Ok(model)
    }
}

fn proposal_from_row(r: &sqlx::any::AnyRow) -> Result<Proposal, StoreError> {
    Ok(Proposal {
        id: r.try_get(0).map_err(internal)?,
        article_id: ArticleId(r.try_get(1).map_err(internal)?),
        article_slug: r.try_get(2).map_err(internal)?,
        text: r.try_get(3).map_err(internal)?,
        name: r.try_get(4).map_err(internal)?,
        created_at: time(r.try_get(5).map_err(internal)?),
    })
}

const PROPOSAL_COLUMNS: &str = "p.id, p.article_id, a.slug, p.text, p.name, p.created_at";
