//! The editors' link page (`/redaktor/lenker`): broken links first, then
//! permanent redirects with "Bruk ny adresse", then the rest; and the
//! summary of what needs the editors that tops the dashboard. The forms
//! post to handlers in the server crate that check the session themselves.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::{
    api::links::get_links,
    components::{Breadcrumbs, Crumb, ErrorView, Loading},
    components::{Notice, SignInFirst},
    domain::{
        links::{LinkRow, LinkStatus, LinksOverview, NewAddressToConfirm},
        norwegian_date,
    },
    error::AppError,
};

/// A stored time (ISO 8601 UTC) as "2. desember 2026 kl. 08.30 UTC".
pub fn norwegian_time(iso: &str) -> String {
    match iso.get(11..16) {
        Some(hm) if iso.len() >= 16 => {
            format!("{} kl. {} UTC", norwegian_date(iso), hm.replace(':', "."))
        }
        _ => norwegian_date(iso),
    }
}

#[component]
pub fn LinksPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("status"), get_links);
    view! {
        <Title text="Lenker – Redaktør – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Lenker")]/>
            <h1>"Lenker"</h1>
            {use_context::<NewAddressToConfirm>().map(|confirm| view! { <ConfirmNewAddress confirm/> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let filter = query.read_untracked().get("status").unwrap_or_default();
                    match data.await {
                        Ok(overview) => view! { <LinksView overview filter/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The exact new address, and the button that saves it.
#[component]
fn ConfirmNewAddress(confirm: NewAddressToConfirm) -> impl IntoView {
    let NewAddressToConfirm { id, old, new, uses } = confirm;
    view! {
        <section class="notice" aria-labelledby="bekreft-adresse">
            <h2 id="bekreft-adresse">"Bekreft ny adresse"</h2>
            <p>"Gammel adresse: "<code>{old}</code></p>
            <p>"Ny adresse, nøyaktig slik den blir lagret: "<code>{new.clone()}</code></p>
            <p>{format!("Adressen byttes bare i lenker, i {uses} ressurser og sider. Hver endring lagres som en ny versjon.")}</p>
            <form method="post" action=format!("/redaktor/lenker/{id}/ny-adresse") class="button-row">
                <input type="hidden" name="bekreft" value="ja"/>
                <input type="hidden" name="adresse" value=new/>
                <button type="submit" class="button">"Bytt til denne adressen"</button>
                <a href="/redaktor/lenker" class="button secondary">"Avbryt"</a>
            </form>
        </section>
    }
}

#[component]
fn LinksView(overview: LinksOverview, filter: String) -> impl IntoView {
    let LinksOverview {
        summary,
        broken,
        redirects,
        rest,
        more,
    } = overview;
    let checked = match &summary.last_run {
        Some(at) => format!("Sist sjekket {}.", norwegian_time(at)),
        None => "Lenkene er ikke sjekket ennå.".to_string(),
    };
    let (broken_n, redirects_n, rest_n) = (broken.len(), redirects.len(), rest.len());
    view! {
        <Notice/>
        <p>
            "Lenkene fra publiserte ressurser og sidene på nettstedet sjekkes jevnlig. En lenke regnes som brutt først når den har feilet i to sjekker med noen timers mellomrom. "
            {checked}
            {summary.running.then_some(" En sjekk pågår nå; last siden på nytt om litt.")}
        </p>
        <p>{format!("{} lenker i alt: {} virker ikke, {} er flyttet permanent.", summary.total, summary.broken, summary.redirects)}</p>
        <form method="post" action="/redaktor/lenker/sjekk" class="button-row">
            <button type="submit" class="button" disabled=summary.running>"Sjekk nå"</button>
        </form>
        <form class="inbox-filter" method="get" action="/redaktor/lenker">
            <div class="field">
                <label for="status">"Vis status"</label>
                <select id="status" name="status">
                    <option value="" selected=filter.is_empty()>"Alle"</option>
                    {LinkStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=filter == s.key()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">"Vis"</button>
        </form>
        <section aria-labelledby="brutte">
            <h2 id="brutte">{format!("Virker ikke ({broken_n})")}</h2>
            {if broken.is_empty() {
                view! { <p>"Ingen brutte lenker."</p> }.into_any()
            } else {
                view! { <ul class="admin-list link-list">{broken.into_iter().map(|l| view! { <LinkItem link=l/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="flyttet">
            <h2 id="flyttet">{format!("Flyttet permanent ({redirects_n})")}</h2>
            {if redirects.is_empty() {
                view! { <p>"Ingen lenker er flyttet."</p> }.into_any()
            } else {
                view! {
                    <p>"«Bruk ny adresse» bytter adressen i alle ressursene og sidene som bruker den. Hver endring lagres som en ny versjon."</p>
                    <ul class="admin-list link-list">{redirects.into_iter().map(|l| view! { <LinkItem link=l/> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="andre">
            <h2 id="andre">{format!("Andre lenker ({})", rest_n as i64 + more)}</h2>
            {(more > 0).then(|| view! { <p>{format!("Viser de første {rest_n}. Velg en status over for å se færre.")}</p> })}
            {if rest.is_empty() {
                view! { <p>"Ingen andre lenker."</p> }.into_any()
            } else {
                view! { <ul class="admin-list link-list">{rest.into_iter().map(|l| view! { <LinkItem link=l/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn LinkItem(link: LinkRow) -> impl IntoView {
    let status = link.status();
    let answered = match (link.http_code, link.detail.is_empty()) {
        (_, false) => format!("{}: {}.", status.label(), link.detail),
        (Some(code), true) => format!("{} ({code}).", status.label()),
        (None, true) => format!("{}.", status.label()),
    };
    let since = link
        .first_failure_at
        .as_deref()
        .filter(|_| link.broken)
        .map(|at| format!(" Feilet første gang {}.", norwegian_time(at)));
    let checked = match &link.last_checked_at {
        Some(at) => format!(" Sist sjekket {}.", norwegian_time(at)),
        None => " Ikke sjekket ennå.".to_string(),
    };
    let id = link.id;
    let label_id = format!("lenke-{id}");
    let move_form = (status == LinkStatus::Redirect && !link.broken)
        .then_some(())
        .and(link.final_url.clone())
        .map(|target| {
            let described = label_id.clone();
            let href = target.clone();
            view! {
                <p class="url">"Ny adresse: "<a href=href rel="external noopener noreferrer">{target}</a></p>
                <form method="post" action=format!("/redaktor/lenker/{id}/ny-adresse") class="inline-form">
                    <button type="submit" class="button secondary" aria-describedby=described>"Bruk ny adresse"</button>
                </form>
            }
        });
    let uses = link.uses;
    let reports = link.reports;
    view! {
        <li>
            <p class="url" id=label_id><a href=link.url.clone() rel="external noopener noreferrer">{link.url.clone()}</a></p>
            <p class="meta">{answered}{since}{checked}</p>
            {(!uses.is_empty()).then(|| view! {
                <p>"Brukt i: "
                    {uses.into_iter().enumerate().map(|(i, u)| view! {
                        {(i > 0).then_some(", ")}
                        <a href=u.editor_href>{u.title}</a>
                        {(!u.label.is_empty()).then(|| format!(" («{}»)", u.label))}
                    }).collect_view()}
                </p>
            })}
            {(!reports.is_empty()).then(|| view! {
                <p>"Feilmeldt av besøkende: "
                    {reports.into_iter().enumerate().map(|(i, r)| {
                        let href = format!("/redaktor/tilbakemeldinger/{r}");
                        view! {
                            {(i > 0).then_some(", ")}
                            <a href=href>{r}</a>
                        }
                    }).collect_view()}
                </p>
            })}
            {move_form}
        </li>
    }
}
