//! The resource form's POST handler. It checks the session itself, saves,
//! and either redirects (303) or renders the form again with what the
//! editor typed and a message by each field (422), so the form works the
//! same with and without JavaScript.

use app::{
    auth::{self, Role},
    db::editing::{self, SaveError},
    domain::{
        form::form_pairs,
        resource::{input_from_form, Resubmitted},
    },
    shell,
    state::AppState,
};
use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{header, HeaderMap, Request, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;

/// The signed-in user if their role allows `role`; otherwise the answer to
/// send: a redirect to sign-in without a session, 403 with the wrong role.
pub async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    role: Role,
    back: &str,
) -> Result<auth::User, Response> {
    let token = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| auth::token_from_cookie_header(c, state.secure_cookies));
    let user = match token {
        Some(token) => auth::session_user(&state.pool, &token)
            .await
            .unwrap_or_else(|err| {
                tracing::error!(error = %err, "reading the session failed");
                None
            }),
        None => None,
    };
    match user {
        None => Err(
            Redirect::to(&format!("/logg-inn?neste={}", app::query::encode(back))).into_response(),
        ),
        Some(user) if !user.role.allows(role) => {
            tracing::warn!(user = %user.username, needed = role.key(), "refused: role");
            Err((
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Du har ikke tilgang til dette.",
            )
                .into_response())
        }
        Some(user) => Ok(user),
    }
}

/// `POST /redaktor/ressurser/ny`
pub async fn save_new(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    save(state, None, headers, body).await
}

/// `POST /redaktor/ressurser/{slug}`
pub async fn save_existing(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    save(state, Some(slug), headers, body).await
}

async fn save(state: AppState, slug: Option<String>, headers: HeaderMap, body: Bytes) -> Response {
    let user = match gate(&state, &headers, Role::Editor, "/redaktor").await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let id = match &slug {
        Some(slug) => match sqlx::query_scalar::<_, i64>("SELECT id FROM resource WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(&state.pool)
            .await
        {
            Ok(Some(id)) => Some(id),
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(err) => {
                tracing::error!(error = %err, "loading a resource to save failed");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Noe gikk galt hos oss. Prøv igjen om litt.",
                )
                    .into_response();
            }
        },
        None => None,
    };
    let pairs = form_pairs(&body);
    let input = input_from_form(&pairs);
    if app::domain::form::field(&pairs, "handling") == "forhandsvis" {
        let input = input.normalised();
        let preview = Some(app::markdown::render(&input.body));
        let path = match &slug {
            Some(slug) => format!("/redaktor/ressurser/{slug}"),
            None => "/redaktor/ressurser/ny".to_string(),
        };
        return rerender(
            state,
            &path,
            headers,
            Resubmitted {
                input,
                errors: Vec::new(),
                message: String::new(),
                preview,
            },
            StatusCode::OK,
        )
        .await;
    }
    match editing::save(&state.pool, &user, id, input.clone()).await {
        Ok(saved) => {
            state.catalogue.invalidate();
            Redirect::to(&format!("/redaktor/ressurser/{}?lagret=1", saved.slug)).into_response()
        }
        Err(SaveError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            let status = match err {
                SaveError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                SaveError::Conflict { .. } => StatusCode::CONFLICT,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let message = err.message();
            let errors = match err {
                SaveError::Invalid(errors) => errors,
                _ => Vec::new(),
            };
            let path = match &slug {
                Some(slug) => format!("/redaktor/ressurser/{slug}"),
                None => "/redaktor/ressurser/ny".to_string(),
            };
            rerender(
                state,
                &path,
                headers,
                Resubmitted {
                    input: input.normalised(),
                    errors,
                    message,
                    preview: None,
                },
                status,
            )
            .await
        }
    }
}

/// Renders a page again for a form that came back, with `context` (what was
/// typed and what is wrong) available to its server functions.
pub async fn rerender<T: Clone + Send + Sync + 'static>(
    state: AppState,
    path: &str,
    headers: HeaderMap,
    context: T,
    status: StatusCode,
) -> Response {
    // The path may hold a decoded slug from the URL (`<`, spaces, æøå):
    // encode what a URI cannot carry, so the page renders (a 404 if need be).
    let mut request = Request::builder().method("GET").uri(uri_safe(path));
    for (name, value) in headers.iter() {
        if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
            request = request.header(name, value);
        }
    }
    let Ok(request) = request.body(Body::empty()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let options = state.leptos_options.clone();
    let context_state = state.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            provide_context(context.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = handler(request).await.into_response();
    *response.status_mut() = status;
    response
}

/// `path` with every byte a URI cannot hold percent-encoded.
fn uri_safe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/?#[]@!$&'()*+,;=%:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use app::domain::{form::form_pairs, resource::input_from_form};

    #[test]
    fn the_form_becomes_an_input() {
        let body = b"title=Br%C3%B8d+og+salt&slug=&summary=Kort&body=%23%23+Hei&status=draft&version=3\
            &f.nivaa=individ&f.nivaa=system&f.type=lov&org=napha&org=korus-bergen\
            &related=a-larm%0D%0Aet-bedre-liv%0D%0A&link_label_0=Lovdata&link_url_0=https%3A%2F%2Flovdata.no%2F";
        let input = input_from_form(&form_pairs(body)).normalised();
        assert_eq!(input.title, "Brød og salt");
        assert_eq!(input.slug, "brod-og-salt");
        assert_eq!(input.version, Some(3));
        assert_eq!(
            input.facets,
            vec![
                ("nivaa".into(), vec!["individ".into(), "system".into()]),
                ("type".into(), vec!["lov".into()])
            ]
        );
        assert_eq!(input.organisations, ["napha", "korus-bergen"]);
        assert_eq!(input.related, ["a-larm", "et-bedre-liv"]);
        assert_eq!(
            input.links,
            vec![("Lovdata".to_string(), "https://lovdata.no/".to_string())]
        );
    }

    #[test]
    fn any_path_becomes_a_uri() {
        for path in [
            "/innspill/<script>alert(1)</script>",
            "/redaktor/sider/æ ø\t\"x\"",
            "/a?b=c d",
        ] {
            assert!(
                super::uri_safe(path).parse::<axum::http::Uri>().is_ok(),
                "{path}"
            );
        }
        assert_eq!(
            super::uri_safe("/ressurser/a-larm?x=1"),
            "/ressurser/a-larm?x=1"
        );
    }
}
