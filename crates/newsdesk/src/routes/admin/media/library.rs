//! `GET /admin/media`: the pictures, newest first, found by their words.

use super::{picture_editor, private, Frame, Newsroom};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::layout::Layout;
use crate::services::pictures::view::{picture_path, variant_path};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use newsdesk_core::media::{Picture, PictureUse};
use serde::Deserialize;

const PER_PAGE: i64 = 24;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LibraryQuery {
    q: String,
    page: Option<i64>,
    done: Option<String>,
}

pub struct PictureRow {
    pub name: String,
    pub url: String,
    pub thumb: String,
    pub size: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub by: String,
    pub when: String,
    pub ready: bool,
    pub uses: Vec<PictureUse>,
}

#[derive(Template)]
#[template(path = "admin/media.html")]
struct LibraryPage {
    layout: Layout,
    frame: Frame,
    q: String,
    rows: Vec<PictureRow>,
    total: i64,
    page: i64,
    pages: i64,
}

pub async fn show(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
    Params(q): Params<LibraryQuery>,
) -> Result<Response, AppError> {
    picture_editor(&staff)?;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (pictures, total) = state
        .store
        .list_pictures(Some(&q.q), PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    let mut rows = Vec::with_capacity(pictures.len());
    for p in pictures {
        let uses = state.store.picture_uses(&p.name).await?;
        rows.push(row(p, uses));
    }
    let (layout, frame) = Frame::new(&state, &staff, "Pictures", "media", q.done).await?;
    Ok(private(LibraryPage {
        layout,
        frame,
        q: q.q,
        rows,
        total,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
    }))
}

fn row(p: Picture, uses: Vec<PictureUse>) -> PictureRow {
    let thumb = match p.ready_widths.first() {
        Some(w) => variant_path(&p.name, *w, p.format),
        None => picture_path(&p.name, p.format),
    };
    PictureRow {
        url: picture_path(&p.name, p.format),
        thumb,
        size: format!(
            "{}×{}, {} {}",
            p.width,
            p.height,
            p.format.extension().to_uppercase(),
            human_bytes(p.bytes)
        ),
        ready: p.variants_ready(),
        alt: p.alt,
        caption: p.caption,
        credit: p.credit,
        by: p.uploaded_by,
        when: p.uploaded_at.format("%-d %B %Y, %H:%M UTC").to_string(),
        name: p.name,
        uses,
    }
}

fn human_bytes(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (n + 1023) / 1024)
    }
}
