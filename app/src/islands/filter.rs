//! The catalogue's filter panel as an island: ticking a box recounts every
//! option, the zero states, the result count and the "Vis N ressurser"
//! button at once, in the browser, with the domain's counting rule
//! (`domain::facets::count`) on the documents the server wrote into each
//! checkbox (`data-bits`). The navigator still submits the form and swaps
//! in the new results, as it does without the island.
//!
//! Screen readers hear the new count once: the island says it in the live
//! region and marks it said ([`SAID`]); the navigator, after the swap, says
//! the server's count only if it differs (it never should).

use leptos::prelude::*;

/// On each option's checkbox: its documents, as `Bitset::to_hex`.
pub const BITS: &str = "data-bits";
/// On the filter panel: how many documents the bits are numbered over.
pub const DOCS: &str = "data-n";
/// On the "Vis N ressurser" button.
pub const SHOW: &str = "data-show";
/// On the live region: the words the island has already said.
pub const SAID: &str = "data-said";
/// The live region that says the new count (kept across swaps by the navigator).
pub const ANNOUNCER: &str = "antall-kunngjoring";
/// The class of an option's count, `(12)`, inside its label.
pub const OPTION_COUNT: &str = "option-count";
/// The class of the count above the results.
pub const RESULT_COUNT: &str = "result-count";

/// The facet groups and the panel's button, server-rendered, as children.
#[cfg_attr(feature = "visitor-islands", island)]
#[cfg_attr(not(feature = "visitor-islands"), component)]
pub fn CatalogueFilter(children: Children) -> impl IntoView {
    view! {
        <div class="filter-counts" on:change=move |ev| on_change(&ev)>
            {children()}
        </div>
    }
}

#[cfg(not(feature = "hydrate"))]
fn on_change(_: &leptos::ev::Event) {}

#[cfg(feature = "hydrate")]
fn on_change(ev: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    let ticked = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|input| input.type_() == "checkbox");
    let root = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let (true, Some(root)) = (ticked, root) {
        recount(&root);
    }
}

/// One checkbox of the panel, as read from the page.
#[cfg(feature = "hydrate")]
struct Choice {
    input: web_sys::HtmlInputElement,
    facet: String,
    docs: crate::domain::facets::Bitset,
}

/// Reads the panel, counts, and writes the counts back. Does nothing when
/// the page carries no bits (a search with too many matches: the server's
/// answer brings the counts then).
#[cfg(feature = "hydrate")]
pub fn recount(root: &web_sys::Element) {
    use wasm_bindgen::JsCast;

    use crate::domain::{
        catalogue::count_text,
        facets::{count, Bitset, FacetSets},
    };

    let Some(n) = root
        .closest(&format!("[{DOCS}]"))
        .ok()
        .flatten()
        .and_then(|panel| panel.get_attribute(DOCS))
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return;
    };
    let Ok(boxes) = root.query_selector_all("input[type=checkbox]") else {
        return;
    };
    let mut options = Vec::with_capacity(boxes.length() as usize);
    for i in 0..boxes.length() {
        let Some(input) = boxes
            .item(i)
            .and_then(|node| node.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            continue;
        };
        let Some(docs) = input
            .get_attribute(BITS)
            .and_then(|hex| Bitset::from_hex(&hex, n))
        else {
            return;
        };
        options.push(Choice {
            facet: input.name(),
            docs,
            input,
        });
    }
    // The options of one facet stand together, in the page's order.
    let mut facets: Vec<(String, FacetSets<'_>)> = Vec::new();
    for option in &options {
        if facets.last().is_none_or(|(name, _)| *name != option.facet) {
            facets.push((
                option.facet.clone(),
                FacetSets {
                    values: Vec::new(),
                    ticked: Vec::new(),
                },
            ));
        }
        if let Some((_, sets)) = facets.last_mut() {
            sets.values.push(&option.docs);
            sets.ticked.push(option.input.checked());
        }
    }
    let sets: Vec<FacetSets<'_>> = facets.into_iter().map(|(_, sets)| sets).collect();
    let counts = count(&Bitset::full(n), &sets);

    for (option, n) in options.iter().zip(counts.options.iter().flatten()) {
        let zero = *n == 0 && !option.input.checked();
        option.input.set_disabled(zero);
        if let Some(item) = option.input.closest("li").ok().flatten() {
            let _ = item.class_list().toggle_with_force("zero", zero);
        }
        // The label follows its checkbox.
        if let Some(shown) = option
            .input
            .next_element_sibling()
            .and_then(|label| label.query_selector(&format!(".{OPTION_COUNT}")).ok().flatten())
        {
            shown.set_text_content(Some(&format!("({n})")));
        }
    }
    let words = count_text(counts.total);
    if let Ok(Some(button)) = root.query_selector(&format!("[{SHOW}]")) {
        button.set_text_content(Some(&format!("Vis {}", words.to_lowercase())));
    }
    let document = root.owner_document();
    if let Some(document) = document {
        if let Ok(Some(shown)) = document.query_selector(&format!(".{RESULT_COUNT}")) {
            shown.set_text_content(Some(&words));
        }
        if let Some(region) = document.get_element_by_id(ANNOUNCER) {
            let _ = region.set_attribute(SAID, &words);
            region.set_text_content(Some(&words));
        }
    }
}
