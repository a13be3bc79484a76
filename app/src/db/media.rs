//! Uploaded files (issue 29): stored with their variants and audit entry in
//! one transaction, listed with where each is used, served by name, and
//! deleted only when nothing uses them.

use sqlx::SqlitePool;

use super::{
    audit::{audit, AuditEntry},
    begin_write,
    editing::{invalid, SaveError},
};
use crate::{
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        media::{Format, MediaFile, Use, FILE_FIELD, PREFIX},
    },
};

/// A file ready to store: what the server decided and made of an upload.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub hash: String,
    pub format: Format,
    pub name: String,
    pub alt: String,
    pub decorative: bool,
    /// Images: the largest variant's size.
    pub width: u32,
    pub height: u32,
    pub original_bytes: i64,
    /// (width, content type, bytes): a document has one, at width 0.
    pub blobs: Vec<(u32, &'static str, Vec<u8>)>,
}

impl NewMedia {
    pub fn stored_bytes(&self) -> i64 {
        self.blobs.iter().map(|(_, _, b)| b.len() as i64).sum()
    }
}

/// What storing an upload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same bytes were uploaded before: nothing new was stored.
    AlreadyThere,
}

/// Stores `media` (its row, every variant and the audit entry) in one
/// write transaction, unless the site's total would pass `quota` bytes.
pub async fn insert(
    pool: &SqlitePool,
    user: &User,
    media: &NewMedia,
    quota: i64,
) -> Result<Stored, SaveError> {
    let mut tx = begin_write(pool).await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM media WHERE hash = ?1")
        .bind(&media.hash)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(Stored::AlreadyThere);
    }
    let used: i64 = sqlx::query_scalar("SELECT coalesce(sum(bytes), 0) FROM media")
        .fetch_one(&mut *tx)
        .await?;
    let bytes = media.stored_bytes();
    if used + bytes > quota {
        return Err(invalid(
            FILE_FIELD,
            format!(
                "Det er ikke plass til filen: nettstedet har brukt {} av {} til filer, og denne trenger {}. Slett filer som ikke er i bruk, eller be driftsansvarlig øke grensen (BLI_MEDIA_QUOTA_MB).",
                crate::domain::media::human_size(used),
                crate::domain::media::human_size(quota),
                crate::domain::media::human_size(bytes),
            ),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO media (hash, kind, format, name, alt, decorative, width, height, bytes, original_bytes, uploaded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
    )
    .bind(&media.hash)
    .bind(if media.format.is_image() { "image" } else { "document" })
    .bind(media.format.key())
    .bind(&media.name)
    .bind(&media.alt)
    .bind(media.decorative)
    .bind(media.format.is_image().then_some(media.width))
    .bind(media.format.is_image().then_some(media.height))
    .bind(bytes)
    .bind(media.original_bytes)
    .bind(&user.username)
    .fetch_one(&mut *tx)
    .await?;
    for (width, content_type, data) in &media.blobs {
        sqlx::query(
            "INSERT INTO media_blob (media_id, width, content_type, data) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(id)
        .bind(width)
        .bind(content_type)
        .bind(data.as_slice())
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Create,
            entity: AuditEntity::Media,
            entity_id: Some(id),
            summary: &format!(
                "«{}» ({}, {PREFIX}{})",
                media.name,
                media.format.label(),
                media.hash
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Stored::New)
}

/// Where the file `hash` is used: each resource and content page whose body
/// names its address.
pub async fn uses<'e, E>(executor: E, hash: &str) -> Result<Vec<Use>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT title, '/redaktor/ressurser/' || slug FROM resource WHERE instr(body, ?1) > 0
         UNION ALL
         SELECT title, '/redaktor/sider/' || slug FROM page WHERE instr(body, ?1) > 0
         ORDER BY 1",
    )
    .bind(format!("{PREFIX}{hash}"))
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(title, href)| Use { title, href })
        .collect())
}

type Row = (
    String,
    String,
    String,
    String,
    bool,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    String,
    String,
);

/// Every file, newest first, with where each is used.
pub async fn list(pool: &SqlitePool) -> Result<Vec<MediaFile>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT hash, format, name, alt, decorative, width, height, bytes, original_bytes, uploaded_by, uploaded_at
           FROM media ORDER BY id DESC",
    )
    .fetch_all(pool)
    .await?;
    let mut files = Vec::with_capacity(rows.len());
    for (hash, format, name, alt, decorative, width, height, bytes, original, by, at) in rows {
        let Some(format) = Format::parse(&format) else {
            continue;
        };
        let uses = uses(pool, &hash).await?;
        files.push(MediaFile {
            hash,
            format,
            name,
            alt,
            decorative,
            width: width.unwrap_or(0) as u32,
            height: height.unwrap_or(0) as u32,
            bytes,
            original_bytes: original,
            uploaded_by: by,
            uploaded_at: at,
            uses,
        });
    }
    Ok(files)
}

/// The bytes files take now.
pub async fn used_bytes(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT coalesce(sum(bytes), 0) FROM media")
        .fetch_one(pool)
        .await
}

/// One stored variant to serve: (content type, bytes, the document's name).
pub async fn blob(
    pool: &SqlitePool,
    hash: &str,
    width: u32,
) -> Result<Option<(String, Vec<u8>, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.content_type, b.data, m.name FROM media_blob b JOIN media m ON m.id = b.media_id
          WHERE m.hash = ?1 AND b.width = ?2",
    )
    .bind(hash)
    .bind(width)
    .fetch_optional(pool)
    .await
}

/// Deletes the file `hash` unless a resource or page uses it; the refusal
/// names where.
pub async fn delete(pool: &SqlitePool, user: &User, hash: &str) -> Result<String, SaveError> {
    let mut tx = begin_write(pool).await?;
    let (id, name): (i64, String) = sqlx::query_as("SELECT id, name FROM media WHERE hash = ?1")
        .bind(hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)?;
    let uses = uses(&mut *tx, hash).await?;
    if !uses.is_empty() {
        let titles: Vec<String> = uses.iter().map(|u| format!("«{}»", u.title)).collect();
        return Err(invalid(
            "delete",
            format!(
                "«{name}» er i bruk i {}. Fjern den derfra før du sletter den.",
                titles.join(", ")
            ),
        ));
    }
    sqlx::query("DELETE FROM media WHERE id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Delete,
            entity: AuditEntity::Media,
            entity_id: Some(id),
            summary: &format!("«{name}» ({PREFIX}{hash})"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}
