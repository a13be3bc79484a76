//! Writing a checked content set (`content::load_dir`) into the database,
//! all or nothing.

use std::collections::HashMap;

use sqlx::SqlitePool;

use crate::domain::content::{ContentSet, OneOrMany};

/// What an import changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub facets: usize,
    pub facet_values: usize,
    pub organisations: usize,
    pub resources_created: usize,
    pub resources_updated: usize,
    pub resources_unchanged: usize,
}

/// How many resources there are (the import at first start checks for none).
pub async fn resource_count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM resource")
        .fetch_one(pool)
        .await
}

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// Upserts a checked content set in one transaction.
pub async fn import(pool: &SqlitePool, set: &ContentSet) -> Result<ImportReport, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let mut report = ImportReport::default();

    // Facets and values → ids keyed by (facet, value).
    let mut value_ids: HashMap<(String, String), i64> = HashMap::new();
    for (position, facet) in set.facets.iter().enumerate() {
        sqlx::query(
            "INSERT INTO facet (key, label, description, multiple, applies_to, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (key) DO UPDATE SET label = excluded.label,
                 description = excluded.description, multiple = excluded.multiple,
                 applies_to = excluded.applies_to, position = excluded.position",
        )
        .bind(&facet.key)
        .bind(&facet.label)
        .bind(&facet.description)
        .bind(facet.multiple)
        .bind(&facet.applies_to)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
        report.facets += 1;
        for (vpos, value) in facet.values.iter().enumerate() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO facet_value (facet_key, key, label, position) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (facet_key, key) DO UPDATE SET label = excluded.label,
                     position = excluded.position
                 RETURNING id",
            )
            .bind(&facet.key)
            .bind(&value.key)
            .bind(&value.label)
            .bind(vpos as i64)
            .fetch_one(&mut *tx)
            .await?;
            value_ids.insert((facet.key.clone(), value.key.clone()), id);
            report.facet_values += 1;
        }
    }

    // Organisations.
    let mut org_ids: HashMap<&str, i64> = HashMap::new();
    for org in &set.organisations {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisation (slug, name, short_name, website, description)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
                 short_name = excluded.short_name, website = excluded.website,
                 description = excluded.description
             RETURNING id",
        )
        .bind(&org.slug)
        .bind(&org.name)
        .bind(&org.short_name)
        .bind(&org.website)
        .bind(&org.description)
        .fetch_one(&mut *tx)
        .await?;
        org_ids.insert(&org.slug, id);
        let values: Vec<(String, String)> = org
            .facets
            .iter()
            .flat_map(|(facet, v): (&String, &OneOrMany)| {
                v.values()
                    .into_iter()
                    .map(move |value| (facet.clone(), value))
            })
            .collect();
        sqlx::query("DELETE FROM organisation_facet WHERE organisation_id = ?1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for key in values {
            sqlx::query(
                "INSERT INTO organisation_facet (organisation_id, facet_value_id) VALUES (?1, ?2)",
            )
            .bind(id)
            .bind(value_ids[&key])
            .execute(&mut *tx)
            .await?;
        }
        report.organisations += 1;
    }

    // Resources, first the rows, then the links between them.
    let mut resource_ids: HashMap<&str, i64> = HashMap::new();
    for r in &set.resources {
        let f = &r.front;
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM resource WHERE slug = ?1")
            .bind(&r.slug)
            .fetch_optional(&mut *tx)
            .await?;
        let id = match existing {
            None => {
                report.resources_created += 1;
                sqlx::query_scalar(
                    "INSERT INTO resource (slug, title, summary, body, status, last_reviewed,
                                           reviewed_source_label, reviewed_source_url, started, ended)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                )
                .bind(&r.slug)
                .bind(&f.title)
                .bind(&f.summary)
                .bind(&r.body)
                .bind(&f.status)
                .bind(&f.last_reviewed)
                .bind(f.reviewed_source.as_ref().map(|s| &s.label))
                .bind(f.reviewed_source.as_ref().map(|s| &s.url))
                .bind(f.started)
                .bind(f.ended)
                .fetch_one(&mut *tx)
                .await?
            }
            Some(id) => {
                // Only a real change bumps the version and the update time.
                let changed = sqlx::query(&format!(
                    "UPDATE resource SET title = ?2, summary = ?3, body = ?4, status = ?5,
                         last_reviewed = ?6, reviewed_source_label = ?7, reviewed_source_url = ?8,
                         started = ?9, ended = ?10,
                         version = version + 1, updated_at = {NOW}
                      WHERE id = ?1 AND (title IS NOT ?2 OR summary IS NOT ?3 OR body IS NOT ?4
                         OR status IS NOT ?5 OR last_reviewed IS NOT ?6
                         OR reviewed_source_label IS NOT ?7 OR reviewed_source_url IS NOT ?8
                         OR started IS NOT ?9 OR ended IS NOT ?10)"
                ))
                .bind(id)
                .bind(&f.title)
                .bind(&f.summary)
                .bind(&r.body)
                .bind(&f.status)
                .bind(&f.last_reviewed)
                .bind(f.reviewed_source.as_ref().map(|s| &s.label))
                .bind(f.reviewed_source.as_ref().map(|s| &s.url))
                .bind(f.started)
                .bind(f.ended)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed > 0 {
                    report.resources_updated += 1;
                } else {
                    report.resources_unchanged += 1;
                }
                id
            }
        };
        resource_ids.insert(&r.slug, id);

        let values: Vec<i64> = f
            .facets
            .iter()
            .flat_map(|(facet, values)| {
                values
                    .iter()
                    .map(|v| value_ids[&(facet.clone(), v.clone())])
            })
            .collect();
        let orgs: Vec<i64> = f
            .organisations
            .iter()
            .map(|o| org_ids[o.as_str()])
            .collect();
        let links: Vec<(String, String)> = f
            .links
            .iter()
            .map(|l| (l.label.clone(), l.url.clone()))
            .collect();
        // Relations are written below, once every resource has an id.
        super::editing::write_children(&mut tx, id, &values, &orgs, &links, &[]).await?;
    }

    for r in &set.resources {
        let id = resource_ids[r.slug.as_str()];
        for (position, related) in r.front.related.iter().enumerate() {
            sqlx::query("INSERT INTO resource_relation (resource_id, related_id, position) VALUES (?1, ?2, ?3)")
                .bind(id)
                .bind(resource_ids[related.as_str()])
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
        }
        let replaced_by = r
            .front
            .replaced_by
            .as_deref()
            .map(|slug| resource_ids[slug]);
        sqlx::query(
            "UPDATE resource SET replaced_by_id = ?2 WHERE id = ?1 AND replaced_by_id IS NOT ?2",
        )
        .bind(id)
        .bind(replaced_by)
        .execute(&mut *tx)
        .await?;
    }

    // The synonym list is replaced as a whole: the file is the list.
    let current: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
    let wanted: Vec<String> = set
        .synonyms
        .iter()
        .map(|g| serde_json::to_string(g).expect("strings serialise"))
        .collect();
    if current != wanted {
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
    }

    for id in resource_ids.values() {
        super::fts::index_resource(&mut tx, *id).await?;
    }

    tx.commit().await?;
    Ok(report)
}
