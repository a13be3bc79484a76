//! Public, read-only catalogue endpoints.

use leptos::prelude::*;

use crate::{
    domain::catalogue::{CatalogueResult, HomeData, InvolvementMap, ResourceDetail},
    error::AppError,
};

#[server]
pub async fn get_home() -> Result<HomeData, AppError> {
    let state = crate::state::state()?;
    let index = state.catalogue.get(&state.pool).await?;
    Ok(crate::db::catalogue::home(&state.pool, &index).await?)
}

/// One page of the catalogue for a view given as its URL query string.
/// Unknown or malformed parameters are ignored, never an error.
#[server]
pub async fn browse_catalogue(query: String) -> Result<CatalogueResult, AppError> {
    let state = crate::state::state()?;
    let query = crate::query::CatalogueQuery::parse(&query);
    let index = state.catalogue.get(&state.pool).await?;
    let result = crate::catalogue::browse::browse(&state.pool, &index, &query).await?;
    // The first page of a view only, so paging does not count a filter twice.
    if result.query.page <= 1 {
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            state.stats.catalogue(
                &parts.headers,
                &result.query.filters,
                &result.query.q,
                result.total,
            );
        }
    }
    Ok(result)
}

#[server]
pub async fn get_involvement_map() -> Result<InvolvementMap, AppError> {
    let state = crate::state::state()?;
    let index = state.catalogue.get(&state.pool).await?;
    Ok(crate::catalogue::browse::involvement_map(&index))
}

#[server]
pub async fn get_resource(slug: String) -> Result<ResourceDetail, AppError> {
    if !crate::domain::is_valid_slug(&slug) {
        return Err(AppError::NotFound);
    }
    let state = crate::state::state()?;
    let index = state.catalogue.get(&state.pool).await?;
    crate::db::catalogue::published_detail(&state.pool, &index, &slug)
        .await?
        .ok_or(AppError::NotFound)
}
