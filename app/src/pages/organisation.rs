//! One organisation's page: the directory's facts about it and the
//! resources it is behind. An organisation is one thing with one page;
//! the directory and resource pages link here.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::{
    api::explore::get_organisation,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta, ResourceCardView, ToTop},
    domain::explore::OrganisationPage,
};

#[component]
pub fn OrganisationPageView() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_organisation,
    );
    view! {
        <div class="wrap page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <Organisation page/> }.into_any(),
                        Err(error) => view! {
                            <Title text="Siden finnes ikke – Bli involvert"/>
                            <Meta name="robots" content="noindex"/>
                            <ErrorView error/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Organisation(page: OrganisationPage) -> impl IntoView {
    let OrganisationPage {
        entry,
        short_name,
        facts,
        cards,
        href,
    } = page;
    let description = if entry.description.is_empty() {
        format!("{} i katalogen over organisasjoner.", entry.name)
    } else {
        entry.description.clone()
    };
    let shown = cards.len() as u32;
    let name = short_name.clone().unwrap_or_else(|| entry.name.clone());
    view! {
        <PageMeta title=entry.name.clone() description=description/>
        <Breadcrumbs trail=vec![
            Crumb::link("Forside", "/"),
            Crumb::link("Organisasjoner", "/brukerorganisasjoner"),
            Crumb::here(name.clone()),
        ]/>
        <article class="organisation">
            <h1>{entry.name.clone()}</h1>
            {(!entry.description.is_empty()).then(|| view! { <p class="lead">{entry.description.clone()}</p> })}
            {entry.website.clone().map(|url| view! {
                <p><a class="external" href=url rel="external noopener noreferrer">{format!("Nettstedet til {name}")}</a></p>
            })}
            {(!facts.is_empty()).then(|| view! {
                <dl class="facets org-facts">
                    {facts.into_iter().map(|(facet, value, href)| view! {
                        <div class="facet"><dt>{facet}</dt><dd><a class="tag" href=href>{value}</a></dd></div>
                    }).collect_view()}
                </dl>
            })}
            <section aria-labelledby="ressurser-fra">
                <h2 id="ressurser-fra">{format!("Ressurser fra {name}")}</h2>
                {if cards.is_empty() {
                    view! { <p class="meta">"Ingen ressurser i katalogen ennå."</p> }.into_any()
                } else {
                    view! {
                        <ul class="card-grid">{cards.into_iter().map(|card| view! { <ResourceCardView card/> }).collect_view()}</ul>
                        {(entry.resources > shown).then(|| view! { <p class="more"><a href=href.clone()>{format!("Se alle {} ressurser", entry.resources)}</a></p> })}
                    }.into_any()
                }}
            </section>
        </article>
        <ToTop/>
    }
}
