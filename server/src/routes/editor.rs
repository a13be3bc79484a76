//! The resource form's POST handler (its route checks the role). It saves,
//! and either redirects (303) or renders the form again with what the
//! editor typed and a message by each field (422), so the form works the
//! same with and without JavaScript.

use app::{
    db::{
        editing::{self, SaveError},
        lookup,
    },
    domain::account::User,
    domain::{
        form::{form_pairs, FormState, Previewed},
        notice::Notice,
        resource::input_from_form,
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use crate::routes::forms::{found, notify, rerender, save_failed, FormError, SignedIn};

/// `POST /redaktor/ressurser/ny`
pub async fn save_new(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    save(state, user, None, headers, body).await
}

/// `POST /redaktor/ressurser/{slug}`
pub async fn save_existing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    save(state, user, Some(slug), headers, body).await
}

async fn save(
    state: AppState,
    user: User,
    slug: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let id = match &slug {
        Some(slug) => Some(found(lookup::resource_id(&state.pool, slug).await?)?),
        None => None,
    };
    let path = match &slug {
        Some(slug) => format!("/redaktor/ressurser/{slug}"),
        None => "/redaktor/ressurser/ny".to_string(),
    };
    let pairs = form_pairs(&body);
    let input = input_from_form(&pairs);
    if app::domain::form::field(&pairs, "handling") == "forhandsvis" {
        let input = input.normalised();
        let preview = Some(app::markdown::render(&input.body));
        let form = FormState::stored(Previewed { input, preview });
        return Ok(rerender(state, &path, headers, form, StatusCode::OK).await);
    }
    match editing::save(&state.pool, &user, id, input.clone()).await {
        Ok(saved) => {
            match state
                .catalogue
                .resource_saved(&state.pool, saved.id, saved.catalogue_before)
                .await
            {
                Ok(Some(change)) => crate::http::page_cache::resource_saved(&state, &change),
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(%error, "updating the catalogue index after a save failed");
                    state.catalogue.invalidate();
                }
            }
            Ok(notify(
                format!("/redaktor/ressurser/{}", saved.slug),
                Notice::Saved,
            ))
        }
        Err(SaveError::NotFound) => Err(FormError::NotFound),
        Err(err) => {
            let input = Previewed {
                input: input.normalised(),
                preview: None,
            };
            Ok(save_failed(state, &path, headers, input, err).await)
        }
    }
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
}
