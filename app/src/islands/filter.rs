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
    // The panel as read on the first tick (its checkboxes, their documents
    // and count elements), kept for the next ones: the markup it reads
    // stays until the navigator swaps in a new page, with a new island.
    #[cfg(feature = "hydrate")]
    let panel = std::rc::Rc::new(std::cell::RefCell::new(None::<client::Panel>));
    view! {
        <div
            class="filter-counts"
            on:change=move |_ev| {
                #[cfg(feature = "hydrate")]
                client::on_change(&_ev, &panel);
            }
        >
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::RefCell;

    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement};

    use super::{ANNOUNCER, BITS, DOCS, OPTION_COUNT, RESULT_COUNT, SAID, SHOW};
    use crate::domain::{
        catalogue::count_text,
        facets::{count, Bitset, FacetSets},
    };

    /// One checkbox of the panel, as read from the page.
    struct Choice {
        input: HtmlInputElement,
        /// The `<li>` that shows the zero state, and the `(12)` element.
        item: Option<Element>,
        shown: Option<Element>,
        docs: Bitset,
        /// What the page shows now (`None`: not written by the island yet).
        count: Option<u32>,
    }

    /// The panel: its documents, its checkboxes grouped by facet.
    pub struct Panel {
        n: usize,
        choices: Vec<Choice>,
        /// Where each facet's choices start and end in `choices`.
        facets: Vec<(usize, usize)>,
    }

    impl Panel {
        /// Reads the panel; `None` when the page carries no bits (a search
        /// with too many matches: the server's answer brings the counts).
        fn read(root: &Element) -> Option<Panel> {
            let n = root
                .closest(&format!("[{DOCS}]"))
                .ok()
                .flatten()?
                .get_attribute(DOCS)?
                .parse::<usize>()
                .ok()?;
            let boxes = root.query_selector_all("input[type=checkbox]").ok()?;
            let mut choices = Vec::with_capacity(boxes.length() as usize);
            let mut facets: Vec<(usize, usize)> = Vec::new();
            let mut facet = String::new();
            for i in 0..boxes.length() {
                let input: HtmlInputElement = boxes.item(i)?.dyn_into().ok()?;
                let docs = Bitset::from_hex(&input.get_attribute(BITS)?, n)?;
                // The options of one facet stand together, in the page's order.
                let name = input.name();
                if facets.is_empty() || name != facet {
                    facets.push((choices.len(), choices.len()));
                    facet = name;
                }
                // The label follows its checkbox.
                let shown = input.next_element_sibling().and_then(|label| {
                    label
                        .query_selector(&format!(".{OPTION_COUNT}"))
                        .ok()
                        .flatten()
                });
                choices.push(Choice {
                    item: input.closest("li").ok().flatten(),
                    shown,
                    docs,
                    count: None,
                    input,
                });
                if let Some(last) = facets.last_mut() {
                    last.1 = choices.len();
                }
            }
            Some(Panel { n, choices, facets })
        }

        /// Counts for the boxes ticked now and writes what changed.
        fn recount(&mut self, root: &Element) {
            let ticked: Vec<bool> = self.choices.iter().map(|c| c.input.checked()).collect();
            let sets: Vec<FacetSets<'_>> = self
                .facets
                .iter()
                .map(|&(from, to)| FacetSets {
                    values: self.choices[from..to].iter().map(|c| &c.docs).collect(),
                    ticked: ticked[from..to].to_vec(),
                })
                .collect();
            let counts = count(&Bitset::full(self.n), &sets);
            for ((choice, n), on) in self
                .choices
                .iter_mut()
                .zip(counts.options.into_iter().flatten())
                .zip(ticked)
            {
                if choice.count == Some(n) && choice.input.disabled() == (n == 0 && !on) {
                    continue;
                }
                let zero = n == 0 && !on;
                choice.input.set_disabled(zero);
                if let Some(item) = &choice.item {
                    let _ = item.class_list().toggle_with_force("zero", zero);
                }
                if choice.count != Some(n) {
                    if let Some(shown) = &choice.shown {
                        shown.set_text_content(Some(&format!("({n})")));
                    }
                }
                choice.count = Some(n);
            }
            let words = count_text(counts.total);
            if let Ok(Some(button)) = root.query_selector(&format!("[{SHOW}]")) {
                button.set_text_content(Some(&format!("Vis {}", words.to_lowercase())));
            }
            if let Some(document) = root.owner_document() {
                if let Ok(Some(shown)) = document.query_selector(&format!(".{RESULT_COUNT}")) {
                    shown.set_text_content(Some(&words));
                }
                if let Some(region) = document.get_element_by_id(ANNOUNCER) {
                    let _ = region.set_attribute(SAID, &words);
                    region.set_text_content(Some(&words));
                }
            }
        }
    }

    /// A ticked or unticked box: recount the panel.
    pub fn on_change(ev: &leptos::ev::Event, panel: &RefCell<Option<Panel>>) {
        let ticked = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|input| input.type_() == "checkbox");
        let Some(root) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
        else {
            return;
        };
        if !ticked {
            return;
        }
        let mut panel = panel.borrow_mut();
        if panel.is_none() {
            *panel = Panel::read(&root);
        }
        if let Some(panel) = panel.as_mut() {
            panel.recount(&root);
        }
    }
}
