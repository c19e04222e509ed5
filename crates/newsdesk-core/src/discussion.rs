//! The rules of the reader debate: who may post, edit, delete, vote and flag, and when.
//! Handlers for forms and for the JSON API both come through here.

use crate::article::Article;
use crate::classifier::SpamModel;
use crate::comment::{Comment, CommentDraft, CommentStatus, NewComment, VoteTally};
use crate::debate::{PollAnswer, PollTally, MAX_PROPOSAL_CHARS};
use crate::ids::{CommentId, QuestionId, ReaderId};
use crate::moderation::{Ban, ModeTable};
use crate::screen::{screen, CommentMode, ScreenRules};
use crate::store::{Store, StoreError};
use crate::validation::FieldErrors;
use chrono::{DateTime, Duration, Utc};

/// What moderators have decided that every new comment is measured against: bans, comment
/// modes and what the classifier has learnt. Each node keeps a copy fresh to within a second.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    pub bans: Vec<Ban>,
    pub modes: ModeTable,
    pub model: SpamModel,
}

impl Standing {
    /// Why this writer may not take part, if a ban in force covers their device, email or
    /// address: the message they are shown.
    pub fn banned(
        &self,
        reader: &ReaderId,
        email: Option<&str>,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let ban = self
            .bans
            .iter()
            .find(|b| b.in_force(now) && b.covers(reader, email, ip))?;
        let until = ban
            .expires_at
            .map(|t| format!(" until {}", t.format("%-d %B %Y, %H:%M UTC")))
            .unwrap_or_default();
        Some(format!(
            "you may not take part in the debate on this site{until}"
        ))
    }
}

/// Above this probability the classifier holds a comment for a moderator…
const HOLD_AT: f64 = 0.9;
/// …and above this it files it as spam.
const SPAM_AT: f64 = 0.995;

/// How long ago a reader's comment must have been published for their reports to count
/// toward hiding a comment: a brigade would have to write and keep comments for a day first.
pub const REPORTER_RECORD: chrono::Duration = chrono::Duration::days(1);

/// The site's settings for its conversations.
#[derive(Debug, Clone)]
pub struct DiscussionRules {
    pub screen: ScreenRules,
    /// The longest comment, in characters.
    pub max_chars: usize,
    /// How long a reader may edit or delete their own comment.
    pub edit_window: Duration,
    /// Conversations close this long after publication (`None`: never).
    pub close_after: Option<Duration>,
    /// Reader flags that hide a comment until a moderator decides (0: never).
    pub flags_to_hide: i64,
}

