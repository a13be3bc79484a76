//! Importing a content folder: read and check it (`load_dir`), then store
//! it in one transaction (`db::import`).

use std::path::Path;

use sqlx::SqlitePool;

pub use crate::db::import::ImportReport;

use super::{load_dir, ContentError, ContentSet};

/// Imports `dir` only when the database has no resources yet: the first start
/// of a new site. Returns `None` when there was already content.
pub async fn import_dir_if_empty(
    pool: &SqlitePool,
    dir: &Path,
) -> Result<Option<ImportReport>, ContentError> {
    let existing = crate::db::import::resource_count(pool).await?;
    if existing > 0 {
        return Ok(None);
    }
    let set = load_dir(dir)?;
    import(pool, &set).await.map(Some)
}

/// Upserts a checked content set in one transaction.
pub async fn import(pool: &SqlitePool, set: &ContentSet) -> Result<ImportReport, ContentError> {
    Ok(crate::db::import::import(pool, set).await?)
}
