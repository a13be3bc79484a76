//! Public, read-only catalogue endpoints.

use leptos::prelude::*;

use crate::{
    domain::{HomeData, ResourceCard, ResourceDetail},
    error::AppError,
};

#[server]
pub async fn get_home() -> Result<HomeData, AppError> {
    let pool = crate::state::pool()?;
    Ok(crate::db::catalogue::home(&pool).await?)
}

#[server]
pub async fn list_resources() -> Result<Vec<ResourceCard>, AppError> {
    let pool = crate::state::pool()?;
    Ok(crate::db::catalogue::list_published(&pool).await?)
}

#[server]
pub async fn get_resource(slug: String) -> Result<ResourceDetail, AppError> {
    if !crate::domain::is_valid_slug(&slug) {
        return Err(AppError::NotFound);
    }
    let pool = crate::state::pool()?;
    crate::db::catalogue::published_detail(&pool, &slug).await?.ok_or(AppError::NotFound)
}
