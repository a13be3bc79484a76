//! The two entry paths as guided pages: short guidance per section, then the
//! matching resources live from the catalogue and a link to the full list.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    api::explore::get_entry_path,
    components::{
        Breadcrumbs, Crumb, ErrorView, IllustrationView, Loading, PageMeta, ResourceCardView, ToTop,
    },
    domain::explore::EntryPathPage,
};

/// How wide an entry path shows its picture: the page's width on a phone,
/// 18rem beside the introduction from 48rem (`style/20-components.css`).
const ENTRY_SIZES: &str = "(min-width: 48rem) 18rem, calc(100vw - 2rem)";

#[component]
pub fn EntryPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("key").unwrap_or_default(),
        get_entry_path,
    );
    view! {
        <div class="wrap page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(path) => view! { <EntryPathView path/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn EntryPathView(path: EntryPathPage) -> impl IntoView {
    let (heading, intro, description, other) = (
        path.heading.clone(),
        path.intro.clone(),
        path.description.clone(),
        path.other.clone(),
    );
    let is_ladder = path.key == "kompetansesenter";
    view! {
        <PageMeta title=heading.clone() description=description/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here(heading.clone())]/>
        <h1>{heading}</h1>
        {path.illustration.clone().map(|image| view! {
            <IllustrationView image sizes=ENTRY_SIZES class="illustration illustration-aside"/>
        })}
        <p class="lead">{intro}</p>
        <nav class="toc" aria-labelledby="innhold-tittel">
            <h2 id="innhold-tittel">{if is_ladder { "Trinnene" } else { "Nivåene" }}</h2>
            <ol>
                {path.sections.iter().map(|s| view! { <li><a href=format!("#{}", s.key)>{s.label.clone()}</a></li> }).collect_view()}
            </ol>
        </nav>
        {is_ladder.then(|| view! {
            <p class="callout">"Usikker på hvilket trinn som passer? "<a href="/veiviser">"Bruk veiviseren"</a>" og få en anbefaling og en sjekkliste."</p>
        })}
        {path.sections.into_iter().enumerate().map(|(i, s)| {
            let heading_id = s.key.clone();
            let labelled = s.key.clone();
            let step = if is_ladder && s.key != "strukturere" { format!("Trinn {}: {}", i + 1, s.label) } else { s.label.clone() };
            view! {
                <section class="entry-section" aria-labelledby=labelled>
                    <h2 id=heading_id tabindex="-1">{step}</h2>
                    <p>{s.guidance}</p>
                    {if s.cards.is_empty() {
                        view! { <p class="meta">"Ingen ressurser her ennå."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="card-grid">
                                {s.cards.into_iter().map(|card| view! { <ResourceCardView card/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(s.total > 0).then(|| view! {
                        <p class="more"><a href=s.href>{format!("Se alle {} ressurser for «{}»", s.total, s.label)}</a></p>
                    })}
                </section>
            }
        }).collect_view()}
        <p class="more"><a href=path.href>{format!("Alle {} ressurser i denne inngangen", path.total)}</a></p>
        {other.map(|(href, label)| view! { <p>"Den andre inngangen: "<a href=href>{label}</a></p> })}
        <ToTop/>
    }
}
