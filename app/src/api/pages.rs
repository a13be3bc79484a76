//! Content pages: the public read, and the editors' list and form
//! (`auth::require` first).

use leptos::prelude::*;

use crate::{
    domain::page::{ContentPage, PageEditor, PageRow},
    error::AppError,
};

#[server]
pub async fn get_page(slug: String) -> Result<ContentPage, AppError> {
    let state = crate::state::state()?;
    crate::db::pages::page(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)
}

#[server]
pub async fn get_pages_admin() -> Result<Vec<PageRow>, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    Ok(crate::db::pages::pages(&state.pool).await?)
}

#[server]
pub async fn get_page_editor(
    slug: Option<String>,
    version: Option<i64>,
) -> Result<PageEditor, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let slug = slug.ok_or(AppError::NotFound)?;
    let stored = crate::db::pages::input(&state.pool, &slug, version)
        .await?
        .ok_or(AppError::NotFound)?;
    let versions = crate::db::pages::versions(&state.pool, &slug).await?;
    let viewing = version.filter(|v| {
        versions
            .first()
            .is_some_and(|current| current.version != *v)
    });
    let form = super::form_or(|| crate::domain::form::Previewed {
        input: stored,
        preview: None,
    });
    Ok(PageEditor {
        slug,
        form,
        viewing,
        versions,
    })
}
