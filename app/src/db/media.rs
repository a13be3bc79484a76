//! Uploaded files (issue 29): stored with their variants and audit entry in
//! one transaction, listed with where each is used, served by name, and
//! deleted only when nothing uses them.

use sqlx::SqlitePool;

use super::{
    audit::{audit, Actor, AuditEntry},
    begin_write,
    editing::{invalid, SaveError},
};
use crate::{
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        media::{
            place, Attachments, Download, Format, Illustration, MediaFile, Use, DOWNLOADS_MAX,
            DOWNLOAD_FIELD, FILE_FIELD, ILLUSTRATIONS_PATH, PLACES, PREFIX,
        },
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
    insert_by(pool, Some(user.id), &user.username, media, quota).await
}

/// [`insert`] on behalf of `actor`: an editor, or the content import
/// (no account).
pub async fn insert_by(
    pool: &SqlitePool,
    account: Option<i64>,
    actor: &str,
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
    .bind(actor)
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
            by: Actor {
                account_id: account,
                name: actor,
            },
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

/// Where the file `hash` is used: each resource it is attached to, each
/// resource and content page whose body names its address (once each), and
/// each place it illustrates.
pub async fn uses(conn: &mut sqlx::SqliteConnection, hash: &str) -> Result<Vec<Use>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT title, '/redaktor/ressurser/' || slug FROM resource WHERE instr(body, ?1) > 0
         UNION
         SELECT r.title, '/redaktor/ressurser/' || r.slug
           FROM resource_media rm JOIN resource r ON r.id = rm.resource_id
           JOIN media m ON m.id = rm.media_id WHERE m.hash = ?2
         UNION
         SELECT title, '/redaktor/sider/' || slug FROM page WHERE instr(body, ?1) > 0
         ORDER BY 1",
    )
    .bind(format!("{PREFIX}{hash}"))
    .bind(hash)
    .fetch_all(&mut *conn)
    .await?;
    let places: Vec<(String,)> = sqlx::query_as(
        "SELECT si.place FROM site_illustration si JOIN media m ON m.id = si.media_id
          WHERE m.hash = ?1",
    )
    .bind(hash)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(title, href)| Use { title, href })
        .chain(places.into_iter().filter_map(|(key,)| {
            place(&key).map(|p| Use {
                title: format!("Illustrasjon: {}", p.label),
                href: ILLUSTRATIONS_PATH.to_string(),
            })
        }))
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
    let mut files = all_files(pool).await?;
    let mut conn = pool.acquire().await?;
    for file in &mut files {
        file.uses = uses(&mut conn, &file.hash).await?;
    }
    Ok(files)
}

/// Every file, newest first, without where each is used (cheaper: what an
/// editor's form offers to paste).
pub async fn all_files(pool: &SqlitePool) -> Result<Vec<MediaFile>, sqlx::Error> {
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
            uses: Vec::new(),
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
    let uses = uses(&mut tx, hash).await?;
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

/// The documents attached to the resource `resource_id`, in their order.
pub async fn downloads<'e, E>(executor: E, resource_id: i64) -> Result<Vec<Download>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT m.hash, m.name, m.format, m.original_bytes
           FROM resource_media rm JOIN media m ON m.id = rm.media_id
          WHERE rm.resource_id = ?1 AND m.kind = 'document'
          ORDER BY rm.position, m.name",
    )
    .bind(resource_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().filter_map(download).collect())
}

fn download((hash, name, format, bytes): (String, String, String, i64)) -> Option<Download> {
    Some(Download {
        hash,
        name,
        format: Format::parse(&format)?,
        bytes,
    })
}

/// Every uploaded document, by name, and which the resource has attached.
pub async fn attachments(pool: &SqlitePool, resource_id: i64) -> Result<Attachments, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT hash, name, format, original_bytes FROM media
          WHERE kind = 'document' ORDER BY name COLLATE NOCASE, id",
    )
    .fetch_all(pool)
    .await?;
    let attached = downloads(pool, resource_id)
        .await?
        .into_iter()
        .map(|d| d.hash)
        .collect();
    Ok(Attachments {
        documents: rows.into_iter().filter_map(download).collect(),
        attached,
    })
}

