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

/// A facet with every value an editor may choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetChoices {
    pub key: String,
    pub label: String,
    pub multiple: bool,
    pub values: Vec<crate::domain::FacetValue>,
}

/// Everything the resource form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    /// `None` for a new resource.
    pub id: Option<i64>,
    pub input: crate::editing::ResourceInput,
    pub facets: Vec<FacetChoices>,
    /// (slug, name)
    pub organisations: Vec<(String, String)>,
    /// (version, who, when), newest first.
    pub versions: Vec<(i64, String, String)>,
    /// Set when a submitted form came back with problems.
    pub errors: Vec<crate::editing::FieldError>,
    pub message: Option<String>,
    pub saved: bool,
    /// The body rendered for "Forhåndsvis" (the form's no-JavaScript preview).
    pub preview: Option<String>,
}

/// A form that failed to save, handed to the page that shows it again with
/// what the editor typed (server only; provided by the form handler).
#[derive(Debug, Clone)]
pub struct Resubmitted {
    pub input: crate::editing::ResourceInput,
    pub errors: Vec<crate::editing::FieldError>,
    pub message: String,
    /// Set when the editor asked for a preview rather than a save.
    pub preview: Option<String>,
}

/// The resource form: empty for `slug = None`, else the resource as saved
/// (or an earlier `version` of it, or, after a failed save, as the editor
/// submitted it).
#[server]
pub async fn get_resource_editor(
    slug: Option<String>,
    saved: Option<bool>,
    version: Option<i64>,
) -> Result<EditorData, AppError> {
    let (state, _user) = crate::auth::require(crate::auth::Role::Editor).await?;
    crate::db::admin::editor_data(
        &state.pool,
        slug.as_deref(),
        use_context::<Resubmitted>(),
        saved.unwrap_or(false),
        version,
    )
    .await
}
