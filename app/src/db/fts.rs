//! The full-text table (`resource_fts`) and the synonym list: the storage
//! the catalogue's search reads and writes through the analyser in
//! `catalogue::search`.

use sqlx::{SqliteConnection, SqlitePool};

use crate::catalogue::search::analyse;

/// (Re)writes one resource's row in the search index.
pub async fn index_resource(conn: &mut SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    let row = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT r.title, r.summary, r.body,
                coalesce((SELECT group_concat(o.name || ' ' || coalesce(o.short_name, ''), ' ')
                            FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
                           WHERE ro.resource_id = r.id), '')
           FROM resource r WHERE r.id = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM resource_fts WHERE rowid = ?1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some((title, summary, body, orgs)) = row {
        sqlx::query("INSERT INTO resource_fts (rowid, title, summary, body, organisations) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(id)
            .bind(analyse(&title))
            .bind(analyse(&summary))
            .bind(analyse(&crate::markdown::plain_text(&body)))
            .bind(analyse(&orgs))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rebuilds the whole search index in one transaction.
pub async fn reindex_all(pool: &SqlitePool) -> Result<usize, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    sqlx::query("DELETE FROM resource_fts")
        .execute(&mut *tx)
        .await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM resource")
        .fetch_all(&mut *tx)
        .await?;
    for id in &ids {
        index_resource(&mut tx, *id).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// Rebuilds the search index when it does not cover every resource (a new
/// database, or rows written by something other than this application).
pub async fn ensure_indexed(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let (resources, indexed): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM resource), (SELECT count(*) FROM resource_fts)",
    )
    .fetch_one(pool)
    .await?;
    if resources != indexed {
        let n = reindex_all(pool).await?;
        tracing::info!(resources = n, "rebuilt the search index");
    }
    Ok(())
}

/// Loads the synonym list.
pub async fn load_synonyms(pool: &SqlitePool) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .iter()
        .filter_map(|json| serde_json::from_str::<Vec<String>>(json).ok())
        .collect())
}
