use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::catalogue::list_resources,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, ResourceCardView},
};

#[component]
pub fn ResourceListPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_resources());
    view! {
        <Title text="Ressurser – Bli involvert"/>
        <Meta
            name="description"
            content="Alle metoder, verktøy, eksempler fra praksis, veiledere og lover om brukerinvolvering i rus og psykisk helse."
        />
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Ressurser")]/>
            <h1>"Ressurser"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(cards) => {
                            let count = cards.len();
                            view! {
                                <p class="result-count" role="status">{format!("{count} ressurser")}</p>
                                <div class="card-list">
                                    {cards.into_iter().map(|card| view! { <ResourceCardView card/> }).collect_view()}
                                </div>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
