//! The synonym groups' form for admins (`auth::require` first).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{editing::FieldError, error::AppError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymsEditor {
    /// One group per line, words separated by commas.
    pub text: String,
    pub errors: Vec<FieldError>,
    /// A message for the top of the form (a technical problem).
    pub message: Option<String>,
}

/// A synonyms form that came back from the form handler (server only).
#[derive(Debug, Clone)]
pub struct SynonymsEcho {
    pub text: String,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
}

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
