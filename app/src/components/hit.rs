use leptos::prelude::*;

use crate::domain::catalogue::{Hit, ResourceCard, Segment};

/// Text with the search's matching words in `<mark>`.
#[component]
pub fn Marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.mark {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

/// A search result: like a resource card, with matches highlighted.
#[component]
pub fn HitView(hit: Hit) -> impl IntoView {
    let card = hit.card;
    let href = format!("/ressurser/{}", card.slug);
    let levels = card
        .levels
        .iter()
        .map(|l| l.label.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let orgs = card.organisations.join(", ");
    view! {
        <li class="card">
            {card.kind.map(|k| view! { <p class="card-kind">{k}</p> })}
            <h3 class="card-title"><a href=href><Marked segments=hit.title/></a></h3>
            <p class="card-summary"><Marked segments=hit.summary/></p>
            <dl class="card-meta">
                {(!levels.is_empty()).then(|| view! { <div><dt>"Nivå"</dt><dd>{levels}</dd></div> })}
                {(!orgs.is_empty()).then(|| view! { <div><dt>"Fra"</dt><dd>{orgs}</dd></div> })}
                {card.region.map(|r| view! { <div><dt>"Region"</dt><dd>{r}</dd></div> })}
                {card.practice.map(|p| view! { <div><dt>"Periode"</dt><dd>{p}</dd></div> })}
            </dl>
        </li>
    }
}

/// A resource card outside a search: nothing to highlight.
#[component]
pub fn ResourceCardView(card: ResourceCard) -> impl IntoView {
    let plain = |text: &str| {
        vec![Segment {
            text: text.to_string(),
            mark: false,
        }]
    };
    let hit = Hit {
        title: plain(&card.title),
        summary: plain(&card.summary),
        card,
    };
    view! { <HitView hit/> }
}
