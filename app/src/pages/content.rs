//! Content pages from the database (editors change them in the app), and
//! the two that add a generated part below their text: the overview of
//! guidance and the directory of organisations.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    api::{
        explore::{get_directory, get_guidance},
        pages::get_page,
    },
    components::Helpful,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta, ToTop},
    domain::{
        catalogue::FacetFilter,
        explore::{Directory, GuidanceGroup},
        norwegian_date,
        page::ContentPage,
    },
    query::CatalogueQuery,
};

/// A content page: its text, then `extra` (a generated part), then
/// "Var denne siden nyttig?".
#[component]
fn ContentPageView(
    slug: &'static str,
    #[prop(optional)] extra: Option<ChildrenFn>,
    #[prop(optional)] long: bool,
) -> impl IntoView {
    let data = Resource::new(|| (), move |_| get_page(slug.to_string()));
    view! {
        <div class="wrap page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <PageText page/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
            {extra.map(|extra| extra())}
            <Helpful path=format!("/{slug}")/>
            {long.then(|| view! { <ToTop/> })}
        </div>
    }
}

#[component]
fn PageText(page: ContentPage) -> impl IntoView {
    let ContentPage {
        title,
        description,
        html,
        updated_at,
        ..
    } = page;
    view! {
        <PageMeta title=title.clone() description/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here(title.clone())]/>
        <article class="content-page">
            <h1>{title}</h1>
            <div class="prose" inner_html=html></div>
            <p class="reviewed">{format!("Sist endret {}", norwegian_date(&updated_at))}</p>
        </article>
    }
}

#[component]
pub fn WhyPage() -> impl IntoView {
    view! { <ContentPageView slug="hvorfor-brukerinvolvering" long=true/> }
}

#[component]
pub fn AboutPage() -> impl IntoView {
    view! { <ContentPageView slug="om-nettstedet"/> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <ContentPageView slug="personvern" long=true/> }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! { <ContentPageView slug="tilgjengelighet"/> }
}

#[component]
pub fn GuidancePage() -> impl IntoView {
    view! { <ContentPageView slug="veiledere-og-foringer" long=true extra=std::sync::Arc::new(|| view! { <GuidanceOverview/> }.into_any())/> }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    view! { <ContentPageView slug="brukerorganisasjoner" long=true extra=std::sync::Arc::new(|| view! { <OrganisationDirectory/> }.into_any())/> }
}

/// Guidance and law from the catalogue, grouped by type.
#[component]
fn GuidanceOverview() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_guidance());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(groups) => view! { <GuidanceGroups groups/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GuidanceGroups(groups: Vec<GuidanceGroup>) -> impl IntoView {
    groups
        .into_iter()
        .map(|group| {
            let id = format!("gruppe-{}", group.key);
            let labelled = id.clone();
            let href = CatalogueQuery::default().with("type", &group.key).href("/ressurser");
            view! {
                <section class="overview-group" aria-labelledby=labelled>
                    <h2 id=id>{format!("{} ({})", group.label, group.items.len())}</h2>
                    <ul class="overview-list">
                        {group.items.into_iter().map(|item| view! {
                            <li>
                                <h3><a href=format!("/ressurser/{}", item.slug)>{item.title}</a></h3>
                                <p>{item.summary}</p>
                                {item.replaced_by.map(|r| view! {
                                    <p class="notice" role="note">
                                        <strong>"Erstattet: "</strong>"Denne er erstattet av "
                                        <a href=format!("/ressurser/{}", r.slug)>{r.title}</a>"."
                                    </p>
                                })}
                                <p class="meta">{match item.checked {
                                    Some(date) => format!("Sist kontrollert {}", norwegian_date(&date)),
                                    None => "Ikke kontrollert ennå".to_string(),
                                }}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p><a href=href>{format!("Filtrer og søk i «{}»", group.label)}</a></p>
                </section>
            }
        })
        .collect_view()
}

const DIRECTORY: &str = "/brukerorganisasjoner";

/// The organisation directory with its filters; the filters are a GET form,
/// applied in the page when JavaScript runs.
#[component]
fn OrganisationDirectory() -> impl IntoView {
    let location = use_location();
    let query = Memo::new(move |_| CatalogueQuery::parse(&location.search.get()).to_query_string());
    let data = Resource::new(move || query.get(), get_directory);
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(directory) => view! { <DirectoryView directory/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn org_count(n: u32) -> String {
    match n {
        0 => "Ingen organisasjoner passer".into(),
        1 => "1 organisasjon".into(),
        n => format!("{n} organisasjoner"),
    }
}

#[component]
fn DirectoryView(directory: Directory) -> impl IntoView {
    let Directory {
        filters,
        entries,
        total,
    } = directory;
    let filtered = filters.iter().any(|f| f.options.iter().any(|o| o.selected));
    view! {
        <section class="directory" aria-labelledby="katalog">
            <h2 id="katalog">"Finn en organisasjon"</h2>
            <form class="directory-filters" method="get" action=DIRECTORY>
                {filters.into_iter().map(|facet| view! { <DirectoryFacet facet/> }).collect_view()}
                <div class="filter-actions">
                    <button type="submit" class="button">"Vis organisasjonene"</button>
                    {filtered.then(|| view! { <a class="reset" href=DIRECTORY>"Nullstill"</a> })}
                </div>
            </form>
            <p id="katalog-antall" class="result-count" tabindex="-1" role="status" data-focus=filtered.then_some("")>{org_count(total)}</p>
            <ul class="directory-list">
                {entries.into_iter().map(|e| {
                    let facts: Vec<String> = e.kind.into_iter().chain(e.region).chain(std::iter::once(e.fields.join(", "))).filter(|s| !s.is_empty()).collect();
                    let resources = CatalogueQuery::default().with(crate::query::ORGANISATION_FACET, &e.slug).href("/ressurser");
                    view! {
                        <li id=format!("org-{}", e.slug)>
                            <h3><a href=format!("/organisasjoner/{}", e.slug)>{e.name}</a></h3>
                            <p class="meta">{facts.join(" · ")}</p>
                            {(!e.description.is_empty()).then(|| view! { <p>{e.description}</p> })}
                            <p class="org-links">
                                {e.website.map(|url| view! { <a class="external" href=url rel="external noopener noreferrer">"Nettsted"</a> })}
                                {(e.resources > 0).then(|| view! {
                                    <a href=resources>{if e.resources == 1 { "1 ressurs".to_string() } else { format!("{} ressurser", e.resources) }}</a>
                                })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DirectoryFacet(facet: FacetFilter) -> impl IntoView {
    let key = facet.key.clone();
    view! {
        <fieldset class="facet-group">
            <legend>{facet.label}</legend>
            <ul>
                {facet.options.into_iter().map(|o| {
                    let id = format!("o-{key}-{}", o.key);
                    let zero = o.count == 0 && !o.selected;
                    view! {
                        <li class:zero=zero>
                            <input type="checkbox" id=id.clone() name=key.clone() value=o.key checked=o.selected prop:checked=o.selected/>
                            <label for=id>{o.label}" "<span class="option-count">{format!("({})", o.count)}</span></label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}
