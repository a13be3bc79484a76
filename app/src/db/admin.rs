//! Queries for the editors' pages.

use sqlx::SqlitePool;

use crate::{domain::account::User, domain::resource::Dashboard};

pub async fn dashboard(pool: &SqlitePool, user: User) -> Result<Dashboard, sqlx::Error> {
    let drafts = sqlx::query_as(
        "SELECT slug, title, status, last_reviewed, updated_at FROM resource
          WHERE status = 'draft' ORDER BY updated_at DESC LIMIT 50",
    )
    .fetch_all(pool)
    .await?;
    let stale = sqlx::query_as(
        "SELECT slug, title, status, last_reviewed, updated_at FROM resource
          WHERE status = 'published'
            AND (last_reviewed IS NULL OR last_reviewed < date('now', '-12 months'))
          ORDER BY coalesce(last_reviewed, '') LIMIT 50",
    )
    .fetch_all(pool)
    .await?;
    // Editors see what happened to the content; accounts, sign-ins and the
    // taxonomy are the administrators' business (and their audit log page).
    let everything = user.role.allows(crate::domain::account::Role::Admin);
    let recent = sqlx::query_as(
        "SELECT at, actor, action, entity, summary FROM audit_log
          WHERE ?1 OR entity IN ('resource', 'page', 'organisation', 'consultation', 'feedback', 'site_text')
          ORDER BY id DESC LIMIT 20",
    )
    .bind(everything)
    .fetch_all(pool)
    .await?;
    Ok(Dashboard {
        user,
        drafts,
        stale,
        recent,
    })
}

/// The stored snapshot (JSON of a `ResourceInput`) of one version of a resource.
pub async fn version_snapshot(
    pool: &SqlitePool,
    id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT snapshot FROM resource_version WHERE resource_id = ?1 AND version = ?2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(pool)
    .await
}

/// Every organisation a resource may name, as (slug, name) by name.
pub async fn organisation_choices(pool: &SqlitePool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, name FROM organisation ORDER BY name")
        .fetch_all(pool)
        .await
}
