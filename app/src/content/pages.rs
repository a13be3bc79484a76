//! The content pages' seed files: `pages/<slug>.md`, TOML front matter
//! (`title`, `description`) between `+++` lines, then the Markdown body.

use std::path::Path;

use serde::Deserialize;
use sqlx::SqlitePool;

use super::{files::split_front_matter, ContentError};
use crate::editing::{PageInput, CONTENT_PAGES};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDef {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: String,
    description: String,
}

/// Reads and checks `dir/pages/*.md`. A missing folder is no pages; a file
/// for a page the site does not have, or one that fails the editors' own
/// checks, is an error naming the file.
pub fn load_pages(dir: &Path) -> Result<Vec<PageDef>, ContentError> {
    let folder = dir.join("pages");
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ContentError::Io {
                file: folder,
                source,
            })
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| ContentError::Io {
            file: path.clone(),
            source,
        })?;
        let (front, body) = split_front_matter(&path, &text)?;
        let front: Front = toml::from_str(front).map_err(|e| super::files::toml_error(&path, e))?;
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if !CONTENT_PAGES.iter().any(|(s, _)| *s == slug) {
            return Err(ContentError::invalid(
                &path,
                "slug",
                "nettstedet har ingen side med denne adressen",
            ));
        }
        let input = PageInput {
            title: front.title,
            description: front.description,
            body: body.trim().to_string(),
            version: 0,
        };
        if let Some(error) = input.check().into_iter().next() {
            return Err(ContentError::invalid(&path, error.field, error.message));
        }
        out.push(PageDef {
            slug,
            title: input.title,
            description: input.description,
            body: input.body,
        });
    }
    Ok(out)
}

/// Adds the pages from `dir` that the database does not have yet.
pub async fn seed_pages(pool: &SqlitePool, dir: &Path) -> Result<usize, ContentError> {
    let defs = load_pages(dir)?;
    Ok(crate::db::pages::seed_missing(pool, &defs).await?)
}
