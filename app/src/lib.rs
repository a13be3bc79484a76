//! bli-involvert: pages, components, server functions and shared types.
//! The `ssr` feature adds the server-only parts (database, content import,
//! Markdown rendering); `hydrate` builds the browser side.
#![recursion_limit = "256"]

pub mod api;
pub mod assets;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
pub mod domain;
pub mod error;
pub mod islands;
pub mod pages;
pub mod query;

#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod content;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod stats;
#[cfg(feature = "ssr")]
pub mod throttle;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    components::Layout,
    pages::{
        admin::{DashboardPage, SignInPage},
        consultation::{RoundEditorPage, RoundPageView, RoundsAdminPage, RoundsPage},
        content::{
            AboutPage, AccessibilityPage, DirectoryPage, GuidancePage, PrivacyPage, WhyPage,
        },
        editor::{DeleteResourcePage, ResourceEditorPage},
        entry::EntryPage,
        factor::{CodePage, FactorSetupPage},
        feedback::{FeedbackPage, ReceiptPage},
        guide::GuidePage,
        home::HomePage,
        illustrations::IllustrationsPage,
        inbox::{FeedbackItemPage, InboxPage},
        links::LinksPage,
        manage::{
            AccountsPage, AuditLogPage, OrganisationEditorPage, OrganisationsPage, TaxonomyPage,
        },
        map::MapPage,
        media::MediaAdminPage,
        not_found::NotFound,
        organisation::OrganisationPageView,
        recent::RecentChangesPage,
        resource::ResourcePage,
        resources::ResourceListPage,
        site_pages::{PageEditorPage, PagesAdminPage},
        statistics::{PublicStatsPage, StatsDashboardPage},
        synonyms::SynonymsPage,
        texts::SiteTextsPage,
    },
};

/// The name the browser bundle is published under (`/pkg/<name>.js` …).
pub const OUTPUT_NAME: &str = "bli-involvert";

