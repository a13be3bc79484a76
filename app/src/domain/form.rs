//! The pieces every form shares: a field's error, the form state (what a
//! form shows, stored or as it came back), decoding a posted form, and the
//! date and URL checks.

use serde::{Deserialize, Serialize};

/// A problem with one field, in words for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A real `YYYY-MM-DD` date between 1900 and 2200 (what a form may store).
pub fn is_iso_date(s: &str) -> bool {
    is_calendar_date(s)
        && s[..4]
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2200).contains(&y))
}

/// A real `YYYY-MM-DD` date, any year from 1 on (what a filter may ask for).
pub fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    // Digits only: `parse` would also take a sign ("2026-+3-+1").
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        s[..4].parse::<u32>(),
        s[5..7].parse::<u32>(),
        s[8..].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y > 0 && (1..=days).contains(&d)
}

/// An absolute http(s) URL with a host and no spaces.
pub fn is_valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && host.contains('.')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// Decoded `application/x-www-form-urlencoded` pairs, repeated keys kept.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (crate::query::decode(k), crate::query::decode(v))
        })
        .collect()
}

/// At most this many distinct `f.<facet>` keys are kept from a form, and
/// this many values per key. The taxonomy has about ten facets with a few
/// dozen values each, so a real form never comes near; what lies beyond is
/// dropped before any work is done on it (review 3, N7).
pub const FACET_KEYS_MAX: usize = 50;
pub const FACET_VALUES_MAX: usize = 200;

/// The `f.<facet>` fields of a form grouped by facet, in the order first
/// seen, in one pass over the pairs (a map finds a key's group, so many
/// distinct keys cost linear time, not quadratic).
pub fn facet_fields(pairs: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut facets: Vec<(String, Vec<String>)> = Vec::new();
    for (key, value) in pairs {
        let Some(facet) = key.strip_prefix("f.") else {
            continue;
        };
        // The "not set" choice of a single-value facet.
        if value.is_empty() {
            continue;
        }
        let i = match index.get(facet) {
            Some(&i) => i,
            None if facets.len() < FACET_KEYS_MAX => {
                index.insert(facet, facets.len());
                facets.push((facet.to_string(), Vec::new()));
                facets.len() - 1
            }
            None => continue,
        };
        let values = &mut facets[i].1;
        if values.len() < FACET_VALUES_MAX {
            values.push(value.clone());
        }
    }
    facets
}

/// The first value of a form field, or "".
pub fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A form as its page shows it: what is in its fields, each field's
/// problem, and a message for the top (a technical problem or a conflict).
/// The one form state of every form: a page opens with the stored values
/// ([`FormState::stored`]); a form handler whose save failed renders the page
/// again with what was typed (`server::routes::forms::rerender` takes a
/// `FormState<I>`), and the page's server function picks it up by its type
/// (`api::form_or`). Serialisable, so it renders the same in an island.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormState<I> {
    pub input: I,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
}

impl<I> FormState<I> {
    /// A form as stored: no problems.
    pub fn stored(input: I) -> Self {
        FormState {
            input,
            errors: Vec::new(),
            message: None,
        }
    }

    /// A form that came back with problems by its fields.
    pub fn invalid(input: I, errors: Vec<FieldError>) -> Self {
        FormState {
            input,
            errors,
            message: None,
        }
    }

    /// A form that came back with one message for the top.
    pub fn failed(input: I, message: impl Into<String>) -> Self {
        FormState {
            input,
            errors: Vec::new(),
            message: Some(message.into()),
        }
    }

    /// A form whose save was refused with `err`: each field's problem, or
    /// the error's sentence at the top.
    pub fn refused(input: I, err: &SaveError) -> Self {
        match err {
            SaveError::Invalid(errors) => FormState::invalid(input, errors.clone()),
            other => FormState::failed(input, other.message()),
        }
    }

    /// The problem with `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<String> {
        error_for(&self.errors, field)
    }
}

/// The message for `field` in `errors`, if it has one.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// «Rett opp 3 felt før du lagrer.»: the error summary's line for `count`
/// problems.
pub fn fix_count(count: usize) -> String {
    format!("Rett opp {count} felt før du lagrer.")
}

/// A form's input with the body's preview, for the forms with a
/// «Forhåndsvis» button (resources and pages).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previewed<I> {
    pub input: I,
    pub preview: Option<String>,
}

/// The fields of a small form as posted (organisation, facet value,
/// account), and which form on the page they belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    pub form: String,
    pub values: Vec<(String, String)>,
}

impl FormState<Fields> {
    /// What was typed in `name`.
    pub fn value(&self, name: &str) -> String {
        field(&self.input.values, name)
    }

    /// Whether this state belongs to the form `form` on the page.
    pub fn is_for(&self, form: &str) -> bool {
        self.input.form == form
    }
}

/// Why a save from an editor's form was refused. `db` makes them; the
/// server answers each with its status (`server::routes::forms::save_status`).
#[derive(Debug, PartialEq)]
pub enum SaveError {
    /// Fix these fields; nothing was written.
    Invalid(Vec<FieldError>),
    /// Someone saved since the editor opened the form; nothing was written.
    Conflict {
        current_version: i64,
    },
    NotFound,
    Db(String),
    /// The storage refused the write (disk full, read-only); see `error::storage_failure`.
    Unavailable,
}

/// A refusal for one field.
pub fn invalid(field: &str, message: impl Into<String>) -> SaveError {
    SaveError::Invalid(vec![FieldError::new(field, message)])
}

impl SaveError {
    /// The message for the top of the form.
    pub fn message(&self) -> String {
        match self {
            SaveError::Invalid(errors) => format!("Rett opp {} felt før du lagrer.", errors.len()),
            SaveError::Conflict { .. } => "Noen andre har lagret denne ressursen etter at du åpnet den. \
                Endringene dine er ikke lagret: åpne ressursen på nytt, og gjør endringene igjen."
                .into(),
            SaveError::NotFound => "Ressursen finnes ikke lenger.".into(),
            SaveError::Db(_) => "Noe gikk galt hos oss, og ingenting ble lagret. Prøv igjen om litt.".into(),
            SaveError::Unavailable => "Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Ingenting ble lagret. Prøv igjen senere.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_dates() {
        assert!(is_valid_url("https://lovdata.no/lov/1999-07-02-63"));
        assert!(!is_valid_url("javascript:alert(1)"));
        assert!(!is_valid_url("https://"));
        assert!(!is_valid_url("https://exa mple.no"));
        assert!(
            is_iso_date("2024-02-29") && !is_iso_date("2023-02-29") && !is_iso_date("2026-1-01")
        );
    }
}
