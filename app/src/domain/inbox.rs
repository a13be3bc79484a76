//! The editors' feedback inbox: the items, their history, the filters and
//! the page answers ("Var denne siden nyttig?").

use serde::{Deserialize, Serialize};

use super::form::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub title: String,
    pub url: String,
    pub levels: Vec<String>,
    pub audiences: Vec<String>,
    pub topic: String,
    pub page: String,
    pub message: String,
    pub contact_name: String,
    pub contact_email: String,
    pub consent: bool,
    pub status: String,
    /// The draft made from this suggestion, if any.
    pub draft_slug: Option<String>,
    pub created_at: String,
    pub delete_after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackEvent {
    pub at: String,
    pub actor: String,
    pub status: Option<String>,
    pub note: String,
}

/// The inbox's filters; empty strings mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxFilter {
    pub kind: String,
    pub status: String,
    /// ISO dates, inclusive.
    pub from: String,
    pub to: String,
}

impl InboxFilter {
    /// Reads `?type=&status=&fra=&til=`, dropping anything malformed.
    pub fn parse(
        kind: Option<String>,
        status: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Self {
        let date = |d: Option<String>| {
            d.filter(|d| crate::domain::form::is_calendar_date(d))
                .unwrap_or_default()
        };
        InboxFilter {
            kind: kind
                .filter(|k| crate::domain::feedback::FeedbackKind::parse(k).is_some())
                .unwrap_or_default(),
            status: status
                .filter(|s| crate::domain::feedback::FeedbackStatus::parse(s).is_some())
                .unwrap_or_default(),
            from: date(from),
            to: date(to),
        }
    }

    pub fn query_string(&self) -> String {
        [
            ("type", &self.kind),
            ("status", &self.status),
            ("fra", &self.from),
            ("til", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::query::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpfulRow {
    pub path: String,
    pub yes: i64,
    pub no: i64,
    pub comments: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<FeedbackItem>,
    pub filter: InboxFilter,
    pub helpfulness: Vec<HelpfulRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackDetail {
    pub item: FeedbackItem,
    pub events: Vec<FeedbackEvent>,
    pub errors: Vec<FieldError>,
}

/// The longest comment a "was this helpful?" answer keeps.
pub const COMMENT_MAX: usize = 1_000;

/// The longest note an editor adds to a feedback item.
pub const NOTE_MAX: usize = 2_000;

/// The checks on an editor's handling of a feedback item: a known status,
/// a note of at most `NOTE_MAX` characters, and at least one of the two.
/// `note` is trimmed.
pub fn check_handling(status: Option<&str>, note: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(status) = status {
        if super::feedback::FeedbackStatus::parse(status).is_none() {
            errors.push(FieldError::new("status", "Velg en status fra listen."));
        }
    }
    if note.chars().count() > NOTE_MAX {
        errors.push(FieldError::new(
            "note",
            format!("Notatet kan ha høyst {NOTE_MAX} tegn."),
        ));
    }
    if status.is_none() && note.is_empty() {
        errors.push(FieldError::new(
            "note",
            "Skriv et notat eller velg en ny status.",
        ));
    }
    errors
}
