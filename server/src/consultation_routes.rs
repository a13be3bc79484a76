//! Consultation rounds as plain form posts: visitors' answers, editors'
//! round form, and the answers as CSV.

use app::{
    auth::Role,
    db::{
        consultation::{self, AnswerError},
        editing::SaveError,
        lookup,
    },
    domain::{
        consultation::{answers_from_form, AnswerEcho, RoundEcho, RoundInput},
        form::form_pairs,
        notice::Notice,
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, Extensions, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use crate::feeds::csv_cell;
use crate::forms::{found, gate, notify, rerender, FormError};

/// `POST /innspill/{slug}`: a visitor's answers.
pub async fn answer(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ext: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let page = format!("/innspill/{slug}");
    if body.len() > 128 * 1024 {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Svarene er for lange.").into_response();
    }
    let answers = answers_from_form(&form_pairs(&body));
    if !state.limiter.allow(&app::client::Client::of(&ext)) {
        tracing::warn!("consultation answer refused: rate limit");
        let echo = AnswerEcho { answers, errors: Vec::new(), message: "Vi har fått mange svar fra deg på kort tid. Vent noen minutter og prøv igjen. Svarene dine er tatt vare på her.".into() };
        return rerender(state, &page, headers, echo, StatusCode::TOO_MANY_REQUESTS).await;
    }
    match consultation::answer(&state.pool, &slug, &answers, state.feedback_retention_days).await {
        Ok(()) => Redirect::to(&format!("{page}?takk=1")).into_response(),
        Err(AnswerError::Closed) => {
            let echo = AnswerEcho {
                answers,
                errors: Vec::new(),
                message: "Runden er avsluttet, så svarene ble ikke lagret.".into(),
            };
            rerender(state, &page, headers, echo, StatusCode::GONE).await
        }
        Err(AnswerError::Invalid(errors)) => {
            let message = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            rerender(
                state,
                &page,
                headers,
                AnswerEcho {
                    answers,
                    errors,
                    message,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AnswerError::Unavailable) => {
            let echo = AnswerEcho {
                answers,
                errors: Vec::new(),
                message: "Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Svarene ble ikke lagret, men står fortsatt i skjemaet. Prøv igjen senere.".into(),
            };
            rerender(state, &page, headers, echo, StatusCode::SERVICE_UNAVAILABLE).await
        }
        Err(AnswerError::Db) => {
            let echo = AnswerEcho {
                answers,
                errors: Vec::new(),
                message: "Noe gikk galt hos oss, og svarene ble ikke lagret. Prøv igjen om litt."
                    .into(),
            };
            rerender(
                state,
                &page,
                headers,
                echo,
                StatusCode::INTERNAL_SERVER_ERROR,
            )
            .await
        }
    }
}

/// `POST /redaktor/innspill/ny`
pub async fn round_new(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    round_save(state, None, headers, body).await
}

/// `POST /redaktor/innspill/{slug}`
pub async fn round_existing(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    round_save(state, Some(slug), headers, body).await
}

async fn round_save(
    state: AppState,
    slug: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let page = match &slug {
        Some(slug) => format!("/redaktor/innspill/{slug}"),
        None => "/redaktor/innspill/ny".to_string(),
    };
    let user = gate(&state, &headers, Role::Editor, &page).await?;
    let id = match &slug {
        Some(slug) => Some(found(lookup::round_id(&state.pool, slug).await?)?),
        None => None,
    };
    let input = RoundInput::from_form(&form_pairs(&body));
    match consultation::save_round(&state.pool, &user, id, &input).await {
        Ok(slug) => {
            state.pages.invalidate();
            Ok(notify(format!("/redaktor/innspill/{slug}"), Notice::Saved))
        }
        Err(SaveError::NotFound) => Err(FormError::NotFound),
        // Any other failure shows the form again with what was typed.
        Err(err) => {
            let status = err.status();
            let (errors, message) = match err {
                SaveError::Invalid(errors) => (errors, None),
                other => (Vec::new(), Some(other.message())),
            };
            let echo = RoundEcho {
                input,
                errors,
                message,
            };
            Ok(rerender(state, &page, headers, echo, status).await)
        }
    }
}

/// `GET /redaktor/innspill/{slug}/svar.csv`: one row per answer.
pub async fn answers_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FormError> {
    gate(
        &state,
        &headers,
        Role::Editor,
        &format!("/redaktor/innspill/{slug}"),
    )
    .await?;
    let round = found(consultation::round(&state.pool, &slug, false).await?)?;
    let answers = consultation::answers(&state.pool, round.id).await?;
    let mut out = String::from("\u{feff}spørsmål;mottatt;svar\r\n");
    for q in answers {
        for (at, answer) in q.answers {
            out.push_str(&format!(
                "{};{};{}\r\n",
                csv_cell(&q.question),
                csv_cell(&at),
                csv_cell(&answer)
            ));
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"innspill.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}
