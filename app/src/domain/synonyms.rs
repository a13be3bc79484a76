//! The synonym groups' form as the page shows it.

use serde::{Deserialize, Serialize};

use super::form::FieldError;

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
