//! Visitor statistics: the editors' dashboard (`auth::require` first) and
//! the public headline figures.

use leptos::prelude::*;

use crate::{
    domain::statistics::{PublicStats, StatsReport},
    error::AppError,
};

/// The dashboard for a date range (`YYYY-MM-DD`, both ends included);
/// the last 30 days when not given.
#[server]
pub async fn get_statistics(
    from: Option<String>,
    to: Option<String>,
) -> Result<StatsReport, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let (from, to) = crate::db::statistics::range(from.as_deref(), to.as_deref())
        .map_err(|m| AppError::BadRequest(m.to_string()))?;
    let mut report = crate::db::statistics::report(&state.pool, &from, &to).await?;
    report.helpfulness = crate::db::feedback::helpfulness(&state.pool).await?;
    Ok(report)
}

/// The public page's figures for the last 30 days, computed at most once a
/// minute (see `state.public_stats`), however often the page is viewed.
#[server]
pub async fn get_public_statistics() -> Result<PublicStats, AppError> {
    let state = crate::state::state()?;
    if let Some(report) = state.public_stats.fresh() {
        return Ok(report);
    }
    let (from, to) = crate::db::statistics::range(None, None).map_err(|_| AppError::Internal)?;
    let report = crate::db::statistics::public_report(&state.pool, &from, &to).await?;
    state.public_stats.store(report.clone());
    Ok(report)
}
