//! `POST /admin/media`: a picture from the library's file field, or dropped on the editor (its
//! script asks for JSON and puts the address in the story's hero).

use super::{back_to, picture_editor, NewsroomForm};
use crate::http::error::AppError;
use crate::http::extract::wants_json;
use crate::services::pictures::view::picture_path;
use crate::services::pictures::{self, Upload};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_core::media::PictureText;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadForm {
    csrf: String,
    alt: String,
    caption: String,
    credit: String,
}

#[derive(Serialize)]
struct Uploaded {
    url: String,
    name: String,
    width: u32,
    height: u32,
    alt: String,
    caption: String,
    credit: String,
}

pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    NewsroomForm {
        staff,
        fields,
        files,
        ..
    }: NewsroomForm<UploadForm>,
) -> Result<Response, AppError> {
    picture_editor(&staff)?;
    let _ = fields.csrf;
    let file = files
        .iter()
        .find(|f| f.field == "file")
        .ok_or_else(|| AppError::invalid("file", "choose a picture to upload"))?;
    let upload = Upload {
        bytes: &file.bytes,
        content_type: file.content_type.as_deref(),
        file_name: file.file_name.as_deref(),
        text: PictureText {
            alt: fields.alt.trim().to_string(),
            caption: fields.caption.trim().to_string(),
            credit: fields.credit.trim().to_string(),
        },
        who: staff.who(),
    };
    let p = pictures::take(&state, upload, "file").await?;
    if wants_json(&headers) {
        return Ok(Json(Uploaded {
            url: picture_path(&p.name, p.format),
            name: p.name,
            width: p.width,
            height: p.height,
            alt: p.alt,
            caption: p.caption,
            credit: p.credit,
        })
        .into_response());
    }
    Ok(back_to(
        &format!("/admin/media?q={}", p.name),
        "Picture uploaded",
    ))
}
