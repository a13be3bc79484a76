//! The taxonomy as forms offer it and administrators manage it: adding,
//! renaming, moving and retiring facet values. Every change writes its
//! audit entry in the same transaction.

use sqlx::SqlitePool;

use super::editing::{invalid, SaveError};
use crate::{
    db::audit::{audit, AuditEntry},
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        catalogue::FacetValue,
        form::FieldError,
        slugify,
        taxonomy::{check_value_label, FacetAdmin, FacetChoices, ValueAdmin},
    },
};

/// Facets (with their live values) that apply to `target` ("resource" or "organisation").
pub async fn facet_choices(
    pool: &SqlitePool,
    target: &str,
) -> Result<Vec<FacetChoices>, sqlx::Error> {
    let mut facets: Vec<FacetChoices> = Vec::new();
    for (key, label, multiple, value_key, value_label) in sqlx::query_as::<_, (String, String, bool, String, String)>(
        "SELECT f.key, f.label, f.multiple, v.key, v.label FROM facet f JOIN facet_value v ON v.facet_key = f.key
          WHERE f.applies_to IN (?1, 'both') AND v.retired = 0 ORDER BY f.position, v.position",
    )
    .bind(target)
    .fetch_all(pool)
    .await?
    {
        let value = FacetValue { key: value_key, label: value_label };
        match facets.last_mut() {
            Some(f) if f.key == key => f.values.push(value),
            _ => facets.push(FacetChoices { key, label, multiple, values: vec![value] }),
        }
    }
    Ok(facets)
}

pub async fn taxonomy(pool: &SqlitePool) -> Result<Vec<FacetAdmin>, sqlx::Error> {
    let mut facets: Vec<FacetAdmin> =
        sqlx::query_as::<_, (String, String)>("SELECT key, label FROM facet ORDER BY position")
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(key, label)| FacetAdmin {
                key,
                label,
                values: Vec::new(),
            })
            .collect();
    for (facet, id, key, label, retired, uses) in
        sqlx::query_as::<_, (String, i64, String, String, bool, i64)>(
            "SELECT v.facet_key, v.id, v.key, v.label, v.retired,
                (SELECT count(*) FROM resource_facet rf WHERE rf.facet_value_id = v.id)
                + (SELECT count(*) FROM organisation_facet of WHERE of.facet_value_id = v.id)
           FROM facet_value v ORDER BY v.position, v.id",
        )
        .fetch_all(pool)
        .await?
    {
        if let Some(f) = facets.iter_mut().find(|f| f.key == facet) {
            f.values.push(ValueAdmin {
                id,
                key,
                label,
                retired,
                uses,
            });
        }
    }
    Ok(facets)
}

