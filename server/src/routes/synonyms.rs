//! The synonym groups' form (admins): check the groups, replace the list.

use app::{
    db::{editing::SaveError, synonyms},
    domain::{
        form::{field, form_pairs, FieldError, FormState},
        notice::Notice,
        synonyms::{fingerprint, parse_form, to_form, SynonymsInput, FIELD, OPENED},
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};

use crate::routes::forms::{notify, rerender, save_failed, FormError, SignedIn};

const PATH: &str = "/redaktor/synonymer";

/// `POST /redaktor/synonymer`
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    let text = field(&pairs, FIELD);
    // A form without the fingerprint (an old page) is saved as before.
    let opened = Some(field(&pairs, OPENED)).filter(|o| !o.is_empty());
    let groups = parse_form(&text);
    let input = SynonymsInput {
        text,
        opened: opened.clone().unwrap_or_default(),
    };
    Ok(
        match synonyms::save(&state.pool, &user, &groups, opened.as_deref()).await {
            Ok(false) => notify(PATH, Notice::SynonymsUnchanged),
            Ok(true) => {
                // This process's searches see the new list on their next request.
                state.catalogue.invalidate();
                notify(PATH, Notice::Saved)
            }
            // Someone saved the list after this form was opened (review 3, N5):
            // keep what was typed, show what is stored now, and take the stored
            // list as the new starting point, so saving again is a choice.
            Err(SaveError::Conflict { .. }) => {
                let stored = app::db::fts::load_synonyms(&state.pool).await?;
                let form = FormState {
                input: SynonymsInput {
                    opened: fingerprint(&stored),
                    ..input
                },
                errors: vec![FieldError::new(
                    FIELD,
                    format!(
                        "Lagret nå: «{}».",
                        to_form(&stored).replace('\n', " / ")
                    ),
                )],
                message: Some(
                    "Noen andre har lagret synonymene etter at du åpnet skjemaet, og endringene dine er ikke lagret. \
                     Det som er lagret nå, står ved feltet. Lagre på nytt hvis du vil erstatte det."
                        .into(),
                ),
            };
                rerender(state, PATH, headers, form, StatusCode::CONFLICT).await
            }
            Err(err) => save_failed(state, PATH, headers, input, err).await,
        },
    )
}