/// Makes the documents `hashes` (in that order) the downloads of the
/// resource `resource_id`, with an audit entry, in one transaction. An
/// unknown hash or an image is refused by the field; nothing changes then.
/// Returns the resource's slug.
pub async fn set_downloads(
    pool: &SqlitePool,
    user: &User,
    resource_id: i64,
    hashes: &[String],
) -> Result<String, SaveError> {
    if hashes.len() > DOWNLOADS_MAX {
        return Err(invalid(
            DOWNLOAD_FIELD,
            format!("En ressurs kan ha høyst {DOWNLOADS_MAX} nedlastinger."),
        ));
    }
    let mut tx = begin_write(pool).await?;
    let (slug, title): (String, String) =
        sqlx::query_as("SELECT slug, title FROM resource WHERE id = ?1")
            .bind(resource_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(SaveError::NotFound)?;
    let mut ids = Vec::with_capacity(hashes.len());
    let mut names = Vec::with_capacity(hashes.len());
    for hash in hashes {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM media WHERE hash = ?1 AND kind = 'document'")
                .bind(hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((id, name)) = row else {
            return Err(invalid(
                DOWNLOAD_FIELD,
                "Et av dokumentene finnes ikke lenger. Velg blant dem som står i listen.",
            ));
        };
        if !ids.contains(&id) {
            ids.push(id);
            names.push(format!("«{name}»"));
        }
    }
    sqlx::query("DELETE FROM resource_media WHERE resource_id = ?1")
        .bind(resource_id)
        .execute(&mut *tx)
        .await?;
    for (position, id) in ids.iter().enumerate() {
        attach_in(&mut tx, resource_id, *id, position as i64).await?;
    }
    let summary = if names.is_empty() {
        format!("«{title}»: ingen nedlastinger")
    } else {
        format!("«{title}»: nedlastinger {}", names.join(", "))
    };
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Update,
            entity: AuditEntity::Resource,
            entity_id: Some(resource_id),
            summary: &summary,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(slug)
}

/// Attaches the file `media_id` to the resource at `position`; attaching
/// it twice changes nothing.
pub async fn attach_in(
    tx: &mut sqlx::SqliteConnection,
    resource_id: i64,
    media_id: i64,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO resource_media (resource_id, media_id, position) VALUES (?1, ?2, ?3)
         ON CONFLICT (resource_id, media_id) DO NOTHING",
    )
    .bind(resource_id)
    .bind(media_id)
    .bind(position)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Attaches the file `hash` to the resource after the downloads it has;
/// whether it was new (attaching twice changes nothing).
pub async fn attach(pool: &SqlitePool, resource_id: i64, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO resource_media (resource_id, media_id, position)
         SELECT ?1, m.id, (SELECT coalesce(max(position) + 1, 0) FROM resource_media WHERE resource_id = ?1)
           FROM media m WHERE m.hash = ?2
         ON CONFLICT (resource_id, media_id) DO NOTHING",
    )
    .bind(resource_id)
    .bind(hash)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The slugs of the resources each file is attached to, by hash.
pub async fn attached_slugs(
    pool: &SqlitePool,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.hash, r.slug FROM resource_media rm
           JOIN media m ON m.id = rm.media_id JOIN resource r ON r.id = rm.resource_id
          ORDER BY m.hash, r.slug",
    )
    .fetch_all(pool)
    .await?;
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (hash, slug) in rows {
        out.entry(hash).or_default().push(slug);
    }
    Ok(out)
}

/// The illustration of the place `key`, if an editor chose one.
pub async fn illustration(
    pool: &SqlitePool,
    key: &str,
) -> Result<Option<Illustration>, sqlx::Error> {
    let row: Option<(String, String, i64, i64, String, bool)> = sqlx::query_as(
        "SELECT m.hash, m.name, m.width, m.height, m.alt, m.decorative
           FROM site_illustration si JOIN media m ON m.id = si.media_id
          WHERE si.place = ?1 AND m.kind = 'image'",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(hash, name, width, height, alt, decorative)| {
        Illustration::of(&hash, &name, width as u32, height as u32, &alt, decorative)
    }))
}

/// The chosen image of every place that has one: (place, hash).
pub async fn illustrations(pool: &SqlitePool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT si.place, m.hash FROM site_illustration si JOIN media m ON m.id = si.media_id
          ORDER BY si.place",
    )
    .fetch_all(pool)
    .await
}

/// Gives each place in `chosen` (place, hash; "" for none) that image, with
/// an audit entry per change, in one transaction. A hash that names no
/// stored image is refused by its place's field; nothing changes then.
/// Returns how many places changed.
pub async fn set_illustrations(
    pool: &SqlitePool,
    user: &User,
    chosen: &[(String, String)],
) -> Result<usize, SaveError> {
    let mut tx = begin_write(pool).await?;
    let mut changed = 0;
    for place in PLACES {
        let Some((_, hash)) = chosen.iter().find(|(key, _)| key == place.key) else {
            continue;
        };
        let before: Option<(i64,)> =
            sqlx::query_as("SELECT media_id FROM site_illustration WHERE place = ?1")
                .bind(place.key)
                .fetch_optional(&mut *tx)
                .await?;
        let (id, summary) = if hash.is_empty() {
            if before.is_none() {
                continue;
            }
            sqlx::query("DELETE FROM site_illustration WHERE place = ?1")
                .bind(place.key)
                .execute(&mut *tx)
                .await?;
            (None, format!("{}: ingen illustrasjon", place.label))
        } else {
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT id, name FROM media WHERE hash = ?1 AND kind = 'image'")
                    .bind(hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((id, name)) = row else {
                return Err(invalid(
                    place.key,
                    "Bildet finnes ikke lenger. Velg et av bildene i listen.",
                ));
            };
            if before == Some((id,)) {
                continue;
            }
            sqlx::query(
                "INSERT INTO site_illustration (place, media_id, updated_by) VALUES (?1, ?2, ?3)
                 ON CONFLICT (place) DO UPDATE SET media_id = excluded.media_id,
                   updated_by = excluded.updated_by,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            )
            .bind(place.key)
            .bind(id)
            .bind(&user.username)
            .execute(&mut *tx)
            .await?;
            (Some(id), format!("{}: illustrasjon «{name}»", place.label))
        };
        audit(
            &mut *tx,
            AuditEntry {
                by: user.into(),
                action: AuditAction::Update,
                entity: AuditEntity::Media,
                entity_id: id,
                summary: &summary,
            },
        )
        .await?;
        changed += 1;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Makes the stored picture `hash` the illustration of `place` unless the
/// place has one (a content import); whether it did.
pub async fn illustrate_unless_set(
    pool: &SqlitePool,
    place: &str,
    hash: &str,
    by: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT OR IGNORE INTO site_illustration (place, media_id, updated_by)
         SELECT ?1, id, ?3 FROM media WHERE hash = ?2 AND kind = 'image'",
    )
    .bind(place)
    .bind(hash)
    .bind(by)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
