//! The content pages' form (editors): save with a version check, or preview.

use app::{
    auth::Role,
    db::{editing::SaveError, pages},
    domain::{
        form::{field, form_pairs},
        notice::Notice,
        page::{PageEcho, PageInput},
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use crate::forms::{gate, notify, rerender, FormError};

/// `POST /redaktor/sider/{slug}`
pub async fn page_save(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let path = format!("/redaktor/sider/{slug}");
    let user = gate(&state, &headers, Role::Editor, &path).await?;
    let pairs = form_pairs(&body);
    let input = PageInput::from_form(&pairs);
    let echo = |input: PageInput, errors, message: Option<String>, preview| PageEcho {
        input,
        errors,
        message,
        preview,
    };
    if field(&pairs, "handling") == "forhandsvis" {
        let preview = Some(app::markdown::render(&input.body));
        let echo = echo(input, Vec::new(), None, preview);
        return Ok(rerender(state, &path, headers, echo, StatusCode::OK).await);
    }
    Ok(match pages::save(&state.pool, &user, &slug, &input).await {
        Ok(_) => {
            state.pages.invalidate();
            notify(&path, Notice::Saved)
        }
        Err(SaveError::Invalid(errors)) => {
            rerender(
                state,
                &path,
                headers,
                echo(input, errors, None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SaveError::Conflict { .. }) => {
            let message = "Noen andre har lagret siden etter at du åpnet den, så endringene dine er ikke lagret. \
                Teksten din står fortsatt i skjemaet: kopier det du vil beholde, og åpne siden på nytt.";
            // The text stays in the form, still naming the old version, so saving
            // again is refused too: nobody overwrites a change they have not seen.
            rerender(
                state,
                &path,
                headers,
                echo(input, Vec::new(), Some(message.into()), None),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(SaveError::NotFound) => return Err(FormError::NotFound),
        Err(err @ (SaveError::Db(_) | SaveError::Unavailable)) => {
            rerender(
                state,
                &path,
                headers,
                echo(input, Vec::new(), Some(err.message()), None),
                err.status(),
            )
            .await
        }
    })
}
