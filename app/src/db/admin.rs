//! Queries for the editors' pages.

use sqlx::SqlitePool;

use crate::{
    api::admin::{AdminRow, AuditEntry, Dashboard},
    auth::User,
};

fn rows(rows: Vec<(String, String, String, Option<String>, String)>) -> Vec<AdminRow> {
    rows.into_iter()
        .map(|(slug, title, status, last_reviewed, updated_at)| AdminRow { slug, title, status, last_reviewed, updated_at })
        .collect()
}

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
    let recent = sqlx::query_as::<_, (String, String, String, String, String)>(
        "SELECT at, actor, action, entity, summary FROM audit_log ORDER BY id DESC LIMIT 20",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(at, actor, action, entity, summary)| AuditEntry { at, actor, action, entity, summary })
    .collect();
    Ok(Dashboard { user, drafts: rows(drafts), stale: rows(stale), recent })
}
