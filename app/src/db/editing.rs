//! Saving resources from the editors' forms (server only): the checks that
//! need the database, optimistic concurrency, a version snapshot and an
//! audit entry, all in the transaction of the change itself.

use std::collections::HashMap;

use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::{
    db::audit::{audit, AuditEntry},
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        form::FieldError,
        resource::{ResourceInput, ResourceStatus, ORGANISATIONS_MAX, RELATED_MAX},
        version::VersionRow,
    },
};

pub use crate::domain::form::{invalid, SaveError};

impl From<sqlx::Error> for SaveError {
    fn from(err: sqlx::Error) -> Self {
        if crate::error::storage_failure(&err).is_some() {
            return SaveError::Unavailable;
        }
        tracing::error!(error = %err, "saving a resource failed");
        SaveError::Db(err.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub id: i64,
    pub slug: String,
    pub version: i64,
    /// `catalogue_version` when the write began (for the index's in-place
    /// update: `CatalogueCache::resource_saved`).
    pub catalogue_before: i64,
}

/// A resource's own columns, as its form reads them.
#[derive(Debug, sqlx::FromRow)]
struct ResourceColumns {
    slug: String,
    title: String,
    summary: String,
    body: String,
    #[sqlx(try_from = "String")]
    status: ResourceStatus,
    last_reviewed: Option<String>,
    reviewed_source_label: Option<String>,
    reviewed_source_url: Option<String>,
    version: i64,
    started: Option<i64>,
    ended: Option<i64>,
}

/// The resource as the form shows it, with its current version.
pub async fn load_input(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> Result<Option<ResourceInput>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, ResourceColumns>(
        "SELECT slug, title, summary, body, status, last_reviewed, reviewed_source_label, reviewed_source_url, version,
                started, ended
           FROM resource WHERE id = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut facets: Vec<(String, Vec<String>)> = Vec::new();
    for (facet, value) in sqlx::query_as::<_, (String, String)>(
        "SELECT v.facet_key, v.key FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id
           JOIN facet f ON f.key = v.facet_key WHERE rf.resource_id = ?1 ORDER BY f.position, v.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    {
        match facets.last_mut() {
            Some((f, values)) if *f == facet => values.push(value),
            _ => facets.push((facet, vec![value])),
        }
    }
    let organisations = sqlx::query_scalar(
        "SELECT o.slug FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
          WHERE ro.resource_id = ?1 ORDER BY ro.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let links = sqlx::query_as(
        "SELECT label, url FROM resource_link WHERE resource_id = ?1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let related = sqlx::query_scalar(
        "SELECT r.slug FROM resource_relation rr JOIN resource r ON r.id = rr.related_id
          WHERE rr.resource_id = ?1 ORDER BY rr.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(ResourceInput {
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        body: row.body,
        status: row.status.key().to_string(),
        last_reviewed: row.last_reviewed.unwrap_or_default(),
        reviewed_source_label: row.reviewed_source_label.unwrap_or_default(),
        reviewed_source_url: row.reviewed_source_url.unwrap_or_default(),
        started: row.started.map(|y| y.to_string()).unwrap_or_default(),
        ended: row.ended.map(|y| y.to_string()).unwrap_or_default(),
        facets,
        organisations,
        links,
        related,
        version: Some(row.version),
    }))
}

/// Creates (`id` = None) or updates a resource from an editor's input.
pub async fn save(
    pool: &SqlitePool,
    user: &User,
    id: Option<i64>,
    input: ResourceInput,
) -> Result<Saved, SaveError> {
    let input = input.normalised();
    let mut errors = input.check();
    let mut tx = super::begin_write(pool).await?;
    let catalogue_before: i64 = sqlx::query_scalar("SELECT version FROM catalogue_version")
        .fetch_one(&mut *tx)
        .await?;

    // Facets: known, for resources, not retired, and the single-valued ones single.
    let facet_rows =
        sqlx::query_as::<_, (String, bool, String)>("SELECT key, multiple, applies_to FROM facet")
            .fetch_all(&mut *tx)
            .await?;
    let facets: HashMap<String, (bool, String)> = facet_rows
        .into_iter()
        .map(|(k, m, a)| (k, (m, a)))
        .collect();
    let value_ids: HashMap<(String, String), i64> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT facet_key, key, id FROM facet_value WHERE retired = 0",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(f, k, id)| ((f, k), id))
    .collect();
    let mut chosen_values: Vec<i64> = Vec::new();
    for (facet, values) in &input.facets {
        let field = format!("facets.{facet}");
        match facets.get(facet) {
            Some((_, applies)) if applies == "organisation" => errors.push(FieldError::new(
                field,
                "Denne egenskapen gjelder ikke ressurser.",
            )),
            None => errors.push(FieldError::new(field, "Ukjent egenskap.")),
            Some((multiple, _)) => {
                if !multiple && values.len() > 1 {
                    errors.push(FieldError::new(field.clone(), "Velg bare én."));
                }
                for value in values {
                    match value_ids.get(&(facet.clone(), value.clone())) {
                        Some(id) => chosen_values.push(*id),
                        None => errors.push(FieldError::new(
                            field.clone(),
                            format!("Ukjent valg «{value}»."),
                        )),
                    }
                }
            }
        }
    }

    let mut org_ids = Vec::new();
    for slug in input.organisations.iter().take(ORGANISATIONS_MAX + 1) {
        match sqlx::query_scalar::<_, i64>("SELECT id FROM organisation WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?
        {
            Some(org) => org_ids.push(org),
            None => errors.push(FieldError::new(
                "organisations",
                format!("Ukjent organisasjon «{slug}»."),
            )),
        }
    }
    let mut related_ids = Vec::new();
    for slug in input.related.iter().take(RELATED_MAX + 1) {
        match sqlx::query_scalar::<_, i64>("SELECT id FROM resource WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?
        {
            Some(rid) if Some(rid) != id => related_ids.push(rid),
            Some(_) => errors.push(FieldError::new(
                "related",
                "En ressurs kan ikke være relatert til seg selv.",
            )),
            None => errors.push(FieldError::new(
                "related",
                format!("Ukjent ressurs «{slug}»."),
            )),
        }
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM resource WHERE slug = ?1")
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

    // The date and its source together, or none of them.
    let reviewed = if input.last_reviewed.is_empty() {
        (None, None, None)
    } else {
        (
            Some(&input.last_reviewed),
            Some(&input.reviewed_source_label),
            Some(&input.reviewed_source_url),
        )
    };
    let (started, ended) = input.years();
    let (id, action) = match id {
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO resource (slug, title, summary, body, status, last_reviewed, reviewed_source_label, reviewed_source_url,
                                       started, ended)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
            )
            .bind(&input.slug)
            .bind(&input.title)
            .bind(&input.summary)
            .bind(&input.body)
            .bind(&input.status)
            .bind(reviewed.0)
            .bind(reviewed.1)
            .bind(reviewed.2)
            .bind(started)
            .bind(ended)
            .fetch_one(&mut *tx)
            .await?;
            (id, AuditAction::Create)
        }
        Some(id) => {
            let Some(current): Option<i64> =
                sqlx::query_scalar("SELECT version FROM resource WHERE id = ?1")
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
            sqlx::query(
                "UPDATE resource SET slug = ?2, title = ?3, summary = ?4, body = ?5, status = ?6, last_reviewed = ?7,
                        reviewed_source_label = ?8, reviewed_source_url = ?9, started = ?11, ended = ?12,
                        version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                  WHERE id = ?1 AND version = ?10",
            )
            .bind(id)
            .bind(&input.slug)
            .bind(&input.title)
            .bind(&input.summary)
            .bind(&input.body)
            .bind(&input.status)
            .bind(reviewed.0)
            .bind(reviewed.1)
            .bind(reviewed.2)
            .bind(current)
            .bind(started)
            .bind(ended)
            .execute(&mut *tx)
            .await?;
            (id, AuditAction::Update)
        }
    };
    write_children(
        &mut tx,
        id,
        &chosen_values,
        &org_ids,
        &input.links,
        &related_ids,
    )
    .await?;
    crate::db::fts::index_resource(&mut tx, id).await?;
    let snapshot = load_input(&mut tx, id).await?.ok_or(SaveError::NotFound)?;
    let version = snapshot.version.unwrap_or(1);
    sqlx::query("INSERT INTO resource_version (resource_id, version, snapshot, account_id, actor) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(id)
        .bind(version)
        .bind(serde_json::to_string(&snapshot).map_err(|e| SaveError::Db(e.to_string()))?)
        .bind(user.id)
        .bind(&user.username)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action,
            entity: AuditEntity::Resource,
            entity_id: Some(id),
            summary: &format!("«{}» (versjon {version})", input.title),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Saved {
        id,
        slug: input.slug,
        version,
        catalogue_before,
    })
}

/// Replaces a resource's facet values, organisations, links and related
/// resources. Used by the editors' form and by the content importer.
pub async fn write_children(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    values: &[i64],
    orgs: &[i64],
    links: &[(String, String)],
    related: &[i64],
) -> Result<(), sqlx::Error> {
    for table in [
        "resource_facet",
        "resource_organisation",
        "resource_link",
        "resource_relation",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE resource_id = ?1"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    for value in values {
        sqlx::query(
            "INSERT OR IGNORE INTO resource_facet (resource_id, facet_value_id) VALUES (?1, ?2)",
        )
        .bind(id)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    }
    for (position, org) in orgs.iter().enumerate() {
        sqlx::query("INSERT OR IGNORE INTO resource_organisation (resource_id, organisation_id, position) VALUES (?1, ?2, ?3)")
            .bind(id)
            .bind(org)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }
    for (position, (label, url)) in links.iter().enumerate() {
        sqlx::query(
            "INSERT INTO resource_link (resource_id, position, label, url) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(label)
        .bind(url)
        .execute(&mut **tx)
        .await?;
    }
    for (position, rel) in related.iter().enumerate() {
        sqlx::query("INSERT OR IGNORE INTO resource_relation (resource_id, related_id, position) VALUES (?1, ?2, ?3)")
            .bind(id)
            .bind(rel)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Earlier versions of a resource, newest first.
pub async fn versions(pool: &SqlitePool, id: i64) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as("SELECT version, actor AS \"by\", at FROM resource_version WHERE resource_id = ?1 ORDER BY version DESC")
        .bind(id)
        .fetch_all(pool)
        .await
}

/// Saves an earlier version's content as the newest version.
pub async fn restore(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    version: i64,
) -> Result<Saved, SaveError> {
    let snapshot: Option<String> = sqlx::query_scalar(
        "SELECT snapshot FROM resource_version WHERE resource_id = ?1 AND version = ?2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(pool)
    .await?;
    let mut input: ResourceInput = serde_json::from_str(&snapshot.ok_or(SaveError::NotFound)?)
        .map_err(|e| SaveError::Db(e.to_string()))?;
    let current: i64 = sqlx::query_scalar("SELECT version FROM resource WHERE id = ?1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(SaveError::NotFound)?;
    input.version = Some(current);
    save(pool, user, Some(id), input).await
}

// ── Publishing and deleting ──────────────────────────────────────────────

/// Publishes or unpublishes a resource, as a new version. `version` is the
/// one the editor saw; an older one is a conflict.
pub async fn set_status(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    status: ResourceStatus,
    version: Option<i64>,
) -> Result<Saved, SaveError> {
    let mut conn = pool.acquire().await?;
    let mut input = load_input(&mut conn, id)
        .await?
        .ok_or(SaveError::NotFound)?;
    drop(conn);
    input.status = status.key().to_string();
    input.version = version;
    save(pool, user, Some(id), input).await
}

/// Deletes a resource with its links and versions. Resources that named it
/// as related or as their successor simply lose that link.
pub async fn delete_resource(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    version: Option<i64>,
) -> Result<String, SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let (title, current): (String, i64) =
        sqlx::query_as("SELECT title, version FROM resource WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(SaveError::NotFound)?;
    if version != Some(current) {
        return Err(SaveError::Conflict {
            current_version: current,
        });
    }
    sqlx::query("DELETE FROM resource WHERE id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM resource_fts WHERE rowid = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Delete,
            entity: AuditEntity::Resource,
            entity_id: Some(id),
            summary: &format!("«{title}»"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(title)
}
