use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::{
    api::catalogue::get_resource,
    components::{
        site_url, Breadcrumbs, Crumb, ErrorView, Loading, PageMeta, StructuredData, ToTop,
    },
    domain::{catalogue::ResourceDetail, norwegian_date},
    query::CatalogueQuery,
};

#[component]
pub fn ResourcePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_resource,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) => view! { <Detail detail/> }.into_any(),
                    Err(error) => {
                        view! {
                            <Title text="Siden finnes ikke – Bli involvert"/>
                            <Meta name="robots" content="noindex"/>
                            <div class="wrap page"><ErrorView error/></div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(detail: ResourceDetail) -> impl IntoView {
    let ResourceDetail {
        slug,
        title,
        summary,
        body_html,
        facets,
        organisations,
        links,
        related,
        replaced_by,
        period,
        last_reviewed,
        reviewed_source,
        updated_at,
        downloads,
    } = detail;
    let structured = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": title,
        "description": summary,
        "inLanguage": "nb",
        "url": format!("{}/ressurser/{slug}", site_url()),
        "dateModified": updated_at,
        "author": organisations.iter().map(|o| serde_json::json!({ "@type": "Organization", "name": o.name, "url": o.website })).collect::<Vec<_>>(),
    });
    view! {
        <PageMeta title=title.clone() description=summary.clone() kind="article"/>
        <StructuredData data=structured/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![
                Crumb::link("Forside", "/"),
                Crumb::link("Ressurser", "/ressurser"),
                Crumb::here(title.clone()),
            ]/>
            <article class="resource">
                <header class="resource-header">
                    <h1>{title}</h1>
                    <p class="lead">{summary}</p>
                    {replaced_by.map(|r| view! {
                        <p class="notice" role="note">
                            <strong>"Erstattet: "</strong>
                            "Denne ressursen er erstattet av "
                            <a href=format!("/ressurser/{}", r.slug)>{r.title}</a>
                            "."
                        </p>
                    })}
                    {(!downloads.is_empty()).then(|| view! {
                        <section class="downloads" aria-labelledby="nedlastinger">
                            <h2 id="nedlastinger">"Nedlastinger"</h2>
                            <ul>
                                {downloads
                                    .into_iter()
                                    .map(|d| view! { <li><a href=d.url() download="">{d.link_text()}</a></li> })
                                    .collect_view()}
                            </ul>
                        </section>
                    })}
                </header>
                <div class="resource-layout">
                    <div class="prose" inner_html=body_html></div>
                    <aside class="resource-facts" aria-labelledby="fakta">
                        <h2 id="fakta" class="visually-hidden">"Om ressursen"</h2>
                        <dl class="facets">
                            {facets
                                .into_iter()
                                .map(|group| {
                                    let facet_key = group.key.clone();
                                    view! {
                                        <div class="facet">
                                            <dt>{group.label}</dt>
                                            <dd>
                                                <ul class="tags">
                                                    {group
                                                        .values
                                                        .into_iter()
                                                        .map(|v| {
                                                            let href = CatalogueQuery::default().with(&facet_key, &v.key).href("/ressurser");
                                                            view! { <li><a class="tag" href=href>{v.label}</a></li> }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            </dd>
                                        </div>
                                    }
                                })
                                .collect_view()}
                            {period.map(|p| view! { <div class="facet"><dt>"Periode"</dt><dd>{p}</dd></div> })}
                        </dl>
                        {(!organisations.is_empty()).then(|| view! {
                            <h3>"Ansvarlig"</h3>
                            <ul class="plain">
                                {organisations
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <li>
                                                <a href=format!("/organisasjoner/{}", o.slug)>{o.name}</a>
                                                {o.website.map(|url| view! { <br/><a class="external" href=url rel="external noopener noreferrer">"Nettsted"</a> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        })}
                        // A review date only with the source it was checked against.
                        {match last_reviewed.zip(reviewed_source) {
                            Some((date, source)) => view! {
                                <p class="reviewed">
                                    {format!("Sist kontrollert {} mot ", norwegian_date(&date))}
                                    <a href=source.url rel="noopener noreferrer">{source.label}</a>
                                    "."
                                </p>
                            }.into_any(),
                            None => view! {
                                <p class="reviewed">
                                    <strong>"Ikke kontrollert ennå."</strong>
                                    {format!(" Sist endret {}.", norwegian_date(&updated_at))}
                                </p>
                            }.into_any(),
                        }}
                    </aside>
                </div>
                {(!links.is_empty()).then(|| view! {
                    <section class="links" aria-labelledby="lenker">
                        <h2 id="lenker">"Lenker"</h2>
                        <ul>
                            {links
                                .into_iter()
                                .map(|l| view! { <li><a href=l.url rel="noopener noreferrer">{l.label}</a></li> })
                                .collect_view()}
                        </ul>
                    </section>
                })}
                {(!related.is_empty()).then(|| view! {
                    <section class="related" aria-labelledby="relatert">
                        <h2 id="relatert">"Relaterte ressurser"</h2>
                        <ul>
                            {related
                                .into_iter()
                                .map(|r| view! { <li><a href=format!("/ressurser/{}", r.slug)>{r.title}</a></li> })
                                .collect_view()}
                        </ul>
                    </section>
                })}
            </article>
            <crate::components::Helpful path=format!("/ressurser/{slug}")/>
            <ToTop/>
        </div>
    }
}
