//! A hero picture chosen with the editor's file field (the way without JavaScript): kept in
//! the library with the hero's words, and its address put in the story's hero.

use super::form::StoryForm;
use crate::http::error::AppError;
use crate::http::multipart::FormFile;
use crate::services::pictures::view::picture_path;
use crate::services::pictures::{self, Upload};
use crate::services::staff::Staff;
use crate::state::AppState;
use newsdesk_core::media::PictureText;
use newsdesk_core::FieldErrors;

/// Takes the file sent as `hero_file`, if any. A file that is not a picture is an error
/// beside the field; the rest of what was typed is shown again untouched.
pub async fn attach(
    state: &AppState,
    staff: &Staff,
    fields: &mut StoryForm,
    files: &[FormFile],
) -> Result<Result<(), FieldErrors>, AppError> {
    let Some(file) = files.iter().find(|f| f.field == "hero_file") else {
        return Ok(Ok(()));
    };
    let upload = Upload {
        bytes: &file.bytes,
        content_type: file.content_type.as_deref(),
        file_name: file.file_name.as_deref(),
        text: PictureText {
            alt: fields.hero_alt.trim().into(),
            caption: fields.hero_caption.trim().into(),
            credit: fields.hero_credit.trim().into(),
        },
        who: staff.who(),
    };
    match pictures::take(state, upload, "hero_file").await {
        Ok(p) => {
            fields.hero_url = picture_path(&p.name, p.format);
            for (own, library) in [
                (&mut fields.hero_alt, &p.alt),
                (&mut fields.hero_caption, &p.caption),
                (&mut fields.hero_credit, &p.credit),
            ] {
                if own.trim().is_empty() {
                    own.clone_from(library);
                }
            }
            Ok(Ok(()))
        }
        Err(AppError::Invalid(errors)) => Ok(Err(errors)),
        Err(AppError::PayloadTooLarge(n)) => {
            let mut e = FieldErrors::default();
            e.add(
                "hero_file",
                format!("is larger than the limit of {n} bytes"),
            );
            Ok(Err(e))
        }
        Err(other) => Err(other),
    }
}
