//! Feedback as plain form posts (no JavaScript needed): each step of the
//! flow, the page answers, and the editors' handling of the inbox.

use app::{
    api::feedback::accept_feedback,
    db::{feedback, lookup},
    domain::{
        feedback::{safe_page, FeedbackDraft, FlowAction},
        form::FormState,
        form::{field, form_pairs},
        inbox::InboxFilter,
        notice::Notice,
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{header, Extensions, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use crate::routes::feeds::csv_cell;
use crate::routes::forms::{found, notify, rerender, see, FormError, SignedIn};

/// The client, for rate limiting only (hashed, never stored).
fn client(extensions: &Extensions) -> app::client::Client {
    app::client::Client::of(extensions)
}

/// `POST /tilbakemelding`: one step of the flow.
pub async fn flow_step(
    State(state): State<AppState>,
    connect: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    if body.len() > 64 * 1024 {
        let message = "Tilbakemeldingen er for lang.";
        return Ok((StatusCode::PAYLOAD_TOO_LARGE, message).into_response());
    }
    let pairs = form_pairs(&body);
    let draft = FeedbackDraft::from_pairs(&pairs);
    let action = FlowAction::parse(&field(&pairs, "handling"));
    let (levels, audiences) = feedback::suggestion_keys(&state.pool).await?;
    let (draft, errors) = draft.apply(action, &levels, &audiences);
    if action == FlowAction::Send && errors.is_empty() {
        return Ok(
            match accept_feedback(&state, &client(&connect), &draft).await {
                Ok(reference) => see(format!("/tilbakemelding/kvittering/{reference}")),
                Err(refusal) => {
                    let status = StatusCode::from_u16(refusal.status())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    let echo = FormState {
                        input: draft,
                        errors: refusal.errors().to_vec(),
                        message: Some(refusal.message().to_string()),
                    };
                    rerender(state, "/tilbakemelding", headers, echo, status).await
                }
            },
        );
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let echo = FormState::invalid(draft, errors);
    Ok(rerender(state, "/tilbakemelding", headers, echo, status).await)
}

/// A failed save as plain text: 503 with its own message when the storage
/// refused it, 500 otherwise (the cause is logged either way).
fn save_failed(err: &sqlx::Error) -> Response {
    let (unavailable, message) = app::error::save_failed(err);
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        message,
    )
        .into_response()
}

/// The answer to a visitor who has sent too many answers in a short time.
const RATE_LIMITED: &str =
    "Vi har fått mange svar fra deg på kort tid. Prøv igjen om noen minutter.";

fn back_to(path: &str, answer: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}nyttig={answer}#nyttig")).into_response()
}

/// `POST /nyttig`: "Ja" or "Nei".
pub async fn helpful(State(state): State<AppState>, connect: Extensions, body: Bytes) -> Response {
    let pairs = form_pairs(&body);
    let path = safe_page(&field(&pairs, "path"));
    let answer = field(&pairs, "svar");
    if path.is_empty() || (answer != "ja" && answer != "nei") {
        return (StatusCode::BAD_REQUEST, "Ukjent side eller svar.").into_response();
    }
    if !state.limiter.allow(&client(&connect)) {
        tracing::warn!("page answer refused: rate limit");
        return (StatusCode::TOO_MANY_REQUESTS, RATE_LIMITED).into_response();
    }
    if let Err(err) = feedback::count_helpful(&state.pool, &path, answer == "ja").await {
        return save_failed(&err);
    }
    back_to(&path, &answer)
}

/// `POST /nyttig/kommentar`: "Hva manglet?"
pub async fn helpful_comment(
    State(state): State<AppState>,
    connect: Extensions,
    body: Bytes,
) -> Response {
    let pairs = form_pairs(&body);
    let path = safe_page(&field(&pairs, "path"));
    let comment = field(&pairs, "comment");
    let comment = comment.trim();
    if path.is_empty() {
        return (StatusCode::BAD_REQUEST, "Ukjent side.").into_response();
    }
    if comment.is_empty() {
        return back_to(&path, "nei");
    }
    if comment.chars().count() > app::domain::inbox::COMMENT_MAX {
        let message = format!(
            "Kommentaren ble ikke lagret: skriv høyst {} tegn.",
            app::domain::inbox::COMMENT_MAX
        );
        return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
    }
    if !state.limiter.allow(&client(&connect)) {
        tracing::warn!("page comment refused: rate limit");
        return (StatusCode::TOO_MANY_REQUESTS, RATE_LIMITED).into_response();
    }
    if let Err(err) =
        feedback::helpful_comment(&state.pool, &path, comment, state.feedback_retention_days).await
    {
        return save_failed(&err);
    }
    back_to(&path, "takk")
}

/// `POST /redaktor/tilbakemeldinger/{reference}`: a status and/or a note.
pub async fn handle(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let page = format!("/redaktor/tilbakemeldinger/{reference}");
    let pairs = form_pairs(&body);
    let status = field(&pairs, "status");
    let current = found(lookup::feedback_status(&state.pool, &reference).await?)?;
    let status = (!status.is_empty() && status != current).then_some(status.as_str());
    Ok(
        match feedback::handle(
            &state.pool,
            &user,
            &reference,
            status,
            &field(&pairs, "note"),
        )
        .await
        {
            Ok(()) => notify(&page, Notice::Saved),
            Err(errors) => {
                rerender(
                    state,
                    &page,
                    headers,
                    FormState::invalid((), errors),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        },
    )
}

/// `POST /redaktor/tilbakemeldinger/{reference}/utkast`: a suggestion becomes a draft.
pub async fn to_draft(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(reference): Path<String>,
) -> Result<Response, FormError> {
    let page = format!("/redaktor/tilbakemeldinger/{reference}");
    Ok(
        match feedback::suggestion_to_draft(&state.pool, &user, &reference).await {
            Ok(slug) => {
                state.catalogue.invalidate();
                notify(
                    format!("/redaktor/ressurser/{slug}"),
                    Notice::DraftFromSuggestion,
                )
            }
            Err(sqlx::Error::RowNotFound) => return Err(FormError::NotFound),
            Err(err) => {
                tracing::error!(error = %err, "making a draft from a suggestion failed");
                notify(&page, Notice::Technical)
            }
        },
    )
}

#[derive(serde::Deserialize)]
pub struct InboxQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    fra: Option<String>,
    til: Option<String>,
}

/// `GET /redaktor/tilbakemeldinger.csv?…`: the inbox as filtered.
pub async fn inbox_csv(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
    Query(q): Query<InboxQuery>,
) -> Result<Response, FormError> {
    let filter = InboxFilter::parse(q.kind, q.status, q.fra, q.til);
    let items = feedback::inbox(&state.pool, &filter, i64::MAX).await?;
    let mut out = String::from("\u{feff}referanse;mottatt;type;status;tittel;lenke;nivå;målgruppe;tema;side;tekst;navn;e-post\r\n");
    for i in items {
        let row = [
            i.reference,
            i.created_at,
            i.kind,
            i.status,
            i.title,
            i.url,
            i.levels.join(","),
            i.audiences.join(","),
            i.topic,
            i.page,
            i.message,
            i.contact_name,
            i.contact_email,
        ];
        out.push_str(
            &row.iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tilbakemeldinger.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}
