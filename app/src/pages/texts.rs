//! The editors' form for the site's short texts (entry paths, the guide).
//! It is on the form kit (`api::form`): `api::texts` reads and saves it.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::form::shown,
    components::{textarea_text, Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading},
    components::{Notice, SignInFirst},
    domain::texts::{field_name, opened_name, TextsEditor, TextsInput, SITE_TEXTS},
    error::AppError,
};

#[component]
pub fn SiteTextsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| shown::<TextsInput>());
    admin_page!(data, |editor: TextsEditor| view! { <TextsForm editor/> })
}

#[component]
fn TextsForm(editor: TextsEditor) -> impl IntoView {
    let TextsEditor {
        input: TextsInput { texts, opened },
        errors,
        message,
    } = editor;
    let mut groups: Vec<&'static str> = Vec::new();
    for def in SITE_TEXTS {
        if !groups.contains(&def.group) {
            groups.push(def.group);
        }
    }
    view! {
        <Title text="Tekster – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Tekster")]/>
        <h1>"Tekster"</h1>
        <Notice/>
        <p>"Overskriftene og veiledningen på de to inngangene, og veiviserens forklaring av hvert trinn, begrunnelser og sjekkliste. Ressursene under hvert trinn og lenkene i sjekklisten kommer fra katalogen."</p>
        <ErrorSummary message=message.clone() errors=errors.clone()/>
        <form class="stack-form editor-form" method="post" action="/redaktor/tekster" novalidate>
            {groups.into_iter().map(|group| view! {
                <fieldset class="field">
                    <legend>{group}</legend>
                    {SITE_TEXTS.iter().filter(|d| d.group == group).map(|def| {
                        let name = field_name(def.key);
                        let error = errors.iter().find(|e| e.field == name).map(|e| e.message.clone());
                        let invalid = error.is_some();
                        let hint = format!("{name}-hjelp");
                        let described = if invalid { format!("{hint} {name}-feil") } else { hint.clone() };
                        let rows = if def.max > 200 { "4" } else { "2" };
                        view! {
                            <div class="field" class:has-error=invalid>
                                <label for=name.clone()>{def.label}</label>
                                <p class="hint" id=hint>{format!("Høyst {} tegn.", def.max)}</p>
                                {error.map(|e| view! { <p class="field-error" id=format!("{name}-feil")>{e}</p> })}
                                <input type="hidden" name=opened_name(def.key) value=opened.get(def.key).cloned().unwrap_or_default()/>
                                <textarea id=name.clone() name=name.clone() rows=rows
                                    aria-invalid=invalid.then_some("true") aria-describedby=described>{textarea_text(texts.get(def.key))}</textarea>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }).collect_view()}
            <button type="submit" class="button">"Lagre tekstene"</button>
        </form>
    }
}
