//! The editors' form that chooses the illustrations of the home page and
//! the two entry paths (`/redaktor/illustrasjoner`, issue 29): for each
//! place, one of the uploaded pictures or none. Built on the form kit
//! (`api::form`): this module is the whole form, besides its SQL
//! (`db::media::set_illustrations`) and its two registrations in `lib.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::form::Refused,
    domain::{account::User, form::field, notice::Notice as Said},
    state::AppState,
};
use crate::{
    api::form::{shown, EditForm},
    components::{
        form::{error_for, error_id, field_id},
        Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading, Notice, SignInFirst,
    },
    domain::{
        account::Role,
        form::FormState,
        media::{MediaFile, ILLUSTRATIONS_PATH, PLACES},
    },
    error::AppError,
};

/// The form's fields: each place's chosen picture (place key, hash; ""
/// for none), and the pictures to choose from (shown, never sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IllustrationsInput {
    pub chosen: Vec<(String, String)>,
    #[serde(default)]
    pub images: Vec<MediaFile>,
}

impl IllustrationsInput {
    fn chosen(&self, place: &str) -> String {
        self.chosen
            .iter()
            .find(|(key, _)| key == place)
            .map(|(_, hash)| hash.clone())
            .unwrap_or_default()
    }
}

impl EditForm for IllustrationsInput {
    const PATH: &'static str = ILLUSTRATIONS_PATH;
    const ROLE: Role = Role::Editor;

    #[cfg(feature = "ssr")]
    fn read(pairs: &[(String, String)]) -> Self {
        IllustrationsInput {
            chosen: PLACES
                .iter()
                .map(|p| (p.key.to_string(), field(pairs, p.key)))
                .collect(),
            images: Vec::new(),
        }
    }

    #[cfg(feature = "ssr")]
    async fn load(state: &AppState, _: &User) -> Result<Self, AppError> {
        Ok(IllustrationsInput {
            chosen: crate::db::media::illustrations(&state.pool).await?,
            images: images(state).await?,
        })
    }

    #[cfg(feature = "ssr")]
    async fn save(&self, state: &AppState, user: &User) -> Result<Said, Refused<Self>> {
        match crate::db::media::set_illustrations(&state.pool, user, &self.chosen).await? {
            0 => Ok(Said::Unchanged),
            _ => {
                // Only the home page and the entry paths show them.
                state.forget_pages(crate::domain::media::shows_illustration);
                Ok(Said::Saved)
            }
        }
    }

    /// The pictures to choose from again, beside what was chosen.
    #[cfg(feature = "ssr")]
    async fn again(
        mut form: FormState<Self>,
        state: &AppState,
        _: &User,
    ) -> Result<FormState<Self>, AppError> {
        form.input.images = images(state).await?;
        Ok(form)
    }
}

/// Every uploaded picture, newest first.
#[cfg(feature = "ssr")]
async fn images(state: &AppState) -> Result<Vec<MediaFile>, AppError> {
    let mut files = crate::db::media::all_files(&state.pool).await?;
    files.retain(|f| f.format.is_image());
    Ok(files)
}

#[component]
pub fn IllustrationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| shown::<IllustrationsInput>());
    admin_page!(data, |form: FormState<IllustrationsInput>| view! {
        <IllustrationsForm form/>
    })
}

#[component]
fn IllustrationsForm(form: FormState<IllustrationsInput>) -> impl IntoView {
    let FormState {
        input,
        errors,
        message,
    } = form;
    let no_images = input.images.is_empty();
    view! {
        <Title text="Illustrasjoner – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Illustrasjoner")]/>
        <h1>"Illustrasjoner"</h1>
        <Notice/>
        <p>"Velg et bilde til forsiden og til hver av de to inngangene, eller ingen. Bildene lastes opp på "
            <a href="/redaktor/filer">"Bilder og dokumenter"</a>
            ", med alt-tekst; et bilde som brukes her, kan ikke slettes."</p>
        {no_images.then(|| view! {
            <p class="callout">"Ingen bilder er lastet opp ennå. "<a href="/redaktor/filer">"Last opp et bilde"</a>" først."</p>
        })}
        <ErrorSummary message=message errors=errors.clone()/>
        <form class="stack-form editor-form" method="post" action=ILLUSTRATIONS_PATH novalidate>
            {PLACES.iter().map(|place| {
                let chosen = input.chosen(place.key);
                let error = error_for(&errors, place.key);
                let first_id = field_id(place.key);
                view! {
                    <fieldset class="field illustration-choice" class:has-error=error.is_some()
                        aria-describedby=error.as_ref().map(|_| error_id(place.key))>
                        <legend>{place.label}" "<a href=place.href>"(se siden)"</a></legend>
                        {error.clone().map(|m| view! { <p class="field-error" id=error_id(place.key)>{m}</p> })}
                        <div class="choice">
                            <input type="radio" id=first_id.clone() name=place.key value="" checked=chosen.is_empty()/>
                            <label for=first_id>"Ingen illustrasjon"</label>
                        </div>
                        {input.images.iter().map(|image| {
                            let id = format!("{}-{}", field_id(place.key), image.hash);
                            let (src, width, height) = image.thumbnail().unwrap_or_default();
                            let text = if image.decorative {
                                format!("{} (dekorativt)", image.name)
                            } else {
                                format!("{}: «{}»", image.name, image.alt)
                            };
                            view! {
                                <div class="choice choice-image">
                                    <input type="radio" id=id.clone() name=place.key value=image.hash.clone()
                                        checked=chosen == image.hash/>
                                    <label for=id>
                                        <img src=src alt="" width=width height=height loading="lazy"/>
                                        <span>{text}</span>
                                    </label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <button type="submit" class="button">"Lagre illustrasjonene"</button>
        </form>
    }
}
