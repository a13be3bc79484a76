//! The resource form's POST handler. It checks the session itself, saves,
//! and either redirects (303) or renders the form again with what the
//! editor typed and a message by each field (422), so the form works the
//! same with and without JavaScript.

use app::{
    api::admin::Resubmitted,
    auth::{self, Role},
    db::editing::{self, SaveError},
    editing::ResourceInput,
    shell,
    state::AppState,
    App,
};
use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{header, HeaderMap, Request, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;

/// Decoded `application/x-www-form-urlencoded` pairs, repeated keys kept.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (app::query::decode(k), app::query::decode(v))
        })
        .collect()
}

/// Builds the editor's input from the form's fields.
pub fn input_from_form(pairs: &[(String, String)]) -> ResourceInput {
    let one = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut input = ResourceInput {
        title: one("title"),
        slug: one("slug"),
        summary: one("summary"),
        body: one("body"),
        status: one("status"),
        last_reviewed: one("last_reviewed"),
        version: one("version").trim().parse().ok(),
        organisations: pairs.iter().filter(|(k, _)| k == "org").map(|(_, v)| v.clone()).collect(),
        related: one("related").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        ..Default::default()
    };
    for (key, value) in pairs {
        if let Some(facet) = key.strip_prefix("f.") {
            match input.facets.iter_mut().find(|(f, _)| f == facet) {
                Some((_, values)) => values.push(value.clone()),
                None => input.facets.push((facet.to_string(), vec![value.clone()])),
            }
        }
    }
    for i in 0..app::editing::LINKS_MAX {
        let (label, url) = (one(&format!("link_label_{i}")), one(&format!("link_url_{i}")));
        input.links.push((label, url));
    }
    input
}

async fn signed_in_editor(state: &AppState, headers: &HeaderMap) -> Option<auth::User> {
    let token = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).and_then(auth::token_from_cookie_header)?;
    let user = auth::session_user(&state.pool, &token).await.ok().flatten()?;
    user.role.allows(Role::Editor).then_some(user)
}

/// `POST /redaktor/ressurser/ny`
pub async fn save_new(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    save(state, None, headers, body).await
}

/// `POST /redaktor/ressurser/{slug}`
pub async fn save_existing(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    save(state, Some(slug), headers, body).await
}

async fn save(state: AppState, slug: Option<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(user) = signed_in_editor(&state, &headers).await else {
        return Redirect::to("/logg-inn?neste=/redaktor").into_response();
    };
    let id = match &slug {
        Some(slug) => match sqlx::query_scalar::<_, i64>("SELECT id FROM resource WHERE slug = ?1").bind(slug).fetch_optional(&state.pool).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(err) => {
                tracing::error!(error = %err, "loading a resource to save failed");
                return (StatusCode::INTERNAL_SERVER_ERROR, "Noe gikk galt hos oss. Prøv igjen om litt.").into_response();
            }
        },
        None => None,
    };
    let input = input_from_form(&form_pairs(&body));
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
            rerender(state, &path, headers, Resubmitted { input: input.normalised(), errors, message }, status).await
        }
    }
}

/// Renders the form page again, with the submitted values in context.
async fn rerender(state: AppState, path: &str, headers: HeaderMap, resubmitted: Resubmitted, status: StatusCode) -> Response {
    let mut request = Request::builder().method("GET").uri(path);
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
            provide_context(resubmitted.clone());
        },
        move || shell(options.clone()),
    );
    let _ = App; // the shell renders App
    let mut response = handler(request).await.into_response();
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::{form_pairs, input_from_form};

    #[test]
    fn the_form_becomes_an_input() {
        let body = b"title=Br%C3%B8d+og+salt&slug=&summary=Kort&body=%23%23+Hei&status=draft&version=3\
            &f.nivaa=individ&f.nivaa=system&f.type=lov&org=napha&org=korus-bergen\
            &related=a-larm%0D%0Aet-bedre-liv%0D%0A&link_label_0=Lovdata&link_url_0=https%3A%2F%2Flovdata.no%2F";
        let input = input_from_form(&form_pairs(body)).normalised();
        assert_eq!(input.title, "Brød og salt");
        assert_eq!(input.slug, "brod-og-salt");
        assert_eq!(input.version, Some(3));
        assert_eq!(input.facets, vec![("nivaa".into(), vec!["individ".into(), "system".into()]), ("type".into(), vec!["lov".into()])]);
        assert_eq!(input.organisations, ["napha", "korus-bergen"]);
        assert_eq!(input.related, ["a-larm", "et-bedre-liv"]);
        assert_eq!(input.links, vec![("Lovdata".to_string(), "https://lovdata.no/".to_string())]);
    }
}
