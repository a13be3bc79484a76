//! The content pages' form (editors): save with a version check, or preview.

use app::{
    db::{editing::SaveError, pages},
    domain::{
        form::{field, form_pairs, FormState, Previewed},
        notice::Notice,
        page::PageInput,
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use crate::routes::forms::{notify, rerender, save_failed, FormError, SignedIn};

/// `POST /redaktor/sider/{slug}`
pub async fn page_save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let path = format!("/redaktor/sider/{slug}");
    let pairs = form_pairs(&body);
    let input = PageInput::from_form(&pairs);
    if field(&pairs, "handling") == "forhandsvis" {
        let preview = Some(app::markdown::render(&input.body));
        let form = FormState::stored(Previewed { input, preview });
        return Ok(rerender(state, &path, headers, form, StatusCode::OK).await);
    }
    let typed = |input| Previewed {
        input,
        preview: None,
    };
    Ok(match pages::save(&state.pool, &user, &slug, &input).await {
        Ok(_) => {
            // Only the page itself shows its text.
            state.forget_pages(|path| app::domain::page::shows_page(&slug, path));
            notify(&path, Notice::Saved)
        }
        Err(SaveError::Conflict { .. }) => {
            let message = "Noen andre har lagret siden etter at du åpnet den, så endringene dine er ikke lagret. \
                Teksten din står fortsatt i skjemaet: kopier det du vil beholde, og åpne siden på nytt.";
            // The text stays in the form, still naming the old version, so saving
            // again is refused too: nobody overwrites a change they have not seen.
            let form = FormState::failed(typed(input), message);
            rerender(state, &path, headers, form, StatusCode::CONFLICT).await
        }
        Err(SaveError::NotFound) => return Err(FormError::NotFound),
        Err(err) => save_failed(state, &path, headers, typed(input), err).await,
    })
}
