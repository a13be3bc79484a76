//! The synonym groups' form as the page shows it.

use serde::{Deserialize, Serialize};

use super::form::FormState;

/// The form's fields: the groups, one per line with commas between the
/// words, and a fingerprint of the list the form was opened with, so a save
/// made from an older list is refused (review 3, N5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymsInput {
    pub text: String,
    pub opened: String,
}

pub type SynonymsEditor = FormState<SynonymsInput>;

/// The hidden field with the fingerprint of the list the form showed.
pub const OPENED: &str = "apnet";
