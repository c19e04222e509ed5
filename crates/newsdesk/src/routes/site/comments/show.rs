//! `GET /news/{slug}/comments/{id}`: one comment's permalink, with the comment it answers,
//! a form to reply, and (for its writer, for a while) edit and delete.

use super::super::debate_view::CommentForm;
use super::super::debate_view::CommentsSection;
use super::super::thread::CommentView;
use super::{empty_section, CommentPage, OwnComment};
use crate::http::error::AppError;
use crate::http::visitor::Visitor;
use crate::render::format::{iso, long_date};
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::debate::admission::live_article;
use crate::services::debate::reading_order::reading_order;
use crate::services::links::article_path;
use crate::services::readers::STAMP_PLACEHOLDER;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::comment::{Comment, CommentStatus, ThreadPage};
use newsdesk_core::CommentId;
use newsdesk_core::DebateQuestion;
use serde::Deserialize;

/// Replies on one page of a thread's own page.
const REPLIES_PER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct RepliesParams {
    rpage: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Query(params): Query<RepliesParams>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let rpage = match params.rpage.as_deref() {
        None | Some("") => 1,
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| {
                AppError::invalid("rpage", format!("must be a page number, not '{p}'"))
            })?,
    };
    page(&state, &slug, &id, rpage, &visitor).await
}

/// The thread's replies on this page, after its first comment, and links to the pages
/// around (the thread's own page, `?rpage=`).
async fn with_replies(
    state: &AppState,
    section: &mut CommentsSection,
    root: &Comment,
    questions: &[DebateQuestion],
    rpage: i64,
) -> Result<(), AppError> {
    let (replies, total) = state
        .store
        .thread_replies(root.id, (rpage - 1) * REPLIES_PER_PAGE, REPLIES_PER_PAGE)
        .await?;
    if total == 0 {
        return Ok(());
    }
    let page = ThreadPage {
        roots: vec![root.clone()],
        replies,
        ..Default::default()
    };
    // The budget of a story page does not apply: this page holds one thread, 50 at a time.
    section.comments = reading_order(&page)
        .into_iter()
        .map(|p| {
            let mut v = CommentView::new(p.comment, questions);
            v.replying_to = p.replying_to;
            if p.orphan {
                v.indent = 1;
            }
            v
        })
        .collect();
    let pages = (total + REPLIES_PER_PAGE - 1) / REPLIES_PER_PAGE;
    if rpage > pages {
        return Err(AppError::NotFound(format!(
            "this thread has {pages} pages of replies"
        )));
    }
    let link = |p: i64| format!("?rpage={p}#replies");
    section.page = rpage;
    section.pages = pages.max(1);
    section.prev = (rpage > 1).then(|| link(rpage - 1));
    section.next = (rpage < pages).then(|| link(rpage + 1));
    section.count = total;
    Ok(())
}

async fn page(
    state: &AppState,
    slug: &str,
    id: &str,
    rpage: i64,
    visitor: &Visitor,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let article = live_article(state, slug).await?;
    let missing = || AppError::NotFound("there is no such comment on this story".into());
    let id = id.parse::<i64>().map_err(|_| missing())?;
    let comment = state
        .store
        .find_comment(CommentId(id))
        .await?
        .filter(|c| c.article_id == article.id)
        .ok_or_else(missing)?;
    let mine = visitor.reader.as_ref() == Some(&comment.reader);
    if !comment.status.in_thread() && !mine {
        return Err(missing());
    }
    let notice = match comment.status {
        CommentStatus::Held if mine => Some(
            "Thank you. Your comment is waiting for a moderator and will appear once approved."
                .to_string(),
        ),
        CommentStatus::Spam if mine => {
            Some("Your comment was held by our filters for a moderator to look at.".into())
        }
        _ => None,
    };
    let base_path = article_path(&article.slug);
    let mut section = empty_section(&base_path);
    if let Some(parent) = comment.parent_id {
        if let Some(p) = state.store.find_comment(parent).await? {
            if p.status.in_thread() {
                let mut v = CommentView::new(&p, &article.debate);
                v.indent = 0;
                section.comments.push(v);
            }
        }
    }
    let mut view = CommentView::new(&comment, &article.debate);
    view.indent = i64::from(!section.comments.is_empty());
    section.comments.push(view);
    if comment.depth == 0 && comment.status.in_thread() {
        with_replies(state, &mut section, &comment, &article.debate, rpage).await?;
    }
    let rules = &state.debate();
    let own = (mine && rules.may_change(&comment, now)).then(|| {
        let until = comment.created_at + rules.edit_window;
        OwnComment {
            id: comment.id.0,
            body: comment.body.clone(),
            until_iso: iso(until),
            until_text: long_date(until),
        }
    });
    let mut form = CommentForm::new(state, &article, now);
    let replyable = comment.status == CommentStatus::Published;
    if replyable {
        form.parent_id = Some(comment.id.0);
        form.parent_name = comment.name.clone();
    }
    let page = CommentPage {
        layout: Layout::load(state, &article.section, now).await?,
        heading: match comment.status {
            CommentStatus::Rejected | CommentStatus::Deleted => "A removed comment".into(),
            _ => format!("Comment by {}", comment.name),
        },
        story_url: base_path.clone(),
        story_headline: article.headline.clone(),
        notice,
        comments: section,
        own,
        show_form: replyable,
        base_path,
        closed: form.closed.is_some(),
        // A visitor without a cookie gets no stamp, as on pages every reader shares: the
        // page's script asks for one (with a cookie) and a plain browser confirms once; a
        // stamp made for no reader could not count a vote or a report.
        stamp: if visitor.reader.is_some() {
            STAMP_PLACEHOLDER
        } else {
            ""
        },
        form,
    };
    Ok(html(page))
}
