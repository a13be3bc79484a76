//! Pieces every editors' page uses: the redirect to sign-in, the
//! `?melding=` notice, and the audit log's sentences.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    domain::audit::{AuditAction, AuditEntity},
    query::safe_next,
};

/// Sends a visitor without a session to the sign-in page, and back here after.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let target = format!(
        "/logg-inn?neste={}",
        crate::query::encode(&safe_next(Some(here)))
    );
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&target);
    // leptos_axum sets the Location header; the status must say redirect too.
    crate::components::set_http_status(302);
    view! {
        <h1>"Du må logge inn"</h1>
        <p><a href=target rel="external">"Logg inn"</a>" for å se redaktørsidene."</p>
    }
}

/// What a `?melding=` code left by a form handler says: (text, is it a problem).
pub fn notice_text(code: &str) -> Option<(&'static str, bool)> {
    crate::domain::notice::Notice::parse(code).map(|n| (n.text(), n.is_problem()))
}

/// The message a form handler left in `?melding=`, if any.
#[component]
pub fn Notice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("melding")
            .and_then(|code| notice_text(&code))
            .map(|(text, problem)| {
                if problem {
                    view! { <div class="form-error" role="alert"><p>{text}</p></div> }.into_any()
                } else {
                    view! { <p class="notice" role="status">{text}</p> }.into_any()
                }
            })
    }
}

/// The audit log's action and entity in words.
pub fn describe_change(action: &str, entity: &str) -> String {
    let what = AuditEntity::parse(entity).map_or(entity, |e| e.label());
    let did = AuditAction::parse(action).map_or(action, |a| a.label());
    format!("{did} {what}")
}
