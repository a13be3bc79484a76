//! The synonym groups' form as the page shows it.

use super::form::FormState;

/// One group per line, words separated by commas.
pub type SynonymsEditor = FormState<String>;
