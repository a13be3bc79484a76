//! The editors' upload form, enhanced (issue 29): a file dropped on the
//! form fills its file input, and the form is sent by `XMLHttpRequest` so a
//! progress bar can follow the upload. The server's answer is followed as
//! the plain form would: a success (303 to the page with `?melding=`) is
//! loaded, a refusal (the page again with the problem by its field) takes
//! the place of the form, with the summary focused. Without the bundle the
//! form is the same multipart POST.
//!
//! An editors' island (`editor-islands`), written lean like the visitors'
//! (ARCHITECTURE.md): the server renders the form as `children`; the island
//! listens on its own wrapper, so a form swapped in after a refusal is
//! enhanced too.

use leptos::prelude::*;

/// The id of the part a refusal replaces: the notice, the summary and the
/// form, rendered inside the island's children (`pages::media`).
pub const PART: &str = "opplasting";
/// The `<progress>` under the form, hidden until an upload starts.
pub const PROGRESS: &str = "opplasting-fremdrift";
/// The polite status line under it.
pub const STATUS: &str = "opplasting-status";
/// A problem the page could not show by its field (a file too large, an
/// upload cut off), hidden until there is one.
pub const PROBLEM: &str = "opplasting-problem";

/// The upload form, its progress bar and status lines (the server's
/// markup, as children), with a drop zone. The island's own markup is one
/// element with its listeners: what changes is written into the server's
/// elements (lean, like the visitors' islands).
#[cfg_attr(feature = "editor-islands", island)]
#[cfg_attr(not(feature = "editor-islands"), component)]
pub fn UploadForm(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        client::ready();
    });
    view! {
        <div
            class="upload"
            on:dragenter=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_drag(&_ev);
            }
            on:dragover=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_drag(&_ev);
            }
            on:dragleave=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_leave(&_ev);
            }
            on:drop=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_drop(&_ev);
            }
            on:submit=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_submit(&_ev);
            }
        >
            {children()}
        </div>
    }
}

