//! Database access (server only). Plain `async fn(&SqlitePool, …)` functions
//! that server functions, the CLI and tests call alike.

pub mod admin;
pub mod browse;
pub mod catalogue;
pub mod consultation;
pub mod explore;
pub mod editing;
pub mod feedback;
pub mod index;
pub mod manage;
pub mod pages;
pub mod statistics;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    migrate::MigrateError,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

/// Opens (and creates if missing) the SQLite database at `path`, in WAL mode
/// with foreign keys on and a busy timeout, so readers never wait on a writer
/// and a short write burst queues instead of failing.
pub async fn connect(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    pool_with(options).await
}

/// A private in-memory database, for tests.
pub async fn connect_in_memory() -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
}

async fn pool_with(options: SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
}

/// Runs the SQL migrations in `migrations/` (embedded at compile time).
pub async fn migrate(pool: &SqlitePool) -> Result<(), MigrateError> {
    sqlx::migrate!("../migrations").run(pool).await
}

/// A cheap query proving the database answers; used by the health endpoint.
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM facet").fetch_one(pool).await.map(|_| ())
}
