//! The resource form. A plain POST form (handled by the server's form
//! handler), so it works without JavaScript; after a failed save the page
//! comes back with everything the editor typed and a message by each field.
//! With JavaScript the same checks run before sending, and the Markdown body
//! gets a live preview.

use leptos::{ev, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{admin::get_resource_editor, manage::preview_markdown, media::get_editor_files},
    components::{
        files::{AttachDownloads, InsertFiles},
        form, textarea_text, Breadcrumbs, Crumb, ErrorView, Loading, Notice, SignInFirst,
    },
    domain::{
        catalogue::REGION_FACET, form::FieldError, media::EditorFiles, norwegian_date,
        resource::EditorData, resource::ResourceStatus, version::VersionRow,
    },
    error::AppError,
};

/// Rows for links in the form; empty rows are ignored on save.
pub const LINK_ROWS: usize = 5;

#[component]
pub fn ResourceEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                params.read().get("slug"),
                q.get("versjon").and_then(|v| v.parse::<i64>().ok()),
            )
        },
        |(slug, version)| async move {
            let data = get_resource_editor(slug.clone(), version).await?;
            let files = get_editor_files(slug).await?;
            Ok::<_, AppError>((data, files))
        },
    );
    admin_page!(
        data,
        |(data, files): (EditorData, EditorFiles)| view! { <EditorForm data files/> }
    )
}

/// The message by a field, if it has one; reactive, so the browser's own
/// check can add and remove them.
fn field_error(errors: RwSignal<Vec<FieldError>>, name: String) -> impl IntoView {
    let id = format!("{}-feil", name.replace('.', "-"));
    move || {
        errors
            .with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == name)
                    .map(|e| e.message.clone())
            })
            .map(|message| {
                view! { <p class="field-error" id=id.clone()>{message}</p> }
            })
    }
}

fn has_error(
    errors: RwSignal<Vec<FieldError>>,
    name: &'static str,
) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || errors.with(|errors| errors.iter().any(|e| e.field == name))
}

/// The page around the form: heading, notices, publishing and versions,
/// rendered on the server only.
#[component]
fn EditorForm(data: EditorData, files: EditorFiles) -> impl IntoView {
    let query = use_query_map();
    let input = &data.input;
    let heading = if data.id.is_some() {
        format!("Rediger «{}»", input.title)
    } else {
        "Ny ressurs".to_string()
    };
    let viewing = query
        .read_untracked()
        .get("versjon")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| Some(*v) != input.version);
    let slug = input.slug.clone();
    let version = input.version;
    let is_published = input.status == ResourceStatus::Published.key();
    let (id, versions) = (data.id, data.versions.clone());
    view! {
        <Title text=format!("{heading} – Bli involvert")/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here(heading.clone())]/>
        <h1>{heading}</h1>
        <Notice/>
        {viewing.map(|v| {
            let slug = slug.clone();
            view! {
                <p class="notice" role="status">
                    {format!("Skjemaet viser versjon {v}. Lagre for å gjøre den til gjeldende versjon, eller ")}
                    <a href=format!("/redaktor/ressurser/{slug}")>"gå tilbake til gjeldende versjon"</a>"."
                </p>
            }
        })}
        {id.map(|_| view! { <StatusActions slug=slug.clone() version is_published/> })}
        <InsertFiles files=files.pasteable into="body"/>
        <ResourceForm data/>
        {files.attachments.map(|attachments| view! { <AttachDownloads slug=slug.clone() attachments/> })}
        {id.map(|_| view! { <Versions slug=slug.clone() versions current=version.unwrap_or(0)/> })}
    }
}

