//! The audit log, a page at a time.

use sqlx::SqlitePool;

use crate::domain::{
    account::User,
    audit::{AuditAction, AuditEntity, AuditPage, AUDIT_PAGE_SIZE},
};

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

/// Who made a change: a signed-in user, or the system on its own (`cli`,
/// the sign-in guard).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub account_id: Option<i64>,
    pub name: &'a str,
}

impl<'a> From<&'a User> for Actor<'a> {
    fn from(user: &'a User) -> Self {
        Actor {
            account_id: Some(user.id),
            name: &user.username,
        }
    }
}

/// One line of the audit log, as a write adds it.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    pub by: Actor<'a>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<i64>,
    pub summary: &'a str,
}

/// Appends to the audit log.
pub async fn audit<'e, E>(executor: E, entry: AuditEntry<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query(
        "INSERT INTO audit_log (account_id, actor, action, entity, entity_id, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(entry.by.account_id)
    .bind(entry.by.name)
    .bind(entry.action.key())
    .bind(entry.entity.key())
    .bind(entry.entity_id)
    .bind(entry.summary)
    .execute(executor)
    .await?;
    Ok(())
}
