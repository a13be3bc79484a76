//! Feedback: the visitors' flow and page answers (public, rate limited),
//! and the editors' inbox (`auth::require` first).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::{feedback::FeedbackDraft, inbox::InboxFilter};
use crate::{
    domain::{
        feedback::FeedbackFlow,
        form::FieldError,
        inbox::{FeedbackDetail, Inbox},
    },
    error::AppError,
};

/// The flow's current state: fresh (remembering the page the visitor came
/// from), or as the form handler left it after a step.
#[server]
pub async fn get_feedback_flow(
    page: Option<String>,
    kind: Option<String>,
) -> Result<FeedbackFlow, AppError> {
    let state = crate::state::state()?;
    let echo = super::came_back::<FeedbackDraft>();
    let answered = echo.is_some();
    let (draft, errors, message) = match echo {
        Some(echo) => (echo.input, echo.errors, echo.message),
        None => {
            let page = crate::domain::feedback::safe_page(&page.unwrap_or_default());
            let kind = kind
                .filter(|k| crate::domain::feedback::FeedbackKind::parse(k).is_some())
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
        levels: crate::db::feedback::facet_options(&state.pool, "nivaa").await?,
        audiences: crate::db::feedback::facet_options(&state.pool, "malgruppe").await?,
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
    accept(state, client, draft, None).await
}

/// [`accept_feedback`], stored at most once per `key`.
#[cfg(feature = "ssr")]
async fn accept(
    state: &crate::state::AppState,
    client: &crate::client::Client,
    draft: &FeedbackDraft,
    key: Option<&str>,
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
    crate::db::feedback::submit_once(&state.pool, draft, state.feedback_retention_days, key)
        .await
        .map_err(|err| refusal_from(&err, "storing feedback"))
}

/// "Send" from the feedback island: the whole draft as the flow's form
/// fields (URL-encoded, as the plain form posts them) and the submission's
/// key. The same checks and limits as the plain form; a retry with a key
/// already stored gets the stored submission's reference, so a submission
/// whose answer was lost on the way is never stored twice.
#[server]
pub async fn send_feedback(
    form: String,
    key: String,
) -> Result<crate::domain::feedback::Sent, AppError> {
    use crate::domain::feedback::{is_submission_key, FlowAction, Sent};
    let state = crate::state::state()?;
    if !is_submission_key(&key) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::BAD_REQUEST);
        }
        return Err(AppError::BadRequest(
            "Innsendingen mangler en gyldig nøkkel.".into(),
        ));
    }
    if let Some(reference) = crate::db::feedback::reference_for_key(&state.pool, &key).await? {
        return Ok(Sent::Stored(reference));
    }
    if form.len() > 64 * 1024 {
        return Ok(Sent::Refused {
            message: "Tilbakemeldingen er for lang.".into(),
            errors: Vec::new(),
        });
    }
    let pairs = crate::domain::form::form_pairs(form.as_bytes());
    let (levels, audiences) = crate::db::feedback::suggestion_keys(&state.pool).await?;
    let (draft, errors) =
        FeedbackDraft::from_pairs(&pairs).apply(FlowAction::Send, &levels, &audiences);
    if !errors.is_empty() {
        return Ok(Sent::Refused {
            message: Refusal::Invalid(Vec::new()).message().into(),
            errors,
        });
    }
    let client = use_context::<axum::http::request::Parts>()
        .map(|parts| crate::client::Client::of(&parts.extensions))
        .unwrap_or_else(crate::client::Client::unknown);
    Ok(match accept(&state, &client, &draft, Some(&key)).await {
        Ok(reference) => Sent::Stored(reference),
        Err(refusal) => Sent::Refused {
            message: refusal.message().into(),
            errors: refusal.errors().to_vec(),
        },
    })
}

/// Whether a receipt's reference exists, with its kind.
#[server]
pub async fn get_receipt(reference: String) -> Result<String, AppError> {
    let state = crate::state::state()?;
    let kind = crate::db::feedback::kind_of(&state.pool, &reference).await?;
    kind.map(|k| crate::domain::feedback::kind_label(&k).to_string())
        .ok_or(AppError::NotFound)
}

#[server]
pub async fn get_inbox(
    kind: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Inbox, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let filter = InboxFilter::parse(kind, status, from, to);
    Ok(Inbox {
        items: crate::db::feedback::inbox(&state.pool, &filter, 500).await?,
        helpfulness: crate::db::feedback::helpfulness(&state.pool).await?,
        filter,
    })
}

#[server]
pub async fn get_feedback_item(reference: Option<String>) -> Result<FeedbackDetail, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let (item, events) =
        crate::db::feedback::by_reference(&state.pool, &reference.unwrap_or_default())
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(FeedbackDetail {
        item,
        events,
        // The handling form's problems, when its save came back.
        errors: super::came_back::<()>()
            .map(|form| form.errors)
            .unwrap_or_default(),
    })
}
