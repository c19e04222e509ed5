//! `POST /admin/stories` (a new story) and `POST /admin/stories/{slug}` (a change): saves
//! through the newsroom's rules, or shows the preview. A refused save shows the form again
//! with everything typed and each problem beside its field; a save over a newer version is
//! refused, says who changed the story and when, and keeps what was typed.

use super::super::respond::{back_to, private};
use super::edit::writer;
use super::form::StoryForm;
use super::{editor, preview, story_address, NewsroomForm};
use crate::http::error::AppError;
use crate::services::links::article_path;
use crate::services::staff::Staff;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use newsdesk_core::newsroom::{self, Actor, NewsroomError};
use newsdesk_core::FieldErrors;

fn actor(staff: &Staff) -> Actor {
    Actor {
        role: staff.user.role,
        principal: staff.actor(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    NewsroomForm {
        staff,
        mut fields,
        files,
        ..
    }: NewsroomForm<StoryForm>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let action = "/admin/stories".to_string();
    if let Err(errors) = super::hero_upload::attach(&state, &staff, &mut fields, &files).await? {
        return again(&state, &staff, "New story", action, fields, errors).await;
    }
    let input = match fields.to_input() {
        Ok(input) => input,
        Err(errors) => return again(&state, &staff, "New story", action, fields, errors).await,
    };
    if fields.action == "preview" {
        return show_preview(&state, &staff, "New story", action, fields, &input).await;
    }
    let now = chrono::Utc::now();
    match newsroom::create_article(state.store.as_ref(), &actor(&staff), input, now).await {
        Ok(a) => {
            state.changed_story(&a);
            crate::services::audit::story_saved(&state, &staff.who(), None, &a).await;
            Ok(back_to(&story_address(&a.slug), "Story saved"))
        }
        Err(NewsroomError::Invalid(v)) => {
            again(&state, &staff, "New story", action, fields, v.0).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    NewsroomForm {
        staff,
        mut fields,
        files,
        ..
    }: NewsroomForm<StoryForm>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let heading = format!("Edit: {}", fields.headline);
    let action = story_address(&slug);
    if let Err(errors) = super::hero_upload::attach(&state, &staff, &mut fields, &files).await? {
        return again(&state, &staff, &heading, action, fields, errors).await;
    }
    let input = match fields.to_input() {
        Ok(input) => input,
        Err(errors) => return again(&state, &staff, &heading, action, fields, errors).await,
    };
    if fields.action == "preview" {
        return show_preview(&state, &staff, &heading, action, fields, &input).await;
    }
    let Ok(revision) = fields.revision.trim().parse::<i64>() else {
        // What was typed stays; the writer reloads the story in another tab to compare.
        let mut errors = FieldErrors::default();
        errors.add(
            "revision",
            "the form lost the revision it was opened at, so it cannot tell whether someone saved \
             meanwhile; nothing was saved. Open the story in another tab, compare, then save again.",
        );
        return again(&state, &staff, &heading, action, fields, errors).await;
    };
    let now = chrono::Utc::now();
    let store = state.store.as_ref();
    let stored = super::story(&state, &slug).await?;
    let public = stored.is_live(now).then(|| article_path(&stored.slug));
    let mut input = input;
    if public.is_some() {
        // A change readers can see is a correction, an update or a silent fix: said, not guessed.
        match fields.log_entry(now) {
            Ok(entry) => {
                let mut log = stored.corrections.clone();
                log.extend(entry);
                input.corrections = Some(log);
            }
            Err(errors) => return again(&state, &staff, &heading, action, fields, errors).await,
        }
    }
    // Withdrawing a story readers can see is asked twice.
    let withdraws = input.status == Some(newsdesk_core::ArticleStatus::Unpublished);
    if public.is_some() && withdraws && fields.confirm_unpublish != "yes" {
        let mut errors = FieldErrors::default();
        errors.add(
            "confirm_unpublish",
            "withdrawing a published story takes it from readers: tick the box to confirm",
        );
        return again(&state, &staff, &heading, action, fields, errors).await;
    }
    match newsroom::update_article(store, &actor(&staff), &slug, input, Some(revision), now).await {
        Ok(a) => {
            state.changed_story(&a);
            crate::services::audit::story_saved(&state, &staff.who(), Some(&stored), &a).await;
            let said = reworded(&state, &stored, &a).await?;
            Ok(back_to(
                &story_address(&a.slug),
                &format!("Story saved{said}"),
            ))
        }
        Err(NewsroomError::Invalid(v)) => {
            again(&state, &staff, &heading, action, fields, v.0).await
        }
        Err(NewsroomError::Stale { current, .. }) => {
            stale(&state, &staff, &heading, action, fields, &slug, current).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/preview`: the preview of what was typed, as a fragment of HTML, with
/// the problems a save would meet.
pub async fn live_preview(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<StoryForm>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let input = fields.to_input().map_err(AppError::Invalid)?;
    let shown = preview(&state, &input).await?;
    let problems = match input.validate(chrono::Utc::now()) {
        Ok(_) => Vec::new(),
        Err(v) => {
            v.0 .0
                .into_iter()
                .flat_map(|(f, msgs)| msgs.into_iter().map(move |m| (f.clone(), m)))
                .collect()
        }
    };
    let fragment = super::PreviewFragment {
        blocks: shown.blocks,
        claims: shown.claims,
        problems,
    };
    Ok(private(fragment))
}

/// What the save notice says of questions whose words changed but whose votes were kept.
async fn reworded(
    state: &AppState,
    before: &newsdesk_core::Article,
    after: &newsdesk_core::Article,
) -> Result<String, AppError> {
    let changed: Vec<_> = after
        .debate
        .iter()
        .filter(|q| {
            before
                .debate
                .iter()
                .any(|b| b.id == q.id && b.text != q.text)
        })
        .collect();
    if changed.is_empty() {
        return Ok(String::new());
    }
    let tallies = state.store.poll_tallies(after.id).await?;
    let mut said = String::new();
    for q in changed {
        let votes = tallies
            .iter()
            .find(|t| t.question_id.0 == q.id)
            .map_or(0, |t| t.votes());
        if votes > 0 {
            said.push_str(&format!(
                ". The question “{}” was reworded and keeps its {votes} {}",
                q.text,
                if votes == 1 { "vote" } else { "votes" }
            ));
        }
    }
    Ok(said)
}

/// The form again with what needs fixing beside each field (422).
async fn again(
    state: &AppState,
    staff: &Staff,
    heading: &str,
    action: String,
    fields: StoryForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    // A story readers can see keeps its question about the change.
    let public = match action.strip_prefix("/admin/stories/") {
        Some(slug) => state
            .store
            .find_article(slug)
            .await?
            .filter(|a| a.is_live(chrono::Utc::now()))
            .map(|a| article_path(&a.slug)),
        None => None,
    };
    let page = editor(state, staff, heading, action, fields)
        .await?
        .with_errors(&errors)
        .public_at(public);
    let mut response = private(page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

async fn show_preview(
    state: &AppState,
    staff: &Staff,
    heading: &str,
    action: String,
    fields: StoryForm,
    input: &newsdesk_core::ArticleInput,
) -> Result<Response, AppError> {
    let shown = preview(state, input).await?;
    let page = editor(state, staff, heading, action, fields)
        .await?
        .previewing(shown);
    Ok(private(page))
}

/// Someone saved the story after this writer opened it: nothing is written; the form keeps
/// what was typed, says who changed the story and when, and names the fields that now differ
/// from the stored version. Saving again (the form now carries the new revision) keeps this
/// writer's text, so both changes survive by copying the other's into the form first.
async fn stale(
    state: &AppState,
    staff: &Staff,
    heading: &str,
    action: String,
    mut fields: StoryForm,
    slug: &str,
    current: i64,
) -> Result<Response, AppError> {
    let stored = state
        .store
        .find_article(slug)
        .await?
        .ok_or_else(|| AppError::NotFound("the story was deleted meanwhile".into()))?;
    let theirs = StoryForm::from_article(&stored);
    let mut errors = FieldErrors::default();
    let who = stored.updated_by.trim_start_matches("user:");
    errors.add(
        "revision",
        format!(
            "{who} saved this story at {} (revision {current}) after you opened it; nothing of \
             yours was saved. Fields they changed that differ from yours are marked; copy what you \
             want to keep from the public page or a new tab, then save again.",
            stored.updated_at.format("%-d %B %Y, %H:%M UTC")
        ),
    );
    // Every field the saved version differs in is marked, claims and picture too, so saving
    // again never reverts the other writer's change unseen.
    let claims = |f: &StoryForm| {
        f.claim_rows()
            .iter()
            .filter(|c| !c.quote.is_empty() || !c.name.is_empty())
            .map(|c| {
                format!(
                    "“{}” ({}), {} {} {}: {}",
                    c.quote, c.status, c.name, c.role, c.url, c.note
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let hero = |f: &StoryForm| {
        [&f.hero_url, &f.hero_alt, &f.hero_caption, &f.hero_credit]
            .map(|s| s.trim())
            .join(" | ")
    };
    let pairs = [
        ("headline", fields.headline.clone(), theirs.headline.clone()),
        (
            "standfirst",
            fields.standfirst.clone(),
            theirs.standfirst.clone(),
        ),
        ("slug", fields.slug.clone(), theirs.slug.clone()),
        ("body", fields.body.clone(), theirs.body.clone()),
        ("section", fields.section.clone(), theirs.section.clone()),
        ("tags", fields.tags.clone(), theirs.tags.clone()),
        ("authors", fields.authors.clone(), theirs.authors.clone()),
        ("hero.url", hero(&fields), hero(&theirs)),
        ("claims", claims(&fields), claims(&theirs)),
        (
            "debate",
            fields.question_text.join("\n"),
            theirs.question_text.join("\n"),
        ),
        ("status", fields.status.clone(), theirs.status.clone()),
        (
            "published_at",
            fields.published_at.clone(),
            theirs.published_at.clone(),
        ),
    ];
    for (name, mine, other) in pairs {
        if mine.trim() != other.trim() {
            errors.add(
                name,
                format!("the saved version now reads: {}", excerpt(&other)),
            );
        }
    }
    fields.revision = current.to_string();
    let public = stored
        .is_live(chrono::Utc::now())
        .then(|| article_path(&stored.slug));
    let page = editor(state, staff, heading, action, fields)
        .await?
        .with_errors(&errors)
        .public_at(public);
    let mut response = private(page);
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}

fn excerpt(text: &str) -> String {
    crate::render::format::excerpt(text, 300)
}
