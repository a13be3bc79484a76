//! The resource form. A plain POST form (handled by the server's form
//! handler), so it works without JavaScript; after a failed save the page
//! comes back with everything the editor typed and a message by each field.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::admin::{get_resource_editor, EditorData},
    components::{Breadcrumbs, Crumb, ErrorView, Loading},
    domain::norwegian_date,
    error::AppError,
};

/// Rows for links in the form; empty rows are ignored on save.
pub const LINK_ROWS: usize = 5;

#[component]
pub fn ResourceEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || (params.read().get("slug"), query.read().get("lagret").is_some()),
        |(slug, saved)| get_resource_editor(slug, saved),
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <EditorForm data/> }.into_any(),
                        Err(AppError::Unauthorized) => {
                            #[cfg(feature = "ssr")]
                            leptos_axum::redirect("/logg-inn?neste=/redaktor");
                            crate::components::set_http_status(302);
                            view! { <p><a href="/logg-inn" rel="external">"Logg inn"</a></p> }.into_any()
                        }
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn EditorForm(data: EditorData) -> impl IntoView {
    let EditorData { id, input, facets, organisations, versions, errors, message, saved } = data;
    let heading = if id.is_some() { format!("Rediger «{}»", input.title) } else { "Ny ressurs".to_string() };
    let action = match id {
        Some(_) => format!("/redaktor/ressurser/{}", input.slug),
        None => "/redaktor/ressurser/ny".to_string(),
    };
    let error_for = {
        let errors = errors.clone();
        move |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
    };
    // One text field with its label, error and description wiring.
    let field = {
        let error_for = error_for.clone();
        move |name: &'static str, label: &'static str, value: String, hint: Option<&'static str>| {
            let error = error_for(name);
            let describedby = [error.as_ref().map(|_| format!("{name}-feil")), hint.map(|_| format!("{name}-hjelp"))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <div class="field" class:has-error=error.is_some()>
                    <label for=name>{label}</label>
                    {hint.map(|h| view! { <p class="hint" id=format!("{name}-hjelp")>{h}</p> })}
                    {error.clone().map(|e| view! { <p class="field-error" id=format!("{name}-feil")>{e}</p> })}
                    <input
                        type="text"
                        id=name
                        name=name
                        value=value
                        aria-invalid=error.is_some().then_some("true")
                        aria-describedby=(!describedby.is_empty()).then_some(describedby)
                    />
                </div>
            }
        }
    };
    let summary_error = error_for("summary");
    let body_error = error_for("body");
    let status = input.status.clone();
    let links: Vec<(String, String)> =
        input.links.iter().cloned().chain(std::iter::repeat((String::new(), String::new()))).take(LINK_ROWS.max(input.links.len())).collect();
    let orgs_error = error_for("organisations");
    let orgs_has_error = orgs_error.is_some();
    let related_error = error_for("related");
    let related_has_error = related_error.is_some();
    view! {
        <Title text=format!("{heading} – Bli involvert")/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here(heading.clone())]/>
        <h1>{heading}</h1>
        {saved.then(|| view! { <p class="notice" role="status">"Lagret."</p> })}
        {message.map(|m| view! { <div class="form-error" role="alert"><p>{m}</p></div> })}
        <form class="stack-form editor-form" method="post" action=action>
            <input type="hidden" name="version" value=input.version.map(|v| v.to_string()).unwrap_or_default()/>
            {field("title", "Tittel", input.title.clone(), None)}
            {field("slug", "Adresse (slug)", input.slug.clone(), Some("Blir laget av tittelen hvis feltet er tomt: små bokstaver, tall og bindestrek."))}
            <div class="field" class:has-error=summary_error.is_some()>
                <label for="summary">"Sammendrag"</label>
                {summary_error.clone().map(|e| view! { <p class="field-error" id="summary-feil">{e}</p> })}
                <textarea id="summary" name="summary" rows="3" aria-invalid=summary_error.is_some().then_some("true")
                    aria-describedby=summary_error.is_some().then_some("summary-feil")>{input.summary.clone()}</textarea>
            </div>
            <div class="field" class:has-error=body_error.is_some()>
                <label for="body">"Tekst (Markdown)"</label>
                <p class="hint" id="body-hjelp">"## gir en mellomtittel, - en punktliste, [tekst](https://…) en lenke."</p>
                {body_error.clone().map(|e| view! { <p class="field-error" id="body-feil">{e}</p> })}
                <textarea id="body" name="body" rows="14" aria-describedby="body-hjelp">{input.body.clone()}</textarea>
            </div>
            {facets
                .into_iter()
                .map(|facet| {
                    let name = format!("f.{}", facet.key);
                    let error = error_for(&format!("facets.{}", facet.key));
                    let chosen: Vec<String> = input.facets.iter().find(|(k, _)| k == &facet.key).map(|(_, v)| v.clone()).unwrap_or_default();
                    let kind = if facet.multiple { "checkbox" } else { "radio" };
                    let has_error = error.is_some();
                    view! {
                        <fieldset class="field choice-group" class:has-error=has_error>
                            <legend>{facet.label}</legend>
                            {error.map(|e| view! { <p class="field-error">{e}</p> })}
                            {facet
                                .values
                                .into_iter()
                                .map(|v| {
                                    let id = format!("{name}-{}", v.key);
                                    let checked = chosen.contains(&v.key);
                                    view! {
                                        <div class="choice">
                                            <input type=kind id=id.clone() name=name.clone() value=v.key checked=checked/>
                                            <label for=id>{v.label}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                    }
                })
                .collect_view()}
            <fieldset class="field choice-group" class:has-error=orgs_has_error>
                <legend>"Ansvarlig organisasjon"</legend>
                {orgs_error.map(|e| view! { <p class="field-error">{e}</p> })}
                {organisations
                    .into_iter()
                    .map(|(slug, name)| {
                        let id = format!("org-{slug}");
                        let checked = input.organisations.contains(&slug);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name="org" value=slug checked=checked/>
                                <label for=id>{name}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="field">
                <legend>"Lenker"</legend>
                {links
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, url))| {
                        let label_error = error_for(&format!("links.{i}.label"));
                        let url_error = error_for(&format!("links.{i}.url"));
                        view! {
                            <div class="link-row">
                                <div class="field">
                                    <label for=format!("link-label-{i}")>{format!("Lenketekst {}", i + 1)}</label>
                                    {label_error.map(|e| view! { <p class="field-error">{e}</p> })}
                                    <input type="text" id=format!("link-label-{i}") name=format!("link_label_{i}") value=label/>
                                </div>
                                <div class="field">
                                    <label for=format!("link-url-{i}")>{format!("Nettadresse {}", i + 1)}</label>
                                    {url_error.map(|e| view! { <p class="field-error">{e}</p> })}
                                    <input type="text" inputmode="url" id=format!("link-url-{i}") name=format!("link_url_{i}") value=url/>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="field" class:has-error=related_has_error>
                <label for="related">"Relaterte ressurser"</label>
                <p class="hint" id="related-hjelp">"Adressen (slug) til én ressurs per linje."</p>
                {related_error.map(|e| view! { <p class="field-error">{e}</p> })}
                <textarea id="related" name="related" rows="3" aria-describedby="related-hjelp">{input.related.join("\n")}</textarea>
            </div>
            {field("last_reviewed", "Sist kontrollert", input.last_reviewed.clone(), Some("ÅÅÅÅ-MM-DD"))}
            <fieldset class="field choice-group">
                <legend>"Status"</legend>
                <div class="choice">
                    <input type="radio" id="status-draft" name="status" value="draft" checked=status != "published"/>
                    <label for="status-draft">"Utkast (ikke synlig for besøkende)"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="status-published" name="status" value="published" checked=status == "published"/>
                    <label for="status-published">"Publisert"</label>
                </div>
            </fieldset>
            <button type="submit" class="button">"Lagre"</button>
        </form>
        {(!versions.is_empty()).then(|| view! {
            <section aria-labelledby="versjoner">
                <h2 id="versjoner">"Tidligere versjoner"</h2>
                <ul class="admin-list">
                    {versions
                        .into_iter()
                        .map(|(version, actor, at)| view! { <li>{format!("Versjon {version}, {actor}, {}", norwegian_date(&at))}</li> })
                        .collect_view()}
                </ul>
            </section>
        })}
    }
}
