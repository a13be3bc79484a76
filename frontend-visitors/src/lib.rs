//! The visitors' browser bundle: the islands of public pages
//! (`app::islands`), nothing else. `navigator.js` loads it after the page is
//! usable (or at once when a visitor first touches an island), calls
//! `hydrate`, then each island's hydrate function by the name in its
//! `data-component`, one island per task. No panic hook: a panic traps the
//! bundle and the page goes on as plain HTML with the navigator, which
//! does everything the islands do, one round trip slower.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    // Make sure the islands are linked into this bundle.
    app::islands();
}
