//! "Gi tilbakemelding": a step-by-step flow of plain forms (each step a
//! round trip to `POST /tilbakemelding`, the state in hidden fields, the
//! checks in `crate::domain::feedback`). With JavaScript `navigator.js` sends each
//! step without reloading the document, and the new step's heading takes
//! focus (`data-focus`). Also the receipt and "Var denne siden nyttig?".

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::feedback::{get_feedback_flow, get_receipt},
    components::{textarea_text, Breadcrumbs, Crumb, ErrorView, Loading, PageMeta},
    domain::{
        feedback::{FeedbackDraft, FeedbackFlow, KINDS, STEPS, TOPICS},
        form::FieldError,
    },
};

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || (query.read().get("fra"), query.read().get("type")),
        |(page, kind)| get_feedback_flow(page, kind),
    );
    view! {
        <PageMeta title="Gi tilbakemelding" description="Foreslå en ressurs, meld fra om feil eller gi innspill til innhold, struktur og design. Du kan være anonym."/>
        <div class="wrap page narrow-wide">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Gi tilbakemelding")]/>
            <h1>"Gi tilbakemelding"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(flow) => view! { <Flow flow/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn error_of(errors: &[FieldError], name: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == name)
        .map(|e| e.message.clone())
}

#[component]
fn Flow(flow: FeedbackFlow) -> impl IntoView {
    let FeedbackFlow {
        draft,
        errors,
        levels,
        audiences,
        message,
        retention_days,
        answered,
    } = flow;
    let draft = RwSignal::new(draft);
    let errors = RwSignal::new(errors);
    let message = RwSignal::new(message);

    view! {
        <p>
            "Du kan være anonym. Tilbakemeldinger slettes automatisk etter "
            {if retention_days % 365 == 0 { format!("{} måneder", retention_days / 365 * 12) } else { format!("{retention_days} dager") }}
            ". Les mer i "<a href="/personvern">"personvernerklæringen"</a>"."
        </p>
        {move || {
            let current = draft.with(|d| d.step());
            view! {
                <ol class="steps" aria-label="Steg">
                    {STEPS
                        .iter()
                        .enumerate()
                        .map(|(i, label)| {
                            let n = i as u8 + 1;
                            view! {
                                <li class:done=n < current aria-current=(n == current).then_some("step")>
                                    <span class="visually-hidden">{if n < current { "Ferdig: " } else { "" }}</span>
                                    {format!("{n}. {label}")}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
        }}
        {move || message.get().map(|m| view! { <div class="form-error" role="alert"><p>{m}</p></div> })}
        <form class="stack-form feedback-form" method="post" action="/tilbakemelding" novalidate>
            {move || {
                let d = draft.get();
                let errs = errors.get();
                let step = d.step();
                let hidden = d
                    .hidden_pairs(step)
                    .into_iter()
                    .map(|(k, v)| view! { <input type="hidden" name=k value=v/> })
                    .collect_view();
                let summary = (!errs.is_empty()).then(|| {
                    view! {
                        <div class="form-error" role="alert">
                            <p>{format!("Rett opp {} {} før du går videre.", errs.len(), if errs.len() == 1 { "felt" } else { "felter" })}</p>
                        </div>
                    }
                });
                let body = match step {
                    1 => step_kind(&d, &errs).into_any(),
                    2 => step_details(&d, &errs, &levels, &audiences).into_any(),
                    3 => step_contact(&d, &errs).into_any(),
                    _ => step_review(&d, &levels, &audiences).into_any(),
                };
                view! {
                    <input type="hidden" name="steg" value=step.to_string()/>
                    {hidden}
                    <h2 id="steg-tittel" tabindex="-1" data-focus=answered.then_some("")>{format!("Steg {step} av 4: {}", STEPS[step as usize - 1])}</h2>
                    {summary}
                    {body}
                    <div class="trap" aria-hidden="true">
                        <label for="nettsted">"Nettsted (la feltet stå tomt)"</label>
                        <input type="text" id="nettsted" name="nettsted" tabindex="-1" autocomplete="off" value=d.trap.clone()/>
                    </div>
                    <div class="button-row">
                        {if step < 4 {
                            view! { <button type="submit" class="button" name="handling" value="neste">"Neste"</button> }.into_any()
                        } else {
                            view! {
                                <button type="submit" class="button" name="handling" value="send">"Send tilbakemeldingen"</button>
                            }
                                .into_any()
                        }}
                        {(step > 1).then(|| view! { <button type="submit" class="button secondary" name="handling" value="tilbake">"Tilbake"</button> })}
                    </div>
                }
            }}
        </form>
    }
}

fn radio(
    name: &'static str,
    value: &str,
    label: &str,
    hint: Option<&str>,
    checked: bool,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    let hint_id = format!("{id}-hjelp");
    view! {
        <div class="choice choice-with-hint">
            <input type="radio" id=id.clone() name=name value=value.to_string() checked=checked aria-describedby=hint.map(|_| hint_id.clone())/>
            <label for=id>{label.to_string()}{hint.map(|h| view! { <span class="hint" id=hint_id.clone()>{h.to_string()}</span> })}</label>
        </div>
    }
}

fn step_kind(d: &FeedbackDraft, errs: &[FieldError]) -> impl IntoView {
    let error = error_of(errs, "kind");
    let invalid = error.is_some();
    view! {
        <fieldset class="field choice-group" class:has-error=invalid>
            <legend>"Hva gjelder tilbakemeldingen?"</legend>
            {error.map(|e| view! { <p class="field-error" id="kind-feil">{e}</p> })}
            {KINDS.iter().map(|(key, label, hint)| radio("kind", key, label, Some(hint), d.kind == *key)).collect_view()}
        </fieldset>
    }
}

fn text_field(
    name: &'static str,
    label: &'static str,
    value: &str,
    error: Option<String>,
    hint: Option<&'static str>,
    kind: &'static str,
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let describedby = [
        error.as_ref().map(|_| format!("{name}-feil")),
        hint.map(|_| format!("{name}-hjelp")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some();
    view! {
        <div class="field" class:has-error=invalid>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{name}-hjelp")>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=format!("{name}-feil")>{e}</p> })}
            <input type=kind id=name name=name value=value.to_string() autocomplete=autocomplete aria-invalid=invalid.then_some("true")
                aria-describedby=(!describedby.is_empty()).then_some(describedby)/>
        </div>
    }
}

fn message_field(d: &FeedbackDraft, errs: &[FieldError], label: &'static str) -> impl IntoView {
    let error = error_of(errs, "message");
    let invalid = error.is_some();
    let describedby = if invalid {
        "message-feil personvern-varsel"
    } else {
        "personvern-varsel"
    };
    view! {
        <div class="field" class:has-error=invalid>
            <label for="message">{label}</label>
            {error.map(|e| view! { <p class="field-error" id="message-feil">{e}</p> })}
            <textarea id="message" name="message" rows="6" maxlength=crate::domain::feedback::MESSAGE_MAX.to_string()
                aria-invalid=invalid.then_some("true") aria-describedby=describedby>{textarea_text(d.message.clone())}</textarea>
        </div>
    }
}

fn checkboxes(
    name: &'static str,
    legend: &'static str,
    options: &[(String, String)],
    chosen: &[String],
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <fieldset class="field choice-group" class:has-error=invalid>
            <legend>{legend}</legend>
            {error.map(|e| view! { <p class="field-error">{e}</p> })}
            {options
                .iter()
                .map(|(key, label)| {
                    let id = format!("{name}-{key}");
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=name value=key.clone() checked=chosen.contains(key)/>
                            <label for=id>{label.clone()}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn step_details(
    d: &FeedbackDraft,
    errs: &[FieldError],
    levels: &[(String, String)],
    audiences: &[(String, String)],
) -> impl IntoView {
    let warning = view! {
        <p class="warning" id="personvern-varsel">
            <strong>"Ikke skriv helseopplysninger"</strong>
            " eller andre personlige opplysninger om deg selv eller andre som kan kjennes igjen."
        </p>
    };
    let specific = match d.kind.as_str() {
        "forslag" => view! {
            {text_field("title", "Hva heter ressursen?", &d.title, error_of(errs, "title"), None, "text", None)}
            {text_field("url", "Lenke (hvis du har en)", &d.url, error_of(errs, "url"), Some("Hele adressen, med https://"), "url", Some("url"))}
            {checkboxes("level", "Hvilket nivå gjelder den? (valgfritt)", levels, &d.levels, error_of(errs, "level"))}
            {checkboxes("audience", "Hvem er den for? (valgfritt)", audiences, &d.audiences, error_of(errs, "audience"))}
            {message_field(d, errs, "Hvorfor er den nyttig? (valgfritt)")}
        }
        .into_any(),
        "feil" => view! {
            {text_field("page", "Hvilken side eller ressurs gjelder det?", &d.page, None, Some("Fylt ut med siden du kom fra. Du kan endre den."), "text", None)}
            {message_field(d, errs, "Hva er feil, eller hva mangler?")}
        }
        .into_any(),
        "innspill" => {
            let error = error_of(errs, "topic");
            let invalid = error.is_some();
            view! {
                <fieldset class="field choice-group" class:has-error=invalid>
                    <legend>"Hva gjelder innspillet? (valgfritt)"</legend>
                    {error.map(|e| view! { <p class="field-error">{e}</p> })}
                    {TOPICS.iter().map(|(key, label)| radio("topic", key, label, None, d.topic == *key)).collect_view()}
                </fieldset>
                {message_field(d, errs, "Innspillet ditt")}
            }
            .into_any()
        }
        _ => message_field(d, errs, "Hva vil du si til oss?").into_any(),
    };
    view! {
        <p>{format!("Du har valgt: {}.", d.kind_label())}</p>
        {warning}
        {specific}
    }
}

fn step_contact(d: &FeedbackDraft, errs: &[FieldError]) -> impl IntoView {
    let consent_error = error_of(errs, "consent");
    let consent_invalid = consent_error.is_some();
    view! {
        <p>"Dette steget kan du hoppe over. Fyll det bare ut hvis du vil at vi skal kunne svare deg."</p>
        {text_field("name", "Navn (valgfritt)", &d.name, error_of(errs, "name"), None, "text", Some("name"))}
        {text_field("email", "E-post (valgfritt)", &d.email, error_of(errs, "email"), None, "email", Some("email"))}
        <div class="field" class:has-error=consent_invalid>
            {consent_error.map(|e| view! { <p class="field-error" id="consent-feil">{e}</p> })}
            <div class="choice">
                <input type="checkbox" id="consent" name="consent" value="ja" checked=d.consent/>
                <label for="consent">"Dere kan kontakte meg om denne tilbakemeldingen."</label>
            </div>
        </div>
    }
}

fn step_review(
    d: &FeedbackDraft,
    levels: &[(String, String)],
    audiences: &[(String, String)],
) -> impl IntoView {
    let names = |keys: &[String], options: &[(String, String)]| {
        let list: Vec<String> = keys
            .iter()
            .filter_map(|k| {
                options
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, l)| l.clone())
            })
            .collect();
        if list.is_empty() {
            "–".to_string()
        } else {
            list.join(", ")
        }
    };
    let or_dash = |s: &str| {
        if s.trim().is_empty() {
            "–".to_string()
        } else {
            s.to_string()
        }
    };
    let mut rows: Vec<(u8, &'static str, String)> =
        vec![(1, "Gjelder", d.kind_label().to_string())];
    match d.kind.as_str() {
        "forslag" => {
            rows.push((2, "Ressurs", or_dash(&d.title)));
            rows.push((2, "Lenke", or_dash(&d.url)));
            rows.push((2, "Nivå", names(&d.levels, levels)));
            rows.push((2, "Målgruppe", names(&d.audiences, audiences)));
        }
        "feil" => rows.push((2, "Side", or_dash(&d.page))),
        "innspill" => rows.push((
            2,
            "Tema",
            TOPICS
                .iter()
                .find(|(k, _)| *k == d.topic)
                .map(|(_, l)| l.to_string())
                .unwrap_or_else(|| "–".into()),
        )),
        _ => {}
    }
    rows.push((2, "Tekst", or_dash(&d.message)));
    rows.push((
        3,
        "Navn",
        if d.name.trim().is_empty() {
            "Anonym".into()
        } else {
            d.name.clone()
        },
    ));
    rows.push((
        3,
        "E-post",
        if d.consent {
            or_dash(&d.email)
        } else {
            "Vi kontakter deg ikke".into()
        },
    ));
    view! {
        <p>"Se over før du sender. Du kan endre hvert steg."</p>
        <dl class="review">
            {rows
                .into_iter()
                .map(|(step, label, value)| view! {
                    <div class="review-row">
                        <dt>{label}</dt>
                        <dd>{value}</dd>
                        <dd>
                            <button type="submit" class="button secondary small" name="handling" value=format!("endre-{step}")
                                aria-label=format!("Endre {}", label.to_lowercase())>"Endre"</button>
                        </dd>
                    </div>
                })
                .collect_view()}
        </dl>
    }
}

/// `/tilbakemelding/kvittering/:ref`
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("ref").unwrap_or_default(),
        get_receipt,
    );
    view! {
        <Title text="Takk for tilbakemeldingen – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page narrow">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Gi tilbakemelding", "/tilbakemelding"), Crumb::here("Kvittering")]/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let reference = params.read_untracked().get("ref").unwrap_or_default();
                    match data.await {
                        Ok(kind) => view! {
                            <h1>"Takk for tilbakemeldingen!"</h1>
                            <p class="notice" role="status">
                                "Vi har tatt imot den. Referansenummeret ditt er "<strong class="reference">{reference}</strong>"."
                            </p>
                            <p>{format!("Gjelder: {kind}.")}" Oppgi referansenummeret hvis du tar kontakt med oss om den."</p>
                            <p><a href="/">"Til forsiden"</a>" · "<a href="/tilbakemelding">"Gi en ny tilbakemelding"</a></p>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// "Var denne siden nyttig?" for the page at `path`, with a way to report a
/// problem. Plain forms; the form handler redirects back to the page with
/// the answer in the URL, and the thanks takes focus (`data-focus`).
#[component]
pub fn Helpful(path: String) -> impl IntoView {
    let query = use_query_map();
    // "ja", "nei", "takk" (after a comment); from the form handler's redirect.
    let answered = query
        .read_untracked()
        .get("nyttig")
        .filter(|a| ["ja", "nei", "takk"].contains(&a.as_str()));
    let report = format!(
        "/tilbakemelding?type=feil&fra={}",
        crate::query::encode(&path)
    );
    view! {
        <section class="helpful" id="nyttig" aria-labelledby="nyttig-tittel">
            <h2 id="nyttig-tittel">"Var denne siden nyttig?"</h2>
            <div role="status" tabindex="-1" data-focus=matches!(answered.as_deref(), Some("ja" | "takk")).then_some("")>
                {match answered.as_deref() {
                    Some("ja") => view! { <p>"Takk for svaret!"</p> }.into_any(),
                    Some("takk") => view! { <p>"Takk! Det hjelper oss å gjøre siden bedre."</p> }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            {match answered.as_deref() {
                None => view! {
                    <form method="post" action="/nyttig" class="button-row">
                        <input type="hidden" name="path" value=path.clone()/>
                        <button type="submit" class="button secondary" name="svar" value="ja">"Ja"</button>
                        <button type="submit" class="button secondary" name="svar" value="nei">"Nei"</button>
                    </form>
                }
                    .into_any(),
                Some("nei") => view! {
                    <form method="post" action="/nyttig/kommentar" class="stack-form">
                        <input type="hidden" name="path" value=path.clone()/>
                        <div class="field">
                            <label for="hva-manglet">"Takk. Hva manglet? (valgfritt)"</label>
                            <p class="hint" id="hva-manglet-hjelp">"Ikke skriv personlige opplysninger. Vil du ha svar, bruk heller skjemaet for tilbakemelding."</p>
                            <textarea id="hva-manglet" name="comment" rows="3" maxlength="1000" aria-describedby="hva-manglet-hjelp" data-focus=""></textarea>
                        </div>
                        <button type="submit" class="button secondary">"Send"</button>
                    </form>
                }
                    .into_any(),
                _ => ().into_any(),
            }}
            <p><a href=report>"Meld fra om feil eller noe som mangler på denne siden"</a></p>
        </section>
    }
}
