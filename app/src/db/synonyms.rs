//! The synonym groups as admins edit them in the app (server only): the
//! save. The form's text and the rule for a group are in `domain::synonyms`.

use sqlx::SqlitePool;

use crate::{
    db::audit::{audit, AuditEntry},
    db::editing::SaveError,
    domain::account::User,
    domain::audit::{AuditAction, AuditEntity},
    domain::synonyms::{check, fingerprint},
};

/// Replaces the whole list (as the file import does) in one transaction,
/// with one audit entry. Returns whether anything changed. The triggers
/// bump `catalogue_version`, so searches use the new list at once. With
/// `opened` (the fingerprint of the list the form showed), a list changed
/// since is not overwritten: `SaveError::Conflict` (review 3, N5).
pub async fn save(
    pool: &SqlitePool,
    user: &User,
    groups: &[Vec<String>],
    opened: Option<&str>,
) -> Result<bool, SaveError> {
    let errors = check(groups);
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let wanted: Vec<String> = groups
        .iter()
        .map(|g| serde_json::to_string(g).expect("strings serialise"))
        .collect();
    let mut tx = super::begin_write(pool).await?;
    let current: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
    if current == wanted {
        return Ok(false);
    }
    if let Some(opened) = opened {
        let stored: Vec<Vec<String>> = current
            .iter()
            .filter_map(|terms| serde_json::from_str(terms).ok())
            .collect();
        if fingerprint(&stored) != opened {
            return Err(SaveError::Conflict { current_version: 0 });
        }
    }
    sqlx::query("DELETE FROM synonym_group")
        .execute(&mut *tx)
        .await?;
    for (position, terms) in wanted.iter().enumerate() {
        sqlx::query("INSERT INTO synonym_group (position, terms) VALUES (?1, ?2)")
            .bind(position as i64)
            .bind(terms)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Update,
            entity: AuditEntity::SynonymGroup,
            entity_id: None,
            summary: &format!("{} synonymgrupper", groups.len()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
