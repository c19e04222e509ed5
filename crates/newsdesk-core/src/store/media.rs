//! Pictures and their variants, kept in the database so that every node serves every one.

use super::StoreError;
use crate::media::{NewPicture, Picture, PictureDeletion, PictureFormat, PictureText, PictureUse};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Keeps a picture; answers `false` when one with its name is kept already (nothing changes).
    async fn put_picture(&self, p: &NewPicture, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Keeps a variant; a second copy of the same width and format changes nothing.
    async fn put_variant(
        &self,
        name: &str,
        width: u32,
        height: u32,
        format: PictureFormat,
        data: &[u8],
    ) -> Result<(), StoreError>;
    async fn picture(&self, name: &str) -> Result<Option<Picture>, StoreError>;
    /// The pictures among `names` that are kept, in no particular order.
    async fn pictures(&self, names: &[String]) -> Result<Vec<Picture>, StoreError>;
    /// The kept picture's bytes (`width` None) or a variant's, with the format they are in.
    async fn picture_bytes(
        &self,
        name: &str,
        width: Option<u32>,
        format: PictureFormat,
    ) -> Result<Option<Vec<u8>>, StoreError>;
    /// The newest pictures first, those whose name or words contain `words` when given.
    async fn list_pictures(
        &self,
        words: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Picture>, i64), StoreError>;
    /// The pictures uploaded before `before` still missing some variant, oldest first.
    async fn pictures_without_variants(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Picture>, StoreError>;
    async fn set_picture_text(&self, name: &str, text: &PictureText) -> Result<bool, StoreError>;
    /// The stories (any status) whose hero or body shows the picture.
    async fn picture_uses(&self, name: &str) -> Result<Vec<PictureUse>, StoreError>;
    /// Deletes a picture no story uses, checked in the same transaction as the delete.
    async fn delete_picture(&self, name: &str) -> Result<PictureDeletion, StoreError>;
}
