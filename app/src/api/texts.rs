//! The site texts' form for editors (`auth::require` first).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::texts::TextsInput;
use crate::{domain::texts::TextsEditor, error::AppError};

#[server]
pub async fn get_site_texts() -> Result<TextsEditor, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let stored = crate::db::texts::all(&state.pool).await?;
    let opened = crate::domain::texts::fingerprints(&stored);
    Ok(match super::came_back::<TextsInput>() {
        Some(mut form) => {
            // What was typed wins; anything not in the form shows as stored.
            let mut all_opened = opened;
            all_opened.extend(std::mem::take(&mut form.input.opened));
            let mut texts = stored;
            texts.0.extend(std::mem::take(&mut form.input.texts.0));
            form.input = TextsInput {
                texts,
                opened: all_opened,
            };
            form
        }
        None => TextsEditor::stored(TextsInput {
            texts: stored,
            opened,
        }),
    })
}
