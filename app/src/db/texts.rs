//! The site texts in the database (server only); `texts.rs` defines them.

use sqlx::SqlitePool;

use crate::{
    db::audit::{audit, AuditEntry},
    db::editing::SaveError,
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        texts::{check, definition, fingerprint, Texts},
    },
};

/// Every stored text.
pub async fn all(pool: &SqlitePool) -> Result<Texts, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, text FROM site_text")
        .fetch_all(pool)
        .await?;
    Ok(Texts(rows.into_iter().collect()))
}

/// The texts whose key starts with `prefix`, by key.
pub async fn with_prefix(pool: &SqlitePool, prefix: &str) -> Result<Texts, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT key, text FROM site_text WHERE substr(key, 1, length(?1)) = ?1")
            .bind(prefix)
            .fetch_all(pool)
            .await?;
    Ok(Texts(rows.into_iter().collect()))
}

/// Adds the seed texts the database does not have; returns how many.
pub async fn seed_missing(pool: &SqlitePool, seed: &Texts) -> Result<usize, sqlx::Error> {
    let mut added = 0;
    for (key, text) in &seed.0 {
        added += sqlx::query(
            "INSERT INTO site_text (key, text) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(text)
        .execute(pool)
        .await?
        .rows_affected() as usize;
    }
    Ok(added)
}

/// The texts stored differently now than the form with `opened` showed
/// them: (key, text stored now).
pub async fn changed_since(
    pool: &SqlitePool,
    opened: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let stored = all(pool).await?;
    Ok(crate::domain::texts::SITE_TEXTS
        .iter()
        .map(|d| (d.key.to_string(), stored.get(d.key)))
        .filter(|(key, text)| opened.get(key) != Some(&fingerprint(text)))
        .collect())
}

/// Saves the texts that changed, in one transaction, with one audit entry.
/// Returns how many changed.
///
/// `opened` holds the fingerprints of the texts the form was opened with:
/// if any submitted text is stored differently now, someone else saved in
/// between and nothing is written (`SaveError::Conflict`; see
/// [`changed_since`] for which texts).
pub async fn save(
    pool: &SqlitePool,
    user: &User,
    submitted: &Texts,
    opened: &std::collections::BTreeMap<String, String>,
) -> Result<usize, SaveError> {
    let errors = check(submitted);
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let mut tx = super::begin_write(pool).await?;
    for key in submitted.0.keys() {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT text FROM site_text WHERE key = ?1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        if opened.get(key) != Some(&fingerprint(stored.as_deref().unwrap_or(""))) {
            // The texts have no single version: 0 stands for "changed".
            return Err(SaveError::Conflict { current_version: 0 });
        }
    }
    let mut changed = Vec::new();
    for (key, text) in &submitted.0 {
        if definition(key).is_none() {
            continue;
        }
        let n = sqlx::query(
            "INSERT INTO site_text (key, text, updated_by) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE site_text.text IS NOT excluded.text",
        )
        .bind(key)
        .bind(text)
        .bind(&user.username)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            changed.push(definition(key).map(|d| d.label).unwrap_or(key.as_str()));
        }
    }
    if !changed.is_empty() {
        let summary = format!("{} tekster: {}", changed.len(), changed.join(", "));
        audit(
            &mut *tx,
            AuditEntry {
                by: user.into(),
                action: AuditAction::Update,
                entity: AuditEntity::SiteText,
                entity_id: None,
                summary: &summary,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed.len())
}
