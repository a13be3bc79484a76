use leptos::prelude::*;

use crate::domain::ResourceCard;

/// A resource in a list: type, title (the link), summary, levels, owners.
#[component]
pub fn ResourceCardView(card: ResourceCard) -> impl IntoView {
    let href = format!("/ressurser/{}", card.slug);
    let levels = card.levels.iter().map(|l| l.label.clone()).collect::<Vec<_>>().join(", ");
    let orgs = card.organisations.join(", ");
    view! {
        <article class="card">
            {card.kind.map(|k| view! { <p class="card-kind">{k}</p> })}
            <h3 class="card-title"><a href=href>{card.title}</a></h3>
            <p class="card-summary">{card.summary}</p>
            <dl class="card-meta">
                {(!levels.is_empty()).then(|| view! { <div><dt>"Nivå"</dt><dd>{levels}</dd></div> })}
                {(!orgs.is_empty()).then(|| view! { <div><dt>"Fra"</dt><dd>{orgs}</dd></div> })}
            </dl>
        </article>
    }
}
