//! The seed content as reviewable files, and moving it in and out of the
//! database (server only).
//!
//! Layout of a content folder:
//! - `taxonomy.toml`: every facet and its values;
//! - `organisations.toml`: the organisations behind resources;
//! - `resources/<slug>.md`: one resource each, TOML front matter between
//!   `+++` lines, then the Markdown body;
//! - `pages/<slug>.md`: the content pages, added at start-up when missing;
//! - `texts.toml`: the site's short texts (entry paths, the guide), likewise;
//! - `files/`: pictures and documents, named in `files/files.toml` (`media`).
//!
//! Import reads and checks everything before it writes anything, then writes
//! in one transaction: a bad file stops the import with an error naming the
//! file and the field, and the database is left as it was. Records are
//! matched by key or slug, so importing the same files twice changes nothing.
//! Records in the database that are not in the files are left alone (editors
//! may have created them).

mod export;
mod files;
mod import;
mod media;
mod pages;

pub use crate::domain::content::{
    ContentSet, FacetDef, OrganisationDef, ResourceDef, SynonymsFile,
};
pub use export::{export_dir, ExportReport};
pub use files::load_dir;
pub use import::{import, import_dir_if_empty, ImportReport};
pub use media::{export_files, import_files, FileDef, FilesReport, FILES_DIR, MANIFEST};
pub use pages::{load_pages, load_texts, seed_pages};

use std::path::PathBuf;

/// Why content could not be read, checked or written.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{file}: {field}: {message}")]
    Invalid {
        file: PathBuf,
        field: String,
        message: String,
    },
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl ContentError {
    pub(crate) fn invalid(
        file: impl Into<PathBuf>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ContentError::Invalid {
            file: file.into(),
            field: field.into(),
            message: message.into(),
        }
    }
}
