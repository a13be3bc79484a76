//! The summary of what needs the editors, at the top of the dashboard.

use leptos::prelude::*;

use super::{ErrorView, Loading};
use crate::{api::links::get_attention, domain::links::AttentionView, error::AppError};

/// The top of the dashboard: the same summary the e-mail digest sends, and
/// the signed-in editor's digest choice.
#[component]
pub fn AttentionSummary() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_attention());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <AttentionBox view/> }.into_any(),
                    Err(AppError::Unauthorized) => ().into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AttentionBox(view: AttentionView) -> impl IntoView {
    let AttentionView {
        attention,
        links,
        digest_email,
    } = view;
    let answers: i64 = attention.answers.iter().map(|(_, _, n)| n).sum();
    let opted_in = digest_email.is_some();
    view! {
        <section aria-labelledby="trenger-deg" class="attention">
            <h2 id="trenger-deg">"Dette trenger en redaktør"</h2>
            <ul>
                <li><a href="/redaktor/tilbakemeldinger">{format!("Nye tilbakemeldinger siste 7 dager: {}", attention.new_feedback)}</a></li>
                <li><a href="/redaktor/innspill">{format!("Nye svar i åpne innspillsrunder siste 7 dager: {answers}")}</a></li>
                <li><a href="/redaktor/lenker">{format!("Lenker som ikke virker: {}", links.broken)}</a>
                    {(links.redirects > 0).then(|| format!(" (og {} flyttet permanent)", links.redirects))}</li>
                <li><a href="#gamle">{format!("Ressurser som ikke er kontrollert på over 12 måneder: {}", attention.due_review)}</a></li>
            </ul>
            <form method="post" action="/redaktor/sammendrag" class="stack-form">
                <div class="choice">
                    <input type="checkbox" id="digest" name="digest" value="ja" checked=opted_in/>
                    <label for="digest">"Send meg sammendraget på e-post"</label>
                </div>
                <div class="field">
                    <label for="epost">"E-postadresse for sammendraget"</label>
                    <p class="hint" id="epost-hjelp">"Brukes bare til sammendraget, og slettes når du slår det av. E-posten har bare antall, titler og lenker, aldri det besøkende har skrevet."</p>
                    <input type="email" id="epost" name="epost" autocomplete="email" maxlength="200"
                        aria-describedby="epost-hjelp" value=digest_email.unwrap_or_default()/>
                </div>
                <button type="submit" class="button secondary">"Lagre valget"</button>
            </form>
        </section>
    }
}
