//! The involvement map: level × degree of involvement, each cell a count
//! linking to the list filtered by both.

use leptos::prelude::*;

use crate::{
    api::catalogue::get_involvement_map,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta},
    domain::catalogue::InvolvementMap,
    query::CatalogueQuery,
};

#[component]
pub fn MapPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_involvement_map());
    view! {
        <PageMeta
            title="Kart over brukerinvolvering"
            description="Ressursene fordelt på nivå (individ, tjeneste, system) og grad av involvering, fra å informere til å bemyndiggjøre."
        />
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Kart")]/>
            <h1>"Kart over brukerinvolvering"</h1>
            <p class="lead">
                "Hvert felt viser hvor mange ressurser som handler om et nivå og en grad av involvering. "
                "Gradene går fra minst til mest makt til brukerne. Velg et tall for å se ressursene."
            </p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(map) => view! { <MapTable map/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn MapTable(map: InvolvementMap) -> impl IntoView {
    let degrees = map.degrees.clone();
    view! {
        <div class="table-scroll" role="region" aria-labelledby="kart-tittel" tabindex="0">
            <table class="map">
                <caption id="kart-tittel">"Antall ressurser etter nivå og grad av involvering"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Nivå"</th>
                        {degrees.iter().map(|d| view! { <th scope="col">{d.label.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {map
                        .levels
                        .into_iter()
                        .zip(map.counts)
                        .zip(map.level_totals)
                        .map(|((level, counts), total)| {
                            let level_href = CatalogueQuery::default().with("nivaa", &level.key).href("/ressurser");
                            let cells = degrees
                                .iter()
                                .zip(counts)
                                .map(|(degree, count)| {
                                    let href = CatalogueQuery::default()
                                        .with("nivaa", &level.key)
                                        .with("grad", &degree.key)
                                        .href("/ressurser");
                                    let label = format!("{count} ressurser på {} som handler om å {}", level.label.to_lowercase(), degree.label.to_lowercase());
                                    view! {
                                        <td class:empty=count == 0>
                                            {if count == 0 {
                                                // `aria-label` is not allowed on a plain `<span>` (W3C
                                                // checker): the sentence is hidden text instead.
                                                view! { <span aria-hidden="true">"0"</span><span class="visually-hidden">{label}</span> }.into_any()
                                            } else {
                                                view! { <a href=href aria-label=label>{count}</a> }.into_any()
                                            }}
                                        </td>
                                    }
                                })
                                .collect_view();
                            view! {
                                <tr>
                                    <th scope="row"><a href=level_href>{level.label.clone()}</a>" "<span class="count">{format!("({total})")}</span></th>
                                    {cells}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