/// Adds a value at the end of a facet. The key is made from the label.
pub async fn add_value(
    pool: &SqlitePool,
    user: &User,
    facet: &str,
    label: &str,
) -> Result<i64, SaveError> {
    let label = label.trim();
    if let Some(error) = check_value_label(label) {
        return Err(SaveError::Invalid(vec![error]));
    }
    let key = slugify(label);
    if key.is_empty() {
        return Err(invalid(
            "label",
            "Navnet må ha minst én bokstav eller ett tall.",
        ));
    }
    let mut tx = super::begin_write(pool).await?;
    let facet_label: String = sqlx::query_scalar("SELECT label FROM facet WHERE key = ?1")
        .bind(facet)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)?;
    let exists: Option<String> = sqlx::query_scalar("SELECT label FROM facet_value WHERE facet_key = ?1 AND (key = ?2 OR lower(label) = lower(?3))")
        .bind(facet)
        .bind(&key)
        .bind(label)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(existing) = exists {
        return Err(invalid(
            "label",
            format!("«{existing}» finnes allerede under {facet_label}."),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO facet_value (facet_key, key, label, position)
         VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM facet_value WHERE facet_key = ?1)) RETURNING id",
    )
    .bind(facet)
    .bind(&key)
    .bind(label)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Create,
            entity: AuditEntity::FacetValue,
            entity_id: Some(id),
            summary: &format!("{facet_label}: «{label}»"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn value_row(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
) -> Result<(String, String), SaveError> {
    sqlx::query_as("SELECT facet_key, label FROM facet_value WHERE id = ?1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)
}

/// Renames a value; its key (used in links) stays, so shared URLs keep working.
/// With `opened` (the name the form showed), a value renamed by someone
/// else since is not renamed again over it: `SaveError::Conflict` (review
/// 3, N5).
pub async fn rename_value(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    label: &str,
    opened: Option<&str>,
) -> Result<(), SaveError> {
    let label = label.trim();
    if let Some(error) = check_value_label(label) {
        return Err(SaveError::Invalid(vec![error]));
    }
    let mut tx = super::begin_write(pool).await?;
    let (facet, old) = value_row(&mut tx, id).await?;
    if opened.is_some_and(|opened| opened != old) {
        return Err(SaveError::Conflict { current_version: 0 });
    }
    let clash: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM facet_value WHERE facet_key = ?1 AND lower(label) = lower(?2) AND id <> ?3",
    )
    .bind(&facet)
    .bind(label)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if clash.is_some() {
        return Err(invalid("label", format!("«{label}» finnes allerede.")));
    }
    sqlx::query("UPDATE facet_value SET label = ?2 WHERE id = ?1")
        .bind(id)
        .bind(label)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Rename,
            entity: AuditEntity::FacetValue,
            entity_id: Some(id),
            summary: &format!("«{old}» → «{label}»"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a value one place up or down within its facet.
pub async fn move_value(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    up: bool,
) -> Result<(), SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let (facet, label) = value_row(&mut tx, id).await?;
    let mut ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM facet_value WHERE facet_key = ?1 ORDER BY position, id")
            .bind(&facet)
            .fetch_all(&mut *tx)
            .await?;
    let Some(at) = ids.iter().position(|v| *v == id) else {
        return Err(SaveError::NotFound);
    };
    let to = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|t| *t < ids.len())
    };
    let Some(to) = to else { return Ok(()) };
    ids.swap(at, to);
    for (position, value) in ids.iter().enumerate() {
        sqlx::query("UPDATE facet_value SET position = ?2 WHERE id = ?1")
            .bind(value)
            .bind(position as i64 + 1)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: if up {
                AuditAction::MoveUp
            } else {
                AuditAction::MoveDown
            },
            entity: AuditEntity::FacetValue,
            entity_id: Some(id),
            summary: &format!("«{label}»"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How many resources and organisations carry a value.
pub async fn value_uses(pool: &SqlitePool, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM resource_facet WHERE facet_value_id = ?1)
              + (SELECT count(*) FROM organisation_facet WHERE facet_value_id = ?1)",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

/// Retires (or brings back) a value. A retired value stays on what already
/// carries it but is offered nowhere. Retiring one in use needs `confirmed`,
/// given after the editor has been told how many use it.
pub async fn set_retired(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    retired: bool,
    confirmed: bool,
) -> Result<(), SaveError> {
    let uses = value_uses(pool, id).await?;
    let mut tx = super::begin_write(pool).await?;
    let (_, label) = value_row(&mut tx, id).await?;
    if retired && uses > 0 && !confirmed {
        return Err(SaveError::Invalid(vec![FieldError::new(
            "confirm",
            format!("«{label}» brukes av {uses}."),
        )]));
    }
    sqlx::query("UPDATE facet_value SET retired = ?2 WHERE id = ?1")
        .bind(id)
        .bind(retired)
        .execute(&mut *tx)
        .await?;
    let summary = format!("«{label}» (brukt av {uses})");
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: if retired {
                AuditAction::Retire
            } else {
                AuditAction::Reinstate
            },
            entity: AuditEntity::FacetValue,
            entity_id: Some(id),
            summary: &summary,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