/// The status line while `percent` is sent: in steps of ten, so a screen
/// reader hears a few steps, not every per cent.
pub fn sending(percent: u32) -> String {
    format!("Laster opp … {} %", percent.min(100) / 10 * 10)
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{
        DataTransfer, DomParser, DragEvent, Element, FileList, HtmlElement, HtmlFormElement,
        HtmlInputElement, Node, ProgressEvent, SubmitEvent, SupportedType, XmlHttpRequest,
    };

    use std::cell::Cell;

    use super::{sending, PART, PROBLEM, PROGRESS, STATUS};
    use crate::domain::media::{too_large, MAX_FILE_BYTES};

    thread_local! {
        /// An upload is under way (one form on the page).
        static BUSY: Cell<bool> = const { Cell::new(false) };
    }

    fn by_id(id: &str) -> Option<Element> {
        document().get_element_by_id(id)
    }

    /// The status line says `text` (unchanged text is not said again).
    fn say(text: &str) {
        if let Some(el) = by_id(STATUS) {
            if el.text_content().as_deref() != Some(text) {
                el.set_text_content(Some(text));
            }
        }
    }

    /// The progress bar at `percent`, or hidden.
    fn progress(percent: Option<u32>) {
        if let Some(el) = by_id(PROGRESS) {
            let _ = match percent {
                Some(p) => el
                    .set_attribute("value", &p.to_string())
                    .and_then(|_| el.remove_attribute("hidden")),
                None => el.set_attribute("hidden", ""),
            };
        }
    }

    /// The problem under the form, or none.
    fn problem(text: Option<&str>) {
        if let Some(el) = by_id(PROBLEM) {
            el.set_text_content(text);
            let _ = el.toggle_attribute_with_force("hidden", text.is_none());
        }
    }

    /// The island runs: the drop zone shows (`.upload.ready` in the CSS).
    pub fn ready() {
        if let Some(root) = by_id(PART).and_then(|p| p.closest(".upload").ok().flatten()) {
            let _ = root.class_list().add_1("ready");
        }
    }

    fn dragging(ev: &DragEvent, on: bool) {
        if let Some(root) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
        {
            let _ = root.class_list().toggle_with_force("dragging", on);
        }
    }

    const STOPPED: &str =
        "Opplastingen stoppet før den var ferdig, så ingenting ble lagret. Prøv igjen.";
    const REFUSED: &str = "Filen ble ikke lastet opp. Prøv igjen.";

    fn file_input(root: &Element) -> Option<HtmlInputElement> {
        root.query_selector("input[type=file]")
            .ok()
            .flatten()?
            .dyn_into()
            .ok()
    }

    fn carries_files(ev: &DragEvent) -> bool {
        ev.data_transfer()
            .is_some_and(|dt| dt.types().includes(&JsValue::from_str("Files"), 0))
    }

    /// A file dragged over the form: it may be dropped here.
    pub fn on_drag(ev: &DragEvent) {
        if !carries_files(ev) {
            return;
        }
        ev.prevent_default();
        if let Some(dt) = ev.data_transfer() {
            dt.set_drop_effect("copy");
        }
        dragging(ev, true);
    }

    /// The drag left the form (not only one of its children).
    pub fn on_leave(ev: &DragEvent) {
        let root = ev.current_target().and_then(|t| t.dyn_into::<Node>().ok());
        let to = ev.related_target().and_then(|t| t.dyn_into::<Node>().ok());
        let inside = match (root, to) {
            (Some(root), Some(to)) => root.contains(Some(&to)),
            _ => false,
        };
        if !inside {
            dragging(ev, false);
        }
    }

    /// A dropped file fills the file input, as if chosen there (the first,
    /// when several are dropped: the form takes one).
    pub fn on_drop(ev: &DragEvent) {
        dragging(ev, false);
        let Some(files) = ev.data_transfer().and_then(|dt| dt.files()) else {
            return;
        };
        // Never let the browser open the file in place of the page.
        ev.prevent_default();
        let Some(first) = files.get(0) else { return };
        let Some(root) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
        else {
            return;
        };
        let Some(input) = file_input(&root) else {
            return;
        };
        let chosen: Option<FileList> = if files.length() == 1 {
            Some(files)
        } else {
            DataTransfer::new().ok().and_then(|dt| {
                dt.items().add_with_file(&first).ok()?;
                dt.files()
            })
        };
        let Some(chosen) = chosen else { return };
        input.set_files(Some(&chosen));
        if let Ok(change) = web_sys::Event::new("change") {
            let _ = input.dispatch_event(&change);
        }
        problem(None);
        say(&format!(
            "Valgt fil: {}. Trykk «Last opp» for å laste den opp.",
            first.name()
        ));
    }

    /// Sends the form by `XMLHttpRequest`, with progress; the plain submit
    /// goes on when that cannot start.
    pub fn on_submit(ev: &SubmitEvent) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let Some(input) = file_input(&form) else {
            return;
        };
        if BUSY.get() {
            ev.prevent_default();
            return;
        }
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            if file.size() > MAX_FILE_BYTES as f64 {
                ev.prevent_default();
                say("");
                problem(Some(&too_large()));
                return;
            }
        }
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        if xhr.open("POST", &form.action()).is_err() {
            return;
        }
        let _ = xhr.set_request_header("Accept", "text/html");
        ev.prevent_default();
        BUSY.set(true);
        problem(None);
        progress(Some(0));
        say(&sending(0));

        if let Ok(upload) = xhr.upload() {
            let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    let percent = (e.loaded() * 100.0 / e.total()).floor().clamp(0.0, 100.0) as u32;
                    progress(Some(percent));
                    say(&sending(percent));
                }
            });
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            // One upload per page, mostly (a success loads the next): the
            // few bytes of the closure are kept with the request.
            on_progress.forget();
            let on_sent = Closure::once_into_js(move || {
                progress(Some(100));
                say("Lastet opp. Lagrer filen …");
            });
            upload.set_onload(Some(on_sent.unchecked_ref()));
        }
        let on_load = {
            let xhr = xhr.clone();
            Closure::once_into_js(move || answered(&xhr, &form))
        };
        xhr.set_onload(Some(on_load.unchecked_ref()));
        let on_error = Closure::<dyn FnMut()>::new(move || stopped(STOPPED));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            stopped(STOPPED);
        }
    }

    fn stopped(text: &str) {
        BUSY.set(false);
        progress(None);
        say("");
        problem(Some(text));
    }

    /// The server answered: load the page a success leads to, or show the
    /// page a refusal brings, in place of the form.
    fn answered(xhr: &XmlHttpRequest, form: &HtmlFormElement) {
        let status = xhr.status().unwrap_or(0);
        if (200..300).contains(&status) {
            say("Ferdig. Henter siden …");
            let url = xhr.response_url();
            let location = window().location();
            let _ = if url.is_empty() {
                location.reload()
            } else {
                location.assign(&url)
            };
            return;
        }
        let html = xhr
            .get_response_header("content-type")
            .ok()
            .flatten()
            .is_some_and(|t| t.starts_with("text/html"));
        let text = xhr.response_text().ok().flatten().unwrap_or_default();
        BUSY.set(false);
        progress(None);
        say("");
        if html {
            if !swap(&text, form) {
                // A page without the form (an error page): the browser
                // sends the form itself and shows what the server says.
                let _ = form.submit();
            }
            return;
        }
        // The limits' answers are a Norwegian sentence in plain text.
        let said = text.trim();
        problem(Some(if said.is_empty() || said.len() > 400 {
            REFUSED
        } else {
            said
        }));
    }

    /// Puts the answer's form part in place of this page's, keeps the chosen
    /// file when it was not the problem, and focuses what the page focuses
    /// (the error summary). False when the answer has no such part.
    fn swap(html: &str, form: &HtmlFormElement) -> bool {
        let document = document();
        let Some(fresh) = DomParser::new()
            .ok()
            .and_then(|p| p.parse_from_string(html, SupportedType::TextHtml).ok())
            .and_then(|d| d.get_element_by_id(PART))
        else {
            return false;
        };
        let Some(current) = document.get_element_by_id(PART) else {
            return false;
        };
        let files = file_input(form).and_then(|i| i.files());
        let Ok(fresh) = document
            .adopt_node(&fresh)
            .map(|n| n.unchecked_into::<Element>())
        else {
            return false;
        };
        if current.replace_with_with_node_1(&fresh).is_err() {
            return false;
        }
        if let (Some(input), Some(files)) = (file_input(&fresh), files) {
            if input.get_attribute("aria-invalid").is_none() {
                input.set_files(Some(&files));
            }
        }
        // The address the plain form leaves: the form's, without a notice.
        if let Ok(history) = window().history() {
            if !window().location().search().unwrap_or_default().is_empty() {
                let path = web_sys::Url::new(&form.action())
                    .map(|u| u.pathname())
                    .unwrap_or_default();
                if !path.is_empty() {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
                }
            }
        }
        if let Some(focus) = fresh
            .query_selector("[autofocus]")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        {
            let _ = focus.focus();
            focus.scroll_into_view();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::sending;

    #[test]
    fn progress_is_said_in_steps_of_ten() {
        assert_eq!(sending(0), "Laster opp … 0 %");
        assert_eq!(sending(45), "Laster opp … 40 %");
        assert_eq!(sending(100), "Laster opp … 100 %");
        assert_eq!(sending(130), "Laster opp … 100 %");
    }
}
