//! Sign-in and sign-out as plain form posts: they set or clear the session
//! cookie and redirect, so they work the same with or without JavaScript.

use app::{
    auth,
    domain::form::{field, form_pairs, FormState},
    pages::admin::{sign_in_problem, SignInInput},
    query::safe_next,
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, Extensions, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

fn with_cookie(mut response: Response, cookie: String) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /auth/logg-inn`: on success a redirect to where the editor was
/// going; on failure the form again, in this answer, with the user name
/// kept in its field and never in a URL (review 3, N12).
pub async fn sign_in(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let client = app::client::Client::of(&extensions);
    let pairs = form_pairs(&body);
    let has = |name: &str| pairs.iter().any(|(k, _)| k == name);
    let next = safe_next(Some(field(&pairs, "neste")));
    let username: String = field(&pairs, "brukernavn").chars().take(60).collect();
    // A browser that has signed in before keeps a budget of its own (N2).
    let device = auth::device::token(&headers, state.secure_cookies);
    let outcome = if has("brukernavn") && has("passord") {
        auth::sign_in_on(
            &state.pool,
            &state.sign_in,
            &username,
            &field(&pairs, "passord"),
            &client,
            device.as_deref(),
        )
        .await
        .map_err(|err| match err {
            auth::SignInError::WrongCredentials => ("feil", StatusCode::UNPROCESSABLE_ENTITY),
            auth::SignInError::Locked => ("sperret", StatusCode::TOO_MANY_REQUESTS),
            auth::SignInError::UnknownDevice => ("ukjent-nettleser", StatusCode::TOO_MANY_REQUESTS),
            auth::SignInError::Busy => ("opptatt", StatusCode::SERVICE_UNAVAILABLE),
            auth::SignInError::Db => ("teknisk", StatusCode::SERVICE_UNAVAILABLE),
        })
    } else {
        Err(("ugyldig", StatusCode::UNPROCESSABLE_ENTITY))
    };
    match outcome {
        Ok((token, user)) => {
            // With a factor, the code comes next; an administrator without
            // one sets it up first (review 3, N11).
            let stage = auth::factor::session_stage(&state.pool, &token).await;
            let to = match stage {
                Ok(Some((_, auth::factor::Stage::Code))) => {
                    format!("/logg-inn/kode?neste={}", app::query::encode(&next))
                }
                Ok(Some((_, auth::factor::Stage::Setup))) => {
                    format!("/redaktor/konto/totp?neste={}", app::query::encode(&next))
                }
                _ => next,
            };
            let response = with_cookie(
                Redirect::to(&to).into_response(),
                auth::session_cookie(Some(&token), state.secure_cookies),
            );
            // A browser past the password keeps a guessing budget of its
            // own on this account (review 3, N2).
            let known = auth::device::remember(
                &state.pool,
                user.id,
                device.as_deref(),
                state.secure_cookies,
            );
            match known.await {
                Some(cookie) => with_cookie(response, cookie),
                None => response,
            }
        }
        Err((problem, status)) => {
            let echo = FormState::failed(
                SignInInput { username, next },
                sign_in_problem(problem).unwrap_or_default(),
            );
            crate::routes::forms::rerender(state, "/logg-inn", headers, echo, status).await
        }
    }
}

/// `POST /auth/logg-ut`
pub async fn sign_out(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = auth::session_token(&headers, state.secure_cookies) {
        if let Err(err) = auth::sign_out(&state.pool, &token).await {
            tracing::error!(error = %err, "sign-out failed");
        }
    }
    with_cookie(
        Redirect::to("/logg-inn?feil=utlogget").into_response(),
        auth::session_cookie(None, state.secure_cookies),
    )
}
