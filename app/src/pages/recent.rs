//! Nytt og endret: published resources, most recently changed first, with
//! the Atom feed of the same.

use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::hooks::use_query_map;

use crate::{
    api::explore::get_recent,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta, ToTop},
    domain::{explore::RecentPage, norwegian_date},
};

#[component]
pub fn RecentChangesPage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("side")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .clamp(1, 1000)
    });
    let data = Resource::new(move || page.get(), get_recent);
    view! {
        <PageMeta title="Nytt og endret" description="Nye og oppdaterte ressurser om brukerinvolvering, med de sist endrede først. Abonner med Atom-strømmen."/>
        <Link rel="alternate" type_="application/atom+xml" title="Nye og oppdaterte ressurser" href="/nytt.atom"/>
        <div class="wrap page narrow-wide">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Nytt og endret")]/>
            <h1>"Nytt og endret"</h1>
            <p class="lead">"Ressurser som er lagt til eller oppdatert, de nyeste først. "
                <a href="/nytt.atom" rel="external">"Abonner (Atom)"</a></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(recent) => view! { <RecentList recent/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Transition>
            <ToTop/>
        </div>
    }
}

#[component]
fn RecentList(recent: RecentPage) -> impl IntoView {
    let RecentPage {
        items,
        page,
        has_more,
    } = recent;
    view! {
        {if items.is_empty() {
            view! { <p>"Ingen ressurser her."</p> }.into_any()
        } else {
            view! {
                <ol class="recent-list">
                    {items.into_iter().map(|item| {
                        let what = if item.is_new { "Ny" } else { "Oppdatert" };
                        view! {
                            <li>
                                <p class="meta"><span class="badge">{what}</span>" "
                                    <time datetime=item.card.updated_at.clone()>{norwegian_date(&item.card.updated_at)}</time>
                                    {item.card.kind.clone().map(|k| format!(" · {k}"))}
                                </p>
                                <h2 class="h3"><a href=format!("/ressurser/{}", item.card.slug)>{item.card.title.clone()}</a></h2>
                                <p>{item.card.summary.clone()}</p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <nav class="pagination" aria-label="Sider">
            {(page > 1).then(|| view! { <a href=if page == 2 { "/nytt".to_string() } else { format!("/nytt?side={}", page - 1) }>"Nyere"</a> })}
            {has_more.then(|| view! { <a href=format!("/nytt?side={}", page + 1)>"Eldre"</a> })}
        </nav>
    }
}
