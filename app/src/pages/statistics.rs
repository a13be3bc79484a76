//! Visitor statistics: the editors' dashboard for any date range and the
//! public page with the headline figures. Charts are SVG with a table beside
//! them for screen readers and for anyone who wants the numbers.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::{
    api::statistics::{get_public_statistics, get_statistics},
    components::SignInFirst,
    components::{Breadcrumbs, Crumb, ErrorView, Loading, PageMeta},
    domain::{
        norwegian_date,
        statistics::{DayCount, Ranked, StatsReport},
    },
    error::AppError,
};

/// Visitors per day as bars, with the numbers in a table.
#[component]
fn DayChart(days: Vec<DayCount>, id: &'static str) -> impl IntoView {
    let max = days
        .iter()
        .map(|d| d.views.max(d.visitors))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = days.len().max(1) as i64;
    let width = 600i64;
    let bar = (width / n).max(2);
    let title_id = format!("{id}-tittel");
    let labelled = title_id.clone();
    let first = days
        .first()
        .map(|d| norwegian_date(&d.day))
        .unwrap_or_default();
    let last = days
        .last()
        .map(|d| norwegian_date(&d.day))
        .unwrap_or_default();
    let peak = days
        .iter()
        .max_by_key(|d| d.visitors)
        .map(|d| {
            format!(
                "flest besøkende {} ({})",
                norwegian_date(&d.day),
                d.visitors
            )
        })
        .unwrap_or_default();
    let summary = format!("Besøkende og sidevisninger per dag fra {first} til {last}; {peak}.");
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {} 120", bar * n) preserveAspectRatio="none" role="img" aria-labelledby=labelled class="day-chart">
                <title id=title_id>{summary.clone()}</title>
                {days.iter().enumerate().map(|(i, d)| {
                    let x = i as i64 * bar;
                    let views_h = d.views * 110 / max;
                    let visitors_h = d.visitors * 110 / max;
                    view! {
                        <rect class="views" x=x y=120 - views_h width=(bar - 1).max(1) height=views_h/>
                        <rect class="visitors" x=x y=120 - visitors_h width=(bar - 1).max(1) height=visitors_h/>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <span class="key visitors">"Besøkende"</span>" "<span class="key views">"Sidevisninger"</span>
            </figcaption>
        </figure>
        <details class="chart-table">
            <summary>"Tallene per dag i en tabell"</summary>
            <table>
                <caption class="visually-hidden">{summary}</caption>
                <thead><tr><th scope="col">"Dag"</th><th scope="col">"Besøkende"</th><th scope="col">"Sidevisninger"</th></tr></thead>
                <tbody>
                    {days.into_iter().map(|d| view! {
                        <tr><th scope="row">{norwegian_date(&d.day)}</th><td>{d.visitors}</td><td>{d.views}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// A top list as a table with bars drawn in CSS (the number is the text).
#[component]
fn RankedTable(
    rows: Vec<Ranked>,
    what: &'static str,
    count: &'static str,
    #[prop(optional)] second: Option<&'static str>,
    empty: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="meta">{empty}</p> }.into_any();
    }
    let max = rows.iter().map(|r| r.count).max().unwrap_or(1).max(1);
    view! {
        <table class="ranked">
            <thead><tr><th scope="col">{what}</th><th scope="col">{count}</th>{second.map(|s| view! { <th scope="col">{s}</th> })}</tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    // An SVG bar, not a style attribute: the CSP allows no inline styles.
                    let share = (r.count * 100 / max).max(1).to_string();
                    view! {
                        <tr>
                            <th scope="row">{match r.href {
                                Some(href) => view! { <a href=href>{r.label}</a> }.into_any(),
                                None => r.label.into_any(),
                            }}</th>
                            <td><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width=share height="10"></rect></svg>{r.count}</td>
                            {second.map(|_| view! { <td>{r.second.unwrap_or(0)}</td> })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Headline(visitors: i64, views: i64) -> impl IntoView {
    view! {
        <dl class="headline">
            <div><dt>"Besøkende"</dt><dd>{visitors}</dd></div>
            <div><dt>"Sidevisninger"</dt><dd>{views}</dd></div>
            <div><dt>"Per besøkende"</dt><dd>{if visitors > 0 { format!("{:.1}", views as f64 / visitors as f64).replace('.', ",") } else { "–".into() }}</dd></div>
        </dl>
    }
}

#[component]
pub fn StatsDashboardPage() -> impl IntoView {
    let query = use_query_map();
    let range = move || (query.read().get("fra"), query.read().get("til"));
    let data = Resource::new(range, |(from, to)| get_statistics(from, to));
    view! {
        <Title text="Statistikk – Redaktør – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Statistikk")]/>
            <h1>"Statistikk"</h1>
            <p>"Besøk telles anonymt på serveren, uten informasjonskapsler. Se "<a href="/personvern">"personvernerklæringen"</a>" for hvordan."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let (from, to) = range();
                    match data.await {
                        Ok(report) => view! { <RangeForm from=report.from.clone() to=report.to.clone() error=None/><Dashboard report/> }.into_any(),
                        Err(AppError::BadRequest(message)) => view! { <RangeForm from=from.unwrap_or_default() to=to.unwrap_or_default() error=Some(message)/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn RangeForm(from: String, to: String, error: Option<String>) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <form class="range-form" method="get" action="/redaktor/statistikk">
            <fieldset class:has-error=invalid aria-describedby=invalid.then_some("periode-feil")>
                <legend>"Periode"</legend>
                {error.map(|e| view! { <p class="field-error" id="periode-feil" role="alert">{e}</p> })}
                <div class="range-fields">
                    <div class="field"><label for="fra">"Fra"</label><input type="date" id="fra" name="fra" value=from aria-invalid=invalid.then_some("true")/></div>
                    <div class="field"><label for="til">"Til"</label><input type="date" id="til" name="til" value=to aria-invalid=invalid.then_some("true")/></div>
                    <button type="submit" class="button">"Vis"</button>
                </div>
            </fieldset>
        </form>
    }
}

#[component]
fn Dashboard(report: StatsReport) -> impl IntoView {
    let helpful: Vec<Ranked> = report
        .helpfulness
        .iter()
        .map(|h| Ranked {
            label: h.path.clone(),
            href: Some(h.path.clone()),
            count: h.no,
            second: Some(h.yes),
        })
        .collect();
    view! {
        <p>{format!("{} – {}", norwegian_date(&report.from), norwegian_date(&report.to))}</p>
        <Headline visitors=report.visitors views=report.views/>
        <section aria-labelledby="per-dag"><h2 id="per-dag">"Besøkende og sidevisninger per dag"</h2><DayChart days=report.days.clone() id="dager"/></section>
        <div class="stats-grid">
            <section aria-labelledby="sider"><h2 id="sider">"Mest besøkte sider"</h2>
                <RankedTable rows=report.pages what="Side" count="Visninger" second="Besøkende" empty="Ingen besøk i perioden."/></section>
            <section aria-labelledby="ressurser"><h2 id="ressurser">"Mest besøkte ressurser"</h2>
                <RankedTable rows=report.resources what="Ressurs" count="Visninger" second="Besøkende" empty="Ingen ressurser besøkt i perioden."/></section>
            <section aria-labelledby="innganger"><h2 id="innganger">"Inngangene og veiviseren"</h2>
                <RankedTable rows=report.entry_paths what="Side" count="Visninger" second="Besøkende" empty="Ingen besøk på inngangene i perioden."/></section>
            <section aria-labelledby="enheter"><h2 id="enheter">"Enheter"</h2>
                <RankedTable rows=report.devices what="Enhet" count="Besøkende" empty="Ingen besøk i perioden."/></section>
            <section aria-labelledby="kilder"><h2 id="kilder">"Kom fra"</h2>
                <RankedTable rows=report.referrers what="Nettsted" count="Besøk" empty="Ingen besøk fra andre nettsteder i perioden."/></section>
            <section aria-labelledby="filtre"><h2 id="filtre">"Mest brukte filtre"</h2>
                <RankedTable rows=report.filters what="Filter" count="Ganger" empty="Ingen filtre brukt i perioden."/></section>
            <section aria-labelledby="hull"><h2 id="hull">"Søk uten treff"</h2>
                <p class="meta">"Det folk lette etter, men ikke fant: kandidater til nye ressurser."</p>
                <RankedTable rows=report.empty_searches what="Søk" count="Ganger" empty="Alle søk i perioden ga treff."/></section>
            <section aria-labelledby="nyttig"><h2 id="nyttig">"«Var denne siden nyttig?»"</h2>
                <p class="meta">"Alle svar hittil, sidene med flest nei først."</p>
                <RankedTable rows=helpful what="Side" count="Nei" second="Ja" empty="Ingen svar ennå."/></section>
        </div>
    }
}

#[component]
pub fn PublicStatsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_public_statistics());
    view! {
        <PageMeta title="Besøksstatistikk" description="Hvor mange som bruker Bli involvert, og hvilke sider de leser. Vi teller anonymt, uten informasjonskapsler."/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Besøksstatistikk")]/>
            <h1>"Besøksstatistikk"</h1>
            <p class="lead">"Vi viser de samme hovedtallene som redaktørene ser, for å være åpne om hva vi samler inn. "
                "Vi teller anonymt og uten informasjonskapsler: les "<a href="/personvern">"personvernerklæringen"</a>"."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(report) => view! {
                            <p>{format!("De siste 30 dagene, {} – {}.", norwegian_date(&report.from), norwegian_date(&report.to))}</p>
                            <Headline visitors=report.visitors views=report.views/>
                            <section aria-labelledby="per-dag"><h2 id="per-dag">"Per dag"</h2><DayChart days=report.days.clone() id="dager"/></section>
                            <div class="stats-grid">
                                <section aria-labelledby="sider"><h2 id="sider">"Mest besøkte sider"</h2>
                                    <RankedTable rows=report.pages what="Side" count="Visninger" second="Besøkende" empty="Ingen besøk ennå."/></section>
                                <section aria-labelledby="enheter"><h2 id="enheter">"Enheter"</h2>
                                    <RankedTable rows=report.devices what="Enhet" count="Besøkende" empty="Ingen besøk ennå."/></section>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
