//! The files a content folder carries (issue 29): `files/files.toml` names
//! each file in `files/`, with what the upload form would have asked (its
//! name, an image's alt text or that it is decorative) and the resources
//! that offer it as a download.
//!
//! Import reads every file through the caller's `prepare`, the same checks
//! and re-encoding as an upload (`server::media::prepare`), and checks every
//! resource named, before it stores anything. A file already stored (by its
//! public name) is left as it is; attachments are added, never removed.
//!
//! An image keeps only its re-encoded widths, so export writes the largest
//! and records the `hash` it is published under: import stores it under
//! that name again (re-encoded once more), so the `/filer/<hash>-…`
//! addresses in the bodies keep working. A document is exported as it was
//! uploaded, byte for byte.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::ContentError;
use crate::{
    db::media::{self as db, NewMedia, Stored},
    domain::media::{is_hash, place, url_name, PLACES},
};

/// The folder and the manifest inside a content folder.
pub const FILES_DIR: &str = "files";
pub const MANIFEST: &str = "files.toml";

/// Who the audit log names for what an import stored.
pub const IMPORT_ACTOR: &str = "innholdsimport";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    file: Vec<FileDef>,
}

/// One file in the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDef {
    /// The file, relative to `files/`.
    pub path: String,
    /// The name visitors and editors see (and download it as).
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decorative: bool,
    /// The public name it had when exported (images: see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Slugs of the resources that offer it as a download.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// The places it illustrates (`domain::media::PLACES`: `forside`, …);
    /// a picture only. Import gives a place this picture only when the
    /// place has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub illustrates: Vec<String>,
}

/// What importing the files did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FilesReport {
    pub stored: usize,
    pub unchanged: usize,
    pub attached: usize,
    /// Places given a picture.
    pub illustrated: usize,
}

fn io(file: &Path, source: std::io::Error) -> ContentError {
    ContentError::Io {
        file: file.into(),
        source,
    }
}

/// Imports `dir/files/files.toml` and its files; a folder without it has
/// none. `prepare` is the upload's path: the file's bytes and its entry in,
/// the file to store or why it is refused out.
pub async fn import_files(
    pool: &SqlitePool,
    dir: &Path,
    prepare: impl Fn(&[u8], &FileDef) -> Result<NewMedia, String>,
) -> Result<FilesReport, ContentError> {
    let manifest_path = dir.join(FILES_DIR).join(MANIFEST);
    if !manifest_path.exists() {
        return Ok(FilesReport::default());
    }
    let text = fs::read_to_string(&manifest_path).map_err(|e| io(&manifest_path, e))?;
    let manifest: Manifest = toml::from_str(&text)
        .map_err(|e| ContentError::invalid(&manifest_path, "toml", e.to_string()))?;

    // Everything is read and checked before anything is stored.
    let mut ready: Vec<(NewMedia, Vec<i64>, Vec<String>)> = Vec::with_capacity(manifest.file.len());
    for (i, def) in manifest.file.iter().enumerate() {
        let field = |name: &str| format!("file[{i}].{name}");
        if def.path.contains("..") || Path::new(&def.path).is_absolute() {
            return Err(ContentError::invalid(
                &manifest_path,
                field("path"),
                "a file inside files/",
            ));
        }
        let file: PathBuf = dir.join(FILES_DIR).join(&def.path);
        let bytes = fs::read(&file).map_err(|e| io(&file, e))?;
        let mut media =
            prepare(&bytes, def).map_err(|m| ContentError::invalid(&file, "file", m))?;
        if let Some(hash) = &def.hash {
            if !is_hash(hash) {
                return Err(ContentError::invalid(
                    &manifest_path,
                    field("hash"),
                    "sixteen lower-case hex digits",
                ));
            }
            media.hash = hash.clone();
        }
        let mut ids = Vec::with_capacity(def.resources.len());
        for slug in &def.resources {
            let id = crate::db::lookup::resource_id(pool, slug)
                .await?
                .ok_or_else(|| {
                    ContentError::invalid(
                        &manifest_path,
                        field("resources"),
                        format!("no resource «{slug}»"),
                    )
                })?;
            ids.push(id);
        }
        for key in &def.illustrates {
            if place(key).is_none() || !media.format.is_image() {
                return Err(ContentError::invalid(
                    &manifest_path,
                    field("illustrates"),
                    format!("a picture's places: {}", PLACES.map(|p| p.key).join(", ")),
                ));
            }
        }
        ready.push((media, ids, def.illustrates.clone()));
    }

    let mut report = FilesReport::default();
    for (media, resources, places) in ready {
        let stored = db::insert_by(pool, None, IMPORT_ACTOR, &media, i64::MAX)
            .await
            .map_err(|e| ContentError::invalid(&manifest_path, "file", format!("{e:?}")))?;
        match stored {
            Stored::New => report.stored += 1,
            Stored::AlreadyThere => report.unchanged += 1,
        }
        for id in resources {
            if db::attach(pool, id, &media.hash).await? {
                report.attached += 1;
            }
        }
        for key in places {
            if db::illustrate_unless_set(pool, &key, &media.hash, IMPORT_ACTOR).await? {
                report.illustrated += 1;
            }
        }
    }
    Ok(report)
}

/// Writes every stored file to `dir/files/` and the manifest beside them;
/// returns how many.
pub async fn export_files(pool: &SqlitePool, dir: &Path) -> Result<usize, ContentError> {
    let files = db::all_files(pool).await?;
    let out = dir.join(FILES_DIR);
    fs::create_dir_all(&out).map_err(|e| io(&out, e))?;
    let attached = db::attached_slugs(pool).await?;
    let illustrations = db::illustrations(pool).await?;
    let mut taken = std::collections::HashSet::new();
    let mut manifest = Manifest::default();
    // Oldest first: a re-export lists them in the same order.
    for file in files.into_iter().rev() {
        let width = if file.format.is_image() {
            file.width
        } else {
            0
        };
        let Some((_, bytes, _)) = db::blob(pool, &file.hash, width).await? else {
            continue;
        };
        let mut path = url_name(&file.name);
        if !taken.insert(path.clone()) {
            path = format!("{}-{path}", file.hash);
            taken.insert(path.clone());
        }
        let target = out.join(&path);
        fs::write(&target, &bytes).map_err(|e| io(&target, e))?;
        manifest.file.push(FileDef {
            path,
            name: file.name,
            alt: file.alt,
            decorative: file.decorative,
            hash: Some(file.hash.clone()),
            resources: attached.get(&file.hash).cloned().unwrap_or_default(),
            illustrates: illustrations
                .iter()
                .filter(|(_, hash)| *hash == file.hash)
                .map(|(key, _)| key.clone())
                .collect(),
        });
    }
    let path = out.join(MANIFEST);
    let text = toml::to_string_pretty(&manifest)
        .map_err(|e| ContentError::invalid(&path, "toml", e.to_string()))?;
    fs::write(&path, format!("{HEADER}{text}")).map_err(|e| io(&path, e))?;
    Ok(manifest.file.len())
}

const HEADER: &str = "# The files this content carries: see app/src/content/media.rs.\n\n";
