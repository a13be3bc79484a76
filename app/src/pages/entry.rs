//! The two entry paths as guided pages: short guidance per section, then the
//! matching resources live from the catalogue and a link to the full list.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    api::explore::{get_entry_path, EntryPathPage},
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta, ResourceCardView, ToTop},
};

/// The entry path's introduction and description: (key, heading, intro, description).
const PATHS: [(&str, &str, &str, &str); 2] = [
    (
        "kompetansesenter",
        "Når du skal involvere brukere i ditt kompetansesenter",
        "Foredrag, kurs, fagdager, prosjekter, forskning og ansettelse av erfaringskonsulenter: her er rådene ordnet etter hvor mye makt brukerne får, fra å bli informert til å styre selv. Til slutt: slik gjør senteret brukerinvolvering til fast praksis.",
        "Metoder og eksempler for kompetansesentre som vil involvere brukere og pårørende i kurs, fagdager, prosjekter og forskning, trinn for trinn.",
    ),
    (
        "tjenestene",
        "Når kompetansesenteret skal hjelpe tjenestene med brukerinvolvering",
        "Råd, verktøy og regelverk for senteret som veileder kommuner og helseforetak. Ordnet etter nivå: den enkeltes behandling, hvordan tjenesten fungerer, og planlegging og utvikling av tjenester.",
        "Råd og verktøy for kompetansesentre som hjelper kommuner og helseforetak med brukerinvolvering på individ-, tjeneste- og systemnivå.",
    ),
];

/// Short guidance for each section, in our own words, by section key.
fn section_text(key: &str) -> &'static str {
    match key {
        "informere" => "Brukerne får vite hva som skjer, og hvorfor. Det er grunnmuren for alt annet, men gir ingen innflytelse alene. Fortell hva som allerede er bestemt, og hva som fortsatt kan påvirkes.",
        "konsultere" => "Dere spør brukere og pårørende til råds før dere bestemmer: i dialogmøter, fokusgrupper eller undersøkelser. Si på forhånd hva rådene skal brukes til, og fortell etterpå hva de førte til.",
        "involvere" => "Brukerne deltar underveis, og erfaringene deres former innholdet, for eksempel i planleggingen av en fagdag eller som innledere på et kurs. Avklar honorar og forberedelse før dere starter.",
        "samarbeide" => "Brukerrepresentanter og fagfolk deler ansvar og beslutninger gjennom hele arbeidet, for eksempel i en styringsgruppe eller et forskningsprosjekt. Det krever mandat, rollebeskrivelser og tid.",
        "bemyndiggjore" => "Brukerne bestemmer og leder selv, og senteret støtter med kunnskap, rom og penger. Brukerstyrte sentre og organisasjoner er ofte de rette til å lede.",
        "strukturere" => "Brukerinvolvering holder seg når den er bygget inn i hverdagen: mandater, rollebeskrivelser, møteplaner, honorarsatser, rutiner for tilbakemelding og et verktøy for å velge riktig grad av involvering.",
        "individ" => "Den enkelte har rett til å medvirke i egen behandling og i valg av tjenester. Senteret kan hjelpe tjenestene med samtaleverktøy, systematisk tilbakemelding og opplæring av ansatte.",
        "tjeneste" => "Brukere og fagfolk samarbeider om hvordan tjenesten fungerer: brukerråd, erfaringskonsulenter, brukerundersøkelser og erfaringsbasert kvalitetssikring.",
        "system" => "Bruker- og pårørendeorganisasjoner er med når tjenester og politikk planlegges. Loven krever det av kommuner og helseforetak, og senteret kan hjelpe med brukerutvalg og gode prosesser.",
        _ => "",
    }
}

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
    let (heading, intro, description) = PATHS
        .iter()
        .find(|(k, ..)| *k == path.key)
        .map(|(_, h, i, d)| (h.to_string(), *i, *d))
        .unwrap_or((path.label.clone(), "", ""));
    let other = PATHS
        .iter()
        .find(|(k, ..)| *k != path.key)
        .map(|(k, h, ..)| (format!("/inngang/{k}"), *h));
    let is_ladder = path.key == "kompetansesenter";
    view! {
        <PageMeta title=heading.clone() description=description/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here(heading.clone())]/>
        <h1>{heading}</h1>
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
                    <p>{section_text(&s.key)}</p>
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
