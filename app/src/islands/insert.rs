//! «Sett inn i teksten» (issue 29): in the files panel of the editors'
//! forms, a button per file puts its Markdown in the body at the cursor (at
//! the end, when the editor has not been in the body yet), gives the body
//! the focus again with the cursor after the new text, and says «Satt inn».
//!
//! An editors' island (`editor-islands`), written lean: the server renders
//! the panel as `children`, each button `hidden` with the Markdown in
//! [`MARKDOWN`] and the body's id in `aria-controls`; the island shows the
//! buttons once it runs, so without JavaScript there are none, only the
//! Markdown to copy.

use leptos::prelude::*;

/// On each «Sett inn i teksten» button: the Markdown it inserts.
pub const MARKDOWN: &str = "data-insert";
/// The polite line that says «Satt inn» (visually hidden, in the panel).
pub const SAID: &str = "sett-inn-status";

/// The files panel (children) with its buttons working. The island's own
/// markup is one element with its listener (lean, like the visitors').
#[cfg_attr(feature = "editor-islands", island)]
#[cfg_attr(not(feature = "editor-islands"), component)]
pub fn InsertButtons(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        client::show();
    });
    view! {
        <div class="insert-buttons"
            on:click=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_click(&_ev);
            }
        >
            {children()}
        </div>
    }
}

/// What goes in the body: `markdown` at the cursor as it is; at the end of
/// a body that has text, as a paragraph of its own.
pub fn insertion(body: &str, markdown: &str, at_end: bool) -> String {
    if !at_end || body.is_empty() || body.ends_with("\n\n") {
        markdown.to_string()
    } else if body.ends_with('\n') {
        format!("\n{markdown}")
    } else {
        format!("\n\n{markdown}")
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

    use std::cell::RefCell;

    use super::{insertion, MARKDOWN, SAID};

    thread_local! {
        /// The ids of the body fields the editor has been in: their cursor
        /// means something then.
        static VISITED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    /// Shows the buttons, and notes when the editor enters a body field.
    pub fn show() {
        let Ok(buttons) = document().query_selector_all(&format!("[{MARKDOWN}]")) else {
            return;
        };
        for i in 0..buttons.length() {
            let Some(button) = buttons
                .item(i)
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            else {
                continue;
            };
            button.set_hidden(false);
        }
        // For as long as the page lives: the handle is never removed.
        let _ = window_event_listener(leptos::ev::focusin, move |ev| {
            let Some(id) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                .map(|t| t.id())
            else {
                return;
            };
            VISITED.with_borrow_mut(|v| {
                if !v.contains(&id) {
                    v.push(id);
                }
            });
        });
    }

    /// A press on a button: its Markdown into the body it controls.
    pub fn on_click(ev: &leptos::ev::MouseEvent) {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest(&format!("[{MARKDOWN}]")).ok().flatten())
        else {
            return;
        };
        let (Some(markdown), Some(target)) = (
            button.get_attribute(MARKDOWN),
            button.get_attribute("aria-controls"),
        ) else {
            return;
        };
        let Some(body) = document()
            .get_element_by_id(&target)
            .and_then(|el| el.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        let value = body.value();
        // Positions count UTF-16 units, as the browser's do.
        let end = value.encode_utf16().count() as u32;
        let (from, to) = if VISITED.with_borrow(|v| v.contains(&target)) {
            let from = body.selection_start().ok().flatten().unwrap_or(end);
            let to = body.selection_end().ok().flatten().unwrap_or(from);
            (from.min(end), to.min(end))
        } else {
            (end, end)
        };
        let text = insertion(&value, &markdown, from == end && to == end);
        if body
            .set_range_text_with_start_and_end_and_mode(&text, from, to, "end")
            .is_err()
        {
            return;
        }
        let _ = body.focus();
        // The form's own listeners (the live preview) hear the change.
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(input) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = body.dispatch_event(&input);
        }
        // Said again on every press: the region is emptied first.
        if let Some(said) = document().get_element_by_id(SAID) {
            said.set_text_content(None);
            request_animation_frame(move || said.set_text_content(Some("Satt inn")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::insertion;

    #[test]
    fn at_the_cursor_the_markdown_goes_in_as_it_is() {
        assert_eq!(insertion("Før etter", "![a](/b)", false), "![a](/b)");
    }

    #[test]
    fn at_the_end_it_is_a_paragraph_of_its_own() {
        assert_eq!(insertion("", "![a](/b)", true), "![a](/b)");
        assert_eq!(insertion("Tekst", "![a](/b)", true), "\n\n![a](/b)");
        assert_eq!(insertion("Tekst\n", "![a](/b)", true), "\n![a](/b)");
        assert_eq!(insertion("Tekst\n\n", "![a](/b)", true), "![a](/b)");
    }
}
