//! The involvement guide (`/veiviser`): questions as a GET form, the answer
//! above them. The answers are the URL, so a result can be bookmarked and
//! shared. With JavaScript `navigator.js` shows the answer without
//! reloading, and focus goes to the recommendation or to the first question
//! still unanswered (`data-focus`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    api::explore::get_guide,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta, ToTop},
    domain::{
        explore::GuideResult,
        guide::{GuideAnswers, LADDER, QUESTIONS},
    },
};

const BASE: &str = "/veiviser";

#[component]
pub fn GuidePage() -> impl IntoView {
    let location = use_location();
    let query = Memo::new(move |_| GuideAnswers::parse(&location.search.get()).to_query_string());
    let data = Resource::new(move || query.get(), get_guide);
    view! {
        <PageMeta
            title="Veiviser: hvor mye skal brukerne involveres?"
            description="Svar på seks spørsmål om det dere planlegger, og få en anbefalt grad av brukerinvolvering, en sjekkliste og ressurser som passer."
        />
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Veiviser")]/>
            <h1>"Veiviser: hvor mye skal brukerne involveres?"</h1>
            <p class="lead">
                "Ikke alt trenger full brukerstyring, men alt bør vurderes. Svar på spørsmålene, så får dere en anbefalt grad av involvering, "
                "en sjekkliste og ressurser som passer. Svarene lagres ikke: de står i adressen, så dere kan dele resultatet med en lenke."
            </p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(result) => view! { <Guide result/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Transition>
            <ToTop/>
        </div>
    }
}

#[component]
fn Guide(result: GuideResult) -> impl IntoView {
    let GuideResult {
        answers,
        errors,
        recommendation,
        meaning,
        checklist_links,
        shortlist,
        list_href,
    } = result;
    let share = format!("{BASE}?{}", answers.to_query_string());
    let error_for = |key: &str| {
        errors
            .iter()
            .find(|e| e.field == key)
            .map(|e| e.message.clone())
    };
    view! {
        {recommendation.map(|rec| {
            let (_, label) = LADDER[rec.degree];
            let link_for = |slug: &Option<String>| slug.as_ref().and_then(|s| checklist_links.iter().find(|r| &r.slug == s)).cloned();
            view! {
                <section class="guide-result" aria-labelledby="anbefaling">
                    <h2 id="anbefaling" tabindex="-1" data-focus="">{format!("Anbefaling: {label}")}</h2>
                    <ol class="ladder" aria-label="Stigen for brukerinvolvering">
                        {LADDER.iter().enumerate().map(|(i, (_, step))| {
                            let current = i == rec.degree;
                            view! {
                                <li class:current=current class:aim=rec.aim == Some(i) aria-current=current.then_some("step")>
                                    {step.to_string()}
                                    {current.then(|| view! { <span class="visually-hidden">" (anbefalt)"</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <p class="lead">{meaning.clone()}</p>
                    <h3>"Hvorfor"</h3>
                    <ul>{rec.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                    {rec.aim.map(|aim| view! {
                        <p class="notice" role="note">{format!("Med mer tid eller penger kan dere sikte mot «{}».", LADDER[aim].1)}</p>
                    })}
                    <h3>"Sjekkliste"</h3>
                    <ul class="checklist">
                        {rec.checklist.iter().map(|item| {
                            let link = link_for(&item.resource);
                            view! {
                                <li>
                                    {item.text.clone()}
                                    {link.map(|r| view! { " " <a href=format!("/ressurser/{}", r.slug)>{format!("Les: {}", r.title)}</a> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h3>"Ressurser som passer"</h3>
                    {if shortlist.is_empty() {
                        view! { <p>"Vi fant ingen ressurser for dette trinnet ennå."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain shortlist">
                                {shortlist.into_iter().map(|card| view! {
                                    <li><a href=format!("/ressurser/{}", card.slug)>{card.title}</a>{card.kind.map(|k| format!(" ({})", k.to_lowercase()))}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <p class="more"><a href=list_href>{format!("Alle ressurser på trinnet «{label}»")}</a></p>
                    <p class="share">"Lenke til dette resultatet: "<a href=share.clone()>{share.clone()}</a></p>
                    <p><a href="#sporsmal">"Endre svarene"</a>" · "<a href=BASE>"Begynn på nytt"</a></p>
                </section>
            }
        })}
        {(!errors.is_empty()).then(|| view! {
            <div class="form-error" role="alert" id="mangler" tabindex="-1" data-focus="">
                <p>{format!("Svar på {} spørsmål til for å få en anbefaling.", errors.len())}</p>
            </div>
        })}
        <form class="guide-form stack-form" method="get" action=BASE novalidate>
            <h2 id="sporsmal">"Spørsmålene"</h2>
            {QUESTIONS.iter().map(|q| {
                let error = error_for(q.key);
                let invalid = error.is_some();
                let hint_id = format!("{}-hjelp", q.key);
                let error_id = format!("{}-feil", q.key);
                let described = [q.hint.map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
                    .into_iter().flatten().collect::<Vec<_>>().join(" ");
                view! {
                    <fieldset class="field choice-group" class:has-error=invalid id=q.key
                        aria-describedby=(!described.is_empty()).then_some(described)>
                        <legend>{q.legend}</legend>
                        {q.hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                        {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
                        {q.choices.iter().map(|(key, label)| {
                            let id = format!("{}-{}", q.key, key);
                            let checked = answers.is_chosen(q.key, key);
                            view! {
                                <div class="choice">
                                    <input type=if q.multiple { "checkbox" } else { "radio" } id=id.clone() name=q.key value=*key
                                        checked=checked prop:checked=checked/>
                                    <label for=id>{*label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <button type="submit" class="button">"Vis anbefalingen"</button>
        </form>
    }
}
