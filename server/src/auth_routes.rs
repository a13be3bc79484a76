//! Sign-in and sign-out as plain form posts: they set or clear the session
//! cookie and redirect, so they work the same with or without JavaScript.

use std::net::SocketAddr;

use app::{auth, pages::admin::safe_next, state::AppState};
use axum::{
    extract::{ConnectInfo, FromRequest, Request, State},
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

fn secure(state: &AppState) -> bool {
    state.public_url.starts_with("https://")
}

fn with_cookie(mut response: Response, cookie: String) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /auth/logg-inn`
pub async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "ukjent".into());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(request, &state).await else {
        return Redirect::to("/logg-inn?feil=ugyldig").into_response();
    };
    let next = safe_next(form.neste);
    let username: String = form.brukernavn.chars().take(60).collect();
    match auth::sign_in(&state.pool, &username, &form.passord, &client).await {
        Ok((token, _)) => with_cookie(Redirect::to(&next).into_response(), auth::session_cookie(Some(&token), secure(&state))),
        Err(err) => {
            let code = match err {
                auth::SignInError::WrongCredentials => "feil",
                auth::SignInError::Locked => "sperret",
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
        .and_then(auth::token_from_cookie_header)
    {
        if let Err(err) = auth::sign_out(&state.pool, &token).await {
            tracing::error!(error = %err, "sign-out failed");
        }
    }
    with_cookie(Redirect::to("/logg-inn?feil=utlogget").into_response(), auth::session_cookie(None, secure(&state)))
}
