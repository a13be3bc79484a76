//! Sign-in and sign-out as plain form posts: they set or clear the session
//! cookie and redirect, so they work the same with or without JavaScript.

use app::{auth, pages::admin::safe_next, state::AppState};
use axum::{
    extract::{FromRequest, Request, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SignInForm {
    brukernavn: String,
    passord: String,
    neste: Option<String>,
}

fn with_cookie(mut response: Response, cookie: String) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /auth/logg-inn`
pub async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let client = app::client::Client::of(request.extensions());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(request, &state).await else {
        return Redirect::to("/logg-inn?feil=ugyldig").into_response();
    };
    let next = safe_next(form.neste);
    let username: String = form.brukernavn.chars().take(60).collect();
    match auth::sign_in(
        &state.pool,
        &state.sign_in,
        &username,
        &form.passord,
        &client,
    )
    .await
    {
        Ok((token, _)) => with_cookie(
            Redirect::to(&next).into_response(),
            auth::session_cookie(Some(&token), state.secure_cookies),
        ),
        Err(err) => {
            let code = match err {
                auth::SignInError::WrongCredentials => "feil",
                auth::SignInError::Locked => "sperret",
                auth::SignInError::Busy => "opptatt",
                auth::SignInError::Db => "teknisk",
            };
            let back = format!(
                "/logg-inn?feil={code}&bruker={}&neste={}",
                app::query::encode(&username),
                app::query::encode(&next)
            );
            Redirect::to(&back).into_response()
        }
    }
}

/// `POST /auth/logg-ut`
pub async fn sign_out(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| auth::token_from_cookie_header(c, state.secure_cookies))
    {
        if let Err(err) = auth::sign_out(&state.pool, &token).await {
            tracing::error!(error = %err, "sign-out failed");
        }
    }
    with_cookie(
        Redirect::to("/logg-inn?feil=utlogget").into_response(),
        auth::session_cookie(None, state.secure_cookies),
    )
}
