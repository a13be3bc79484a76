//! Personvern: what the site stores about visitors, and for how long.
//! (The content pages issue makes this editable; the facts here follow the
//! code: `db/feedback.rs`, `state.rs`, `auth.rs`.)

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::{Breadcrumbs, Crumb};

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Personvern – Bli involvert"/>
        <Meta name="description" content="Hva Bli involvert lagrer når du bruker nettstedet og gir tilbakemelding, og hvor lenge."/>
        <div class="wrap page narrow-wide prose">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Personvern")]/>
            <h1>"Personvern"</h1>
            <p>"Du kan bruke hele nettstedet uten å oppgi hvem du er. Vi lagrer ingenting på enheten din, og vi bruker ingen informasjonskapsler (cookies) for besøkende."</p>
            <h2>"Når du gir tilbakemelding"</h2>
            <ul>
                <li>"Vi lagrer det du skriver i skjemaet: hva tilbakemeldingen gjelder, teksten, eventuelt navn, lenke, nivå og målgruppe for en foreslått ressurs, og hvilken side du kom fra."</li>
                <li>"Navn og e-post er frivillig. E-postadressen lagrer vi bare hvis du krysser av for at vi kan kontakte deg."</li>
                <li>"Ikke skriv helseopplysninger eller andre personlige opplysninger om deg selv eller andre som kan kjennes igjen."</li>
                <li>"Tilbakemeldinger, med redaktørenes notater, slettes automatisk 12 måneder etter at de kom inn."</li>
                <li>"Bare redaktørene av nettstedet kan lese dem."</li>
            </ul>
            <h2>"«Var denne siden nyttig?»"</h2>
            <p>"Vi teller ja og nei per side og dag. Vi lagrer ikke hvem som svarte. Det du eventuelt skriver under «Hva manglet?», slettes etter 12 måneder."</p>
            <h2>"Vern mot misbruk"</h2>
            <p>"For å hindre at skjemaene misbrukes, begrenser vi hvor mange innsendinger som kan komme fra samme adresse på kort tid. Til det bruker vi en kryptografisk sjekksum av adressen, som bare finnes i minnet på serveren og forsvinner når den startes på nytt. IP-adressen din lagres aldri."</p>
            <h2>"For redaktører"</h2>
            <p>"Redaktører som logger inn, får en informasjonskapsel som holder dem innlogget. Den er nødvendig for innloggingen og brukes ikke til noe annet."</p>
            <h2>"Spørsmål"</h2>
            <p>"Har du spørsmål om personvern, "<a href="/tilbakemelding?type=annet">"skriv til oss"</a>"."</p>
        </div>
    }
}
