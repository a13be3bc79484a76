//! Consultation rounds as plain form posts: visitors' answers, editors'
//! round form, and the answers as CSV.

use app::{
    db::{
        consultation::{self, AnswerError},
        editing::SaveError,
        lookup,
    },
    domain::account::User,
    domain::{
        consultation::{answers_from_form, RoundInput},
        form::{form_pairs, FormState},
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

use crate::routes::feeds::csv_cell;
use crate::routes::forms::{found, notify, rerender, save_failed, FormError, SignedIn};

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
        let echo = FormState::failed(answers, "Vi har fått mange svar fra deg på kort tid. Vent noen minutter og prøv igjen. Svarene dine er tatt vare på her.");
        return rerender(state, &page, headers, echo, StatusCode::TOO_MANY_REQUESTS).await;
    }
    match consultation::answer(&state.pool, &slug, &answers, state.feedback_retention_days).await {
        Ok(()) => Redirect::to(&format!("{page}?takk=1")).into_response(),
        Err(AnswerError::Closed) => {
            let echo =
                FormState::failed(answers, "Runden er avsluttet, så svarene ble ikke lagret.");
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
                FormState {
                    input: answers,
                    errors,
                    message: Some(message),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AnswerError::Unavailable) => {
            let echo = FormState::failed(answers, "Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Svarene ble ikke lagret, men står fortsatt i skjemaet. Prøv igjen senere.");
            rerender(state, &page, headers, echo, StatusCode::SERVICE_UNAVAILABLE).await
        }
        Err(AnswerError::Db) => {
            let echo = FormState::failed(
                answers,
                "Noe gikk galt hos oss, og svarene ble ikke lagret. Prøv igjen om litt.",
            );
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
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    round_save(state, user, None, headers, body).await
}

/// `POST /redaktor/innspill/{slug}`
pub async fn round_existing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    round_save(state, user, Some(slug), headers, body).await
}

async fn round_save(
    state: AppState,
    user: User,
    slug: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let page = match &slug {
        Some(slug) => format!("/redaktor/innspill/{slug}"),
        None => "/redaktor/innspill/ny".to_string(),
    };
    let id = match &slug {
        Some(slug) => Some(found(lookup::round_id(&state.pool, slug).await?)?),
        None => None,
    };
    let input = RoundInput::from_form(&form_pairs(&body));
    match consultation::save_round(&state.pool, &user, id, &input).await {
        Ok(slug) => {
            // Only the rounds' list and their own pages show them.
            state.forget_pages(app::domain::consultation::shows_rounds);
            Ok(notify(format!("/redaktor/innspill/{slug}"), Notice::Saved))
        }
        Err(SaveError::NotFound) => Err(FormError::NotFound),
        // Someone saved the round after this form was opened (review 3, N5).
        // The form comes back as typed, still naming the old version, so
        // saving again is refused too: nobody overwrites a change unseen.
        Err(SaveError::Conflict { .. }) => {
            let form = FormState::failed(
                input,
                "Noen andre har lagret runden etter at du åpnet den, så endringene dine er ikke lagret. \
                 Det du skrev, står fortsatt i skjemaet: kopier det du vil beholde, og åpne runden på nytt.",
            );
            Ok(rerender(state, &page, headers, form, StatusCode::CONFLICT).await)
        }
        // Any other failure shows the form again with what was typed.
        Err(err) => Ok(save_failed(state, &page, headers, input, err).await),
    }
}

/// `GET /redaktor/innspill/{slug}/svar.csv`: one row per answer.
pub async fn answers_csv(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, FormError> {
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
