//! The editors' inbox: all feedback with filters, one item with its
//! history and the handling form, and the pages' helpfulness figures.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::feedback::{get_feedback_item, get_inbox},
    components::{Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading},
    components::{Notice, SignInFirst},
    domain::{
        feedback::{kind_label, status_label, FeedbackKind, FeedbackStatus},
        inbox::{FeedbackDetail, Inbox},
        norwegian_date,
    },
    error::AppError,
};

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("type"), q.get("status"), q.get("fra"), q.get("til"))
        },
        |(kind, status, from, to)| get_inbox(kind, status, from, to),
    );
    view! {
        <Title text="Tilbakemeldinger – Redaktør – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Tilbakemeldinger")]/>
            <h1>"Tilbakemeldinger"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(inbox) => view! { <InboxView inbox/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn InboxView(inbox: Inbox) -> impl IntoView {
    let Inbox {
        items,
        filter,
        helpfulness,
    } = inbox;
    let csv = format!("/redaktor/tilbakemeldinger.csv?{}", filter.query_string());
    let count = items.len();
    view! {
        <form class="inbox-filter" method="get" action="/redaktor/tilbakemeldinger">
            <div class="field">
                <label for="type">"Type"</label>
                <select id="type" name="type">
                    <option value="" selected=filter.kind.is_empty()>"Alle"</option>
                    {FeedbackKind::ALL.map(|k| view! { <option value=k.key() selected=filter.kind == k.key()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status">
                    <option value="" selected=filter.status.is_empty()>"Alle"</option>
                    {FeedbackStatus::ALL.map(|s| view! { <option value=s.key() selected=filter.status == s.key()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="fra">"Fra dato"</label>
                <input type="date" id="fra" name="fra" value=filter.from.clone()/>
            </div>
            <div class="field">
                <label for="til">"Til dato"</label>
                <input type="date" id="til" name="til" value=filter.to.clone()/>
            </div>
            <button type="submit" class="button secondary">"Vis"</button>
        </form>
        <p>
            {format!("{count} {}. ", if count == 1 { "tilbakemelding" } else { "tilbakemeldinger" })}
            <a href=csv rel="external" download="tilbakemeldinger.csv">"Last ned som CSV"</a>
        </p>
        <ul class="admin-list inbox">
            {items
                .into_iter()
                .map(|i| {
                    let headline = if !i.title.is_empty() { i.title.clone() } else { i.message.chars().take(90).collect::<String>() };
                    view! {
                        <li>
                            <a href=format!("/redaktor/tilbakemeldinger/{}", i.reference)>{format!("{} – {}", i.reference, headline)}</a>
                            <span class="meta">
                                {format!(" {} · {} · {}", kind_label(&i.kind), status_label(&i.status), norwegian_date(&i.created_at))}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <section aria-labelledby="nyttig-tall">
            <h2 id="nyttig-tall">"Var siden nyttig? Svakeste sider først"</h2>
            {if helpfulness.is_empty() {
                view! { <p>"Ingen svar ennå."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="nyttig-tall" tabindex="0">
                        <table class="audit">
                            <thead>
                                <tr><th scope="col">"Side"</th><th scope="col">"Ja"</th><th scope="col">"Nei"</th><th scope="col">"Andel nei"</th><th scope="col">"Kommentarer"</th></tr>
                            </thead>
                            <tbody>
                                {helpfulness
                                    .into_iter()
                                    .map(|h| {
                                        let share = if h.yes + h.no > 0 { h.no * 100 / (h.yes + h.no) } else { 0 };
                                        view! {
                                            <tr>
                                                <td><a href=h.path.clone()>{h.path.clone()}</a></td>
                                                <td>{h.yes}</td>
                                                <td>{h.no}</td>
                                                <td>{format!("{share} %")}</td>
                                                <td>{h.comments}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
pub fn FeedbackItemPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("ref"), get_feedback_item);
    admin_page!(data, |detail: FeedbackDetail| view! { <ItemView detail/> })
}

#[component]
fn ItemView(detail: FeedbackDetail) -> impl IntoView {
    let FeedbackDetail {
        item,
        events,
        errors,
    } = detail;
    let reference = item.reference.clone();
    let rows: Vec<(&str, String)> = [
        ("Type", kind_label(&item.kind).to_string()),
        ("Status", status_label(&item.status).to_string()),
        ("Mottatt", norwegian_date(&item.created_at)),
        ("Slettes", norwegian_date(&item.delete_after)),
        ("Tittel", item.title.clone()),
        ("Lenke", item.url.clone()),
        ("Nivå", item.levels.join(", ")),
        ("Målgruppe", item.audiences.join(", ")),
        ("Tema", item.topic.clone()),
        ("Side", item.page.clone()),
        ("Navn", item.contact_name.clone()),
        ("E-post (samtykke til kontakt)", item.contact_email.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let note_error = errors
        .iter()
        .find(|e| e.field == "note" || e.field == "status")
        .map(|e| e.message.clone());
    view! {
        <Title text=format!("{reference} – Tilbakemeldinger – Bli involvert")/>
        <Breadcrumbs trail=vec![
            Crumb::link("Forside", "/"),
            Crumb::link("Redaktør", "/redaktor"),
            Crumb::link("Tilbakemeldinger", "/redaktor/tilbakemeldinger"),
            Crumb::here(reference.clone()),
        ]/>
        <h1>{format!("Tilbakemelding {reference}")}</h1>
        <Notice/>
        <dl class="facts">
            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
        {(!item.message.is_empty()).then(|| view! { <blockquote class="message">{item.message.clone()}</blockquote> })}
        {(FeedbackKind::parse(&item.kind) == Some(FeedbackKind::Suggestion)).then(|| match item.draft_slug.clone() {
            Some(slug) => view! { <p><a href=format!("/redaktor/ressurser/{slug}")>"Åpne utkastet som ble laget av forslaget"</a></p> }.into_any(),
            None => view! {
                <form method="post" action=format!("/redaktor/tilbakemeldinger/{reference}/utkast")>
                    <button type="submit" class="button">"Lag utkast til ressurs av forslaget"</button>
                </form>
            }
                .into_any(),
        })}
        <section aria-labelledby="behandling">
            <h2 id="behandling">"Behandling"</h2>
            <ErrorSummary message=note_error.clone()/>
            <form class="stack-form" method="post" action=format!("/redaktor/tilbakemeldinger/{reference}")>
                <div class="field">
                    <label for="status">"Status"</label>
                    <select id="status" name="status">
                        {FeedbackStatus::ALL.map(|s| view! { <option value=s.key() selected=item.status == s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=note_error.is_some()>
                    <label for="note">"Notat (valgfritt)"</label>
                    <textarea id="note" name="note" rows="3"></textarea>
                </div>
                <button type="submit" class="button">"Lagre"</button>
            </form>
            {if events.is_empty() {
                view! { <p>"Ingen har behandlet den ennå."</p> }.into_any()
            } else {
                view! {
                    <ol class="admin-list history">
                        {events
                            .into_iter()
                            .map(|e| {
                                let status = e.status.as_deref().map(|s| format!(" satte status til «{}».", status_label(s))).unwrap_or_default();
                                view! {
                                    <li>
                                        {format!("{} {}, {}:{status}", norwegian_date(&e.at), e.at.get(11..16).unwrap_or(""), e.actor)}
                                        {(!e.note.is_empty()).then(|| view! { " " <q>{e.note.clone()}</q> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}
