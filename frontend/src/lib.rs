//! The editors' browser bundle: the islands (`#[island]` components) of
//! the editors' pages, nothing else. The boot script in `app::shell` calls
//! `hydrate`, then each island's hydrate function by the name in its
//! `data-component`. Visitors' pages load no bundle; `js/navigator.js`
//! gives them single-page navigation.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Make sure the islands are linked into this bundle.
    app::islands();
}
