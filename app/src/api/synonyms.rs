//! The synonym groups' form for admins (`auth::require` first).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::synonyms::SynonymsEcho;
use crate::{domain::synonyms::SynonymsEditor, error::AppError};

#[server]
pub async fn get_synonyms() -> Result<SynonymsEditor, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Admin).await?;
    Ok(match use_context::<SynonymsEcho>() {
        // What was typed wins.
        Some(echo) => SynonymsEditor {
            text: echo.text,
            errors: echo.errors,
            message: echo.message,
        },
        None => SynonymsEditor {
            text: crate::db::synonyms::to_form(&crate::search::load_synonyms(&state.pool).await?),
            errors: Vec::new(),
            message: None,
        },
    })
}
