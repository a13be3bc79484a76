//! The second factor's pages (review 3, N11): the sign-in's second step
//! (`/logg-inn/kode`) and the set-up (`/redaktor/konto/totp`). Plain forms
//! posting to handlers in the server crate; the QR code is an SVG rendered
//! on the server, so nothing here needs JavaScript, an inline script or an
//! image from elsewhere.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::{
    api::factor::get_factor_setup,
    components::{Breadcrumbs, Crumb, ErrorView, Loading},
    components::{Notice, SignInFirst},
    domain::{
        factor::{CodeInput, FactorOffer, FactorSetup},
        form::FormState,
    },
    error::AppError,
    query::safe_next,
};

/// `/logg-inn/kode`: the code from the app, or (`?gjenoppretting=1`) a
/// recovery code.
#[component]
pub fn CodePage() -> impl IntoView {
    let query = use_query_map();
    let echo = use_context::<FormState<CodeInput>>();
    let (next, recovery, problem) = match &echo {
        Some(echo) => (
            echo.input.next.clone(),
            echo.input.recovery,
            echo.message.clone(),
        ),
        None => {
            let query = query.read_untracked();
            (
                safe_next(query.get("neste")),
                query.get("gjenoppretting").is_some(),
                None,
            )
        }
    };
    let error = problem;
    let other = if recovery {
        (
            format!("/logg-inn/kode?neste={}", crate::query::encode(&next)),
            "Bruk en kode fra autentiseringsappen i stedet",
        )
    } else {
        (
            format!(
                "/logg-inn/kode?gjenoppretting=1&neste={}",
                crate::query::encode(&next)
            ),
            "Har du ikke telefonen? Bruk en gjenopprettingskode",
        )
    };
    let (label, hint) = if recovery {
        (
            "Gjenopprettingskode",
            "En av kodene du skrev ned da du slo på totrinnsinnlogging, for eksempel abcd-efgh-jkmn. Hver kode virker én gang.",
        )
    } else {
        (
            "Engangskode fra autentiseringsappen",
            "Seks siffer. Appen viser en ny kode hvert halve minutt.",
        )
    };
    let describedby = if error.is_some() {
        "kode-feil kode-hjelp"
    } else {
        "kode-hjelp"
    };
    view! {
        <Title text="Engangskode – Logg inn – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page narrow">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Logg inn")]/>
            <h1>"Logg inn: steg 2 av 2"</h1>
            <p>"Passordet var riktig. Kontoen din har totrinnsinnlogging."</p>
            <form class="stack-form" method="post" action="/auth/logg-inn/kode">
                <input type="hidden" name="neste" value=next/>
                {recovery.then(|| view! { <input type="hidden" name="gjenoppretting" value="1"/> })}
                <div class="field" class:has-error=error.is_some()>
                    <label for="kode">{label}</label>
                    <p class="hint" id="kode-hjelp">{hint}</p>
                    {error.clone().map(|e| view! { <p class="field-error" role="alert" id="kode-feil">{e}</p> })}
                    <input
                        id="kode"
                        name="kode"
                        type="text"
                        autocomplete="one-time-code"
                        inputmode=if recovery { "text" } else { "numeric" }
                        spellcheck="false"
                        autocapitalize="none"
                        required
                        maxlength="20"
                        aria-invalid=error.is_some().then_some("true")
                        aria-describedby=describedby
                    />
                </div>
                <button type="submit" class="button">"Logg inn"</button>
            </form>
            <p><a href=other.0>{other.1}</a></p>
        </div>
    }
}

