//! Feedback: the visitors' flow and page answers (public, rate limited),
//! and the editors' inbox (`auth::require` first).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{editing::FieldError, error::AppError, feedback::FeedbackDraft};

/// The flow's state as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackFlow {
    pub draft: FeedbackDraft,
    pub errors: Vec<FieldError>,
    /// (key, label) of the levels and audiences a suggestion may name.
    pub levels: Vec<(String, String)>,
    pub audiences: Vec<(String, String)>,
    /// Set when a message should head the form (a refused submission).
    pub message: Option<String>,
    pub retention_days: u32,
    /// The flow came back from a step the visitor sent (not a fresh start):
    /// the step's heading then takes focus.
    pub answered: bool,
}

/// A step that came back from the server's form handler (no JavaScript).
#[derive(Debug, Clone, Default)]
pub struct FlowEcho {
    pub draft: FeedbackDraft,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
}

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
            d.filter(|d| crate::editing::is_calendar_date(d))
                .unwrap_or_default()
        };
        InboxFilter {
            kind: kind
                .filter(|k| crate::feedback::KINDS.iter().any(|(key, _, _)| key == k))
                .unwrap_or_default(),
            status: status
                .filter(|s| crate::feedback::STATUSES.iter().any(|(key, _)| key == s))
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

/// Errors for the inbox's handling form, from the server's form handler.
#[derive(Debug, Clone, Default)]
pub struct HandlingEcho(pub Vec<FieldError>);

#[cfg(feature = "ssr")]
async fn facet_options(
    pool: &sqlx::SqlitePool,
    facet: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT key, label FROM facet_value WHERE facet_key = ?1 AND retired = 0 ORDER BY position",
    )
    .bind(facet)
    .fetch_all(pool)
    .await
}

/// The flow's current state: fresh (remembering the page the visitor came
/// from), or as the form handler left it after a step.
#[server]
pub async fn get_feedback_flow(
    page: Option<String>,
    kind: Option<String>,
) -> Result<FeedbackFlow, AppError> {
    let state = crate::state::state()?;
    let echo = use_context::<FlowEcho>();
    let answered = echo.is_some();
    let (draft, errors, message) = match echo {
        Some(echo) => (echo.draft, echo.errors, echo.message),
        None => {
            let page = crate::feedback::safe_page(&page.unwrap_or_default());
            let kind = kind
                .filter(|k| crate::feedback::KINDS.iter().any(|(key, _, _)| key == k))
                .unwrap_or_default();
            (
                FeedbackDraft {
                    step: 1,
                    page,
                    kind,
                    ..Default::default()
                },
                Vec::new(),
                None,
            )
        }
    };
    Ok(FeedbackFlow {
        draft,
        errors,
        levels: facet_options(&state.pool, "nivaa").await?,
        audiences: facet_options(&state.pool, "malgruppe").await?,
        message,
        retention_days: state.feedback_retention_days,
        answered,
    })
}

/// Why a submission was not stored. Each carries its own status, so a
/// refusal by the storage is told apart from a throttled visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A field needs fixing (422); the errors are shown beside the fields.
    Invalid(Vec<FieldError>),
    /// The honeypot field was filled in (422).
    Trap,
    /// Too many submissions from this address (429).
    RateLimited,
    /// The database cannot be written just now (503).
    Unavailable,
    /// Something else failed on our side (500); the cause is logged.
    Failed,
}

impl Refusal {
    /// The HTTP status a page showing this refusal carries.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::Invalid(_) | Refusal::Trap => 422,
            Refusal::RateLimited => 429,
            Refusal::Unavailable => 503,
            Refusal::Failed => 500,
        }
    }

    /// The sentence shown above the form; it says the text is kept where
    /// the visitor can send it again.
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::Invalid(_) => "Rett opp feltene som er merket.",
            Refusal::Trap => "Tilbakemeldingen ble ikke sendt. Har du fylt ut et felt som skal stå tomt?",
            Refusal::RateLimited => {
                "Vi har fått mange tilbakemeldinger fra deg på kort tid. Vent noen minutter og prøv igjen. Det du skrev, er tatt vare på her."
            }
            Refusal::Unavailable => {
                "Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Tilbakemeldingen ble ikke lagret. Prøv igjen senere. Det du skrev, er tatt vare på her."
            }
            Refusal::Failed => "Noe gikk galt hos oss, og tilbakemeldingen ble ikke lagret. Prøv igjen om litt. Det du skrev, er tatt vare på her.",
        }
    }

    /// The field errors, if a field was the reason.
    pub fn errors(&self) -> &[FieldError] {
        match self {
            Refusal::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

#[cfg(feature = "ssr")]
fn refusal_from(err: &sqlx::Error, what: &str) -> Refusal {
    if crate::error::storage_failure(err).is_some() {
        Refusal::Unavailable
    } else {
        tracing::error!(error = %err, "{what} failed");
        Refusal::Failed
    }
}

/// Stores a finished submission and returns its reference, or why not.
#[cfg(feature = "ssr")]
pub async fn accept_feedback(
    state: &crate::state::AppState,
    client: &crate::client::Client,
    draft: &FeedbackDraft,
) -> Result<String, Refusal> {
    if !draft.trap.is_empty() {
        tracing::warn!("feedback refused: honeypot filled in");
        return Err(Refusal::Trap);
    }
    let draft = &draft.for_storage();
    let (levels, audiences) = crate::db::feedback::suggestion_keys(&state.pool)
        .await
        .map_err(|err| refusal_from(&err, "loading feedback keys"))?;
    let errors = draft.check_all(&levels, &audiences);
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    if !state.limiter.allow(client) {
        tracing::warn!("feedback refused: rate limit");
        return Err(Refusal::RateLimited);
    }
    crate::db::feedback::submit(&state.pool, draft, state.feedback_retention_days)
        .await
        .map_err(|err| refusal_from(&err, "storing feedback"))
}

/// Whether a receipt's reference exists, with its kind.
#[server]
pub async fn get_receipt(reference: String) -> Result<String, AppError> {
    let state = crate::state::state()?;
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM feedback WHERE reference = ?1")
        .bind(&reference)
        .fetch_optional(&state.pool)
        .await?;
    kind.map(|k| crate::feedback::kind_label(&k).to_string())
        .ok_or(AppError::NotFound)
}

#[server]
pub async fn get_inbox(
    kind: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Inbox, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let filter = InboxFilter::parse(kind, status, from, to);
    Ok(Inbox {
        items: crate::db::feedback::inbox(&state.pool, &filter, 500).await?,
        helpfulness: crate::db::feedback::helpfulness(&state.pool).await?,
        filter,
    })
}

#[server]
pub async fn get_feedback_item(reference: Option<String>) -> Result<FeedbackDetail, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let (item, events) =
        crate::db::feedback::by_reference(&state.pool, &reference.unwrap_or_default())
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(FeedbackDetail {
        item,
        events,
        errors: use_context::<HandlingEcho>()
            .map(|e| e.0)
            .unwrap_or_default(),
    })
}
