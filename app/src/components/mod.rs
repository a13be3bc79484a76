//! Shared UI pieces: the page frame, breadcrumbs, resource cards, states.

mod attention;
mod editor;
pub mod enhance;
pub mod files;
pub mod form;
mod helpful;
mod hit;
mod layout;
mod seo;

pub use attention::AttentionSummary;
pub use editor::{describe_change, notice_text, Notice, SignInFirst};
pub use files::IllustrationView;
pub use form::{ErrorSummary, TextArea, TextField};
pub use helpful::Helpful;
pub use hit::{HitView, Marked, ResourceCardView};
pub use layout::{Breadcrumbs, Crumb, Layout, ToTop};
pub use seo::{site_url, PageMeta, StructuredData, SITE_NAME};

use leptos::prelude::*;

use crate::error::AppError;

/// Sets the HTTP status of the page being rendered on the server; a no-op in
/// the browser.
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(code) {
            response.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Text for inside a `<textarea>`. Leptos writes a textarea's children
/// unescaped on the server (it treats it as a raw-text element), so a value
/// holding `</textarea><script>` would break out of the field. Escaping on
/// the server only is right: the browser decodes the entities when it parses
/// the page, and on the client Leptos sets the text node, which needs none.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    #[cfg(not(feature = "ssr"))]
    text
}

/// The fallback of a `Suspense`/`Transition`. Pages render with
/// `SsrMode::Async`, so the server waits for the data and a visitor never
/// sees it; there is no Leptos client-side router on this site.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Laster …"</p> }
}

/// A failed load, in words a visitor understands, with a way on.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_http_status(error.status());
    let heading = match error {
        AppError::NotFound => "Siden finnes ikke",
        AppError::Unavailable => "Vi kan ikke lagre akkurat nå",
        _ => "Noe gikk galt",
    };
    view! {
        <section class="error-state" aria-labelledby="error-heading">
            <h1 id="error-heading">{heading}</h1>
            <p>{error.to_string()}</p>
            <p>
                <a href="/">"Gå til forsiden"</a>
                " eller "
                <a href="/ressurser">"se alle ressurser"</a>
                "."
            </p>
        </section>
    }
}
