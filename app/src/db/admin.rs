//! Queries for the editors' pages.

use sqlx::SqlitePool;

use crate::{
    api::admin::{AdminRow, AuditEntry, Dashboard},
    auth::User,
};

fn rows(rows: Vec<(String, String, String, Option<String>, String)>) -> Vec<AdminRow> {
    rows.into_iter()
        .map(
            |(slug, title, status, last_reviewed, updated_at)| AdminRow {
                slug,
                title,
                status,
                last_reviewed,
                updated_at,
            },
        )
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
    // Editors see what happened to the content; accounts, sign-ins and the
    // taxonomy are the administrators' business (and their audit log page).
    let everything = user.role.allows(crate::auth::Role::Admin);
    let recent = sqlx::query_as::<_, (String, String, String, String, String)>(
        "SELECT at, actor, action, entity, summary FROM audit_log
          WHERE ?1 OR entity IN ('resource', 'page', 'organisation', 'consultation', 'feedback', 'site_text')
          ORDER BY id DESC LIMIT 20",
    )
    .bind(everything)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(at, actor, action, entity, summary)| AuditEntry {
        at,
        actor,
        action,
        entity,
        summary,
    })
    .collect();
    Ok(Dashboard {
        user,
        drafts: rows(drafts),
        stale: rows(stale),
        recent,
    })
}

/// Loads the resource form's data; `resubmitted` replaces the stored values.
pub async fn editor_data(
    pool: &SqlitePool,
    slug: Option<&str>,
    resubmitted: Option<crate::api::admin::Resubmitted>,
    saved: bool,
    version: Option<i64>,
) -> Result<crate::api::admin::EditorData, crate::error::AppError> {
    use crate::api::admin::EditorData;
    let facets = super::manage::facet_choices(pool, "resource").await?;
    let organisations = sqlx::query_as("SELECT slug, name FROM organisation ORDER BY name")
        .fetch_all(pool)
        .await?;
    let (id, stored) = match slug {
        Some(slug) => {
            let id: i64 = sqlx::query_scalar("SELECT id FROM resource WHERE slug = ?1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .ok_or(crate::error::AppError::NotFound)?;
            let mut conn = pool.acquire().await?;
            (
                Some(id),
                super::editing::load_input(&mut conn, id)
                    .await?
                    .ok_or(crate::error::AppError::NotFound)?,
            )
        }
        None => (
            None,
            crate::editing::ResourceInput {
                status: "draft".into(),
                ..Default::default()
            },
        ),
    };
    // An earlier version, shown in the form so it can be read and saved again.
    let stored = match (id, version) {
        (Some(id), Some(version)) if stored.version != Some(version) => {
            let snapshot: String = sqlx::query_scalar(
                "SELECT snapshot FROM resource_version WHERE resource_id = ?1 AND version = ?2",
            )
            .bind(id)
            .bind(version)
            .fetch_optional(pool)
            .await?
            .ok_or(crate::error::AppError::NotFound)?;
            let mut old: crate::editing::ResourceInput =
                serde_json::from_str(&snapshot).map_err(|err| {
                    tracing::error!(error = %err, "unreadable version snapshot");
                    crate::error::AppError::Internal
                })?;
            old.version = stored.version;
            old
        }
        _ => stored,
    };
    let versions = match id {
        Some(id) => super::editing::versions(pool, id).await?,
        None => Vec::new(),
    };
    let (input, errors, message, preview) = match resubmitted {
        Some(r) => (
            r.input,
            r.errors,
            (!r.message.is_empty()).then_some(r.message),
            r.preview,
        ),
        None => (stored, Vec::new(), None, None),
    };
    Ok(EditorData {
        id,
        input,
        facets,
        organisations,
        versions,
        errors,
        message,
        saved,
        preview,
    })
}
