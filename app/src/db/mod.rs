//! Database access (server only). Plain `async fn(&SqlitePool, …)` functions
//! that server functions, the CLI and tests call alike.

pub mod account;
pub mod admin;
pub mod audit;
pub mod catalogue;
pub mod consultation;
pub mod digest;
pub mod editing;
pub mod explore;
pub mod export;
pub mod factor;
pub mod feedback;
pub mod fts;
pub mod import;
pub mod index_cache;
pub mod index_load;
pub mod links;
pub mod lookup;
pub mod media;
pub mod organisation;
pub mod pages;
pub mod session;
pub mod statistics;
pub mod synonyms;
pub mod taxonomy;
pub mod texts;
pub mod visits;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    migrate::MigrateError,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Sqlite, SqlitePool, Transaction,
};

/// Starts a write transaction. `BEGIN IMMEDIATE` takes SQLite's write lock
/// at the start, waiting up to the busy timeout for it. A plain (deferred)
/// `BEGIN` takes it at the first write instead, and under WAL a
/// read-then-write transaction whose snapshot another save has overtaken
/// meanwhile is then refused with `SQLITE_BUSY_SNAPSHOT`, which the busy
/// timeout does not retry: the editor would see the storage error for an
/// ordinary concurrent save. Use this for every transaction that writes.
///
/// One exception: when SQLite rolled a transaction back by itself (after
/// `SQLITE_FULL` or an I/O error), sqlx still counts it as open on that
/// connection (a documented sqlx limitation) and refuses a custom `BEGIN`
/// there. `pool.begin()` then issues a `SAVEPOINT`, which SQLite runs as a
/// deferred transaction of its own: the save works, as it did before.
/// A stored value the domain does not know (a vocabulary key), as sqlx's
/// decode error: the row boundary refuses it rather than guessing.
pub(crate) fn decode(problem: String) -> sqlx::Error {
    sqlx::Error::Decode(problem.into())
}

pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    match pool.begin_with("BEGIN IMMEDIATE").await {
        Err(sqlx::Error::InvalidSavePointStatement) => pool.begin().await,
        started => started,
    }
}

/// Whether `err` is a UNIQUE constraint failing on `column` (`table.column`).
/// SQLite names no constraint, only the columns, in its message
/// ("UNIQUE constraint failed: account.username"). A friendly check before
/// an insert can race with another insert; this turns the loser's error into
/// the same field message instead of a 500.
pub fn is_unique_violation(err: &sqlx::Error, column: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.kind() == sqlx::error::ErrorKind::UniqueViolation && db.message().contains(column)
        }
        _ => false,
    }
}

/// Opens (and creates if missing) the SQLite database at `path`, in WAL mode
/// with foreign keys on and a busy timeout, so readers never wait on a writer
/// and a short write burst queues instead of failing.
pub async fn connect(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    make_private(path).map_err(sqlx::Error::Io)?;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    pool_with(options).await
}

/// Creates `path` (when missing) readable and writable by its owner only,
/// and takes group and other access away from an existing database and its
/// `-wal`/`-shm` files: they hold feedback and accounts. SQLite gives the
/// files it creates next to a database the database's own mode.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !path.exists() {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
            {
                Ok(_) => {}
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(err),
            }
        }
        for file in [
            path.to_path_buf(),
            suffixed(path, "-wal"),
            suffixed(path, "-shm"),
        ] {
            if let Ok(meta) = std::fs::metadata(&file) {
                if meta.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
    }
    Ok(())
}

fn suffixed(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
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
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM facet")
        .fetch_one(pool)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_unique_violation_is_told_apart_by_its_column() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE account (username TEXT NOT NULL UNIQUE, email TEXT UNIQUE)")
            .execute(&pool)
            .await
            .unwrap();
        let mut tx = begin_write(&pool).await.unwrap();
        sqlx::query("INSERT INTO account (username) VALUES ('kari')")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let err = sqlx::query("INSERT INTO account (username) VALUES ('kari')")
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(is_unique_violation(&err, "account.username"));
        assert!(!is_unique_violation(&err, "account.email"));
        assert!(!is_unique_violation(
            &sqlx::Error::RowNotFound,
            "account.username"
        ));
    }
}
