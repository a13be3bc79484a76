//! The synonym groups' form (admins): check the groups, replace the list.

use app::{
    auth::Role,
    db::{editing::SaveError, synonyms},
    domain::{form::form_pairs, notice::Notice, synonyms::SynonymsEcho},
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::State,
    http::HeaderMap,
    response::Response,
};

use crate::forms::{gate, notify, rerender, FormError};

const PATH: &str = "/redaktor/synonymer";

/// `POST /redaktor/synonymer`
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    // The role is checked here, not only by the route table.
    let user = gate(&state, &headers, Role::Admin, PATH).await?;
    let text = form_pairs(&body)
        .into_iter()
        .find(|(k, _)| k == synonyms::FIELD)
        .map(|(_, v)| v)
        .unwrap_or_default();
    let groups = synonyms::parse_form(&text);
    let echo = |errors, message: Option<String>| SynonymsEcho {
        text: text.clone(),
        errors,
        message,
    };
    Ok(match synonyms::save(&state.pool, &user, &groups).await {
        Ok(false) => notify(PATH, Notice::SynonymsUnchanged),
        Ok(true) => {
            // This process's searches see the new list on their next request.
            state.catalogue.invalidate();
            notify(PATH, Notice::Saved)
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
