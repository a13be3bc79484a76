//! The frame around every page: skip link, header with the main menu,
//! the main landmark and the footer.

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
const MENU: [(&str, &str); 3] = [("/", "Forside"), ("/ressurser", "Ressurser"), ("/kart", "Kart")];

#[component]
fn Header() -> impl IntoView {
    let location = use_location();
    let current = move |path: &'static str| {
        let now = location.pathname.get();
        let active = if path == "/" { now == "/" } else { now == path || now.starts_with(&format!("{path}/")) };
        active.then_some("page")
    };
    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <a href="/" class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Bli involvert"</span>
                </a>
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
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    "Bli involvert er en nettressurs for kunnskaps- og kompetansesentrene innen rus og psykisk helse, "
                    "og for tjenestene de veileder."
                </p>
                <p><a href="/tilbakemelding">"Gi tilbakemelding"</a>" · "<a href="/innspill">"Innspillsrunder"</a>" · "<a href="/personvern">"Personvern"</a></p>
                <p class="footer-note">"Nettstedet bruker ingen informasjonskapsler (cookies) for statistikk."</p>
            </div>
        </footer>
    }
}

/// One step in a breadcrumb trail; the last one has no link.
#[derive(Clone, Debug, PartialEq)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Self {
        Crumb { label: label.into(), href: Some(href.into()) }
    }
    pub fn here(label: impl Into<String>) -> Self {
        Crumb { label: label.into(), href: None }
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
