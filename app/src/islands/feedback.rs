//! The feedback flow as an island: "Neste", "Tilbake" and "Endre" move
//! between the steps in the browser, with the domain's checks and
//! sentences (`FeedbackDraft::apply`); "Send" goes to the server through
//! the `send_feedback` server function, with a key that makes a retry store
//! the submission once.
//!
//! The server renders the current step live and every other step as an
//! inert `<template>` (`pages::feedback`); the island shows a step by
//! cloning its template and filling in the draft. It also keeps the form's
//! hidden fields (`.carry`) as the plain form has them, so whatever the
//! page sends is the same with or without the island.
//!
//! The draft lives in the tab's session storage until the receipt is shown,
//! so a reload or a dropped connection loses nothing.

use leptos::prelude::*;

/// Session storage: the draft (the form's fields, URL-encoded) and the
/// submission key.
pub const STORAGE_KEY: &str = "bli-tilbakemelding";

/// Said when "Send" does not reach the server.
pub const OFFLINE: &str = "Vi fikk ikke kontakt med nettstedet, så tilbakemeldingen er ikke sendt ennå. Det du har skrevet, er tatt vare på. Sjekk nettforbindelsen og trykk «Send tilbakemeldingen» igjen.";

/// The flow's list of steps, its message, form and templates, as children.
#[cfg_attr(feature = "visitor-islands", island)]
#[cfg_attr(not(feature = "visitor-islands"), component)]
pub fn FeedbackSteps(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(root) = root.get() {
            client::restore(&root);
        }
    });
    view! {
        <div class="flow" node_ref=root on:submit=on_submit on:input=on_edit>
            {children()}
        </div>
    }
}

#[cfg(not(feature = "hydrate"))]
fn on_submit(_: leptos::ev::SubmitEvent) {}

#[cfg(not(feature = "hydrate"))]
fn on_edit(_: leptos::ev::Event) {}

#[cfg(feature = "hydrate")]
fn on_submit(ev: leptos::ev::SubmitEvent) {
    client::submit(ev);
}

