//! The pieces every editor form is built from: the error summary at the
//! top, and fields that find their own error by name.
//!
//! The summary follows GOV.UK's: one box at the top of the form that says
//! how many fields need fixing, links each problem to its field, and takes
//! focus whenever it appears. On a page the server sends back (a plain form
//! without JavaScript, or one the browser did not check) `autofocus` moves
//! focus there on load and `data-focus` when the navigator swaps the page in;
//! where an island checks the form first it calls [`focus_summary`].

use leptos::prelude::*;

use crate::domain::form::FieldError;

/// The id of the error summary: one per page, as only one form comes back
/// at a time.
pub const SUMMARY_ID: &str = "skjema-feil";

pub use crate::domain::form::{error_for, fix_count};

/// The id of the element a field's error links to: the field's own name,
/// with `.` (facets, `f.kind`) as `-`, as the fields write it.
pub fn field_id(field: &str) -> String {
    field.replace('.', "-")
}

/// The id of a field's error text (for `aria-describedby`).
pub fn error_id(field: &str) -> String {
    format!("{}-feil", field_id(field))
}

/// The summary of a form that came back: `message` on top (a technical
/// problem, or a conflict) or else «Rett opp N felt …», then a link to each
/// field with a problem. Renders nothing when there is nothing to say.
#[component]
pub fn ErrorSummary(
    /// A sentence for the top; without one, the count of fields to fix.
    #[prop(default = None)]
    message: Option<String>,
    /// The fields' problems, each linked to its field.
    #[prop(optional)]
    errors: Vec<FieldError>,
) -> impl IntoView {
    let message = message.filter(|m| !m.is_empty());
    if message.is_none() && errors.is_empty() {
        return None;
    }
    let heading = message.unwrap_or_else(|| fix_count(errors.len()));
    Some(view! {
        <div class="form-error error-summary" role="alert" id=SUMMARY_ID tabindex="-1" autofocus data-focus="">
            <p>{heading}</p>
            <SummaryLinks errors/>
        </div>
    })
}

/// The summary's list of links, one per field with a problem.
#[component]
pub fn SummaryLinks(errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <ul class="error-summary-list">
                {errors
                    .into_iter()
                    .map(|e| view! { <li><a href=format!("#{}", field_id(&e.field))>{e.message}</a></li> })
                    .collect_view()}
            </ul>
        }
    })
}

/// Moves focus to the error summary once the browser has drawn it: an
/// island calls this after it writes the summary (the element may not
/// exist until the next frame).
pub fn focus_summary() {
    #[cfg(not(feature = "ssr"))]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(SUMMARY_ID)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
            el.scroll_into_view();
        }
    });
}

/// A one-line text field with its label, hint and error: the error is the
/// one in `errors` named `name`, tied to the input by `aria-describedby`.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: String,
    errors: Vec<FieldError>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 200)] maxlength: usize,
) -> impl IntoView {
    let id = field_id(name);
    let error = error_for(&errors, name);
    let hint_id = hint.map(|_| format!("{id}-hjelp"));
    let describedby = describedby(hint_id.clone(), error.as_ref().map(|_| error_id(name)));
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.clone().map(|m| view! { <p class="field-error" id=error_id(name)>{m}</p> })}
            <input
                type=kind
                id=id
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=describedby
            />
        </div>
    }
}

/// A text area with its label, hint and error, as [`TextField`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: String,
    errors: Vec<FieldError>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let id = field_id(name);
    let error = error_for(&errors, name);
    let hint_id = hint.map(|_| format!("{id}-hjelp"));
    let describedby = describedby(hint_id.clone(), error.as_ref().map(|_| error_id(name)));
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.clone().map(|m| view! { <p class="field-error" id=error_id(name)>{m}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=describedby
            >{super::textarea_text(value)}</textarea>
        </div>
    }
}

fn describedby(hint: Option<String>, error: Option<String>) -> Option<String> {
    let ids: Vec<String> = hint.into_iter().chain(error).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_links_each_problem_to_its_field_and_takes_focus() {
        let html = view! {
            <ErrorSummary errors=vec![
                FieldError::new("title", "Skriv en tittel."),
                FieldError::new("f.kind", "Velg en type."),
            ]/>
        }
        .to_html();
        assert!(html.contains("Rett opp 2 felt før du lagrer."), "{html}");
        assert!(html.contains(r##"href="#title""##), "{html}");
        assert!(html.contains(r##"href="#f-kind""##), "{html}");
        assert!(
            html.contains("autofocus") && html.contains("data-focus"),
            "{html}"
        );
        assert!(html.contains(r#"tabindex="-1""#), "{html}");
    }

    #[test]
    fn no_problem_no_summary() {
        let html = view! { <ErrorSummary/> }.to_html();
        assert!(!html.contains("form-error"), "{html}");
    }

    #[test]
    fn a_field_finds_its_own_error_by_name() {
        let errors = vec![
            FieldError::new("name", "Skriv et navn."),
            FieldError::new("email", "Skriv en hel e-postadresse."),
        ];
        let html = view! { <TextField name="email" label="E-post" value="x" errors hint="Brukes til varsler."/> }
            .to_html();
        assert!(html.contains("Skriv en hel e-postadresse."), "{html}");
        assert!(!html.contains("Skriv et navn."), "{html}");
        assert!(
            html.contains(r#"aria-describedby="email-hjelp email-feil""#),
            "{html}"
        );
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    }
}
