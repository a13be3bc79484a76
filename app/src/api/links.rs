//! The link checker's pages for editors (`auth::require` first).

use leptos::prelude::*;

use crate::{
    domain::links::{AttentionView, LinksOverview},
    error::AppError,
};

/// The link page, filtered to one status key (anything unknown: all).
#[server]
pub async fn get_links(status: Option<String>) -> Result<LinksOverview, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let filter = status
        .as_deref()
        .and_then(crate::domain::links::LinkStatus::parse);
    Ok(crate::db::links::overview(&state.pool, filter).await?)
}

#[server]
pub async fn get_attention() -> Result<AttentionView, AppError> {
    let (state, user) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let since = crate::db::digest::week_ago(&state.pool).await?;
    Ok(AttentionView {
        attention: crate::db::digest::attention(&state.pool, &since).await?,
        links: crate::db::links::summary(&state.pool).await?,
        digest_email: crate::db::digest::opt_in(&state.pool, user.id).await?,
    })
}
