//! Read queries for the public catalogue.

use std::collections::HashMap;

use sqlx::{FromRow, SqlitePool};

use crate::domain::catalogue::{
    practice_text, EntryPath, FacetGroup, FacetValue, HomeData, Link, OrganisationRef,
    ResourceCard, ResourceDetail, ResourceRef, NATIONWIDE, PRACTICE_STATUS_FACET, REGION_FACET,
};

#[derive(FromRow)]
struct CardRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    updated_at: String,
    started: Option<i64>,
    ended: Option<i64>,
}

#[derive(FromRow)]
struct FacetLinkRow {
    resource_id: i64,
    facet_key: String,
    facet_label: String,
    value_key: String,
    value_label: String,
}

/// Serialises ids for `json_each(?)`, the way to bind a list in SQLite.
fn id_list(ids: &[i64]) -> String {
    let mut s = String::from("[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s.push(']');
    s
}

/// The facet values of many resources at once, in facet and value order.
async fn facet_links(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<FacetLinkRow>, sqlx::Error> {
    sqlx::query_as::<_, FacetLinkRow>(
        "SELECT rf.resource_id, f.key AS facet_key, f.label AS facet_label,
                v.key AS value_key, v.label AS value_label
           FROM resource_facet rf
           JOIN facet_value v ON v.id = rf.facet_value_id
           JOIN facet f ON f.key = v.facet_key
          WHERE rf.resource_id IN (SELECT value FROM json_each(?1))
          ORDER BY f.position, v.position",
    )
    .bind(id_list(ids))
    .fetch_all(pool)
    .await
}

/// Builds list cards for the given resources, keeping the order of `rows`.
async fn cards(pool: &SqlitePool, rows: Vec<CardRow>) -> Result<Vec<ResourceCard>, sqlx::Error> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut kinds: HashMap<i64, String> = HashMap::new();
    let mut levels: HashMap<i64, Vec<FacetValue>> = HashMap::new();
    // A region the resource has itself ("" for the whole country), else its
    // owners' (as the catalogue index derives it).
    let mut own_region: HashMap<i64, String> = HashMap::new();
    let mut statuses: HashMap<i64, String> = HashMap::new();
    for link in facet_links(pool, &ids).await? {
        match link.facet_key.as_str() {
            "type" => {
                kinds.insert(link.resource_id, link.value_label);
            }
            PRACTICE_STATUS_FACET => {
                statuses.insert(link.resource_id, link.value_label);
            }
            REGION_FACET => {
                if link.value_key != NATIONWIDE {
                    own_region.insert(link.resource_id, link.value_label);
                } else {
                    own_region.entry(link.resource_id).or_default();
                }
            }
            "nivaa" => levels
                .entry(link.resource_id)
                .or_default()
                .push(FacetValue {
                    key: link.value_key,
                    label: link.value_label,
                }),
            _ => {}
        }
    }
    let mut orgs: HashMap<i64, Vec<String>> = HashMap::new();
    let org_rows = sqlx::query_as::<_, (i64, String)>(
        "SELECT ro.resource_id, coalesce(o.short_name, o.name)
           FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
          WHERE ro.resource_id IN (SELECT value FROM json_each(?1))
          ORDER BY ro.position",
    )
    .bind(id_list(&ids))
    .fetch_all(pool)
    .await?;
    for (rid, name) in org_rows {
        orgs.entry(rid).or_default().push(name);
    }
    let mut owner_regions: HashMap<i64, Vec<String>> = HashMap::new();
    let region_rows = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT DISTINCT ro.resource_id, v.key, v.label
           FROM resource_organisation ro
           JOIN organisation_facet ofv ON ofv.organisation_id = ro.organisation_id
           JOIN facet_value v ON v.id = ofv.facet_value_id
          WHERE v.facet_key = ?2 AND ro.resource_id IN (SELECT value FROM json_each(?1))
          ORDER BY v.position",
    )
    .bind(id_list(&ids))
    .bind(REGION_FACET)
    .fetch_all(pool)
    .await?;
    for (rid, key, label) in region_rows {
        if key != NATIONWIDE {
            owner_regions.entry(rid).or_default().push(label);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| ResourceCard {
            kind: kinds.remove(&r.id),
            levels: levels.remove(&r.id).unwrap_or_default(),
            organisations: orgs.remove(&r.id).unwrap_or_default(),
            region: match own_region.remove(&r.id) {
                Some(own) => (!own.is_empty()).then_some(own),
                None => owner_regions
                    .remove(&r.id)
                    .filter(|r| !r.is_empty())
                    .map(|r| r.join(", ")),
            },
            practice: practice_text(
                crate::domain::resource::period_text(r.started, r.ended).as_deref(),
                statuses.remove(&r.id).as_deref(),
            ),
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            updated_at: r.updated_at,
        })
        .collect())
}