impl Default for DiscussionRules {
    fn default() -> Self {
        DiscussionRules {
            screen: ScreenRules {
                max_links: 2,
                ..Default::default()
            },
            max_chars: 5000,
            edit_window: Duration::minutes(15),
            close_after: Some(Duration::days(30)),
            flags_to_hide: 3,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscussionError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Comments are closed on the story; the message says why.
    #[error("{0}")]
    Closed(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    /// Something a reader may do once was done before; the message says what.
    #[error("{0}")]
    Already(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for DiscussionError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => DiscussionError::Already(what.to_string()),
            StoreError::NotFound => DiscussionError::NotFound("not found".into()),
            other => DiscussionError::Store(other),
        }
    }
}

/// A reader, as far as the debate knows them: their device and address.
#[derive(Debug, Clone)]
pub struct Participant {
    pub reader: ReaderId,
    pub ip: String,
}

impl DiscussionRules {
    /// Whether the story takes new comments at `now` (and how), and if not, why.
    pub fn mode(
        &self,
        article: &Article,
        now: DateTime<Utc>,
        modes: &ModeTable,
    ) -> Result<CommentMode, String> {
        let mode = modes
            .for_story(article.id, &article.section)
            .unwrap_or(self.screen.mode);
        if mode == CommentMode::Closed {
            return Err("Comments are closed on this story.".into());
        }
        if let (Some(after), Some(published)) = (self.close_after, article.published_at) {
            if now - published > after {
                return Err(format!(
                    "Comments closed {} days after publication.",
                    after.num_days()
                ));
            }
        }
        Ok(mode)
    }

    /// The status a comment gets from the rules, then from the classifier.
    pub fn judge(
        &self,
        mode: CommentMode,
        name: &str,
        body: &str,
        model: &SpamModel,
    ) -> (CommentStatus, String) {
        let rules = ScreenRules {
            mode,
            ..self.screen.clone()
        };
        let (status, reason) = screen(&rules, name, body);
        if status != CommentStatus::Published {
            return (status, reason);
        }
        match model.judge(&format!("{name}\n{body}")) {
            Some(v) if v.spam_probability >= HOLD_AT => {
                let why = format!(
                    "the spam filter rates it {:.0}% likely spam (words: {})",
                    v.spam_probability * 100.0,
                    v.telling_words.join(", ")
                );
                let status = if v.spam_probability >= SPAM_AT {
                    CommentStatus::Spam
                } else {
                    CommentStatus::Held
                };
                (status, why)
            }
            _ => (status, reason),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn post(
        &self,
        store: &dyn Store,
        article: &Article,
        draft: &CommentDraft,
        who: &Participant,
        now: DateTime<Utc>,
        standing: &Standing,
    ) -> Result<Comment, DiscussionError> {
        let mode = self
            .mode(article, now, &standing.modes)
            .map_err(DiscussionError::Closed)?;
        let email = draft.email();
        if let Some(why) = standing.banned(&who.reader, email.as_deref(), &who.ip, now) {
            return Err(DiscussionError::Forbidden(why));
        }
        let mut errors = draft.check(self.max_chars);
        let parent = match draft.parent_id {
            Some(id) => match store.find_comment(CommentId(id)).await? {
                Some(p) if p.article_id == article.id && p.status.in_thread() => Some(p.id),
                _ => {
                    errors.add("parent_id", "is not a comment on this story");
                    None
                }
            },
            None => None,
        };
        let question = match draft.question_id {
            Some(id) if article.debate.iter().any(|q| q.id == id) => Some(QuestionId(id)),
            Some(_) => {
                errors.add("question_id", "is not a debate question of this story");
                None
            }
            None => None,
        };
        if !errors.is_empty() {
            return Err(DiscussionError::Invalid(errors));
        }
        let (status, reason) = self.judge(mode, &draft.name, &draft.body, &standing.model);
        let comment = NewComment {
            article_id: article.id,
            parent_id: parent,
            question_id: question,
            name: draft.name.trim().to_string(),
            body: draft.body.clone(),
            email: draft.email(),
            notify_replies: draft.notify_replies && draft.email().is_some(),
            reader: who.reader.clone(),
            ip: who.ip.clone(),
            status,
            reason,
            created_at: now,
        };
        store.add_comment(comment).await.map_err(|e| match e {
            StoreError::NotFound => {
                let mut f = FieldErrors::default();
                f.add("parent_id", "is not a comment on this story");
                DiscussionError::Invalid(f)
            }
            other => other.into(),
        })
    }

    /// The reader's own comment, if it is still theirs to change at `now`.
    pub async fn own_comment(
        &self,
        store: &dyn Store,
        article: &Article,
        id: CommentId,
        reader: Option<&ReaderId>,
        now: DateTime<Utc>,
    ) -> Result<Comment, DiscussionError> {
        let comment = self.comment_of(store, article, id).await?;
        if reader != Some(&comment.reader) {
            return Err(DiscussionError::Forbidden(
                "only the reader who wrote this comment, on the same device, may change it".into(),
            ));
        }
        if !self.may_change(&comment, now) {
            return Err(DiscussionError::Forbidden(format!(
                "comments can be changed for {} minutes after posting; this one can no longer be",
                self.edit_window.num_minutes()
            )));
        }
        Ok(comment)
    }

    /// Whether the writer of a comment may still edit or delete it.
    pub fn may_change(&self, comment: &Comment, now: DateTime<Utc>) -> bool {
        matches!(
            comment.status,
            CommentStatus::Published | CommentStatus::Held
        ) && now - comment.created_at <= self.edit_window
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn edit(
        &self,
        store: &dyn Store,
        article: &Article,
        id: CommentId,
        body: &str,
        reader: Option<&ReaderId>,
        now: DateTime<Utc>,
        standing: &Standing,
    ) -> Result<Comment, DiscussionError> {
        let comment = self.own_comment(store, article, id, reader, now).await?;
        let draft = CommentDraft {
            name: comment.name.clone(),
            body: body.to_string(),
            ..Default::default()
        };
        let errors = draft.check(self.max_chars);
        if !errors.is_empty() {
            return Err(DiscussionError::Invalid(errors));
        }
        let mode = self
            .mode(article, now, &standing.modes)
            .unwrap_or(CommentMode::Premoderated);
        let (status, reason) = self.judge(mode, &comment.name, body, &standing.model);
        // An edit that a rule would hold goes back to the queue with its words, so the window
        // cannot be used to slip past screening, not even for a moment.
        Ok(store.edit_comment(id, body, (status, &reason), now).await?)
    }

    pub async fn delete(
        &self,
        store: &dyn Store,
        article: &Article,
        id: CommentId,
        reader: Option<&ReaderId>,
        now: DateTime<Utc>,
    ) -> Result<Comment, DiscussionError> {
        self.own_comment(store, article, id, reader, now).await?;
        Ok(store
            .set_comment_status(id, CommentStatus::Deleted, "deleted by its writer", now)
            .await?)
    }

    async fn comment_of(
        &self,
        store: &dyn Store,
        article: &Article,
        id: CommentId,
    ) -> Result<Comment, DiscussionError> {
        match store.find_comment(id).await? {
            Some(c) if c.article_id == article.id => Ok(c),
            _ => Err(DiscussionError::NotFound(
                "there is no such comment on this story".into(),
            )),
        }
    }

    pub async fn vote(
        &self,
        store: &dyn Store,
        article: &Article,
        id: CommentId,
        up: bool,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<VoteTally, DiscussionError> {
        let c = self.comment_of(store, article, id).await?;
        if c.status != CommentStatus::Published {
            return Err(DiscussionError::NotFound(
                "this comment cannot be voted on".into(),
            ));
        }
        if &c.reader == reader {
            return Err(DiscussionError::Forbidden(
                "you cannot vote on your own comment".into(),
            ));
        }
        Ok(store.vote_comment(id, reader, up, now).await?)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn flag(
        &self,
        store: &dyn Store,
        article: &Article,
        id: CommentId,
        reason: &str,
        reader: &ReaderId,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, DiscussionError> {
        let c = self.comment_of(store, article, id).await?;
        if c.status != CommentStatus::Published {
            return Err(DiscussionError::NotFound(
                "this comment cannot be reported".into(),
            ));
        }
        let reason = reason.trim();
        if reason.chars().count() > 200 || reason.contains('\0') {
            let mut f = FieldErrors::default();
            f.add("reason", "must be at most 200 characters of text");
            return Err(DiscussionError::Invalid(f));
        }
        let report = crate::store::Report {
            reader,
            address,
            reason,
            hide_at: self.flags_to_hide,
            trusted_before: now - REPORTER_RECORD,
        };
        Ok(store.flag_comment(id, &report, now).await?)
    }

    pub async fn answer_poll(
        &self,
        store: &dyn Store,
        article: &Article,
        question: i64,
        answer: PollAnswer,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<PollTally, DiscussionError> {
        if !article.debate.iter().any(|q| q.id == question) {
            return Err(DiscussionError::NotFound(
                "this story has no such debate question".into(),
            ));
        }
        store
            .vote_poll(QuestionId(question), reader, answer, now)
            .await?;
        let tallies = store.poll_tallies(article.id).await?;
        Ok(tallies
            .into_iter()
            .find(|t| t.question_id.0 == question)
            .unwrap_or_default())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn propose(
        &self,
        store: &dyn Store,
        article: &Article,
        text: &str,
        name: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
        standing: &Standing,
    ) -> Result<i64, DiscussionError> {
        self.mode(article, now, &standing.modes)
            .map_err(DiscussionError::Closed)?;
        let mut errors = FieldErrors::default();
        crate::validation::check_line(&mut errors, "question", text, MAX_PROPOSAL_CHARS);
        crate::validation::check_line(&mut errors, "name", name, crate::comment::MAX_NAME_CHARS);
        if !errors.is_empty() {
            return Err(DiscussionError::Invalid(errors));
        }
        Ok(store
            .propose_question(article.id, text.trim(), name.trim(), reader, now)
            .await?)
    }
}
