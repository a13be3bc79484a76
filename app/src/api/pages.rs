//! Content pages: the public read, and the editors' list and form
//! (`auth::require` first).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    editing::{FieldError, PageInput},
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentPage {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The body rendered through the sanitiser.
    pub html: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub slug: String,
    pub title: String,
    pub updated_at: String,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageEditor {
    pub slug: String,
    pub input: PageInput,
    pub errors: Vec<FieldError>,
    /// A message for the top of the form (a conflict, a technical problem).
    pub message: Option<String>,
    /// The body rendered, when the editor asked for a preview.
    pub preview: Option<String>,
    /// The version shown, when it is an older one.
    pub viewing: Option<i64>,
    /// (version, saved at, saved by), newest first.
    pub versions: Vec<(i64, String, String)>,
}

/// A page form that came back from the form handler (server only).
#[derive(Debug, Clone)]
pub struct PageEcho {
    pub input: PageInput,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
    pub preview: Option<String>,
}

#[server]
pub async fn get_page(slug: String) -> Result<ContentPage, AppError> {
    let state = crate::state::state()?;
    crate::db::pages::page(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)
}

#[server]
pub async fn get_pages_admin() -> Result<Vec<PageRow>, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    Ok(crate::db::pages::pages(&state.pool).await?)
}

#[server]
pub async fn get_page_editor(
    slug: Option<String>,
    version: Option<i64>,
) -> Result<PageEditor, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let slug = slug.ok_or(AppError::NotFound)?;
    let stored = crate::db::pages::input(&state.pool, &slug, version)
        .await?
        .ok_or(AppError::NotFound)?;
    let versions = crate::db::pages::versions(&state.pool, &slug).await?;
    let viewing = version.filter(|v| versions.first().is_some_and(|(current, _, _)| current != v));
    Ok(match use_context::<PageEcho>() {
        Some(echo) => PageEditor {
            slug,
            input: echo.input,
            errors: echo.errors,
            message: echo.message,
            preview: echo.preview,
            viewing,
            versions,
        },
        None => PageEditor {
            slug,
            input: stored,
            errors: Vec::new(),
            message: None,
            preview: None,
            viewing,
            versions,
        },
    })
}