/// Cards for the given resource ids, in the given order.
pub async fn cards_by_id(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<ResourceCard>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = sqlx::query_as::<_, CardRow>(
        "SELECT id, slug, title, summary, updated_at, started, ended FROM resource
          WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(id_list(ids))
    .fetch_all(pool)
    .await?;
    let position: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| position.get(&r.id).copied().unwrap_or(usize::MAX));
    cards(pool, rows).await
}

/// What the home page shows: the two entry paths and the three levels with
/// their counts, and the most recently updated resources. Counts come from
/// the facet index, not from grouped SQL (which took ~40 ms at 10,000).
pub async fn home(
    pool: &SqlitePool,
    index: &crate::catalogue::index::CatalogueIndex,
) -> Result<HomeData, sqlx::Error> {
    let counts = |facet: &str| -> Vec<EntryPath> {
        index
            .facet(facet)
            .map(|(_, f)| {
                f.values
                    .iter()
                    .map(|v| EntryPath {
                        key: v.key.clone(),
                        label: v.label.clone(),
                        count: v.docs.count() as i64,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // The cards from memory: the front page reads only its illustration.
    Ok(HomeData {
        illustration: super::media::illustration(pool, "forside").await?,
        entry_paths: counts("inngang"),
        levels: counts("nivaa"),
        resource_count: index.count() as i64,
        latest: index
            .by_newest
            .iter()
            .take(4)
            .map(|d| index.card(*d as usize))
            .collect(),
    })
}

const RELATED_MAX: usize = 6;

#[derive(FromRow)]
struct DetailRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    body: String,
    replaced_by_id: Option<i64>,
    last_reviewed: Option<String>,
    reviewed_source_label: Option<String>,
    reviewed_source_url: Option<String>,
    updated_at: String,
    started: Option<i64>,
    ended: Option<i64>,
}

/// One published resource with everything its page shows, or `None`.
/// Drafts are not public: they answer `None` like a missing slug.
/// Editors' own "related" choices come first; resources that share the most
/// facet values fill up to `RELATED_MAX`.
pub async fn published_detail(
    pool: &SqlitePool,
    index: &crate::catalogue::index::CatalogueIndex,
    slug: &str,
) -> Result<Option<ResourceDetail>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, DetailRow>(
        "SELECT id, slug, title, summary, body, replaced_by_id, last_reviewed,
                reviewed_source_label, reviewed_source_url, updated_at, started, ended
           FROM resource WHERE slug = ?1 AND status = 'published'",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };

    let mut facets: Vec<FacetGroup> = Vec::new();
    for link in facet_links(pool, &[row.id]).await? {
        let value = FacetValue {
            key: link.value_key,
            label: link.value_label,
        };
        match facets.last_mut() {
            Some(group) if group.key == link.facet_key => group.values.push(value),
            _ => facets.push(FacetGroup {
                key: link.facet_key,
                label: link.facet_label,
                values: vec![value],
            }),
        }
    }

    // A region the resource takes from its owners, as the index derived it.
    if !facets.iter().any(|g| g.key == REGION_FACET) {
        if let (Some(&doc), Some((f, facet))) =
            (index.doc_of.get(&row.id), index.facet(REGION_FACET))
        {
            let values: Vec<FacetValue> = index.doc_values[doc]
                .iter()
                .filter(|(fi, _)| *fi as usize == f)
                .map(|(_, v)| {
                    let value = &facet.values[*v as usize];
                    FacetValue {
                        key: value.key.clone(),
                        label: value.label.clone(),
                    }
                })
                .collect();
            if !values.is_empty() {
                facets.push(FacetGroup {
                    key: facet.key.clone(),
                    label: facet.label.clone(),
                    values,
                });
            }
        }
    }

    let organisations = sqlx::query_as::<_, (String, String, Option<String>, Option<String>)>(
        "SELECT o.slug, o.name, o.short_name, o.website
           FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
          WHERE ro.resource_id = ?1 ORDER BY ro.position",
    )
    .bind(row.id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(slug, name, short_name, website)| OrganisationRef {
        slug,
        name,
        short_name,
        website,
    })
    .collect();

    let links = sqlx::query_as::<_, (String, String)>(
        "SELECT label, url FROM resource_link WHERE resource_id = ?1 ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(label, url)| Link { label, url })
    .collect();

    let mut related_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT r.id FROM resource_relation rr JOIN resource r ON r.id = rr.related_id
          WHERE rr.resource_id = ?1 AND r.status = 'published' ORDER BY rr.position",
    )
    .bind(row.id)
    .fetch_all(pool)
    .await?;
    for id in crate::catalogue::browse::related_by_facets(index, row.id, RELATED_MAX) {
        if related_ids.len() >= RELATED_MAX {
            break;
        }
        if !related_ids.contains(&id) {
            related_ids.push(id);
        }
    }
    let related = crate::catalogue::browse::refs_in(index, &related_ids);

    let replaced_by = match row.replaced_by_id {
        Some(id) => sqlx::query_as::<_, (String, String)>(
            "SELECT slug, title FROM resource WHERE id = ?1 AND status = 'published'",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|(slug, title)| ResourceRef { slug, title }),
        None => None,
    };

    let downloads = super::media::downloads(pool, row.id).await?;

    Ok(Some(ResourceDetail {
        downloads,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        body_html: crate::markdown::render_kept(&row.body).to_string(),
        facets,
        organisations,
        links,
        related,
        replaced_by,
        period: crate::domain::resource::period_text(row.started, row.ended),
        reviewed_source: row
            .last_reviewed
            .as_ref()
            .and(row.reviewed_source_label.zip(row.reviewed_source_url))
            .map(|(label, url)| Link { label, url }),
        last_reviewed: row.last_reviewed,
        updated_at: row.updated_at,
    }))
}

/// A resource as a row of the CSV export and an entry of the Atom feed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub updated_at: String,
    pub last_reviewed: Option<String>,
    /// Facet label → value labels, in taxonomy order.
    pub facets: Vec<(String, Vec<String>)>,
    pub organisations: Vec<String>,
}

/// Export rows for the given ids, in the given order.
pub async fn export_rows(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<ExportRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (i64, String, String, String, String, Option<String>)>(
        "SELECT id, slug, title, summary, updated_at, last_reviewed FROM resource
          WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(id_list(ids))
    .fetch_all(pool)
    .await?;
    let mut facets: HashMap<i64, Vec<(String, Vec<String>)>> = HashMap::new();
    for link in facet_links(pool, ids).await? {
        let groups = facets.entry(link.resource_id).or_default();
        match groups.last_mut() {
            Some((label, values)) if *label == link.facet_label => values.push(link.value_label),
            _ => groups.push((link.facet_label, vec![link.value_label])),
        }
    }
    let mut orgs: HashMap<i64, Vec<String>> = HashMap::new();
    for (rid, name) in sqlx::query_as::<_, (i64, String)>(
        "SELECT ro.resource_id, o.name FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
          WHERE ro.resource_id IN (SELECT value FROM json_each(?1)) ORDER BY ro.position",
    )
    .bind(id_list(ids))
    .fetch_all(pool)
    .await?
    {
        orgs.entry(rid).or_default().push(name);
    }
    let mut by_id: HashMap<i64, ExportRow> = rows
        .into_iter()
        .map(|(id, slug, title, summary, updated_at, last_reviewed)| {
            let row = ExportRow {
                slug,
                title,
                summary,
                updated_at,
                last_reviewed,
                facets: facets.remove(&id).unwrap_or_default(),
                organisations: orgs.remove(&id).unwrap_or_default(),
            };
            (id, row)
        })
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