/// The HTML document around the app, rendered on the server only.
///
/// Every page is rendered here in full; what the browser loads on top
/// depends on the page:
///
/// * a visitor's page loads the stylesheet and `navigator.js` (a few KB),
///   which turns links and forms into single-page navigation. On a page
///   with islands (`islands`: the catalogue filter, the feedback flow) the
///   navigator also loads the visitors' bundle once the page is usable, and
///   hydrates them; no inline script, so no nonce in the page.
/// * an editor's page (`/redaktor…`) also loads the editors' bundle, which
///   hydrates the islands there (the resource form's live checks and
///   preview). The boot script is inline and carries the response's CSP
///   nonce.
///
/// File names carry content hashes (see `assets`), so they are cached for a
/// year. No preload hints: the scripts are fetched after the page has been
/// parsed, so they never compete with what paints it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_request_nonce();
    // Islands mode: nothing outside an island is hydrated, so nothing outside
    // one is serialised into the page (as Leptos' own `HydrationScripts`
    // with `islands=true` does); islands switch it on for themselves.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    #[cfg(feature = "ssr")]
    let names = assets::names(&options).clone();
    #[cfg(not(feature = "ssr"))]
    let names = assets::AssetNames::plain(&options.output_name);
    #[cfg(feature = "ssr")]
    // The editors' pages load the editors' bundle; visitors' pages (and
    // sign-in) the navigator, which loads the visitors' bundle where a page
    // has islands.
    let editors =
        security::request_path().is_some_and(|p| domain::area::Area::of(&p).loads_editor_bundle());
    #[cfg(not(feature = "ssr"))]
    let editors = false;
    let pkg = format!("/{}", options.site_pkg_dir);
    let (js, wasm, css, navigator) = (
        format!("{pkg}/{}", names.js),
        format!("{pkg}/{}", names.wasm),
        format!("{pkg}/{}", names.css),
        format!("{pkg}/{}", names.navigator),
    );
    // Instantiate the bundle, set up the islands' reactive root, then hydrate
    // each island by the function its `data-component` names.
    let boot = format!(
        "import init, * as bundle from '{js}';\n\
         await init({{ module_or_path: '{wasm}' }});\n\
         bundle.hydrate();\n\
         for (const el of document.querySelectorAll('leptos-island')) {{\n\
           const hydrate = bundle[el.dataset.component];\n\
           if (hydrate) {{ await hydrate(el); }} else {{ console.error(`no island ${{el.dataset.component}} in the bundle`); }}\n\
         }}\n\
         window.__hydrated = true;"
    );
    view! {
        <!DOCTYPE html>
        <html lang="nb">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=css/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {if editors {
                    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{boot}</script> }.into_any()
                } else {
                    // No nonce: the policy allows the site's own script files
                    // ('self'), and a page without this response's nonce can
                    // be kept in the page cache and sent again.
                    // `data-native`: the paths it leaves to the browser.
                    view! { <script type="module" src=navigator data-native=domain::area::navigator_native()></script> }.into_any()
                }}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Links the islands into a browser bundle (`frontend` and
/// `frontend-visitors` call it; the islands' hydrate functions are exported
/// from this crate, those of the build's `*-islands` feature).
#[cfg(feature = "hydrate")]
pub fn islands() {}

/// leptos_meta writes the server-rendered `<title>` without escaping it, and
/// titles hold what editors and visitors wrote (a resource's title, a
/// feedback suggestion turned draft): escape it there. In the browser the
/// title is set as text, so it stays as it is.
fn title_markup(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// Every editor form on the form kit (`api::form::EditForm`): the server
/// mounts each at its path behind its role. A form's page is a `<Route>`
/// in [`App`] as any page is.
#[cfg(feature = "ssr")]
pub fn edit_forms() -> Vec<api::form::FormRoute> {
    use api::form::FormRoute;
    vec![
        FormRoute::of::<domain::texts::TextsInput>(),
        FormRoute::of::<domain::synonyms::SynonymsInput>(),
        FormRoute::of::<pages::illustrations::IllustrationsInput>(),
    ]
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Every page title passes through here (see `title_markup`).
        <Title formatter=title_markup/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/ressurser") view=ResourceListPage ssr=SsrMode::Async/>
                    <Route path=path!("/ressurser/:slug") view=ResourcePage ssr=SsrMode::Async/>
                    <Route path=path!("/kart") view=MapPage ssr=SsrMode::Async/>
                    <Route path=path!("/tilbakemelding") view=FeedbackPage ssr=SsrMode::Async/>
                    <Route path=path!("/personvern") view=PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/hvorfor-brukerinvolvering") view=WhyPage ssr=SsrMode::Async/>
                    <Route path=path!("/veiledere-og-foringer") view=GuidancePage ssr=SsrMode::Async/>
                    <Route path=path!("/brukerorganisasjoner") view=DirectoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisasjoner/:slug") view=OrganisationPageView ssr=SsrMode::Async/>
                    <Route path=path!("/om-nettstedet") view=AboutPage ssr=SsrMode::Async/>
                    <Route path=path!("/tilgjengelighet") view=AccessibilityPage ssr=SsrMode::Async/>
                    <Route path=path!("/inngang/:key") view=EntryPage ssr=SsrMode::Async/>
                    <Route path=path!("/veiviser") view=GuidePage ssr=SsrMode::Async/>
                    <Route path=path!("/nytt") view=RecentChangesPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/sider") view=PagesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/tekster") view=SiteTextsPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/illustrasjoner") view=IllustrationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/lenker") view=LinksPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/synonymer") view=SynonymsPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/filer") view=MediaAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/statistikk") view=StatsDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/statistikk") view=PublicStatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/sider/:slug") view=PageEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/innspill") view=RoundsPage ssr=SsrMode::Async/>
                    <Route path=path!("/innspill/:slug") view=RoundPageView ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/innspill") view=RoundsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/innspill/ny") view=RoundEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/innspill/:slug") view=RoundEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/tilbakemelding/kvittering/:ref") view=ReceiptPage ssr=SsrMode::Async/>
                    <Route path=path!("/logg-inn") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/logg-inn/kode") view=CodePage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/konto/totp") view=FactorSetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/tilbakemeldinger") view=InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/tilbakemeldinger/:ref") view=FeedbackItemPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/ressurser/ny") view=ResourceEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/ressurser/:slug") view=ResourceEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/ressurser/:slug/slett") view=DeleteResourcePage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/organisasjoner") view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/organisasjoner/ny") view=OrganisationEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/organisasjoner/:slug") view=OrganisationEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/kategorier") view=TaxonomyPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/kontoer") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/redaktor/logg") view=AuditLogPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
