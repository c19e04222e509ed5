//! Pictures and their resized variants, kept as bytes in the database so that every node
//! reads the same ones.

use crate::rows::{like_escaped, time, Param, Params};
use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::media::{
    NewPicture, Picture, PictureDeletion, PictureFormat, PictureText, PictureUse,
};
use newsdesk_core::store::MediaStore;
use newsdesk_core::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

const PICTURE_COLUMNS: &str = "name, format, width, height, byte_size, alt, caption, credit, \
     uploaded_by, uploaded_at";

fn format_name(f: PictureFormat) -> &'static str {
    match f {
        PictureFormat::Jpeg => "jpeg",
        PictureFormat::Png => "png",
        PictureFormat::Gif => "gif",
        PictureFormat::Webp => "webp",
    }
}

fn format_from(s: &str) -> Result<PictureFormat, StoreError> {
    PictureFormat::ALL
        .into_iter()
        .find(|f| format_name(*f) == s)
        .ok_or_else(|| StoreError::Internal(format!("unknown picture format '{s}'")))
}

fn picture_from_row(row: &AnyRow) -> Result<Picture, StoreError> {
    let int = |i: usize| row.try_get::<i64, _>(i).map_err(internal);
    let text = |i: usize| row.try_get::<String, _>(i).map_err(internal);
    Ok(Picture {
        name: text(0)?,
        format: format_from(&text(1)?)?,
        width: u32::try_from(int(2)?).unwrap_or(0),
        height: u32::try_from(int(3)?).unwrap_or(0),
        bytes: int(4)?,
        alt: text(5)?,
        caption: text(6)?,
        credit: text(7)?,
        uploaded_by: text(8)?,
        uploaded_at: time(int(9)?),
        ready_widths: Vec::new(),
    })
}

impl SqlStore {
    /// Fills in which widths are ready in every format each picture is offered in.
    async fn with_ready_widths(&self, mut pics: Vec<Picture>) -> Result<Vec<Picture>, StoreError> {
        if pics.is_empty() {
            return Ok(pics);
        }
        let names: Vec<String> = pics.iter().map(|p| p.name.clone()).collect();
        let mut params = Params::default();
        let list = params.list(&names);
        let sql =
            format!("SELECT name, width, format FROM picture_variants WHERE name IN ({list})");
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        let mut formats: HashMap<(String, i64), Vec<String>> = HashMap::new();
        for r in &rows {
            let key = (
                r.try_get(0).map_err(internal)?,
                r.try_get(1).map_err(internal)?,
            );
            formats
                .entry(key)
                .or_default()
                .push(r.try_get(2).map_err(internal)?);
        }
        for p in &mut pics {
            let wanted = [format_name(p.format), "webp"];
            let mut ready: Vec<u32> = formats
                .iter()
                .filter(|((name, _), have)| {
                    name == &p.name && wanted.iter().all(|w| have.iter().any(|h| h == w))
                })
                .filter_map(|((_, w), _)| u32::try_from(*w).ok())
                .collect();
            ready.sort_unstable();
            p.ready_widths = ready;
        }
        Ok(pics)
    }
}

#[async_trait]
impl MediaStore for SqlStore {
    async fn put_picture(&self, p: &NewPicture, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO pictures (name, format, width, height, byte_size, data, alt, caption, \
             credit, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&p.name)
        .bind(format_name(p.format))
        .bind(i64::from(p.width))
        .bind(i64::from(p.height))
        .bind(p.data.len() as i64)
        .bind(p.data.clone())
        .bind(&p.alt)
        .bind(&p.caption)
        .bind(&p.credit)
        .bind(&p.uploaded_by)
        .bind(millis(now))
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn put_variant(
        &self,
        name: &str,
        width: u32,
        height: u32,
        format: PictureFormat,
        data: &[u8],
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO picture_variants (name, width, format, height, data) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name, width, format) DO NOTHING",
        )
        .bind(name)
        .bind(i64::from(width))
        .bind(format_name(format))
        .bind(i64::from(height))
        .bind(data.to_vec())
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn picture(&self, name: &str) -> Result<Option<Picture>, StoreError> {
        Ok(self.pictures(&[name.to_string()]).await?.into_iter().next())
    }

