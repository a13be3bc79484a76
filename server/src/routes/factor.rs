//! The second factor's form posts (review 3, N11): the sign-in's second
//! step, turning a factor on (an administrator's first sign-in lands
//! there) and an editor turning theirs off. Each handler checks the session
//! itself (set-up and the second step take a session that is not a full
//! one, so no role layer can); an administrator resets someone else's factor on the accounts
//! page (`manage_routes::account_change`).

use app::{
    auth::{
        self,
        factor::{self, CodeError, EnableError, Stage},
    },
    client::Client,
    domain::{
        account::User,
        factor::{code_problem, setup_problem, CodeInput, NewRecoveryCodes},
        form::{field, form_pairs, FieldError, Fields, FormState},
        notice::Notice,
    },
    query::encode,
    query::safe_next,
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{Extensions, HeaderMap, StatusCode},
    response::Response,
};

use crate::routes::forms::{notify, render_with, rerender, see, FormError, SignedIn};

/// The set-up page.
pub const SETUP: &str = "/redaktor/konto/totp";

/// `POST /auth/logg-inn/kode`: the code from the app or a recovery code,
/// for a session past its password. Success: on to where the editor was
/// going; failure: the form again, in this answer.
pub async fn sign_in_code(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let client = Client::of(&extensions);
    let pairs = form_pairs(&body);
    let next = safe_next(Some(field(&pairs, "neste")));
    let recovery = field(&pairs, "gjenoppretting") == "1";
    let typed: String = field(&pairs, "kode").chars().take(40).collect();
    let expired = || see(format!("/logg-inn?feil=utlopt&neste={}", encode(&next)));
    let Some(token) = auth::session_token(&headers, state.secure_cookies) else {
        return expired();
    };
    let (problem, status) = if typed.trim().is_empty() {
        ("tom", StatusCode::UNPROCESSABLE_ENTITY)
    } else {
        match factor::second_step(&state.pool, &state.sign_in, &token, &typed, &client).await {
            Ok(_) => return see(&next),
            Err(CodeError::Expired) => return expired(),
            Err(CodeError::Wrong) => ("feil", StatusCode::UNPROCESSABLE_ENTITY),
            Err(CodeError::Locked) => ("sperret", StatusCode::TOO_MANY_REQUESTS),
            Err(CodeError::Db) => ("teknisk", StatusCode::SERVICE_UNAVAILABLE),
        }
    };
    let echo = FormState::failed(CodeInput { next, recovery }, code_problem(problem));
    rerender(state, "/logg-inn/kode", headers, echo, status).await
}

/// The user of a full session, or of an administrator's set-up session,
/// and its token; otherwise sign in first.
async fn setup_session(state: &AppState, headers: &HeaderMap) -> Result<(User, String), FormError> {
    let sign_in = || FormError::SignIn {
        back: SETUP.to_string(),
    };
    let token = auth::session_token(headers, state.secure_cookies).ok_or_else(sign_in)?;
    match factor::session_stage(&state.pool, &token).await? {
        Some((user, Stage::Full | Stage::Setup)) => Ok((user, token)),
        _ => Err(sign_in()),
    }
}

/// `POST /redaktor/konto/totp`: turns the factor on once the code proves
/// the app has the secret; the answer shows the recovery codes, once.
pub async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let (user, token) = setup_session(&state, &headers).await?;
    let pairs = form_pairs(&body);
    let page = format!(
        "{SETUP}?neste={}",
        encode(&safe_next(Some(field(&pairs, "neste"))))
    );
    let result = factor::enable(
        &state.pool,
        &user,
        &token,
        &field(&pairs, "secret"),
        &field(&pairs, "kode"),
    )
    .await;
    let (problem, status) = match result {
        Ok(codes) => {
            // Not a form state: the codes, shown this once.
            return Ok(render_with(
                state,
                &page,
                headers,
                NewRecoveryCodes(codes),
                StatusCode::OK,
            )
            .await);
        }
        Err(EnableError::Wrong) => ("feil", StatusCode::UNPROCESSABLE_ENTITY),
        Err(EnableError::BadSecret) => ("nokkel", StatusCode::UNPROCESSABLE_ENTITY),
        Err(EnableError::AlreadyOn) => ("allerede", StatusCode::CONFLICT),
        Err(EnableError::Db) => ("teknisk", StatusCode::SERVICE_UNAVAILABLE),
    };
    let echo = FormState {
        input: Fields {
            form: "factor".into(),
            values: pairs.into_iter().filter(|(k, _)| k == "secret").collect(),
        },
        errors: vec![FieldError::new("kode", setup_problem(problem))],
        message: Some(setup_problem(problem).into()),
    };
    Ok(rerender(state, &page, headers, echo, status).await)
}

/// `POST /redaktor/konto/totp/av`: an editor turns their own factor off
/// (audited); an administrator cannot.
pub async fn turn_off(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, FormError> {
    Ok(match factor::disable_own(&state.pool, &user).await? {
        true => notify(SETUP, Notice::FactorOff),
        false => notify(SETUP, Notice::FactorRequired),
    })
}
