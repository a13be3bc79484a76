//! The audit log: what was changed, by whom and when.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditRecord {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditRecord>,
    pub page: u32,
    pub pages: u32,
    pub total: i64,
}

pub const AUDIT_PAGE_SIZE: i64 = 50;

/// What an audit entry records was done. The keys are what `audit_log.action`
/// stores, so they must never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Rename,
    MoveUp,
    MoveDown,
    Retire,
    Reinstate,
    SignIn,
    /// An account's hourly budget of failed sign-ins was spent: unknown
    /// browsers are refused (review 3, N2).
    SignInBudget,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::Rename,
        AuditAction::MoveUp,
        AuditAction::MoveDown,
        AuditAction::Retire,
        AuditAction::Reinstate,
        AuditAction::SignIn,
        AuditAction::SignInBudget,
    ];

    /// The stored form.
    pub fn key(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Rename => "rename",
            AuditAction::MoveUp => "move-up",
            AuditAction::MoveDown => "move-down",
            AuditAction::Retire => "retire",
            AuditAction::Reinstate => "reinstate",
            AuditAction::SignIn => "sign-in",
            AuditAction::SignInBudget => "sign-in-budget",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.key() == s)
    }

    /// The verb in the audit log's sentences ("opprettet ressurs").
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Create => "opprettet",
            AuditAction::Update => "endret",
            AuditAction::Delete => "slettet",
            AuditAction::Rename => "ga nytt navn til",
            AuditAction::MoveUp | AuditAction::MoveDown => "flyttet",
            AuditAction::Retire => "trakk tilbake",
            AuditAction::Reinstate => "gjeninnsatte",
            AuditAction::SignIn => "logget inn",
            AuditAction::SignInBudget => "stengte ute ukjente nettlesere fra",
        }
    }
}

/// What an audit entry is about. The keys are what `audit_log.entity`
/// stores, so they must never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEntity {
    Resource,
    Organisation,
    FacetValue,
    Account,
    Page,
    Consultation,
    SiteText,
    Feedback,
    Media,
    SynonymGroup,
}

impl AuditEntity {
    pub const ALL: [AuditEntity; 10] = [
        AuditEntity::Resource,
        AuditEntity::Organisation,
        AuditEntity::FacetValue,
        AuditEntity::Account,
        AuditEntity::Page,
        AuditEntity::Consultation,
        AuditEntity::SiteText,
        AuditEntity::Feedback,
        AuditEntity::Media,
        AuditEntity::SynonymGroup,
    ];

    /// The stored form.
    pub fn key(self) -> &'static str {
        match self {
            AuditEntity::Resource => "resource",
            AuditEntity::Organisation => "organisation",
            AuditEntity::FacetValue => "facet_value",
            AuditEntity::Account => "account",
            AuditEntity::Page => "page",
            AuditEntity::Consultation => "consultation",
            AuditEntity::SiteText => "site_text",
            AuditEntity::Feedback => "feedback",
            AuditEntity::Media => "media",
            AuditEntity::SynonymGroup => "synonym_group",
        }
    }

    pub fn parse(s: &str) -> Option<AuditEntity> {
        AuditEntity::ALL.into_iter().find(|e| e.key() == s)
    }

    /// The noun in the audit log's sentences ("opprettet ressurs").
    pub fn label(self) -> &'static str {
        match self {
            AuditEntity::Resource => "ressurs",
            AuditEntity::Organisation => "organisasjon",
            AuditEntity::FacetValue => "kategoriverdi",
            AuditEntity::Account => "konto",
            AuditEntity::Page => "side",
            AuditEntity::Consultation => "innspillsrunde",
            AuditEntity::SiteText => "tekster",
            AuditEntity::Feedback => "tilbakemelding",
            AuditEntity::Media => "fil",
            AuditEntity::SynonymGroup => "synonymgrupper",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{AuditAction, AuditEntity};

    #[test]
    fn keys_round_trip_and_are_the_stored_strings() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.key()), Some(action));
        }
        assert_eq!(AuditAction::MoveUp.key(), "move-up");
        assert_eq!(AuditAction::SignIn.key(), "sign-in");
        assert_eq!(AuditAction::parse("publish"), None);
        for entity in AuditEntity::ALL {
            assert_eq!(AuditEntity::parse(entity.key()), Some(entity));
        }
        assert_eq!(AuditEntity::SiteText.key(), "site_text");
    }
}
