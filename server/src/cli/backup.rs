//! Online backups and restores of the SQLite database.
//!
//! `backup` uses `VACUUM INTO`: one read transaction, so the copy is a
//! consistent snapshot while the site keeps serving and writing (in WAL mode
//! writers do not wait for it). `restore` checks a backup and puts it in
//! place of the database; the site must be stopped while it runs.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
    SqlitePool,
};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    #[error("{0} already exists; choose a new file name (nothing was overwritten)")]
    Exists(PathBuf),
    #[error("cannot create the folder {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a usable backup: {reason}")]
    NotABackup { path: PathBuf, reason: String },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

/// What a backup or restore did, for the command's output.
#[derive(Debug)]
pub struct Report {
    pub bytes: u64,
    pub resources: i64,
    pub elapsed: Duration,
}

/// Copies the live database at `database` to the new file `to`, and checks
/// the copy.
pub async fn backup(database: &Path, to: &Path) -> Result<Report, BackupError> {
    if !database.is_file() {
        return Err(BackupError::NoDatabase(database.into()));
    }
    if to.exists() {
        return Err(BackupError::Exists(to.into()));
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| BackupError::Dir {
            path: dir.into(),
            source,
        })?;
    }
    let started = Instant::now();
    // An empty file of the owner's only; VACUUM INTO fills an empty file.
    app::db::make_private(to)?;
    let pool = app::db::connect(database).await?;
    sqlx::query("VACUUM INTO ?1")
        .bind(to.to_string_lossy().as_ref())
        .execute(&pool)
        .await?;
    pool.close().await;
    let resources = check(to).await?;
    Ok(Report {
        bytes: std::fs::metadata(to)?.len(),
        resources,
        elapsed: started.elapsed(),
    })
}

/// Replaces the database at `database` with the backup `from`, after checking
/// it. The replaced database (with its write-ahead log folded in) is kept as
/// `<database>.before-restore`.
pub async fn restore(from: &Path, database: &Path) -> Result<Report, BackupError> {
    let started = Instant::now();
    let resources = check(from).await?;
    let staged = sibling(database, "restoring");
    std::fs::copy(from, &staged)?;
    app::db::make_private(&staged)?;
    std::fs::File::open(&staged)?.sync_all()?;
    if database.is_file() {
        // Fold the log into the old file so the kept copy is complete.
        let pool = app::db::connect(database).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&pool)
            .await?;
        pool.close().await;
        std::fs::rename(database, sibling(database, "before-restore"))?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    std::fs::rename(&staged, database)?;
    Ok(Report {
        bytes: std::fs::metadata(database)?.len(),
        resources,
        elapsed: started.elapsed(),
    })
}

/// Opens `path` read-only and proves it is a complete site database: SQLite's
/// integrity check passes and our tables are there. Returns the resource count.
pub async fn check(path: &Path) -> Result<i64, BackupError> {
    let not = |reason: String| BackupError::NotABackup {
        path: path.into(),
        reason,
    };
    if !path.is_file() {
        return Err(not("the file does not exist".into()));
    }
    // A file name, not a URL: `?` or `#` in it are part of the name.
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let pool: SqlitePool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| not(e.to_string()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .map_err(|e| not(e.to_string()))?;
    if integrity != "ok" {
        return Err(not(format!("integrity check: {integrity}")));
    }
    let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .map_err(|_| not("it has no migration table".into()))?;
    let resources: i64 = sqlx::query_scalar("SELECT count(*) FROM resource")
        .fetch_one(&pool)
        .await
        .map_err(|_| not("it has no resource table".into()))?;
    pool.close().await;
    if migrations == 0 {
        return Err(not("no migrations were applied to it".into()));
    }
    Ok(resources)
}

fn sibling(database: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}.{suffix}", database.display()))
}
