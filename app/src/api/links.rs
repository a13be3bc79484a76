//! The link checker's pages for editors (`auth::require` first).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    links::{Attention, LinkSummary, LinksOverview},
};

/// The link page, filtered to one status key (anything unknown: all).
#[server]
pub async fn get_links(status: Option<String>) -> Result<LinksOverview, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let filter = status.as_deref().and_then(crate::links::LinkStatus::parse);
    Ok(crate::db::links::overview(&state.pool, filter).await?)
}

/// The top of the dashboard: what needs the editors, and the signed-in
/// editor's own digest choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionView {
    /// Feedback and answers counted over the last seven days.
    pub attention: Attention,
    pub links: LinkSummary,
    /// Where this editor gets the digest, if they opted in.
    pub digest_email: Option<String>,
}

#[server]
pub async fn get_attention() -> Result<AttentionView, AppError> {
    let (state, user) = crate::auth::require(crate::auth::Role::Editor).await?;
    let since: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7 days')")
            .fetch_one(&state.pool)
            .await?;
    Ok(AttentionView {
        attention: crate::db::digest::attention(&state.pool, &since).await?,
        links: crate::db::links::summary(&state.pool).await?,
        digest_email: crate::db::digest::opt_in(&state.pool, user.id).await?,
    })
}
