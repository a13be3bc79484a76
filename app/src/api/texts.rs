//! The site texts' form for editors (`auth::require` first).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::texts::TextsEcho;
use crate::{domain::texts::TextsEditor, error::AppError};

#[server]
pub async fn get_site_texts() -> Result<TextsEditor, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let stored = crate::db::texts::all(&state.pool).await?;
    Ok(match use_context::<TextsEcho>() {
        Some(echo) => {
            // What was typed wins; anything not in the form shows as stored.
            let mut opened = crate::domain::texts::fingerprints(&stored);
            opened.extend(echo.opened);
            let mut texts = stored;
            texts.0.extend(echo.texts.0);
            TextsEditor {
                texts,
                opened,
                errors: echo.errors,
                message: echo.message,
            }
        }
        None => TextsEditor {
            opened: crate::domain::texts::fingerprints(&stored),
            texts: stored,
            errors: Vec::new(),
            message: None,
        },
    })
}
