//! Content pages in the database (server only): reading, saving with a
//! version check, history, and filling in missing pages from the seed files.

use sqlx::SqlitePool;

use crate::{
    db::audit::{audit, AuditEntry},
    db::editing::SaveError,
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        page::{ContentPage, PageInput, PageRow},
        version::VersionRow,
    },
};

/// A published page, its body rendered through the sanitiser.
pub async fn page(pool: &SqlitePool, slug: &str) -> Result<Option<ContentPage>, sqlx::Error> {
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT slug, title, description, body, updated_at FROM page WHERE slug = ?1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(
        row.map(|(slug, title, description, body, updated_at)| ContentPage {
            slug,
            title,
            description,
            html: crate::markdown::render_kept(&body).to_string(),
            updated_at,
        }),
    )
}

/// Every page for the editors' list, in the order of `CONTENT_PAGES`.
pub async fn pages(pool: &SqlitePool) -> Result<Vec<PageRow>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT slug, title, updated_at, updated_by FROM page")
            .fetch_all(pool)
            .await?;
    let mut out: Vec<PageRow> = rows
        .into_iter()
        .map(|(slug, title, updated_at, updated_by)| PageRow {
            slug,
            title,
            updated_at,
            updated_by,
        })
        .collect();
    let order = |slug: &str| {
        crate::domain::page::CONTENT_PAGES
            .iter()
            .position(|(s, _)| *s == slug)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|row| order(&row.slug));
    Ok(out)
}

/// The editable fields of a page now, or of one of its saved versions.
pub async fn input(
    pool: &SqlitePool,
    slug: &str,
    version: Option<i64>,
) -> Result<Option<PageInput>, sqlx::Error> {
    let current: Option<(i64, String, String, String, i64)> =
        sqlx::query_as("SELECT id, title, description, body, version FROM page WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(pool)
            .await?;
    let Some((id, title, description, body, current_version)) = current else {
        return Ok(None);
    };
    let mut input = PageInput {
        title,
        description,
        body,
        version: current_version,
    };
    if let Some(v) = version.filter(|v| *v != current_version) {
        let old: Option<(String, String, String)> = sqlx::query_as(
            "SELECT title, description, body FROM page_version WHERE page_id = ?1 AND version = ?2",
        )
        .bind(id)
        .bind(v)
        .fetch_optional(pool)
        .await?;
        let Some((title, description, body)) = old else {
            return Ok(None);
        };
        // The form still names the current version, so saving an old text restores it.
        input = PageInput {
            title,
            description,
            body,
            version: current_version,
        };
    }
    Ok(Some(input))
}

/// A page's saved versions, newest first.
pub async fn versions(pool: &SqlitePool, slug: &str) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.version, coalesce(v.saved_by, 'innholdsfilene') AS \"by\", v.saved_at AS at
           FROM page_version v JOIN page p ON p.id = v.page_id
          WHERE p.slug = ?1 ORDER BY v.version DESC",
    )
    .bind(slug)
    .fetch_all(pool)
    .await
}

/// Saves an edited page as a new version, if nobody saved since the editor
/// opened it. The audit entry is written in the same transaction.
pub async fn save(
    pool: &SqlitePool,
    user: &User,
    slug: &str,
    input: &PageInput,
) -> Result<i64, SaveError> {
    let errors = input.check();
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let mut tx = super::begin_write(pool).await?;
    let Some((id, current)): Option<(i64, i64)> =
        sqlx::query_as("SELECT id, version FROM page WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Err(SaveError::NotFound);
    };
    if current != input.version {
        return Err(SaveError::Conflict {
            current_version: current,
        });
    }
    let version = current + 1;
    sqlx::query(
        "UPDATE page SET title = ?2, description = ?3, body = ?4, version = ?5, updated_by = ?6,
                updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
    )
    .bind(id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(&input.body)
    .bind(version)
    .bind(&user.username)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO page_version (page_id, version, title, description, body, saved_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(id)
        .bind(version)
        .bind(&input.title)
        .bind(&input.description)
        .bind(&input.body)
        .bind(&user.username)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Update,
            entity: AuditEntity::Page,
            entity_id: Some(id),
            summary: &format!("«{}»", input.title),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Inserts the pages that are missing (a new site, or a page added in a new
/// release). A page that exists is never touched, so editors' changes stay.
/// Returns how many pages were added.
pub async fn seed_missing(
    pool: &SqlitePool,
    seeds: &[crate::domain::page::PageDef],
) -> Result<usize, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let mut added = 0;
    for def in seeds {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO page (slug, title, description, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(&def.slug)
        .bind(&def.title)
        .bind(&def.description)
        .bind(&def.body)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = id {
            sqlx::query("INSERT INTO page_version (page_id, version, title, description, body) VALUES (?1, 1, ?2, ?3, ?4)")
                .bind(id)
                .bind(&def.title)
                .bind(&def.description)
                .bind(&def.body)
                .execute(&mut *tx)
                .await?;
            added += 1;
        }
    }
    tx.commit().await?;
    Ok(added)
}
