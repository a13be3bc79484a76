//! Consultation rounds: `/innspill` (open and closed rounds), `/innspill/:slug`
//! (answer some or all questions, anonymously), and the editors' pages
//! `/redaktor/innspill…` (create, edit, read answers question by question).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::consultation::{get_round, get_round_editor, get_rounds, get_rounds_admin},
    components::{textarea_text, Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading, PageMeta},
    components::{Notice, SignInFirst},
    domain::form::FormState,
    domain::{
        consultation::{RoundEditor, RoundPage, RoundRow},
        norwegian_date,
        resource::ResourceStatus,
    },
    error::AppError,
};

fn state_text(r: &RoundRow) -> String {
    if r.open {
        format!("Åpen til og med {}", norwegian_date(&r.closes_on))
    } else {
        format!("Avsluttet {}", norwegian_date(&r.closes_on))
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_rounds());
    view! {
        <PageMeta title="Innspillsrunder" description="Svar på spørsmål om brukerinvolvering. Du kan svare anonymt på noen eller alle spørsmålene."/>
        <div class="wrap page narrow-wide">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Innspillsrunder")]/>
            <h1>"Innspillsrunder"</h1>
            <p>"Her ber vi om dine erfaringer og synspunkter. Du svarer anonymt, og du kan svare på så mange spørsmål du vil."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) if rows.is_empty() => view! { <p>"Ingen innspillsrunder akkurat nå."</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="admin-list rounds">
                                {rows.into_iter().map(|r| {
                                    let state = state_text(&r);
                                    view! { <li><a href=format!("/innspill/{}", r.slug)>{r.title}</a><span class="meta">{format!(" – {state}")}</span></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn RoundPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_round,
    );
    view! {
        <div class="wrap page narrow-wide">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let thanks = query.read_untracked().get("takk").is_some();
                    match data.await {
                        Ok(page) => view! { <RoundView page thanks/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn RoundView(page: RoundPage, thanks: bool) -> impl IntoView {
    let RoundPage { round, echo } = page;
    let echo = echo.unwrap_or_default();
    let closes = norwegian_date(&round.closes_on);
    let description = format!("Innspillsrunde: {}. Svar innen {closes}.", round.title);
    view! {
        <PageMeta title=format!("{} – Innspillsrunder", round.title) description/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Innspillsrunder", "/innspill"), Crumb::here(round.title.clone())]/>
        <h1>{round.title.clone()}</h1>
        {if round.open {
            view! { <p class="meta">{format!("Åpen for svar til og med {closes}.")}</p> }.into_any()
        } else {
            view! { <p class="notice" role="status">{format!("Runden ble avsluttet {closes}. Takk til alle som svarte.")}</p> }.into_any()
        }}
        <div class="prose" inner_html=round.intro_html.clone()></div>
        {thanks.then(|| view! { <p class="notice" role="status">"Takk for svarene dine! De er lagret."</p> })}
        // The message names the first problem; each answer shows its own.
        <ErrorSummary message=echo.message.clone()/>
        {(round.open && !thanks).then(|| {
            let slug = round.slug.clone();
            view! {
                <form class="stack-form" method="post" action=format!("/innspill/{slug}")>
                    <p class="warning" id="personvern-varsel">
                        <strong>"Du svarer anonymt. "</strong>
                        "Ikke skriv helseopplysninger eller andre personlige opplysninger om deg selv eller andre som kan kjennes igjen."
                    </p>
                    {round.questions.iter().enumerate().map(|(i, (id, text))| {
                        let name = format!("q{id}");
                        let value = echo.input.iter().find(|(q, _)| q == id).map(|(_, a)| a.clone()).unwrap_or_default();
                        let error = echo.errors.iter().find(|e| e.field == name).map(|e| e.message.clone());
                        let invalid = error.is_some();
                        view! {
                            <div class="field" class:has-error=invalid>
                                <label for=name.clone()>{format!("{}. {text}", i + 1)}</label>
                                {error.map(|e| view! { <p class="field-error">{e}</p> })}
                                <textarea id=name.clone() name=name rows="5" maxlength=crate::domain::consultation::ANSWER_MAX.to_string()
                                    aria-describedby="personvern-varsel">{textarea_text(value)}</textarea>
                            </div>
                        }
                    }).collect_view()}
                    <button type="submit" class="button">"Send svarene"</button>
                </form>
            }
        })}
    }
}

// ── Editors ──────────────────────────────────────────────────────────────

#[component]
pub fn RoundsAdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_rounds_admin());
    view! {
        <Title text="Innspillsrunder – Redaktør – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Innspillsrunder")]/>
            <h1>"Innspillsrunder"</h1>
            <Notice/>
            <p><a class="button" href="/redaktor/innspill/ny">"Ny innspillsrunde"</a></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! {
                            <ul class="admin-list">
                                {rows.into_iter().map(|r| {
                                    let state = state_text(&r);
                                    let status = r.status.label();
                                    view! {
                                        <li>
                                            <a href=format!("/redaktor/innspill/{}", r.slug)>{r.title.clone()}</a>
                                            <span class="meta">{format!(" – {status}, {state}, {} svar", r.responses)}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn RoundEditorPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("slug"), get_round_editor);
    admin_page!(data, |editor: RoundEditor| view! { <RoundForm editor/> })
}

#[component]
fn RoundForm(editor: RoundEditor) -> impl IntoView {
    let RoundEditor {
        id,
        form: FormState {
            input,
            errors,
            message,
        },
        answers,
    } = editor;
    let heading = if id.is_some() {
        format!("Rediger «{}»", input.title)
    } else {
        "Ny innspillsrunde".to_string()
    };
    let action = match id {
        Some(_) => format!("/redaktor/innspill/{}", input.slug),
        None => "/redaktor/innspill/ny".to_string(),
    };
    let error = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    };
    let field = |name: &'static str,
                 label: &'static str,
                 value: String,
                 hint: Option<&'static str>| {
        let error = error(name);
        let invalid = error.is_some();
        view! {
            <div class="field" class:has-error=invalid>
                <label for=name>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=format!("{name}-hjelp")>{h}</p> })}
                {error.map(|e| view! { <p class="field-error" id=format!("{name}-feil")>{e}</p> })}
                <input type="text" id=name name=name value=value aria-invalid=invalid.then_some("true")
                    aria-describedby=hint.map(|_| format!("{name}-hjelp"))/>
            </div>
        }
    };
    let questions_error = error("questions");
    let status_error = error("status");
    let status_invalid = status_error.is_some();
    let questions_invalid = questions_error.is_some();
    let slug = input.slug.clone();
    let total: usize = answers.iter().map(|q| q.answers.len()).sum();
    view! {
        <Title text=format!("{heading} – Bli involvert")/>
        <Breadcrumbs trail=vec![
            Crumb::link("Forside", "/"),
            Crumb::link("Redaktør", "/redaktor"),
            Crumb::link("Innspillsrunder", "/redaktor/innspill"),
            Crumb::here(heading.clone()),
        ]/>
        <h1>{heading}</h1>
        <Notice/>
        <ErrorSummary message errors=errors.clone()/>
        <form class="stack-form editor-form" method="post" action=action novalidate>
            // The version the form was opened at: a save from an older one is refused.
            {input.version.map(|v| view! { <input type="hidden" name="version" value=v.to_string()/> })}
            {field("title", "Tittel", input.title.clone(), None)}
            {field("slug", "Adresse (slug)", input.slug.clone(), Some("Blir laget av tittelen hvis feltet er tomt."))}
            <div class="field">
                <label for="intro">"Innledning (Markdown)"</label>
                <textarea id="intro" name="intro" rows="6">{textarea_text(input.intro.clone())}</textarea>
            </div>
            <div class="field" class:has-error=questions_invalid>
                <label for="questions">"Spørsmål"</label>
                <p class="hint" id="questions-hjelp">"Ett spørsmål per linje. Spørsmål som har fått svar, kan endres, men ikke fjernes."</p>
                {questions_error.map(|e| view! { <p class="field-error" id="questions-feil">{e}</p> })}
                <textarea id="questions" name="questions" rows="6" aria-describedby="questions-hjelp">{textarea_text(input.questions.join("\n"))}</textarea>
            </div>
            {field("closes_on", "Siste svardag", input.closes_on.clone(), Some("ÅÅÅÅ-MM-DD. Runden stenger etter denne dagen."))}
            <fieldset class="field choice-group" class:has-error=status_invalid
                aria-describedby=status_invalid.then_some("status-feil")>
                <legend>"Status"</legend>
                {status_error.map(|e| view! { <p class="field-error" id="status-feil">{e}</p> })}
                <div class="choice">
                    <input type="radio" id="status-draft" name="status" value=ResourceStatus::Draft.key() checked=input.status != ResourceStatus::Published.key()/>
                    <label for="status-draft">"Utkast (ikke synlig for besøkende)"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="status-published" name="status" value=ResourceStatus::Published.key() checked=input.status == ResourceStatus::Published.key()/>
                    <label for="status-published">"Publisert"</label>
                </div>
            </fieldset>
            <button type="submit" class="button">"Lagre"</button>
        </form>
        {id.map(|_| view! {
            <section aria-labelledby="svar">
                <h2 id="svar">{format!("Svar ({total})")}</h2>
                <p><a href=format!("/redaktor/innspill/{slug}/svar.csv") rel="external" download="">"Last ned svarene som CSV"</a></p>
                {answers.into_iter().enumerate().map(|(i, q)| view! {
                    <h3>{format!("{}. {}", i + 1, q.question)}</h3>
                    {if q.answers.is_empty() {
                        view! { <p>"Ingen svar ennå."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="answers">
                                {q.answers.into_iter().map(|(at, a)| view! { <li><span class="meta">{norwegian_date(&at)}": "</span>{a}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }).collect_view()}
            </section>
        })}
    }
}
