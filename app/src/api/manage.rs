//! Server functions behind the management pages: organisations (editors),
//! the taxonomy, accounts and the audit log (administrators), and the
//! Markdown preview. Each one starts with `auth::require`; changes go
//! through the form handlers in the server crate, which check the session
//! the same way.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::{
    form::{Fields, FormState},
    organisation::OrganisationInput,
};
use crate::{
    domain::{
        account::Accounts,
        audit::AuditPage,
        organisation::{OrganisationEditor, OrganisationRow},
        taxonomy::Taxonomy,
    },
    error::AppError,
};

#[server]
pub async fn get_organisations() -> Result<Vec<OrganisationRow>, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    Ok(crate::db::organisation::organisations(&state.pool).await?)
}

/// The organisation form: empty for `slug = None`.
#[server]
pub async fn get_organisation_editor(slug: Option<String>) -> Result<OrganisationEditor, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let facets = crate::db::taxonomy::facet_choices(&state.pool, "organisation").await?;
    let (id, input, uses) = match slug {
        Some(slug) => {
            let stored = crate::db::organisation::organisation_form(&state.pool, &slug)
                .await?
                .ok_or(AppError::NotFound)?;
            (Some(stored.id), stored.input, stored.uses)
        }
        None => (None, OrganisationInput::default(), 0),
    };
    Ok(OrganisationEditor {
        id,
        input,
        facets,
        uses,
        echo: use_context::<FormState<Fields>>(),
    })
}

#[server]
pub async fn get_taxonomy() -> Result<Taxonomy, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Admin).await?;
    Ok(Taxonomy {
        facets: crate::db::taxonomy::taxonomy(&state.pool).await?,
        echo: use_context::<FormState<Fields>>(),
    })
}

#[server]
pub async fn get_accounts() -> Result<Accounts, AppError> {
    let (state, me) = crate::auth::require(crate::domain::account::Role::Admin).await?;
    Ok(Accounts {
        me,
        accounts: crate::db::account::accounts(&state.pool).await?,
        echo: use_context::<FormState<Fields>>(),
    })
}

/// One page (from 1) of the audit log, newest first.
#[server]
pub async fn get_audit_log(page: Option<u32>) -> Result<AuditPage, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Admin).await?;
    Ok(crate::db::audit::audit_page(&state.pool, page.unwrap_or(1).max(1)).await?)
}

/// Markdown rendered exactly as the public page will show it (sanitised).
#[server]
pub async fn preview_markdown(body: Option<String>) -> Result<String, AppError> {
    let _ = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let body = body.unwrap_or_default();
    if body.chars().count() > crate::domain::resource::BODY_MAX {
        return Err(AppError::BadRequest(format!(
            "Teksten kan ha høyst {} tegn.",
            crate::domain::resource::BODY_MAX
        )));
    }
    Ok(crate::markdown::render(&body))
}
