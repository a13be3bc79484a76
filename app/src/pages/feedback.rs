//! "Gi tilbakemelding": a step-by-step flow of plain forms (each step a
//! round trip to `POST /tilbakemelding`, the state in hidden fields, the
//! checks in `crate::domain::feedback`). With the visitors' bundle the
//! `FeedbackSteps` island moves between the steps in the browser (the other
//! steps are inert `<template>`s here) and sends through a server function;
//! before it arrives `navigator.js` sends each step without reloading the
//! document, and the new step's heading takes focus (`data-focus`). Also
//! the receipt and "Var denne siden nyttig?" (answered in place by the
//! navigator: `data-inplace`).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::feedback::{get_feedback_flow, get_receipt},
    components::{textarea_text, Breadcrumbs, Crumb, ErrorView, Loading, PageMeta},
    domain::{
        feedback::{
            message_label, review_rows, step_heading, step_summary, FeedbackDraft, FeedbackFlow,
            FeedbackKind, STEPS, TOPICS,
        },
        form::FieldError,
    },
    islands::FeedbackSteps,
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
    let step = draft.step();
    let hidden = std::iter::once(("steg".to_string(), step.to_string()))
        .chain(draft.hidden_pairs(step))
        .map(|(k, v)| view! { <input type="hidden" name=k value=v/> })
        .collect_view();
    let summary = (!errors.is_empty()).then(|| {
        view! { <div class="form-error" role="alert"><p>{step_summary(errors.len())}</p></div> }
    });
    // Every other step (and the details and review steps for every kind),
    // inert until the island shows one: without JavaScript they are never
    // shown nor sent.
    let templates = (1..=4u8)
        .flat_map(|n| {
            let kinds: Vec<Option<&'static str>> = if n == 2 || n == 4 {
                FeedbackKind::ALL.map(|k| Some(k.key())).to_vec()
            } else {
                vec![None]
            };
            kinds.into_iter().map(move |kind| (n, kind))
        })
        .map(|(n, kind)| {
            let mut d = draft.clone();
            if let Some(kind) = kind {
                d.kind = kind.to_string();
            }
            d.step = n;
            view! {
                <template data-step=n.to_string() data-kind=kind>
                    {step_body(&d, &[], &levels, &audiences)}
                </template>
            }
        })
        .collect_view();

    view! {
        <p>
            "Du kan være anonym. Tilbakemeldinger slettes automatisk etter "
            {if retention_days % 365 == 0 { format!("{} måneder", retention_days / 365 * 12) } else { format!("{retention_days} dager") }}
            ". Les mer i "<a href="/personvern">"personvernerklæringen"</a>". "
            "Til du sender, finnes det du skriver bare i denne fanen i nettleseren din."
        </p>
        // With the visitors' bundle the steps move in the browser (see
        // `islands::feedback`); without it each step is a round trip.
        <FeedbackSteps>
            <ol class="steps" aria-label="Steg">
                {STEPS
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let n = i as u8 + 1;
                        view! {
                            <li class:done=n < step aria-current=(n == step).then_some("step")>
                                <span class="visually-hidden">{if n < step { "Ferdig: " } else { "" }}</span>
                                {format!("{n}. {label}")}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <div class="flow-message">
                {message.map(|m| view! { <div class="form-error" role="alert"><p>{m}</p></div> })}
            </div>
            <form class="stack-form feedback-form" method="post" action="/tilbakemelding" novalidate>
                <div class="carry">{hidden}</div>
                <h2 id="steg-tittel" tabindex="-1" data-focus=answered.then_some("")>{step_heading(step)}</h2>
                <div class="flow-summary">{summary}</div>
                <div class="trap" aria-hidden="true">
                    <label for="nettsted">"Nettsted (la feltet stå tomt)"</label>
                    <input type="text" id="nettsted" name="nettsted" tabindex="-1" autocomplete="off" value=draft.trap.clone()/>
                </div>
                <div class="flow-step">{step_body(&draft, &errors, &levels, &audiences)}</div>
            </form>
            {templates}
        </FeedbackSteps>
    }
}

/// One step's fields and its buttons.
fn step_body(
    d: &FeedbackDraft,
    errs: &[FieldError],
    levels: &[(String, String)],
    audiences: &[(String, String)],
) -> impl IntoView {
    let step = d.step();
    let body = match step {
        1 => step_kind(d, errs).into_any(),
        2 => step_details(d, errs, levels, audiences).into_any(),
        3 => step_contact(d, errs).into_any(),
        _ => step_review(d, levels, audiences).into_any(),
    };
    view! {
        {body}
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
            {FeedbackKind::ALL.map(|k| radio("kind", k.key(), k.label(), Some(k.hint()), d.kind == k.key())).collect_view()}
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
    let specific = match FeedbackKind::parse(&d.kind) {
        Some(FeedbackKind::Suggestion) => view! {
            {text_field("title", "Hva heter ressursen?", &d.title, error_of(errs, "title"), None, "text", None)}
            {text_field("url", "Lenke (hvis du har en)", &d.url, error_of(errs, "url"), Some("Hele adressen, med https://"), "url", Some("url"))}
            {checkboxes("level", "Hvilket nivå gjelder den? (valgfritt)", levels, &d.levels, error_of(errs, "level"))}
            {checkboxes("audience", "Hvem er den for? (valgfritt)", audiences, &d.audiences, error_of(errs, "audience"))}
            {message_field(d, errs, message_label(FeedbackKind::Suggestion.key()))}
        }
        .into_any(),
        Some(FeedbackKind::Error) => view! {
            {text_field("page", "Hvilken side eller ressurs gjelder det?", &d.page, None, Some("Fylt ut med siden du kom fra. Du kan endre den."), "text", None)}
            {message_field(d, errs, message_label(FeedbackKind::Error.key()))}
        }
        .into_any(),
        Some(FeedbackKind::Input) => {
            let error = error_of(errs, "topic");
            let invalid = error.is_some();
            view! {
                <fieldset class="field choice-group" class:has-error=invalid>
                    <legend>"Hva gjelder innspillet? (valgfritt)"</legend>
                    {error.map(|e| view! { <p class="field-error">{e}</p> })}
                    {TOPICS.iter().map(|(key, label)| radio("topic", key, label, None, d.topic == *key)).collect_view()}
                </fieldset>
                {message_field(d, errs, message_label(FeedbackKind::Input.key()))}
            }
            .into_any()
        }
        _ => message_field(d, errs, message_label(&d.kind)).into_any(),
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
    view! {
        <p>"Se over før du sender. Du kan endre hvert steg."</p>
        <dl class="review">
            {review_rows(d, levels, audiences)
                .into_iter()
                .map(|(step, label, value)| view! {
                    <div class="review-row">
                        <dt>{label}</dt>
                        <dd class="review-value">{value}</dd>
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
