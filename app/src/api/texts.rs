//! The site texts' form for editors (`auth::require` first).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{editing::FieldError, error::AppError, texts::Texts};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextsEditor {
    pub texts: Texts,
    pub errors: Vec<FieldError>,
    /// A message for the top of the form (a technical problem).
    pub message: Option<String>,
}

/// A texts form that came back from the form handler (server only).
#[derive(Debug, Clone)]
pub struct TextsEcho {
    pub texts: Texts,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
}

#[server]
pub async fn get_site_texts() -> Result<TextsEditor, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let stored = crate::db::texts::all(&state.pool).await?;
    Ok(match use_context::<TextsEcho>() {
        Some(echo) => {
            // What was typed wins; anything not in the form shows as stored.
            let mut texts = stored;
            texts.0.extend(echo.texts.0);
            TextsEditor {
                texts,
                errors: echo.errors,
                message: echo.message,
            }
        }
        None => TextsEditor {
            texts: stored,
            errors: Vec::new(),
            message: None,
        },
    })
}
