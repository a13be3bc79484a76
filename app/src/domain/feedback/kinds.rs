//! The feedback's two vocabularies: what it is about (`FeedbackKind`, the
//! visitor's first step) and where the editors are with it
//! (`FeedbackStatus`). The keys are what `feedback.kind` and
//! `feedback.status` store and what the forms send, so they must never
//! change.

use serde::{Deserialize, Serialize};

/// What the feedback is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackKind {
    /// "Foreslå en ressurs": may become a draft resource.
    Suggestion,
    /// An error or something missing on a page.
    Error,
    /// On the content, structure or design.
    Input,
    Other,
}

impl FeedbackKind {
    /// In the order the first step offers them.
    pub const ALL: [FeedbackKind; 4] = [
        FeedbackKind::Suggestion,
        FeedbackKind::Error,
        FeedbackKind::Input,
        FeedbackKind::Other,
    ];

    /// The stored form (and the form's value).
    pub fn key(self) -> &'static str {
        match self {
            FeedbackKind::Suggestion => "forslag",
            FeedbackKind::Error => "feil",
            FeedbackKind::Input => "innspill",
            FeedbackKind::Other => "annet",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackKind> {
        FeedbackKind::ALL.into_iter().find(|k| k.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedbackKind::Suggestion => "Foreslå en ressurs",
            FeedbackKind::Error => "Meld fra om en feil eller noe som mangler",
            FeedbackKind::Input => "Innspill til innhold, struktur eller design",
            FeedbackKind::Other => "Noe annet",
        }
    }

    /// The hint under the choice.
    pub fn hint(self) -> &'static str {
        match self {
            FeedbackKind::Suggestion => "Et verktøy, en veileder, et eksempel fra praksis eller noe annet som hører hjemme her.",
            FeedbackKind::Error => "En lenke som ikke virker, noe som er utdatert, eller noe vi burde hatt med.",
            FeedbackKind::Input => "Hva er vanskelig å finne eller forstå, og hva kan bli bedre?",
            FeedbackKind::Other => "Alt annet du vil si til oss.",
        }
    }
}

/// Where the editors are with a feedback item, in workflow order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackStatus {
    #[default]
    New,
    InProgress,
    Done,
    Discarded,
}

impl FeedbackStatus {
    pub const ALL: [FeedbackStatus; 4] = [
        FeedbackStatus::New,
        FeedbackStatus::InProgress,
        FeedbackStatus::Done,
        FeedbackStatus::Discarded,
    ];

    /// The stored form (and the form's value).
    pub fn key(self) -> &'static str {
        match self {
            FeedbackStatus::New => "ny",
            FeedbackStatus::InProgress => "under-arbeid",
            FeedbackStatus::Done => "ferdig",
            FeedbackStatus::Discarded => "forkastet",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackStatus> {
        FeedbackStatus::ALL.into_iter().find(|st| st.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedbackStatus::New => "Ny",
            FeedbackStatus::InProgress => "Under arbeid",
            FeedbackStatus::Done => "Ferdig",
            FeedbackStatus::Discarded => "Forkastet",
        }
    }
}

/// The label of a stored kind; "Ukjent" for a key the code does not know.
pub fn kind_label(key: &str) -> &'static str {
    FeedbackKind::parse(key).map_or("Ukjent", FeedbackKind::label)
}

/// The label of a stored status; "Ukjent" for a key the code does not know.
pub fn status_label(key: &str) -> &'static str {
    FeedbackStatus::parse(key).map_or("Ukjent", FeedbackStatus::label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_the_stored_strings() {
        for kind in FeedbackKind::ALL {
            assert_eq!(FeedbackKind::parse(kind.key()), Some(kind));
        }
        for status in FeedbackStatus::ALL {
            assert_eq!(FeedbackStatus::parse(status.key()), Some(status));
        }
        assert_eq!(FeedbackKind::Suggestion.key(), "forslag");
        assert_eq!(FeedbackStatus::InProgress.key(), "under-arbeid");
        assert_eq!(kind_label("ukjent"), "Ukjent");
    }
}
