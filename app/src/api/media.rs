//! The media page's data for editors (`auth::require` first).

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
