//! Shared set-up for the integration tests: a migrated in-memory database
//! with the seed content, and a signed-in user.

use std::path::Path;

use app::{
    auth::{self},
    content,
    db::index_cache::CatalogueCache,
    db::{self},
    domain::account::{Role, User},
    query::CatalogueQuery,
};
use sqlx::SqlitePool;

pub const PASSWORD: &str = "et langt og godt passord";

/// A migrated in-memory database with the seed catalogue (resources,
/// organisations, taxonomy; no content pages, no accounts).
pub async fn catalogue() -> SqlitePool {
    let pool = db::connect_in_memory().await.unwrap();
    db::migrate(&pool).await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    content::import(&pool, &content::load_dir(&dir).unwrap())
        .await
        .unwrap();
    pool
}

/// The seeded database and a signed-in user with `role`.
pub async fn seeded(username: &str, role: Role) -> (SqlitePool, User) {
    let pool = db::connect_in_memory().await.unwrap();
    db::migrate(&pool).await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    content::import(&pool, &content::load_dir(&dir).unwrap())
        .await
        .unwrap();
    content::seed_pages(&pool, &dir).await.unwrap();
    auth::upsert_account(&pool, username, username, PASSWORD, role)
        .await
        .unwrap();
    let (_, user) = auth::sign_in(
        &pool,
        &app::auth::Throttle::new(),
        username,
        PASSWORD,
        &app::client::Client::unknown(),
    )
    .await
    .unwrap();
    (pool, user)
}

/// Ids of the published resources a catalogue view (query string) shows, in order.
pub async fn public_ids(pool: &SqlitePool, raw: &str) -> Vec<i64> {
    let cache = CatalogueCache::with_recheck(std::time::Duration::ZERO);
    let index = cache.get(pool).await.unwrap();
    let selection = app::catalogue::browse::select(pool, &index, &CatalogueQuery::parse(raw))
        .await
        .unwrap();
    selection
        .ordered(&index)
        .into_iter()
        .map(|d| index.ids[d as usize])
        .collect()
}