    async fn pictures(&self, names: &[String]) -> Result<Vec<Picture>, StoreError> {
        let names: Vec<String> = names.iter().filter(|n| !has_nul(n)).cloned().collect();
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut params = Params::default();
        let list = params.list(&names);
        let sql = format!("SELECT {PICTURE_COLUMNS} FROM pictures WHERE name IN ({list})");
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        let pics = rows
            .iter()
            .map(picture_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        self.with_ready_widths(pics).await
    }

    async fn picture_bytes(
        &self,
        name: &str,
        width: Option<u32>,
        format: PictureFormat,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if has_nul(name) {
            return Ok(None);
        }
        let row = match width {
            None => sqlx::query("SELECT data FROM pictures WHERE name = $1 AND format = $2")
                .bind(name)
                .bind(format_name(format))
                .fetch_optional(&self.read)
                .await
                .map_err(internal)?,
            Some(w) => sqlx::query(
                "SELECT data FROM picture_variants WHERE name = $1 AND width = $2 AND format = $3",
            )
            .bind(name)
            .bind(i64::from(w))
            .bind(format_name(format))
            .fetch_optional(&self.read)
            .await
            .map_err(internal)?,
        };
        row.map(|r| r.try_get::<Vec<u8>, _>(0).map_err(internal))
            .transpose()
    }

    async fn list_pictures(
        &self,
        words: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Picture>, i64), StoreError> {
        let mut params = Params::default();
        let filter = match words
            .map(str::trim)
            .filter(|w| !w.is_empty() && !has_nul(w))
        {
            Some(w) => {
                let p = params.push(Param::Text(format!(
                    "%{}%",
                    like_escaped(&w.to_lowercase())
                )));
                format!(
                    "WHERE LOWER(name || ' ' || alt || ' ' || caption || ' ' || credit || ' ' || \
                     uploaded_by) LIKE {p} ESCAPE '\\'"
                )
            }
            None => String::new(),
        };
        let count_sql = format!("SELECT COUNT(*) FROM pictures {filter}");
        let total: i64 = params
            .bind(sqlx::query(&count_sql))
            .fetch_one(&self.read)
            .await
            .map_err(internal)?
            .try_get(0)
            .map_err(internal)?;
        let l = params.push(Param::Int(limit));
        let o = params.push(Param::Int(offset));
        let sql = format!(
            "SELECT {PICTURE_COLUMNS} FROM pictures {filter} \
             ORDER BY uploaded_at DESC, name LIMIT {l} OFFSET {o}"
        );
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        let pics = rows
            .iter()
            .map(picture_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((self.with_ready_widths(pics).await?, total))
    }

    async fn pictures_without_variants(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Picture>, StoreError> {
        // Variants are checked a page at a time; a library whose every picture is done
        // costs one small query per sweep.
        let rows = sqlx::query(&format!(
            "SELECT {PICTURE_COLUMNS} FROM pictures WHERE uploaded_at < $1 \
             AND (SELECT COUNT(*) FROM picture_variants v WHERE v.name = pictures.name) < \
                 (CASE WHEN format = 'webp' THEN 1 ELSE 2 END) * \
                 (CASE WHEN width > 1920 THEN 5 WHEN width > 1280 THEN 5 WHEN width > 960 THEN 4 \
                  WHEN width > 640 THEN 3 WHEN width > 320 THEN 2 ELSE 1 END) \
             ORDER BY uploaded_at LIMIT $2"
        ))
        .bind(millis(before))
        .bind(limit.max(1))
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        let pics = rows
            .iter()
            .map(picture_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let mut missing: Vec<Picture> = self
            .with_ready_widths(pics)
            .await?
            .into_iter()
            .filter(|p| !p.variants_ready())
            .collect();
        missing.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(missing)
    }

    async fn set_picture_text(&self, name: &str, text: &PictureText) -> Result<bool, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let done =
            sqlx::query("UPDATE pictures SET alt = $2, caption = $3, credit = $4 WHERE name = $1")
                .bind(name)
                .bind(&text.alt)
                .bind(&text.caption)
                .bind(&text.credit)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
        // Pages show the library's words, so cached pages must go.
        crate::site::bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn picture_uses(&self, name: &str) -> Result<Vec<PictureUse>, StoreError> {
        uses(&self.read, name).await
    }

    async fn delete_picture(&self, name: &str) -> Result<PictureDeletion, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let used = uses(&mut *tx, name).await?;
        if !used.is_empty() {
            return Ok(PictureDeletion::InUse(used));
        }
        sqlx::query("DELETE FROM picture_variants WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        let done = sqlx::query("DELETE FROM pictures WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(if done.rows_affected() == 1 {
            PictureDeletion::Deleted
        } else {
            PictureDeletion::NotFound
        })
    }
}

/// The stories whose hero or body names the picture's address.
async fn uses<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    name: &str,
) -> Result<Vec<PictureUse>, StoreError> {
    if !newsdesk_core::media::is_picture_name(name) {
        return Ok(Vec::new());
    }
    let pattern = format!("%/media/{name}%");
    let rows = sqlx::query(
        "SELECT slug, headline FROM articles WHERE hero LIKE $1 OR body LIKE $2 ORDER BY slug",
    )
    .bind(&pattern)
    .bind(&pattern)
    .fetch_all(db)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(PictureUse {
                slug: r.try_get(0).map_err(internal)?,
                headline: r.try_get(1).map_err(internal)?,
            })
        })
        .collect()
}
