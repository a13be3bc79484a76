//! Server functions behind the management pages: organisations (editors),
//! the taxonomy, accounts and the audit log (administrators), and the
//! Markdown preview. Each one starts with `auth::require`; changes go
//! through the form handlers in the server crate, which check the session
//! the same way.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    api::admin::{AuditEntry, FacetChoices},
    auth::User,
    editing::{FormEcho, OrganisationInput},
    error::AppError,
};

/// An organisation in the editors' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub slug: String,
    pub name: String,
    /// How many resources name it.
    pub uses: i64,
}

/// Everything the organisation form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationEditor {
    /// `None` for a new organisation.
    pub id: Option<i64>,
    pub input: OrganisationInput,
    pub facets: Vec<FacetChoices>,
    pub uses: i64,
    pub echo: Option<FormEcho>,
}

/// One facet value as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueAdmin {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub retired: bool,
    /// Resources and organisations that carry it.
    pub uses: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetAdmin {
    pub key: String,
    pub label: String,
    pub values: Vec<ValueAdmin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub facets: Vec<FacetAdmin>,
    pub echo: Option<FormEcho>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    pub me: User,
    pub accounts: Vec<AccountRow>,
    pub echo: Option<FormEcho>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u32,
    pub pages: u32,
    pub total: i64,
}

pub const AUDIT_PAGE_SIZE: i64 = 50;

#[server]
pub async fn get_organisations() -> Result<Vec<OrganisationRow>, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    Ok(crate::db::manage::organisations(&state.pool).await?)
}

/// The organisation form: empty for `slug = None`.
#[server]
pub async fn get_organisation_editor(slug: Option<String>) -> Result<OrganisationEditor, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    crate::db::manage::organisation_editor(&state.pool, slug.as_deref(), use_context::<FormEcho>())
        .await
}

#[server]
pub async fn get_taxonomy() -> Result<Taxonomy, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Admin).await?;
    Ok(Taxonomy {
        facets: crate::db::manage::taxonomy(&state.pool).await?,
        echo: use_context::<FormEcho>(),
    })
}

#[server]
pub async fn get_accounts() -> Result<Accounts, AppError> {
    let (state, me) = crate::auth::require(crate::auth::Role::Admin).await?;
    Ok(Accounts {
        me,
        accounts: crate::db::manage::accounts(&state.pool).await?,
        echo: use_context::<FormEcho>(),
    })
}

/// One page (from 1) of the audit log, newest first.
#[server]
pub async fn get_audit_log(page: Option<u32>) -> Result<AuditPage, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Admin).await?;
    Ok(crate::db::manage::audit_page(&state.pool, page.unwrap_or(1).max(1)).await?)
}

/// Markdown rendered exactly as the public page will show it (sanitised).
#[server]
pub async fn preview_markdown(body: Option<String>) -> Result<String, AppError> {
    let _ = crate::auth::require(crate::auth::Role::Editor).await?;
    let body = body.unwrap_or_default();
    if body.chars().count() > crate::editing::BODY_MAX {
        return Err(AppError::BadRequest(format!(
            "Teksten kan ha høyst {} tegn.",
            crate::editing::BODY_MAX
        )));
    }
    Ok(crate::markdown::render(&body))
}
