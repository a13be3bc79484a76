//! The browser entry point: hydrates the server-rendered page and nothing else.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets end-to-end tests wait for hydration instead of sleeping.
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__hydrated".into(), &true.into());
}
