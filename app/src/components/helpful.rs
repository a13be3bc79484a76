//! "Var denne siden nyttig?" under content pages and resources.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Var denne siden nyttig?" for the page at `path`, with a way to report a
/// problem. Plain forms; the form handler redirects back to the page with
/// the answer in the URL, and the thanks takes focus (`data-focus`).
#[component]
pub fn Helpful(path: String) -> impl IntoView {
    let query = use_query_map();
    // "ja", "nei", "takk" (after a comment); from the form handler's redirect.
    let answered = query
        .read_untracked()
        .get("nyttig")
        .filter(|a| ["ja", "nei", "takk"].contains(&a.as_str()));
    let report = format!(
        "/tilbakemelding?type=feil&fra={}",
        crate::query::encode(&path)
    );
    view! {
        <section class="helpful" id="nyttig" aria-labelledby="nyttig-tittel">
            <h2 id="nyttig-tittel">"Var denne siden nyttig?"</h2>
            <div role="status" tabindex="-1" data-focus=matches!(answered.as_deref(), Some("ja" | "takk")).then_some("")>
                {match answered.as_deref() {
                    Some("ja") => view! { <p>"Takk for svaret!"</p> }.into_any(),
                    Some("takk") => view! { <p>"Takk! Det hjelper oss å gjøre siden bedre."</p> }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            {match answered.as_deref() {
                None => view! {
                    <form method="post" action="/nyttig" class="button-row" data-inplace="nyttig">
                        <input type="hidden" name="path" value=path.clone()/>
                        <button type="submit" class="button secondary" name="svar" value="ja">"Ja"</button>
                        <button type="submit" class="button secondary" name="svar" value="nei">"Nei"</button>
                    </form>
                }
                    .into_any(),
                Some("nei") => view! {
                    <form method="post" action="/nyttig/kommentar" class="stack-form" data-inplace="nyttig">
                        <input type="hidden" name="path" value=path.clone()/>
                        <div class="field">
                            <label for="hva-manglet">"Takk. Hva manglet? (valgfritt)"</label>
                            <p class="hint" id="hva-manglet-hjelp">"Ikke skriv personlige opplysninger. Vil du ha svar, bruk heller skjemaet for tilbakemelding."</p>
                            <textarea id="hva-manglet" name="comment" rows="3" maxlength="1000" aria-describedby="hva-manglet-hjelp" data-focus=""></textarea>
                        </div>
                        <button type="submit" class="button secondary">"Send"</button>
                    </form>
                }
                    .into_any(),
                _ => ().into_any(),
            }}
            <p><a href=report>"Meld fra om feil eller noe som mangler på denne siden"</a></p>
        </section>
    }
}
