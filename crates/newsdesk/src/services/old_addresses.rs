//! The addresses a site answered before it moved here (imported with it), followed to where
//! their content is now: a story (while readers can see it), a page, a feed, a list.

use crate::services::links::{article_path, comments_feed_path};
use crate::state::AppState;
use chrono::Utc;
use newsdesk_core::import::{old_address_key, OldTarget};
use newsdesk_core::StoreError;

/// The query a story's address carries when an old link led to it: the page then reads an old
/// `#comment-N` as the comment's number on the old site.
pub const FROM_ARCHIVE: &str = "from=archive";

/// The answer to an old address: 301, as search engines and old sites' links expect.
pub fn moved(to: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::MOVED_PERMANENTLY,
        [(axum::http::header::LOCATION, to.to_string())],
    )
        .into_response()
}

/// Where an old address now leads, if it is one and its content is still public.
pub async fn new_address(
    state: &AppState,
    path: &str,
    query: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let key = old_address_key(path, query);
    let Some(target) = state.store.old_address(&key).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let live_slug = |id| async move {
        let found = state.store.articles_by_ids(&[id]).await?;
        Ok::<_, StoreError>(found.into_iter().find(|a| a.is_live(now)).map(|a| a.slug))
    };
    Ok(match target {
        OldTarget::Story(id) => live_slug(id)
            .await?
            .map(|s| format!("{}?{FROM_ARCHIVE}", article_path(&s))),
        OldTarget::StoryComments(id) => live_slug(id).await?.map(|s| comments_feed_path(&s)),
        OldTarget::Page(id) => state
            .store
            .site_page_by_id(id)
            .await?
            .filter(|p| p.published)
            .map(|p| format!("/{}", p.slug)),
        OldTarget::Path(p) => Some(p),
    })
}
