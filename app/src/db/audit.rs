//! The audit log, a page at a time.

use sqlx::SqlitePool;

use crate::domain::audit::{AuditAction, AuditPage, AUDIT_PAGE_SIZE};

pub async fn audit_page(pool: &SqlitePool, page: u32) -> Result<AuditPage, sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(pool)
        .await?;
    let pages = ((total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE).max(1) as u32;
    let page = page.min(pages);
    let entries = sqlx::query_as(
        "SELECT at, actor, action, entity, summary FROM audit_log ORDER BY id DESC LIMIT ?1 OFFSET ?2",
    )
    .bind(AUDIT_PAGE_SIZE)
    .bind((page as i64 - 1) * AUDIT_PAGE_SIZE)
    .fetch_all(pool)
    .await?;
    Ok(AuditPage {
        entries,
        page,
        pages,
        total,
    })
}

/// Appends to the audit log.
pub async fn audit<'e, E>(
    executor: E,
    account_id: Option<i64>,
    actor: &str,
    action: AuditAction,
    entity: &str,
    entity_id: Option<i64>,
    summary: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query(
        "INSERT INTO audit_log (account_id, actor, action, entity, entity_id, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(account_id)
    .bind(actor)
    .bind(action.key())
    .bind(entity)
    .bind(entity_id)
    .bind(summary)
    .execute(executor)
    .await?;
    Ok(())
}
