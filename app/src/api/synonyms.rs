//! The synonym groups' form for admins (`auth::require` first).

use leptos::prelude::*;

use crate::{domain::synonyms::SynonymsEditor, error::AppError};

#[server]
pub async fn get_synonyms() -> Result<SynonymsEditor, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Admin).await?;
    // What was typed wins.
    if let Some(form) = super::came_back() {
        return Ok(form);
    }
    let stored = crate::db::fts::load_synonyms(&state.pool).await?;
    Ok(SynonymsEditor::stored(
        crate::domain::synonyms::SynonymsInput {
            text: crate::domain::synonyms::to_form(&stored),
            opened: crate::domain::synonyms::fingerprint(&stored),
        },
    ))
}
