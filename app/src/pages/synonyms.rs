//! The admins' form for the search's synonym groups. It is on the form kit
//! (`api::form`): `api::synonyms` reads and saves it.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::form::shown,
    components::{textarea_text, Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading},
    components::{Notice, SignInFirst},
    domain::synonyms::{SynonymsEditor, SynonymsInput, OPENED},
    error::AppError,
};

#[component]
pub fn SynonymsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| shown::<SynonymsInput>());
    admin_page!(
        data,
        |editor: SynonymsEditor| view! { <SynonymsForm editor/> }
    )
}

#[component]
fn SynonymsForm(editor: SynonymsEditor) -> impl IntoView {
    let SynonymsEditor {
        input: SynonymsInput { text, opened },
        errors,
        message,
    } = editor;
    let error = errors.first().map(|e| e.message.clone());
    let invalid = error.is_some();
    let described = if invalid {
        "grupper-hjelp grupper-feil"
    } else {
        "grupper-hjelp"
    };
    let rows = (text.lines().count() + 3).clamp(8, 40).to_string();
    view! {
        <Title text="Synonymer i søket – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Synonymer")]/>
        <h1>"Synonymer i søket"</h1>
        <Notice/>
        <p>"Et søk på ett ord i en gruppe finner også ressurser som bruker de andre ordene. Endringer gjelder fra neste søk."</p>
        <ErrorSummary message errors=errors.clone()/>
        <form class="stack-form editor-form" method="post" action="/redaktor/synonymer" novalidate>
            // The list the form showed: a save from an older one is refused.
            <input type="hidden" name=OPENED value=opened/>
            <div class="field" class:has-error=invalid>
                <label for="grupper">"Synonymgrupper"</label>
                <p class="hint" id="grupper-hjelp">
                    "Én gruppe per linje, med komma mellom ordene, for eksempel «brukerutvalg, brukerråd». Minst to ord i hver gruppe, høyst 80 tegn per ord. Skriv ordene slik folk skriver dem; søket finner bøyningsformene selv."
                </p>
                {error.map(|e| view! { <p class="field-error" id="grupper-feil">{e}</p> })}
                <textarea id="grupper" name="grupper" rows=rows
                    aria-invalid=invalid.then_some("true") aria-describedby=described>{textarea_text(text)}</textarea>
            </div>
            <button type="submit" class="button">"Lagre synonymene"</button>
        </form>
    }
}
