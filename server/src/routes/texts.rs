//! The site texts' form (editors): check every text, save those that changed.

use app::{
    db::{editing::SaveError, texts},
    domain::{
        form::{form_pairs, FieldError, FormState},
        notice::Notice,
        texts::{field_name, fingerprints, opened_from_form, TextsInput},
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

const PATH: &str = "/redaktor/tekster";

/// `POST /redaktor/tekster`
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    let submitted = app::domain::texts::from_form(&pairs);
    let opened = opened_from_form(&pairs);
    let input = TextsInput {
        texts: submitted.clone(),
        opened: opened.clone(),
    };
    Ok(
        match texts::save(&state.pool, &user, &submitted, &opened).await {
            Ok(0) => notify(PATH, Notice::TextsUnchanged),
            Ok(_) => {
                state.pages.invalidate();
                notify(PATH, Notice::Saved)
            }
            // Someone saved texts after this form was opened (review 3,
            // N5): mark each text changed since with what is stored now,
            // and take the current texts as the new starting point, so
            // saving again is a deliberate choice.
            Err(SaveError::Conflict { .. }) => {
                let changed = texts::changed_since(&state.pool, &opened).await?;
                let errors = changed
                        .iter()
                        .map(|(key, text)| {
                            FieldError::new(
                                field_name(key),
                                format!("Endret av noen andre etter at du åpnet skjemaet. Lagret nå: «{text}»."),
                            )
                        })
                        .collect();
                let input = TextsInput {
                    texts: submitted.clone(),
                    opened: fingerprints(&texts::all(&state.pool).await?),
                };
                let form = FormState { input, errors, message: Some(format!(
                            "Noen andre har lagret {} av tekstene etter at du åpnet skjemaet, og endringene dine er ikke lagret. \
                             De er merket med det som er lagret nå. Lagre på nytt hvis du vil erstatte dem.",
                            changed.len()
                        )) };
                rerender(state, PATH, headers, form, StatusCode::CONFLICT).await
            }
            Err(err) => save_failed(state, PATH, headers, input, err).await,
        },
    )
}
