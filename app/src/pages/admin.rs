//! Editors' pages: sign-in and the dashboard.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::get_dashboard,
    components::{describe_change, Breadcrumbs, Crumb, ErrorView, Loading, Notice, SignInFirst},
    domain::{
        norwegian_date,
        resource::{AdminRow, Dashboard},
    },
    error::AppError,
    query::safe_next,
};

/// A failed sign-in, shown again in the answer to its POST: what was typed
/// as user name never goes into a URL (review 3, N12), where it would end
/// up in browser history and proxy logs (it is often a password typed in
/// the wrong field).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignInInput {
    pub username: String,
    pub next: String,
}

/// What a sign-in problem code says (`feil`, `sperret`, `ukjent-nettleser`,
/// `opptatt`, `ugyldig`, `utlopt`, `teknisk`; `utlogget` is not a problem).
pub fn sign_in_problem(code: &str) -> Option<&'static str> {
    match code {
        "sperret" => Some("For mange mislykkede forsøk. Vent et kvarter og prøv igjen."),
        "feil" => Some("Feil brukernavn eller passord."),
        "ukjent-nettleser" => Some(crate::domain::account::UNKNOWN_DEVICE_MESSAGE),
        "opptatt" => Some("Mange logger inn akkurat nå. Vent litt og prøv igjen."),
        "ugyldig" => Some("Fyll ut både brukernavn og passord."),
        "utlopt" => Some("Innloggingen tok for lang tid. Logg inn på nytt."),
        "utlogget" => None,
        _ => Some("Noe gikk galt hos oss. Prøv igjen om litt."),
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let echo = use_context::<crate::domain::form::FormState<SignInInput>>();
    let problem = echo.as_ref().and_then(|e| e.message.clone());
    let answered = echo.is_some();
    // Rendered on the server only: read once.
    let error = StoredValue::new(problem.or_else(|| {
        query
            .read_untracked()
            .get("feil")
            .as_deref()
            .and_then(sign_in_problem)
            .map(String::from)
    }));
    let error = move || error.get_value();
    let signed_out = move || !answered && query.read().get("feil").as_deref() == Some("utlogget");
    let username = echo
        .as_ref()
        .map(|e| e.input.username.clone())
        .unwrap_or_default();
    let echoed_next = echo.map(|e| e.input.next);
    let next = move || match &echoed_next {
        Some(next) => safe_next(Some(next.clone())),
        None => safe_next(query.read().get("neste")),
    };
    view! {
        <Title text="Logg inn – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page narrow">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Logg inn")]/>
            <h1>"Logg inn for redaktører"</h1>
            {move || signed_out().then(|| view! { <p class="notice" role="status">"Du er logget ut."</p> })}
            <form class="stack-form" method="post" action="/auth/logg-inn">
                {move || error().map(|e| view! { <p class="form-error" role="alert" id="innlogging-feil">{e}</p> })}
                <input type="hidden" name="neste" value=next/>
                <div class="field">
                    <label for="brukernavn">"Brukernavn"</label>
                    <input
                        id="brukernavn"
                        name="brukernavn"
                        type="text"
                        autocomplete="username"
                        required
                        maxlength="60"
                        value=username
                        aria-describedby=move || error().map(|_| "innlogging-feil")
                    />
                </div>
                <div class="field">
                    <label for="passord">"Passord"</label>
                    <input
                        id="passord"
                        name="passord"
                        type="password"
                        autocomplete="current-password"
                        required
                        maxlength="200"
                        aria-describedby=move || error().map(|_| "innlogging-feil")
                    />
                </div>
                <button type="submit" class="button">"Logg inn"</button>
            </form>
        </div>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Title text="Redaktør – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Redaktør")]/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(dashboard) => view! { <DashboardView dashboard/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn AdminTable(rows: Vec<AdminRow>, empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="admin-list">
            {rows
                .into_iter()
                .map(|r| {
                    let reviewed = r
                        .last_reviewed
                        .map(|d| format!("kontrollert {}", norwegian_date(&d)))
                        .unwrap_or_else(|| "aldri kontrollert".into());
                    view! {
                        <li>
                            <a href=format!("/redaktor/ressurser/{}", r.slug)>{r.title}</a>
                            <span class="meta">{format!(" – {reviewed}, endret {}", norwegian_date(&r.updated_at))}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        user,
        drafts,
        stale,
        recent,
    } = dashboard;
    let is_admin = user.role == crate::domain::account::Role::Admin;
    view! {
        <div class="dashboard-head">
            <h1>"Redaktør"</h1>
            <form method="post" action="/auth/logg-ut">
                <button type="submit" class="button secondary">"Logg ut"</button>
            </form>
        </div>
        <p>{format!("Logget inn som {} ({}).", user.display_name, user.role.label().to_lowercase())}</p>
        <Notice/>
        <crate::components::AttentionSummary/>
        <nav aria-label="Redaktørverktøy">
            <ul class="tool-links">
                <li><a class="button" href="/redaktor/ressurser/ny">"Ny ressurs"</a></li>
                <li><a href="/redaktor/tilbakemeldinger">"Tilbakemeldinger"</a></li>
                <li><a href="/redaktor/lenker">"Lenker"</a></li>
                <li><a href="/redaktor/innspill">"Innspillsrunder"</a></li>
                <li><a href="/redaktor/sider">"Sider"</a></li>
                <li><a href="/redaktor/filer">"Bilder og dokumenter"</a></li>
                <li><a href="/redaktor/tekster">"Tekster på inngangene og i veiviseren"</a></li>
                <li><a href="/redaktor/illustrasjoner">"Illustrasjoner på forsiden og inngangene"</a></li>
                <li><a href="/redaktor/statistikk">"Statistikk"</a></li>
                <li><a href="/redaktor/organisasjoner">"Organisasjoner"</a></li>
                <li><a href="/redaktor/konto/totp">"Totrinnsinnlogging"</a></li>
                {is_admin.then(|| view! {
                    <li><a href="/redaktor/kategorier">"Kategorier"</a></li>
                    <li><a href="/redaktor/synonymer">"Synonymer i søket"</a></li>
                    <li><a href="/redaktor/kontoer">"Kontoer"</a></li>
                    <li><a href="/redaktor/logg">"Endringslogg"</a></li>
                })}
            </ul>
        </nav>
        <section aria-labelledby="utkast">
            <h2 id="utkast">{format!("Utkast ({})", drafts.len())}</h2>
            <AdminTable rows=drafts empty="Ingen utkast."/>
        </section>
        <section aria-labelledby="gamle">
            <h2 id="gamle">{format!("Ikke kontrollert på over 12 måneder ({})", stale.len())}</h2>
            <AdminTable rows=stale empty="Alt er kontrollert det siste året."/>
        </section>
        <section aria-labelledby="endringer">
            <h2 id="endringer">"Siste endringer"</h2>
            {if recent.is_empty() {
                view! { <p>"Ingen endringer ennå."</p> }.into_any()
            } else {
                view! {
                    <ul class="admin-list">
                        {recent
                            .into_iter()
                            .map(|e| view! { <li>{format!("{} – {} {} {}", norwegian_date(&e.at), e.actor, describe_change(&e.action, &e.entity), e.summary)}</li> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
