//! Server functions for editors. Each one starts with `auth::require`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{auth::User, error::AppError};

/// A resource as listed for editors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRow {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub last_reviewed: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub summary: String,
}

/// What needs an editor's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub user: User,
    pub drafts: Vec<AdminRow>,
    /// Published, but not reviewed in over 12 months (or never).
    pub stale: Vec<AdminRow>,
    pub recent: Vec<AuditEntry>,
}

/// The signed-in user, for the header; `None` for visitors.
#[server]
pub async fn who_am_i() -> Result<Option<User>, AppError> {
    crate::auth::current_user().await
}

#[server]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let (state, user) = crate::auth::require(crate::auth::Role::Editor).await?;
    Ok(crate::db::admin::dashboard(&state.pool, user).await?)
}