#[cfg(feature = "hydrate")]
fn on_edit(ev: leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    if let Some(root) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        client::remember(&root);
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, Element, HtmlElement, HtmlFormElement, HtmlInputElement};

    use super::{OFFLINE, STORAGE_KEY};
    use crate::{
        api::feedback::send_feedback,
        domain::{
            feedback::{
                message_label, review_rows, step_heading, step_summary, FeedbackDraft,
                FeedbackKind, FlowAction, Sent,
            },
            form::{form_pairs, FieldError},
        },
    };

    type Options = Vec<(String, String)>;

    fn document() -> Option<Document> {
        web_sys::window()?.document()
    }

    fn find(root: &Element, selector: &str) -> Option<Element> {
        root.query_selector(selector).ok().flatten()
    }

    fn all(root: &Element, selector: &str) -> Vec<Element> {
        let Ok(list) = root.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    fn form(root: &Element) -> Option<HtmlFormElement> {
        find(root, "form")?.dyn_into().ok()
    }

    /// The form's fields as the plain form would send them (with the
    /// pressed button), read by the domain's own form parser.
    fn pairs(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Vec<(String, String)> {
        let Ok(data) = web_sys::FormData::new_with_form(form) else {
            return Vec::new();
        };
        if let Some(button) = submitter {
            if let (Some(name), Some(value)) =
                (button.get_attribute("name"), button.get_attribute("value"))
            {
                let _ = data.append_with_str(&name, &value);
            }
        }
        let encoded = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)
            .map(|p| String::from(p.to_string()))
            .unwrap_or_default();
        form_pairs(encoded.as_bytes())
    }

    /// The levels and audiences a suggestion may name: (key, label), read
    /// from the suggestion's details step.
    fn options(root: &Element, name: &str) -> Options {
        find(root, "template[data-step=\"2\"][data-kind=\"forslag\"]")
            .and_then(|t| t.dyn_into::<web_sys::HtmlTemplateElement>().ok())
            .map(|t| {
                let content = t.content();
                let Ok(list) = content.query_selector_all(&format!("input[name=\"{name}\"]"))
                else {
                    return Vec::new();
                };
                (0..list.length())
                    .filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok())
                    .map(|input| {
                        let label = input
                            .next_element_sibling()
                            .and_then(|l| l.text_content())
                            .unwrap_or_default();
                        (input.value(), label)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn keys(options: &Options) -> Vec<String> {
        options.iter().map(|(k, _)| k.clone()).collect()
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }

    /// The draft as the form's fields, URL-encoded, with the step and the
    /// submission key (if one was made).
    fn encode(draft: &FeedbackDraft, key: Option<&str>) -> String {
        let Ok(params) = web_sys::UrlSearchParams::new() else {
            return String::new();
        };
        params.append("steg", &draft.step().to_string());
        for (k, v) in draft.hidden_pairs(0) {
            params.append(&k, &v);
        }
        if !draft.trap.is_empty() {
            params.append("nettsted", &draft.trap);
        }
        if let Some(key) = key {
            params.append("nokkel", key);
        }
        params.to_string().into()
    }

    fn stored() -> Option<(FeedbackDraft, Option<String>)> {
        let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
        let pairs = form_pairs(text.as_bytes());
        let key = pairs
            .iter()
            .find(|(k, _)| k == "nokkel")
            .map(|(_, v)| v.clone());
        Some((FeedbackDraft::from_pairs(&pairs), key))
    }

    fn store(draft: &FeedbackDraft, key: Option<&str>) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, &encode(draft, key));
        }
    }

    fn forget() {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }

    /// A typed change: the draft as it now stands goes to session storage.
    pub fn remember(root: &Element) {
        if let Some(form) = form(root) {
            let key = stored().and_then(|(_, key)| key);
            store(
                &FeedbackDraft::from_pairs(&pairs(&form, None)),
                key.as_deref(),
            );
        }
    }

    /// After hydration: a draft kept from before a reload comes back, unless
    /// the page already shows one (a step the server answered).
    pub fn restore(root: &Element) {
        let Some(form) = form(root) else { return };
        let shown = FeedbackDraft::from_pairs(&pairs(&form, None));
        let Some((draft, _)) = stored() else { return };
        let fresh = shown.step() == 1 && shown.kind.is_empty();
        if fresh && draft != shown && (draft.step() > 1 || !draft.kind.is_empty()) {
            let focus = document()
                .and_then(|d| d.active_element())
                .is_none_or(|el| el.tag_name() == "BODY");
            show(root, &draft, &[], focus);
        }
    }

    pub fn submit(ev: web_sys::SubmitEvent) {
        let Some(root) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
        else {
            return;
        };
        let Some(form) = form(&root) else { return };
        ev.prevent_default();
        let submitter = ev
            .submitter()
            .and_then(|s| s.dyn_into::<HtmlElement>().ok());
        let pairs = pairs(&form, submitter.as_ref());
        let action = FlowAction::parse(
            &pairs
                .iter()
                .find(|(k, _)| k == "handling")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        );
        let levels = options(&root, "level");
        let audiences = options(&root, "audience");
        let (draft, errors) =
            FeedbackDraft::from_pairs(&pairs).apply(action, &keys(&levels), &keys(&audiences));
        if action != FlowAction::Send || !errors.is_empty() {
            let key = stored().and_then(|(_, key)| key);
            store(&draft, key.as_deref());
            show(&root, &draft, &errors, true);
            return;
        }
        send(root, draft, submitter);
    }

    /// "Send": through the server function, with this submission's key.
    fn send(root: Element, draft: FeedbackDraft, button: Option<HtmlElement>) {
        let key = stored().and_then(|(_, key)| key).unwrap_or_else(|| {
            web_sys::window()
                .and_then(|w| w.crypto().ok())
                .map(|c| c.random_uuid())
                .unwrap_or_else(|| format!("k{}", (js_sys::Math::random() * 1e15) as u64))
        });
        store(&draft, Some(&key));
        set_message(&root, None);
        let disable = move |on: bool| {
            if let Some(button) = button.as_ref() {
                let _ = button.toggle_attribute_with_force("disabled", on);
                let _ = if on {
                    button.set_attribute("aria-busy", "true")
                } else {
                    button.remove_attribute("aria-busy")
                };
            }
        };
        disable(true);
        let form = encode(&draft, None);
        spawn_local(async move {
            let answer = send_feedback(form, key).await;
            disable(false);
            match answer {
                Ok(Sent::Stored(reference)) => {
                    forget();
                    go(&root, &format!("/tilbakemelding/kvittering/{reference}"));
                }
                Ok(Sent::Refused { message, errors }) => {
                    if errors.is_empty() {
                        set_message(&root, Some(&message));
                    } else {
                        let levels = options(&root, "level");
                        let audiences = options(&root, "audience");
                        let (draft, errors) =
                            draft.apply(FlowAction::Send, &keys(&levels), &keys(&audiences));
                        show(&root, &draft, &errors, true);
                        set_message(&root, Some(&message));
                    }
                }
                Err(_) => set_message(&root, Some(OFFLINE)),
            }
        });
    }

    /// To the receipt, as a link there would go (through the navigator).
    fn go(root: &Element, href: &str) {
        let Some(link) = document()
            .and_then(|d| d.create_element("a").ok())
            .and_then(|a| a.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        let _ = link.set_attribute("href", href);
        let _ = link.set_attribute("hidden", "");
        let _ = root.append_child(&link);
        link.click();
        link.remove();
    }

    /// The sentence above the form (a refused or failed send), or none.
    fn set_message(root: &Element, message: Option<&str>) {
        let Some(slot) = find(root, ".flow-message") else {
            return;
        };
        put_alert(&slot, message);
    }

    /// Empties `slot` and, with a text, puts in it the alert the server
    /// writes there: `<div class="form-error" role="alert"><p>…</p></div>`.
    fn put_alert(slot: &Element, text: Option<&str>) {
        slot.set_inner_html("");
        let (Some(text), Some(document)) = (text, document()) else {
            return;
        };
        if let (Ok(alert), Ok(p)) = (document.create_element("div"), document.create_element("p")) {
            let _ = alert.set_attribute("class", "form-error");
            let _ = alert.set_attribute("role", "alert");
            p.set_text_content(Some(text));
            let _ = alert.append_child(&p);
            let _ = slot.append_child(&alert);
        }
    }

    /// Shows the draft's step with its problems, as the server would render it.
    pub fn show(root: &Element, draft: &FeedbackDraft, errors: &[FieldError], focus: bool) {
        let Some(document) = document() else { return };
        let step = draft.step();
        let kind = if draft.kind.is_empty() {
            FeedbackKind::Other.key()
        } else {
            draft.kind.as_str()
        };
        let selector = if step == 2 || step == 4 {
            format!("template[data-step=\"{step}\"][data-kind=\"{kind}\"]")
        } else {
            format!("template[data-step=\"{step}\"]")
        };
        let (Some(template), Some(slot)) = (
            find(root, &selector).and_then(|t| t.dyn_into::<web_sys::HtmlTemplateElement>().ok()),
            find(root, ".flow-step"),
        ) else {
            return;
        };
        let Ok(content) = template.content().clone_node_with_deep(true) else {
            return;
        };
        slot.set_inner_html("");
        let _ = slot.append_child(&content);
        fill(&slot, draft);
        if step == 4 {
            let levels = options(root, "level");
            let audiences = options(root, "audience");
            for (cell, (_, _, value)) in all(&slot, ".review-value")
                .into_iter()
                .zip(review_rows(draft, &levels, &audiences))
            {
                cell.set_text_content(Some(&value));
            }
        }
        if let Some(label) = find(&slot, "label[for=\"message\"]") {
            label.set_text_content(Some(message_label(&draft.kind)));
        }
        // The hidden fields, as the plain form carries them.
        if let Some(carry) = find(root, ".carry") {
            carry.set_inner_html("");
            let pairs = std::iter::once(("steg".to_string(), step.to_string()))
                .chain(draft.hidden_pairs(step));
            for (name, value) in pairs {
                if let Ok(input) = document.create_element("input") {
                    let _ = input.set_attribute("type", "hidden");
                    let _ = input.set_attribute("name", &name);
                    let _ = input.set_attribute("value", &value);
                    let _ = carry.append_child(&input);
                }
            }
        }
        for (i, item) in all(root, "ol.steps li").into_iter().enumerate() {
            let n = i as u8 + 1;
            let _ = item.class_list().toggle_with_force("done", n < step);
            let _ = if n == step {
                item.set_attribute("aria-current", "step")
            } else {
                item.remove_attribute("aria-current")
            };
            if let Some(span) = find(&item, ".visually-hidden") {
                span.set_text_content(Some(if n < step { "Ferdig: " } else { "" }));
            }
        }
        let heading = find(root, "#steg-tittel");
        if let Some(heading) = heading.as_ref() {
            heading.set_text_content(Some(&step_heading(step)));
        }
        if let Some(summary) = find(root, ".flow-summary") {
            let words = (!errors.is_empty()).then(|| step_summary(errors.len()));
            put_alert(&summary, words.as_deref());
        }
        mark_errors(&document, &slot, errors);
        set_message(root, None);
        if focus {
            if let Some(heading) = heading.and_then(|h| h.dyn_into::<HtmlElement>().ok()) {
                let _ = heading.focus();
            }
        }
    }

    /// Writes the draft into the step's fields.
    fn fill(slot: &Element, draft: &FeedbackDraft) {
        for control in all(slot, "input, textarea") {
            let name = control.get_attribute("name").unwrap_or_default();
            let text = match name.as_str() {
                "title" => Some(&draft.title),
                "url" => Some(&draft.url),
                "page" => Some(&draft.page),
                "message" => Some(&draft.message),
                "name" => Some(&draft.name),
                "email" => Some(&draft.email),
                _ => None,
            };
            if let Some(area) = control.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.set_value(text.map_or("", |t| t.as_str()));
                continue;
            }
            let Some(input) = control.dyn_ref::<HtmlInputElement>() else {
                continue;
            };
            match input.type_().as_str() {
                "radio" | "checkbox" => {
                    let value = input.value();
                    input.set_checked(match name.as_str() {
                        "kind" => draft.kind == value,
                        "topic" => draft.topic == value,
                        "level" => draft.levels.contains(&value),
                        "audience" => draft.audiences.contains(&value),
                        "consent" => draft.consent,
                        _ => input.checked(),
                    });
                }
                _ => {
                    if let Some(text) = text {
                        input.set_value(text);
                    }
                }
            }
        }
    }

    /// Each field's first problem beside it, as the server writes it.
    fn mark_errors(document: &Document, slot: &Element, errors: &[FieldError]) {
        let mut done: Vec<&str> = Vec::new();
        for error in errors {
            if done.contains(&error.field.as_str()) {
                continue;
            }
            done.push(&error.field);
            let Some(control) = find(slot, &format!("[name=\"{}\"]", error.field)) else {
                continue;
            };
            let Some(field) = control.closest(".field").ok().flatten() else {
                continue;
            };
            let _ = field.class_list().add_1("has-error");
            let Ok(p) = document.create_element("p") else {
                continue;
            };
            let id = format!("{}-feil", error.field);
            let _ = p.set_attribute("class", "field-error");
            let _ = p.set_attribute("id", &id);
            p.set_text_content(Some(&error.message));
            // Before the part of the field that holds the control (after
            // the legend, label and hint).
            let mut part = control.clone();
            while let Some(parent) = part.parent_element() {
                if parent == field {
                    break;
                }
                part = parent;
            }
            let _ = field.insert_before(&p, Some(&part));
            if control.tag_name() != "INPUT"
                || !matches!(
                    control.get_attribute("type").as_deref(),
                    Some("radio" | "checkbox")
                )
            {
                let _ = control.set_attribute("aria-invalid", "true");
                let described = control
                    .get_attribute("aria-describedby")
                    .unwrap_or_default();
                let _ =
                    control.set_attribute("aria-describedby", format!("{id} {described}").trim());
            }
        }
    }
}
