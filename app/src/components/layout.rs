//! The frame around every page: skip link, header with the main menu,
//! the main landmark and the footer. Rendered on the server only; page
//! views, client-side navigations included, are counted by the server.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#hovedinnhold">"Hopp til hovedinnholdet"</a>
        <Header/>
        <main id="hovedinnhold" tabindex="-1">
            {children()}
        </main>
        <Footer/>
    }
}

/// Main menu entries: (path, label).
const MENU: [(&str, &str); 6] = [
    ("/", "Forside"),
    ("/ressurser", "Ressurser"),
    ("/veiviser", "Veiviser"),
    ("/veiledere-og-foringer", "Veiledere og føringer"),
    ("/brukerorganisasjoner", "Organisasjoner"),
    ("/hvorfor-brukerinvolvering", "Hvorfor brukerinvolvering?"),
];

#[component]
fn Header() -> impl IntoView {
    let location = use_location();
    let current = move |path: &'static str| {
        let now = location.pathname.get();
        let active = if path == "/" {
            now == "/"
        } else {
            now == path || now.starts_with(&format!("{path}/"))
        };
        active.then_some("page")
    };
    view! {
        <header class="site-header" id="toppen" tabindex="-1">
            <div class="wrap header-inner">
                <a href="/" class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Bli involvert"</span>
                </a>
                // On a narrow screen the menu folds behind "Meny" (a native
                // disclosure: no script, keyboard and screen readers know
                // it); from 56rem it is always shown (see style/15-layout.css).
                <details class="menu">
                    <summary>"Meny"</summary>
                    <nav class="main-nav" aria-label="Hovedmeny">
                        <ul>
                            {MENU
                                .into_iter()
                                .map(|(path, label)| {
                                    view! {
                                        <li>
                                            <a href=path aria-current=move || current(path)>{label}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </nav>
                </details>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap footer-inner">
                <p>
                    "Bli involvert er en nettressurs for kunnskaps- og kompetansesentrene innen rus og psykisk helse, "
                    "og for tjenestene de veileder."
                </p>
                <nav aria-label="Om nettstedet">
                    <ul class="footer-links">
                        <li><a href="/om-nettstedet">"Om nettstedet"</a></li>
                        <li><a href="/personvern">"Personvern"</a></li>
                        <li><a href="/tilgjengelighet">"Tilgjengelighetserklæring"</a></li>
                        <li><a href="/tilbakemelding">"Gi tilbakemelding"</a></li>
                        <li><a href="/innspill">"Innspillsrunder"</a></li>
                        <li><a href="/nytt">"Nytt og endret"</a></li>
                        <li><a href="/kart">"Kart over ressursene"</a></li>
                        <li><a href="/statistikk">"Besøksstatistikk"</a></li>
                    </ul>
                </nav>
                <p class="footer-note">"Nettstedet bruker ingen informasjonskapsler (cookies) for statistikk."</p>
            </div>
        </footer>
    }
}

/// "Til toppen" at the end of a long page: back to the header, where the
/// menu is (keyboard focus follows, since the header takes focus).
#[component]
pub fn ToTop() -> impl IntoView {
    view! { <p class="to-top"><a href="#toppen">"Til toppen"</a></p> }
}

/// One step in a breadcrumb trail; the last one has no link.
#[derive(Clone, Debug, PartialEq)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: Some(href.into()),
        }
    }
    pub fn here(label: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: None,
        }
    }
}

#[component]
pub fn Breadcrumbs(trail: Vec<Crumb>) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Brødsmulesti">
            <ol>
                {trail
                    .into_iter()
                    .map(|crumb| match crumb.href {
                        Some(href) => view! { <li><a href=href>{crumb.label}</a></li> }.into_any(),
                        None => view! { <li><span aria-current="page">{crumb.label}</span></li> }.into_any(),
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
