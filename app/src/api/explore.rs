//! Public pages built from the catalogue: the two entry paths, the
//! involvement guide, the overview of guidance, the organisation directory
//! and what changed recently. Read-only.

use leptos::prelude::*;

use crate::{
    domain::explore::{
        Directory, EntryPathPage, GuidanceGroup, GuideResult, OrganisationPage, RecentPage,
    },
    error::AppError,
};

#[server]
pub async fn get_entry_path(key: String) -> Result<EntryPathPage, AppError> {
    let state = crate::state::state()?;
    let index = state.catalogue.get(&state.pool).await?;
    crate::db::explore::entry_path(&state.pool, &index, &key)
        .await?
        .ok_or(AppError::NotFound)
}

/// The guide's result for answers given as the page's query string.
#[server]
pub async fn get_guide(query: String) -> Result<GuideResult, AppError> {
    let state = crate::state::state()?;
    let index = state.catalogue.get(&state.pool).await?;
    Ok(crate::db::explore::guide(&state.pool, &index, &query).await?)
}

#[server]
pub async fn get_guidance() -> Result<Vec<GuidanceGroup>, AppError> {
    let state = crate::state::state()?;
    Ok(crate::db::explore::guidance(&state.pool).await?)
}

/// The organisation directory for filters given as a query string.
#[server]
pub async fn get_directory(query: String) -> Result<Directory, AppError> {
    let state = crate::state::state()?;
    Ok(crate::db::explore::directory(&state.pool, &query).await?)
}

#[server]
pub async fn get_organisation(slug: String) -> Result<OrganisationPage, AppError> {
    let state = crate::state::state()?;
    let index = state.catalogue.get(&state.pool).await?;
    crate::db::explore::organisation(&state.pool, &index, &slug)
        .await?
        .ok_or(AppError::NotFound)
}

#[server]
pub async fn get_recent(page: u32) -> Result<RecentPage, AppError> {
    let state = crate::state::state()?;
    Ok(crate::db::explore::recent(&state.pool, page.max(1)).await?)
}