/// The form itself: an island, so with JavaScript the same checks as the
/// server's run before sending, and the body gets a live preview. Without
/// JavaScript it is the same plain POST form.
#[cfg_attr(feature = "editor-islands", island)]
#[cfg_attr(not(feature = "editor-islands"), component)]
fn ResourceForm(data: EditorData) -> impl IntoView {
    let EditorData {
        id,
        input,
        facets,
        organisations,
        errors,
        message,
        preview,
        ..
    } = data;
    let action = match id {
        Some(_) => format!("/redaktor/ressurser/{}", input.slug),
        None => "/redaktor/ressurser/ny".to_string(),
    };
    let errors = RwSignal::new(errors);
    let message = RwSignal::new(message);

    // One text field with its label, error and description wiring.
    let field = move |name: &'static str,
                      label: &'static str,
                      value: String,
                      hint: Option<&'static str>| {
        let invalid = has_error(errors, name);
        let describedby = move || {
            [
                invalid().then(|| format!("{name}-feil")),
                hint.map(|_| format!("{name}-hjelp")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        };
        view! {
            <div class="field" class:has-error=invalid>
                <label for=name>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=format!("{name}-hjelp")>{h}</p> })}
                {field_error(errors, name.to_string())}
                <input
                    type="text"
                    id=name
                    name=name
                    value=value
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || Some(describedby()).filter(|d| !d.is_empty())
                />
            </div>
        }
    };

    // The browser runs the same checks as the server before sending.
    let on_submit = move |ev: ev::SubmitEvent| {
        use wasm_bindgen::JsCast;
        let is_preview = ev
            .submitter()
            .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
            .is_some_and(|b| b.value() == "forhandsvis");
        if is_preview {
            return;
        }
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
            return;
        };
        let body = String::from(params.to_string());
        let input = crate::domain::resource::input_from_form(&crate::domain::form::form_pairs(
            body.as_bytes(),
        ))
        .normalised();
        let found = input.check();
        if !found.is_empty() {
            ev.prevent_default();
            message.set(Some(form::fix_count(found.len())));
            errors.set(found);
            // The summary is drawn on the next frame: focus it then, so a
            // press on «Lagre» at the foot of the form shows what to fix.
            form::focus_summary();
        }
    };

    let status = input.status.clone();
    let links: Vec<(String, String)> = input
        .links
        .iter()
        .cloned()
        .chain(std::iter::repeat((String::new(), String::new())))
        .take(LINK_ROWS.max(input.links.len()))
        .collect();
    view! {
        {move || message.get().map(|m| view! {
            <div class="form-error error-summary" role="alert" id=form::SUMMARY_ID tabindex="-1" autofocus data-focus="">
                <p>{m}</p>
                <form::SummaryLinks errors=errors.get()/>
            </div>
        })}
        <form class="stack-form editor-form" method="post" action=action on:submit=on_submit novalidate>
            <input type="hidden" name="version" value=input.version.map(|v| v.to_string()).unwrap_or_default()/>
            {field("title", "Tittel", input.title.clone(), None)}
            {field("slug", "Adresse (slug)", input.slug.clone(), Some("Blir laget av tittelen hvis feltet er tomt: små bokstaver, tall og bindestrek."))}
            <div class="field" class:has-error=has_error(errors, "summary")>
                <label for="summary">"Sammendrag"</label>
                {field_error(errors, "summary".into())}
                <textarea id="summary" name="summary" rows="3"
                    aria-invalid=move || has_error(errors, "summary")().then_some("true")
                    aria-describedby=move || has_error(errors, "summary")().then_some("summary-feil")>{textarea_text(input.summary.clone())}</textarea>
            </div>
            <BodyField body=input.body.clone() errors preview/>
            {facets
                .into_iter()
                .map(|facet| {
                    let name = format!("f.{}", facet.key);
                    let error_name = format!("facets.{}", facet.key);
                    let group_id = form::field_id(&error_name);
                    let invalid = {
                        let error_name = error_name.clone();
                        move || errors.with(|e| e.iter().any(|e| e.field == error_name))
                    };
                    let chosen: Vec<String> = input.facets.iter().find(|(k, _)| k == &facet.key).map(|(_, v)| v.clone()).unwrap_or_default();
                    let kind = if facet.multiple { "checkbox" } else { "radio" };
                    view! {
                        <fieldset class="field choice-group" id=group_id class:has-error=invalid>
                            <legend>{facet.label}</legend>
                            {field_error(errors, error_name)}
                            {(facet.key == REGION_FACET).then(|| view! {
                                <p class="hint">"La stå tom når regionen er den samme som for organisasjonene som er ansvarlige."</p>
                            })}
                            // A single-value facet other than the type can be
                            // left unset.
                            {(!facet.multiple && facet.key != "type").then(|| {
                                let id = format!("{name}-ingen");
                                let label = "Ikke oppgitt";
                                view! {
                                    <div class="choice">
                                        <input type=kind id=id.clone() name=name.clone() value="" checked=chosen.is_empty()/>
                                        <label for=id>{label}</label>
                                    </div>
                                }
                            })}
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
            <fieldset class="field choice-group" id="organisations" class:has-error=has_error(errors, "organisations")>
                <legend>"Ansvarlig organisasjon"</legend>
                {field_error(errors, "organisations".into())}
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
                {field_error(errors, "links".into())}
                {links
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, url))| {
                        view! {
                            <div class="link-row">
                                <div class="field">
                                    <label for=format!("link-label-{i}")>{format!("Lenketekst {}", i + 1)}</label>
                                    {field_error(errors, format!("links.{i}.label"))}
                                    <input type="text" id=format!("link-label-{i}") name=format!("link_label_{i}") value=label/>
                                </div>
                                <div class="field">
                                    <label for=format!("link-url-{i}")>{format!("Nettadresse {}", i + 1)}</label>
                                    {field_error(errors, format!("links.{i}.url"))}
                                    <input type="text" inputmode="url" id=format!("link-url-{i}") name=format!("link_url_{i}") value=url/>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="field" class:has-error=has_error(errors, "related")>
                <label for="related">"Relaterte ressurser"</label>
                <p class="hint" id="related-hjelp">"Adressen (slug) til én ressurs per linje."</p>
                {field_error(errors, "related".into())}
                <textarea id="related" name="related" rows="3" aria-describedby="related-hjelp">{textarea_text(input.related.join("\n"))}</textarea>
            </div>
            <fieldset class="field">
                <legend>"Periode (eksempler fra praksis)"</legend>
                <p class="hint">"Årene arbeidet begynte og sluttet, når en kilde sier det. La sluttåret stå tomt når arbeidet pågår. Eieren er organisasjonene over, og «pågående» eller «avsluttet» velger du under Status for eksempelet."</p>
                {field("started", "Startår", input.started.clone(), Some("ÅÅÅÅ"))}
                {field("ended", "Sluttår", input.ended.clone(), Some("ÅÅÅÅ"))}
            </fieldset>
            <fieldset class="field">
                <legend>"Kontroll mot kilden"</legend>
                <p class="hint">"Fyll ut bare når du har sjekket teksten mot en offentlig kilde. Uten dato står det «Ikke kontrollert ennå» på siden."</p>
                {field("last_reviewed", "Sist kontrollert", input.last_reviewed.clone(), Some("ÅÅÅÅ-MM-DD"))}
                {field("reviewed_source_label", "Kilden du kontrollerte mot", input.reviewed_source_label.clone(), None)}
                {field("reviewed_source_url", "Kildens nettadresse", input.reviewed_source_url.clone(), Some("https://…"))}
            </fieldset>
            <fieldset class="field choice-group" id="status" class:has-error=has_error(errors, "status")>
                <legend>"Status"</legend>
                {field_error(errors, "status".into())}
                <div class="choice">
                    <input type="radio" id="status-draft" name="status" value=ResourceStatus::Draft.key() checked=status != ResourceStatus::Published.key()/>
                    <label for="status-draft">"Utkast (ikke synlig for besøkende)"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="status-published" name="status" value=ResourceStatus::Published.key() checked=status == ResourceStatus::Published.key()/>
                    <label for="status-published">"Publisert"</label>
                </div>
            </fieldset>
            <div class="button-row">
                <button type="submit" class="button" name="handling" value="lagre">"Lagre"</button>
                <button type="submit" class="button secondary" name="handling" value="forhandsvis">"Forhåndsvis teksten"</button>
            </div>
        </form>
    }
}

/// The Markdown body: a textarea, the server-rendered preview after
/// "Forhåndsvis" (works without JavaScript), and with JavaScript a live
/// preview that follows the typing.
#[component]
fn BodyField(
    body: String,
    errors: RwSignal<Vec<FieldError>>,
    preview: Option<String>,
) -> impl IntoView {
    let text = RwSignal::new(body.clone());
    let settled = RwSignal::new(body.clone());
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: ev::Event| {
        text.set(event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || settled.set(text.get_untracked()),
            std::time::Duration::from_millis(300),
        )
        .ok();
        pending.set_value(handle);
    };
    let rendered = LocalResource::new(move || {
        let body = settled.get();
        let on = live.get();
        async move {
            if on {
                preview_markdown(Some(body)).await
            } else {
                Ok(String::new())
            }
        }
    });
    let invalid = has_error(errors, "body");
    view! {
        <div class="field" class:has-error=invalid>
            <label for="body">"Tekst (Markdown)"</label>
            <p class="hint" id="body-hjelp">"## gir en mellomtittel, - en punktliste, [tekst](https://…) en lenke. Bilder og dokumenter laster du opp under "<a href="/redaktor/filer">"Bilder og dokumenter"</a>"; lim inn Markdown-teksten du får der."</p>
            {field_error(errors, "body".into())}
            <textarea id="body" name="body" rows="14" aria-describedby="body-hjelp" on:input=on_input>{textarea_text(body)}</textarea>
        </div>
        {move || {
            if live.get() {
                view! {
                    <section class="preview" aria-labelledby="forhandsvisning">
                        <h2 id="forhandsvisning">"Forhåndsvisning"</h2>
                        <Suspense fallback=|| view! { <p class="hint">"Lager forhåndsvisning …"</p> }>
                            {move || Suspend::new(async move {
                                match rendered.await {
                                    Ok(html) if html.is_empty() => view! { <p class="hint">"Teksten er tom."</p> }.into_any(),
                                    Ok(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                                    Err(error) => view! { <p class="field-error">{error.to_string()}</p> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </section>
                }
                    .into_any()
            } else {
                preview
                    .clone()
                    .map(|html| {
                        view! {
                            <section class="preview" aria-labelledby="forhandsvisning">
                                <h2 id="forhandsvisning">"Forhåndsvisning"</h2>
                                <div class="prose" inner_html=html></div>
                            </section>
                        }
                    })
                    .into_any()
            }
        }}
    }
}

/// Publish or unpublish in one step, and the way to delete.
#[component]
fn StatusActions(slug: String, version: Option<i64>, is_published: bool) -> impl IntoView {
    let version = version.map(|v| v.to_string()).unwrap_or_default();
    let (next, label) = if is_published {
        (ResourceStatus::Draft.key(), "Avpubliser")
    } else {
        (ResourceStatus::Published.key(), "Publiser")
    };
    view! {
        <div class="status-actions">
            <p>
                {if is_published { "Status: publisert. " } else { "Status: utkast. " }}
                {is_published.then(|| view! { <a href=format!("/ressurser/{slug}")>"Se siden"</a> })}
            </p>
            <form method="post" action=format!("/redaktor/ressurser/{slug}/status")>
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="status" value=next/>
                <button type="submit" class="button secondary">{label}</button>
            </form>
            <a class="button danger" href=format!("/redaktor/ressurser/{slug}/slett")>"Slett …"</a>
        </div>
    }
}

#[component]
fn Versions(slug: String, versions: Vec<VersionRow>, current: i64) -> impl IntoView {
    if versions.is_empty() {
        return ().into_any();
    }
    view! {
        <section aria-labelledby="versjoner">
            <h2 id="versjoner">"Versjoner"</h2>
            <ul class="admin-list versions">
                {versions
                    .into_iter()
                    .map(|VersionRow { version, by: actor, at }| {
                        let text = format!("Versjon {version}, {actor}, {}", norwegian_date(&at));
                        if version == current {
                            view! { <li>{text}" (gjeldende)"</li> }.into_any()
                        } else {
                            let slug = slug.clone();
                            view! {
                                <li>
                                    {text}" "
                                    <a href=format!("/redaktor/ressurser/{slug}?versjon={version}")>{format!("Vis versjon {version}")}</a>
                                    <form class="inline-form" method="post" action=format!("/redaktor/ressurser/{slug}/gjenopprett")>
                                        <input type="hidden" name="version" value=version.to_string()/>
                                        <button type="submit" class="button secondary small">{format!("Gjenopprett versjon {version}")}</button>
                                    </form>
                                </li>
                            }
                            .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// `/redaktor/ressurser/:slug/slett`: asks before deleting.
#[component]
pub fn DeleteResourcePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug"),
        |slug| get_resource_editor(slug, None),
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <div class="wrap page narrow">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => {
                            let slug = data.input.slug.clone();
                            let title = data.input.title.clone();
                            view! {
                                <Title text=format!("Slette «{title}»? – Bli involvert")/>
                                <Breadcrumbs trail=vec![
                                    Crumb::link("Forside", "/"),
                                    Crumb::link("Redaktør", "/redaktor"),
                                    Crumb::link(title.clone(), format!("/redaktor/ressurser/{slug}")),
                                    Crumb::here("Slett"),
                                ]/>
                                <h1>{format!("Slette «{title}»?")}</h1>
                                <p>"Ressursen og alle tidligere versjoner blir borte for godt. Vil du bare skjule den for besøkende, kan du avpublisere den i stedet."</p>
                                <form method="post" action=format!("/redaktor/ressurser/{slug}/slett") class="button-row">
                                    <input type="hidden" name="version" value=data.input.version.map(|v| v.to_string()).unwrap_or_default()/>
                                    <button type="submit" class="button danger">"Ja, slett ressursen"</button>
                                    <a class="button secondary" href=format!("/redaktor/ressurser/{slug}")>"Avbryt"</a>
                                </form>
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
