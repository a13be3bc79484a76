//! What the content export (`content::export_dir`) reads: the taxonomy,
//! the organisations and the resources with their lists, in the order the
//! files are written.

use sqlx::SqlitePool;

/// A facet's own columns.
#[derive(Debug, sqlx::FromRow)]
pub struct FacetColumns {
    pub key: String,
    pub label: String,
    pub description: String,
    pub multiple: bool,
    pub applies_to: String,
}

pub async fn facets(pool: &SqlitePool) -> Result<Vec<FacetColumns>, sqlx::Error> {
    sqlx::query_as(
        "SELECT key, label, description, multiple, applies_to FROM facet ORDER BY position",
    )
    .fetch_all(pool)
    .await
}

/// A facet's values: (key, label), retired ones too.
pub async fn facet_values(
    pool: &SqlitePool,
    facet: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT key, label FROM facet_value WHERE facet_key = ?1 ORDER BY position")
        .bind(facet)
        .fetch_all(pool)
        .await
}

/// An organisation's own columns.
#[derive(Debug, sqlx::FromRow)]
pub struct OrganisationColumns {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub website: Option<String>,
    pub description: String,
}

pub async fn organisations(pool: &SqlitePool) -> Result<Vec<OrganisationColumns>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, slug, name, short_name, website, description FROM organisation ORDER BY slug",
    )
    .fetch_all(pool)
    .await
}

/// An organisation's facet values: (facet, value key).
pub async fn organisation_facets(
    pool: &SqlitePool,
    id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.facet_key, v.key FROM organisation_facet ofa
           JOIN facet_value v ON v.id = ofa.facet_value_id
          WHERE ofa.organisation_id = ?1 ORDER BY v.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// A resource's own columns, with the slug of the resource replacing it.
#[derive(Debug, sqlx::FromRow)]
pub struct ResourceColumns {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub status: String,
    pub last_reviewed: Option<String>,
    pub replaced_by: Option<String>,
    pub reviewed_source_label: Option<String>,
    pub reviewed_source_url: Option<String>,
    pub started: Option<i64>,
    pub ended: Option<i64>,
}

pub async fn resources(pool: &SqlitePool) -> Result<Vec<ResourceColumns>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.slug, r.title, r.summary, r.body, r.status, r.last_reviewed, rb.slug AS replaced_by,
                r.reviewed_source_label, r.reviewed_source_url, r.started, r.ended
           FROM resource r LEFT JOIN resource rb ON rb.id = r.replaced_by_id ORDER BY r.slug",
    )
    .fetch_all(pool)
    .await
}

/// A resource's organisations' slugs, in its order.
pub async fn resource_organisations(
    pool: &SqlitePool,
    id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT o.slug FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
          WHERE ro.resource_id = ?1 ORDER BY ro.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// The slugs of a resource's related resources, in its order.
pub async fn resource_related(pool: &SqlitePool, id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.slug FROM resource_relation rr JOIN resource r ON r.id = rr.related_id
          WHERE rr.resource_id = ?1 ORDER BY rr.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// A resource's facet values: (facet, value key).
pub async fn resource_facets(
    pool: &SqlitePool,
    id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.facet_key, v.key FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id
          WHERE rf.resource_id = ?1 ORDER BY v.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// A resource's links: (label, url), in its order.
pub async fn resource_links(
    pool: &SqlitePool,
    id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT label, url FROM resource_link WHERE resource_id = ?1 ORDER BY position")
        .bind(id)
        .fetch_all(pool)
        .await
}
