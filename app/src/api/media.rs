//! The media page's data, and the files panel of the editors' forms
//! (`auth::require` first).

use leptos::prelude::*;

use crate::{domain::media::MediaPage, error::AppError};

#[server]
pub async fn get_media() -> Result<MediaPage, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    // What was typed wins (an upload that came back with a problem).
    let form = super::form_or(crate::domain::media::MediaInput::default);
    let files = crate::db::media::list(&state.pool).await?;
    let used_bytes = crate::db::media::used_bytes(&state.pool).await?;
    Ok(MediaPage {
        form,
        files,
        used_bytes,
        quota_bytes: state.media_quota,
    })
}

/// The files panel of a resource's form (`slug`) or a page's (`None`):
/// every file with its Markdown, and a saved resource's downloads.
#[server]
pub async fn get_editor_files(
    resource: Option<String>,
) -> Result<crate::domain::media::EditorFiles, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let files = crate::db::media::all_files(&state.pool).await?;
    let attachments = match resource {
        Some(slug) => match crate::db::lookup::resource_id(&state.pool, &slug).await? {
            Some(id) => Some(crate::db::media::attachments(&state.pool, id).await?),
            None => None,
        },
        None => None,
    };
    Ok(crate::domain::media::EditorFiles {
        pasteable: files.iter().map(Into::into).collect(),
        attachments,
    })
}
