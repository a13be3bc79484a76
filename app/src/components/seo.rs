//! What search engines and link previews read: the title, description,
//! canonical address, Open Graph tags and structured data of a page.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_location;

pub const SITE_NAME: &str = "Bli involvert";

/// The site's public address without a trailing slash: the configured
/// `BLI_PUBLIC_URL` on the server, the page's origin in the browser (the
/// same in production; crawlers read the server's).
pub fn site_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::state::AppState>()
            .map(|s| s.public_url.trim_end_matches('/').to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// Title, description, canonical URL and Open Graph tags for a public page.
/// `title` is the page's own name; the site name is added after it (the
/// home page passes `home`).
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    /// Open Graph type: "website" unless given ("article" for resources).
    #[prop(optional)]
    kind: Option<&'static str>,
    /// The home page: the title stands alone.
    #[prop(optional)]
    home: bool,
) -> impl IntoView {
    let location = use_location();
    let base = site_url();
    let canonical = format!("{base}{}", location.pathname.get_untracked());
    let full_title = if home {
        title.clone()
    } else {
        format!("{title} – {SITE_NAME}")
    };
    view! {
        <Title text=full_title/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        <Meta property="og:site_name" content=SITE_NAME/>
        <Meta property="og:locale" content="nb_NO"/>
        <Meta property="og:type" content=kind.unwrap_or("website")/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=canonical/>
    }
}

/// schema.org data as JSON-LD. `<` is escaped so no value can close the
/// script element.
#[component]
pub fn StructuredData(data: serde_json::Value) -> impl IntoView {
    let json = data.to_string().replace('<', "\\u003c");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