/// `/redaktor/konto/totp`: turn the factor on (an administrator must), see
/// the recovery codes once, or (an editor) turn it off.
#[component]
pub fn FactorSetupPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("neste"), get_factor_setup);
    view! {
        <Meta name="robots" content="noindex"/>
        <div class="wrap page narrow">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(setup) => view! { <FactorView setup/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn FactorView(setup: FactorSetup) -> impl IntoView {
    let FactorSetup {
        user,
        forced,
        enabled,
        codes_left,
        offer,
        new_codes,
        echo,
        next,
    } = setup;
    let is_admin = user.role == crate::domain::account::Role::Admin;
    let trail = if forced {
        vec![
            Crumb::link("Forside", "/"),
            Crumb::here("Totrinnsinnlogging"),
        ]
    } else {
        vec![
            Crumb::link("Forside", "/"),
            Crumb::link("Redaktør", "/redaktor"),
            Crumb::here("Totrinnsinnlogging"),
        ]
    };
    let body = if !new_codes.is_empty() {
        view! { <NewCodes codes=new_codes next/> }.into_any()
    } else if enabled {
        view! {
            <p>{format!("Totrinnsinnlogging er på for {}. Du har {codes_left} ubrukte gjenopprettingskoder.", user.username)}</p>
            {if is_admin {
                view! {
                    <p>"Administratorer må ha totrinnsinnlogging. Har du mistet telefonen, kan en annen administrator nullstille den under Kontoer."</p>
                }.into_any()
            } else {
                view! {
                    <form method="post" action="/redaktor/konto/totp/av">
                        <button type="submit" class="button secondary">"Slå av totrinnsinnlogging"</button>
                    </form>
                }.into_any()
            }}
        }
        .into_any()
    } else if let Some(offer) = offer {
        let error = echo.as_ref().and_then(|e| e.error("kode"));
        view! { <Offer offer forced error next/> }.into_any()
    } else {
        ().into_any()
    };
    view! {
        <Title text="Totrinnsinnlogging – Redaktør – Bli involvert"/>
        <Breadcrumbs trail/>
        <h1>"Totrinnsinnlogging"</h1>
        <Notice/>
        {body}
    }
}

#[component]
fn Offer(offer: FactorOffer, forced: bool, error: Option<String>, next: String) -> impl IntoView {
    let FactorOffer {
        secret,
        grouped,
        qr_svg,
    } = offer;
    let describedby = if error.is_some() {
        "kode-feil kode-hjelp"
    } else {
        "kode-hjelp"
    };
    view! {
        {forced.then(|| view! {
            <p class="notice" role="status">"Administratorer må ha totrinnsinnlogging. Slå den på før du går videre til redaktørsidene."</p>
        })}
        <p>"Med totrinnsinnlogging trenger du både passordet og en engangskode fra en app på telefonen for å logge inn."</p>
        <ol class="factor-steps">
            <li>"Installer en autentiseringsapp på telefonen, for eksempel Microsoft Authenticator, Google Authenticator eller FreeOTP."</li>
            <li>
                "Skann QR-koden med appen:"
                <div class="qr-code" role="img" aria-label="QR-kode med nøkkelen for autentiseringsappen" inner_html=qr_svg></div>
                <p id="nokkel-hjelp">"Kan du ikke skanne? Legg inn denne nøkkelen for hånd (tidsbasert, seks siffer):"</p>
                <p><code class="factor-secret" aria-describedby="nokkel-hjelp">{grouped}</code></p>
            </li>
            <li>
                <form class="stack-form" method="post" action="/redaktor/konto/totp">
                    <input type="hidden" name="secret" value=secret/>
                    <input type="hidden" name="neste" value=next/>
                    <div class="field" class:has-error=error.is_some()>
                        <label for="kode">"Engangskode fra autentiseringsappen"</label>
                        <p class="hint" id="kode-hjelp">"Skriv inn de seks sifrene appen viser nå, for å bekrefte at den er satt opp riktig."</p>
                        {error.clone().map(|e| view! { <p class="field-error" id="kode-feil">{e}</p> })}
                        <input
                            id="kode"
                            name="kode"
                            type="text"
                            autocomplete="one-time-code"
                            inputmode="numeric"
                            required
                            maxlength="20"
                            aria-invalid=error.is_some().then_some("true")
                            aria-describedby=describedby
                        />
                    </div>
                    <button type="submit" class="button">"Slå på totrinnsinnlogging"</button>
                </form>
            </li>
        </ol>
    }
}

#[component]
fn NewCodes(codes: Vec<String>, next: String) -> impl IntoView {
    view! {
        <p class="notice" role="status">"Totrinnsinnlogging er slått på."</p>
        <h2 id="gjenopprettingskoder">"Gjenopprettingskoder"</h2>
        <p>"Skriv ned eller skriv ut disse ti kodene, og oppbevar dem trygt. Mister du telefonen, kan du logge inn med én av dem i stedet for en engangskode. Hver kode virker én gang. Du får ikke se dem igjen."</p>
        <ul class="recovery-codes" aria-labelledby="gjenopprettingskoder">
            {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ul>
        <p><a class="button" href=next>"Jeg har tatt vare på kodene – gå videre"</a></p>
    }
}
