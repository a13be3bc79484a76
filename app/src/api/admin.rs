//! Server functions for editors. Each one starts with `auth::require`.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::{form::Previewed, resource::ResourceInput};
use crate::{
    domain::account::User,
    domain::resource::{Dashboard, EditorData},
    error::AppError,
};

/// The signed-in user, for the header; `None` for visitors.
#[server]
pub async fn who_am_i() -> Result<Option<User>, AppError> {
    crate::auth::current_user().await
}

#[server]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let (state, user) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    Ok(crate::db::admin::dashboard(&state.pool, user).await?)
}

/// The resource form: empty for `slug = None`, else the resource as saved
/// (or an earlier `version` of it, or, after a failed save, as the editor
/// submitted it).
#[server]
pub async fn get_resource_editor(
    slug: Option<String>,
    version: Option<i64>,
) -> Result<EditorData, AppError> {
    let (state, _user) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let pool = &state.pool;
    let facets = crate::db::taxonomy::facet_choices(pool, "resource").await?;
    let organisations = crate::db::admin::organisation_choices(pool).await?;
    let (id, stored) = match slug.as_deref() {
        Some(slug) => {
            let id = crate::db::lookup::resource_id(pool, slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut conn = pool.acquire().await?;
            let input = crate::db::editing::load_input(&mut conn, id)
                .await?
                .ok_or(AppError::NotFound)?;
            (Some(id), input)
        }
        None => (
            None,
            ResourceInput {
                status: crate::domain::resource::ResourceStatus::Draft.key().into(),
                ..Default::default()
            },
        ),
    };
    // An earlier version, shown in the form so it can be read and saved again.
    let stored = match (id, version) {
        (Some(id), Some(version)) if stored.version != Some(version) => {
            let snapshot = crate::db::admin::version_snapshot(pool, id, version)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut old: ResourceInput = serde_json::from_str(&snapshot).map_err(|err| {
                tracing::error!(error = %err, "unreadable version snapshot");
                AppError::Internal
            })?;
            old.version = stored.version;
            old
        }
        _ => stored,
    };
    let versions = match id {
        Some(id) => crate::db::editing::versions(pool, id).await?,
        None => Vec::new(),
    };
    // What the editor typed wins over what is stored.
    let form = super::form_or(|| Previewed {
        input: stored,
        preview: None,
    });
    // The island shows the summary's line as it is given.
    let message = form.message.or_else(|| {
        (!form.errors.is_empty()).then(|| crate::domain::form::fix_count(form.errors.len()))
    });
    let (Previewed { input, preview }, errors) = (form.input, form.errors);
    Ok(EditorData {
        id,
        input,
        facets,
        organisations,
        versions,
        errors,
        message,
        preview,
    })
}
