//! The small reads the form handlers make before a write: which row a URL's
//! slug or reference names. `None` when there is none (the handler's 404).

use sqlx::SqlitePool;

/// The id of the resource with this slug.
pub async fn resource_id(pool: &SqlitePool, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM resource WHERE slug = ?1")
        .bind(slug)
        .fetch_optional(pool)
        .await
}

/// The id of the organisation with this slug.
pub async fn organisation_id(pool: &SqlitePool, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM organisation WHERE slug = ?1")
        .bind(slug)
        .fetch_optional(pool)
        .await
}

/// The id of the consultation round with this slug.
pub async fn round_id(pool: &SqlitePool, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM consultation WHERE slug = ?1")
        .bind(slug)
        .fetch_optional(pool)
        .await
}

/// The status key of the feedback with this reference.
pub async fn feedback_status(
    pool: &SqlitePool,
    reference: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT status FROM feedback WHERE reference = ?1")
        .bind(reference)
        .fetch_optional(pool)
        .await
}
