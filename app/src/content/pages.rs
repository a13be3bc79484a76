//! The content pages' seed files: `pages/<slug>.md`, TOML front matter
//! (`title`, `description`) between `+++` lines, then the Markdown body.

use std::path::Path;

use serde::Deserialize;
use sqlx::SqlitePool;

use super::{files::split_front_matter, ContentError};
use crate::domain::page::{PageDef, PageInput, CONTENT_PAGES};

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

/// Adds the pages from `dir`, and the site texts from `dir/texts.toml`,
/// that the database does not have yet (both are edited in the app after).
/// Returns how many pages and texts were added.
pub async fn seed_pages(pool: &SqlitePool, dir: &Path) -> Result<usize, ContentError> {
    let defs = load_pages(dir)?;
    let texts = load_texts(dir)?;
    Ok(crate::db::pages::seed_missing(pool, &defs).await?
        + crate::db::texts::seed_missing(pool, &texts).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextsFile {
    texts: std::collections::BTreeMap<String, String>,
}

/// Reads and checks `dir/texts.toml` (missing: no texts). A key the site
/// does not have, or a text that fails the editors' own checks, is an error.
pub fn load_texts(dir: &Path) -> Result<crate::domain::texts::Texts, ContentError> {
    let path = dir.join("texts.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(source) => return Err(ContentError::Io { file: path, source }),
    };
    let file: TextsFile = toml::from_str(&text).map_err(|e| super::files::toml_error(&path, e))?;
    if let Some(key) = file
        .texts
        .keys()
        .find(|k| crate::domain::texts::definition(k).is_none())
    {
        return Err(ContentError::invalid(
            &path,
            format!("texts.{key}"),
            "nettstedet har ingen tekst med denne nøkkelen",
        ));
    }
    let texts = crate::domain::texts::Texts(
        file.texts
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .collect(),
    );
    if let Some(error) = crate::domain::texts::check(&texts).into_iter().next() {
        return Err(ContentError::invalid(&path, error.field, error.message));
    }
    Ok(texts)
}
