use leptos::prelude::*;

use crate::{
    api::catalogue::get_home,
    components::{
        site_url, ErrorView, IllustrationView, Loading, PageMeta, ResourceCardView, StructuredData,
    },
    domain::catalogue::HomeData,
};

/// How wide the hero shows its picture: the page's width on a phone, a
/// column of 22rem beside the text from 48rem (`style/20-components.css`).
const HERO_SIZES: &str = "(min-width: 48rem) 22rem, calc(100vw - 2rem)";

/// Short explanations of the two front doors, keyed by the `inngang` value.
fn entry_text(key: &str) -> &'static str {
    match key {
        "kompetansesenter" => "Foredrag, kurs, fagdager, prosjekter, forskning og ansettelse av erfaringskonsulenter: slik tar senteret brukerkunnskap inn i eget arbeid.",
        "tjenestene" => "Råd og verktøy når senteret hjelper kommuner og helseforetak med rutiner for brukerinvolvering på individ-, tjeneste- og systemnivå.",
        _ => "",
    }
}

fn level_text(key: &str) -> &'static str {
    match key {
        "individ" => "Den enkeltes innflytelse over egen behandling og eget tilbud. En lovfestet rett.",
        "tjeneste" => "Samarbeid mellom brukerrepresentanter og fagfolk om hvordan en tjeneste fungerer.",
        "system" => "Bruker- og pårørendeorganisasjoner med i planlegging og utvikling av tjenester og politikk.",
        _ => "",
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_home());
    view! {
        <PageMeta
            home=true
            title="Bli involvert – brukerinvolvering i rus og psykisk helse"
            description="Metoder, eksempler fra praksis, veiledere og lover for å involvere brukere, pårørende og deres organisasjoner i rus- og psykisk helsefeltet."
        />
        <StructuredData data=serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Bli involvert",
            "inLanguage": "nb",
            "url": format!("{}/", site_url()),
            "potentialAction": {
                "@type": "SearchAction",
                "target": format!("{}/ressurser?q={{sok}}", site_url()),
                "query-input": "required name=sok",
            },
        })/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => view! { <Home home/> }.into_any(),
                    Err(error) => view! { <div class="wrap page"><ErrorView error/></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: HomeData) -> impl IntoView {
    view! {
        <section class="hero">
            <div class="wrap" class:hero-illustrated=home.illustration.is_some()>
                <div class="hero-text">
                    <h1>"Bli involvert"</h1>
                    <p class="lead">
                        "Et verktøy for kunnskaps- og kompetansesentre innen rus og psykisk helse: "
                        "slik involverer dere brukere, pårørende og organisasjonene deres – i eget arbeid og i tjenestene."
                    </p>
                    <p>
                        <a class="button" href="/ressurser">
                            {format!("Se alle {} ressurser", home.resource_count)}
                        </a>
                    </p>
                </div>
                {home.illustration.clone().map(|image| view! {
                    <IllustrationView image sizes=HERO_SIZES class="illustration"/>
                })}
            </div>
        </section>
        <div class="wrap page">
            <section aria-labelledby="innganger">
                <h2 id="innganger">"Hvor vil du begynne?"</h2>
                <ul class="entry-paths">
                    {home
                        .entry_paths
                        .into_iter()
                        .map(|path| {
                            let href = format!("/inngang/{}", path.key);
                            let text = entry_text(&path.key);
                            view! {
                                <li class="entry-path">
                                    <h3><a href=href>{path.label}</a></h3>
                                    <p>{text}</p>
                                    <p class="count">{format!("{} ressurser", path.count)}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section class="callout-section" aria-labelledby="veiviser">
                <h2 id="veiviser">"Hvor mye skal brukerne involveres?"</h2>
                <p>"Svar på seks spørsmål om det dere planlegger, og få en anbefalt grad av involvering, en sjekkliste og ressurser som passer."</p>
                <p><a class="button secondary" href="/veiviser">"Bruk veiviseren"</a></p>
            </section>
            <section aria-labelledby="nivaaer">
                <h2 id="nivaaer">"Tre nivåer av brukerinvolvering"</h2>
                <ul class="levels">
                    {home
                        .levels
                        .into_iter()
                        .map(|level| {
                            let href = format!("/ressurser?nivaa={}", level.key);
                            let text = level_text(&level.key);
                            view! {
                                <li class="level">
                                    <h3><a href=href>{level.label}</a></h3>
                                    <p>{text}</p>
                                    <p class="count">{format!("{} ressurser", level.count)}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section aria-labelledby="nytt">
                <h2 id="nytt">"Sist oppdatert"</h2>
                <ul class="card-grid">
                    {home.latest.into_iter().map(|card| view! { <ResourceCardView card/> }).collect_view()}
                </ul>
                <p class="more"><a href="/nytt">"Alt som er nytt og endret"</a></p>
            </section>
        </div>
    }
}
