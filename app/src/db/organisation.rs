//! Organisations as editors manage them: the list, the form's stored data,
//! saving and deleting. Every change writes its audit entry in the same
//! transaction.

use std::collections::HashMap;

use sqlx::SqlitePool;

use super::editing::{invalid, SaveError};
use crate::{
    db::audit::{audit, AuditEntry},
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        form::FieldError,
        organisation::{OrganisationInput, OrganisationRow, StoredOrganisation},
    },
};

pub async fn organisations(pool: &SqlitePool) -> Result<Vec<OrganisationRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT o.slug, o.name, (SELECT count(*) FROM resource_organisation ro WHERE ro.organisation_id = o.id)
           FROM organisation o",
    )
    .fetch_all(pool)
    .await?;
    let mut rows: Vec<OrganisationRow> = rows
        .into_iter()
        .map(|(slug, name, uses)| OrganisationRow { slug, name, uses })
        .collect();
    rows.sort_by_cached_key(|r| crate::domain::norwegian_sort_key(&r.name));
    Ok(rows)
}

/// An organisation's own columns, as its public page and its form read them.
#[derive(Debug, sqlx::FromRow)]
pub struct OrganisationColumns {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub website: Option<String>,
    pub description: String,
    pub version: i64,
}

/// The organisation called `slug`, if any.
pub async fn columns(
    pool: &SqlitePool,
    slug: &str,
) -> Result<Option<OrganisationColumns>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, short_name, website, description, version FROM organisation WHERE slug = ?1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}

/// An organisation as stored, for its form: `None` when `slug` names none.
pub async fn organisation_form(
    pool: &SqlitePool,
    slug: &str,
) -> Result<Option<StoredOrganisation>, sqlx::Error> {
    let Some(OrganisationColumns {
        id,
        name,
        short_name,
        website,
        description,
        version,
    }) = columns(pool, slug).await?
    else {
        return Ok(None);
    };
    let mut chosen: Vec<(String, Vec<String>)> = Vec::new();
    for (facet, value) in sqlx::query_as::<_, (String, String)>(
        "SELECT v.facet_key, v.key FROM organisation_facet of JOIN facet_value v ON v.id = of.facet_value_id
           JOIN facet f ON f.key = v.facet_key WHERE of.organisation_id = ?1 ORDER BY f.position, v.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        match chosen.last_mut() {
            Some((f, values)) if *f == facet => values.push(value),
            _ => chosen.push((facet, vec![value])),
        }
    }
    let uses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM resource_organisation WHERE organisation_id = ?1")
            .bind(id)
            .fetch_one(pool)
            .await?;
    let input = OrganisationInput {
        slug: slug.to_string(),
        name,
        short_name: short_name.unwrap_or_default(),
        website: website.unwrap_or_default(),
        description,
        facets: chosen,
        version: Some(version),
    };
    Ok(Some(StoredOrganisation { id, input, uses }))
}

/// Creates (`id` = None) or updates an organisation.
pub async fn save_organisation(
    pool: &SqlitePool,
    user: &User,
    id: Option<i64>,
    input: OrganisationInput,
) -> Result<String, SaveError> {
    let input = input.normalised();
    let mut errors = input.check();
    let mut tx = super::begin_write(pool).await?;
    let facets: HashMap<String, (bool, String, String)> =
        sqlx::query_as::<_, (String, bool, String, String)>(
            "SELECT key, multiple, applies_to, label FROM facet",
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(k, m, a, l)| (k, (m, a, l)))
        .collect();
    let value_ids: HashMap<(String, String), i64> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT facet_key, key, id FROM facet_value WHERE retired = 0",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(f, k, id)| ((f, k), id))
    .collect();
    let mut chosen = Vec::new();
    for (facet, values) in &input.facets {
        let field = format!("facets.{facet}");
        match facets.get(facet) {
            Some((multiple, applies, _)) if applies != "resource" => {
                if !multiple && values.len() > 1 {
                    errors.push(FieldError::new(field.clone(), "Velg bare én."));
                }
                for value in values {
                    match value_ids.get(&(facet.clone(), value.clone())) {
                        Some(id) => chosen.push(*id),
                        None => errors.push(FieldError::new(
                            field.clone(),
                            format!("Ukjent valg «{value}»."),
                        )),
                    }
                }
            }
            _ => errors.push(FieldError::new(
                field,
                "Denne egenskapen gjelder ikke organisasjoner.",
            )),
        }
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM organisation WHERE slug = ?1")
        .bind(&input.slug)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() && taken != id {
        errors.push(FieldError::new(
            "slug",
            "Denne adressen er allerede i bruk. Velg en annen.",
        ));
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let short = (!input.short_name.is_empty()).then_some(&input.short_name);
    let website = (!input.website.is_empty()).then_some(&input.website);
    let (id, action) = match id {
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisation (slug, name, short_name, website, description) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            )
            .bind(&input.slug)
            .bind(&input.name)
            .bind(short)
            .bind(website)
            .bind(&input.description)
            .fetch_one(&mut *tx)
            .await?;
            (id, AuditAction::Create)
        }
        Some(id) => {
            // In the same write transaction as the update: no save can come
            // between the check and the write.
            let Some(current): Option<i64> =
                sqlx::query_scalar("SELECT version FROM organisation WHERE id = ?1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            else {
                return Err(SaveError::NotFound);
            };
            if input.version != Some(current) {
                return Err(SaveError::Conflict {
                    current_version: current,
                });
            }
            let done = sqlx::query(
                "UPDATE organisation SET slug = ?2, name = ?3, short_name = ?4, website = ?5, description = ?6,
                        version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                  WHERE id = ?1 AND version = ?7",
            )
            .bind(id)
            .bind(&input.slug)
            .bind(&input.name)
            .bind(short)
            .bind(website)
            .bind(&input.description)
            .bind(current)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(SaveError::NotFound);
            }
            (id, AuditAction::Update)
        }
    };
    sqlx::query("DELETE FROM organisation_facet WHERE organisation_id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for value in chosen {
        sqlx::query("INSERT OR IGNORE INTO organisation_facet (organisation_id, facet_value_id) VALUES (?1, ?2)")
            .bind(id)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    // Search finds resources by their organisations' names.
    let linked: Vec<i64> = sqlx::query_scalar(
        "SELECT resource_id FROM resource_organisation WHERE organisation_id = ?1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for resource in linked {
        crate::db::fts::index_resource(&mut tx, resource).await?;
    }
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action,
            entity: AuditEntity::Organisation,
            entity_id: Some(id),
            summary: &format!("«{}»", input.name),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(input.slug)
}

/// Deletes an organisation no resource names.
pub async fn delete_organisation(
    pool: &SqlitePool,
    user: &User,
    id: i64,
) -> Result<String, SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let name: String = sqlx::query_scalar("SELECT name FROM organisation WHERE id = ?1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)?;
    let uses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM resource_organisation WHERE organisation_id = ?1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if uses > 0 {
        return Err(invalid(
            "delete",
            format!(
                "«{name}» er ansvarlig for {uses} ressurs{}. Fjern organisasjonen fra dem først.",
                if uses == 1 { "" } else { "er" }
            ),
        ));
    }
    sqlx::query("DELETE FROM organisation WHERE id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Delete,
            entity: AuditEntity::Organisation,
            entity_id: Some(id),
            summary: &format!("«{name}»"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}
