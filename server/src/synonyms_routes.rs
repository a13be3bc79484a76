//! The synonym groups' form (admins): check the groups, replace the list.

use app::{
    db::synonyms,
    domain::{form::form_pairs, notice::Notice},
    state::AppState,
};
use axum::{body::Bytes, extract::State, http::HeaderMap, response::Response};

use crate::forms::{notify, save_failed, FormError, SignedIn};

const PATH: &str = "/redaktor/synonymer";

/// `POST /redaktor/synonymer`
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let text = form_pairs(&body)
        .into_iter()
        .find(|(k, _)| k == synonyms::FIELD)
        .map(|(_, v)| v)
        .unwrap_or_default();
    let groups = synonyms::parse_form(&text);
    Ok(match synonyms::save(&state.pool, &user, &groups).await {
        Ok(false) => notify(PATH, Notice::SynonymsUnchanged),
        Ok(true) => {
            // This process's searches see the new list on their next request.
            state.catalogue.invalidate();
            notify(PATH, Notice::Saved)
        }
        Err(err) => save_failed(state, PATH, headers, text, err).await,
    })
}
