//! Visitor statistics: the editors' dashboard (`auth::require` first) and
//! the public headline figures.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{api::feedback::HelpfulRow, error::AppError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: String,
    pub visitors: i64,
    pub views: i64,
}

/// A row of a top list: what, how many, and a link where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub label: String,
    pub href: Option<String>,
    pub count: i64,
    /// A second figure (unique visitors beside views), if any.
    pub second: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsReport {
    pub from: String,
    pub to: String,
    pub days: Vec<DayCount>,
    /// Sum of each day's unique visitors (a visitor on two days counts twice).
    pub visitors: i64,
    pub views: i64,
    pub pages: Vec<Ranked>,
    pub resources: Vec<Ranked>,
    pub entry_paths: Vec<Ranked>,
    pub devices: Vec<Ranked>,
    pub referrers: Vec<Ranked>,
    pub filters: Vec<Ranked>,
    pub empty_searches: Vec<Ranked>,
    pub helpfulness: Vec<HelpfulRow>,
}

/// What the public page shows, and nothing more: the last 30 days, the ten
/// most visited public pages and the devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStats {
    pub from: String,
    pub to: String,
    pub days: Vec<DayCount>,
    pub visitors: i64,
    pub views: i64,
    pub pages: Vec<Ranked>,
    pub devices: Vec<Ranked>,
}

/// The dashboard for a date range (`YYYY-MM-DD`, both ends included);
/// the last 30 days when not given.
#[server]
pub async fn get_statistics(
    from: Option<String>,
    to: Option<String>,
) -> Result<StatsReport, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
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
