//! The site texts' form (editors): check every text, save those that changed.

use app::{
    auth::Role,
    db::{editing::SaveError, texts},
    domain::{form::form_pairs, texts::TextsEcho},
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};

use crate::forms::{gate, rerender, FormError};

const PATH: &str = "/redaktor/tekster";

/// `POST /redaktor/tekster`
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let user = gate(&state, &headers, Role::Editor, PATH).await?;
    let submitted = app::domain::texts::from_form(&form_pairs(&body));
    let echo = |errors, message: Option<String>| TextsEcho {
        texts: submitted.clone(),
        errors,
        message,
    };
    Ok(match texts::save(&state.pool, &user, &submitted).await {
        Ok(0) => Redirect::to(&format!("{PATH}?melding=uendret")).into_response(),
        Ok(_) => {
            state.pages.invalidate();
            Redirect::to(&format!("{PATH}?melding=lagret")).into_response()
        }
        Err(err) => {
            let status = err.status();
            let echo = match err {
                SaveError::Invalid(errors) => echo(errors, None),
                other => echo(Vec::new(), Some(other.message())),
            };
            rerender(state, PATH, headers, echo, status).await
        }
    })
}
