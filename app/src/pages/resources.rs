//! The catalogue: search, facet filters, sort and pages, all in the URL.
//!
//! The whole panel is one GET form, rendered on the server. With
//! JavaScript, `navigator.js` applies every change at once (`data-live`:
//! search is debounced) without reloading the document, keeps focus on the
//! control and announces the new count (`data-announce`); back/forward and
//! shared links behave the same either way.

use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::hooks::use_location;

use crate::{
    api::catalogue::browse_catalogue,
    components::{enhance, Breadcrumbs, Crumb, ErrorView, HitView, Loading, PageMeta},
    domain::catalogue::{
        count_text, CatalogueResult, FacetFilter, FacetOption, FAGFELT_FACET, PRACTICE_STATUS_FACET,
    },
    islands::{
        filter::{ANNOUNCER, BITS, OPTION_COUNT, RESULT_COUNT},
        CatalogueFilter,
    },
    query::{CatalogueQuery, Sort, ORGANISATION_FACET},
};

const BASE: &str = "/ressurser";
/// Facet groups shown collapsed unless one of their options is ticked.
const COLLAPSED: [&str; 4] = [
    "inngang",
    "fagfelt",
    PRACTICE_STATUS_FACET,
    ORGANISATION_FACET,
];

#[component]
pub fn ResourceListPage() -> impl IntoView {
    let location = use_location();
    let query = Memo::new(move |_| CatalogueQuery::parse(&location.search.get()));
    let data = Resource::new(move || query.get().to_query_string(), browse_catalogue);

    view! {
        <PageMeta
            title="Ressurser"
            description="Søk og filtrer i metoder, verktøy, eksempler fra praksis, veiledere og lover om brukerinvolvering i rus og psykisk helse."
        />
        <Link rel="alternate" type_="application/atom+xml" title="Nye og oppdaterte ressurser" href="/ressurser.atom"/>
        <div class="wrap page">
            <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::here("Ressurser")]/>
            <h1>"Ressurser"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(result) => view! { <Catalogue result/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Catalogue(result: CatalogueResult) -> impl IntoView {
    let CatalogueResult {
        query,
        total,
        page,
        page_count,
        hits,
        facets,
        counted,
        suggestions,
        did_you_mean,
        notice,
    } = result;
    let searched_for = query.q.clone();

    let chips: Vec<(String, String)> = facets
        .iter()
        .flat_map(|f| {
            let query = &query;
            f.options.iter().filter(|o| o.selected).map(move |o| {
                (
                    format!("{}: {}", f.label, o.label),
                    query.without(&f.key, &o.key).href(BASE),
                )
            })
        })
        .chain((!query.q.is_empty()).then(|| {
            (
                format!("Søk: «{}»", query.q),
                query.without_search().href(BASE),
            )
        }))
        .collect();
    let has_chips = !chips.is_empty();
    let sort = query.effective_sort();
    let searching = !query.q.is_empty();
    let feed_qs = CatalogueQuery {
        page: 1,
        ..query.clone()
    }
    .to_query_string();
    let feed_suffix = if feed_qs.is_empty() {
        String::new()
    } else {
        format!("?{feed_qs}")
    };

    view! {
        // Screen readers hear the new count when the results change (WCAG
        // 4.1.3), not on the first load: the navigator fills it in.
        <p id=ANNOUNCER class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-announce=count_text(total)></p>
        <form
            class="catalogue"
            method="get"
            action=BASE
            role="search"
            aria-label="Søk og filtrer ressurser"
            autocomplete="off"
            data-live=""
        >
            <div class="search-row">
                <label for=enhance::SEARCH_FIELD>"Søk i ressursene"</label>
                <div class="search-field">
                    <input
                        id=enhance::SEARCH_FIELD
                        type="search"
                        name="q"
                        value=query.q.clone()
                        maxlength="200"
                        autocomplete="off"
                    />
                    <button type="submit" class="button">"Søk"</button>
                </div>
            </div>
            <div class="catalogue-layout">
                <div id="filtre" class="filter-panel" data-n=counted.to_string()>
                    <h2 id="filtre-tittel" tabindex="-1">"Filtrer"</h2>
                    // With the visitors' bundle, ticking a box recounts
                    // everything here at once (see `islands::filter`).
                    <CatalogueFilter>
                        {facets.into_iter().map(|facet| view! { <FacetGroup facet/> }).collect_view()}
                        <div class="filter-actions">
                            <button type="submit" class="button" data-show="">{format!("Vis {}", count_text(total).to_lowercase())}</button>
                        </div>
                    </CatalogueFilter>
                </div>
                <div class="results">
                    <div class="results-bar">
                        <p class=RESULT_COUNT>{count_text(total)}</p>
                        <a
                            class="button secondary filter-toggle"
                            href="#filtre"
                            aria-controls="filtre"
                            aria-expanded="false"
                            data-toggle=""
                        >
                            "Filtrer"
                        </a>
                        <div class="sort">
                            <label for="sortering">"Sorter"</label>
                            <select id="sortering" name="sort">
                                {Sort::ALL
                                    .into_iter()
                                    .filter(|s| searching || *s != Sort::Relevance)
                                    .map(|s| view! { <option value=s.key() selected=s == sort>{s.label()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    </div>
                    {notice.map(|text| view! { <p class="search-notice" role="note">{text}</p> })}
                    {did_you_mean.map(|s| view! {
                        <p class="did-you-mean">
                            {format!("Du søkte etter «{searched_for}». ")}
                            "Mente du "
                            <a href=s.href>{format!("«{}»", s.label)}</a>
                            {format!("? ({})", count_text(s.count).to_lowercase())}
                        </p>
                    })}
                    {has_chips.then(|| view! {
                        <div class="active-filters">
                            <h2 class="visually-hidden">"Aktive filtre"</h2>
                            <ul class="chips">
                                {chips
                                    .into_iter()
                                    .map(|(label, href)| view! {
                                        <li>
                                            <a class="chip" href=href>
                                                <span class="visually-hidden">"Fjern filter "</span>
                                                {label}
                                                <span class="chip-x" aria-hidden="true">"×"</span>
                                            </a>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                            <a class="reset" href=BASE>"Nullstill"</a>
                        </div>
                    })}
                    {if total == 0 {
                        view! { <EmptyState suggestions has_filters=has_chips/> }.into_any()
                    } else {
                        view! {
                            // Headings stay in order on a phone, where the
                            // filter panel's h2 is hidden until opened.
                            <h2 class="visually-hidden">"Ressurser som passer"</h2>
                            <ol class="card-list">
                                {hits.into_iter().map(|hit| view! { <HitView hit/> }).collect_view()}
                            </ol>
                        }
                            .into_any()
                    }}
                    <Pagination query=query.clone() page page_count/>
                    <p class="feeds">
                        <a href=format!("/ressurser.atom{feed_suffix}") rel="external">"Abonner på dette utvalget (Atom)"</a>
                        " · "
                        <a href=format!("/ressurser.csv{feed_suffix}") download="ressurser.csv" rel="external">"Last ned som CSV"</a>
                    </p>
                </div>
            </div>
        </form>
    }
}

#[component]
fn FacetGroup(facet: FacetFilter) -> impl IntoView {
    let any_selected = facet.options.iter().any(|o| o.selected);
    let open = any_selected || !COLLAPSED.contains(&facet.key.as_str());
    let key = facet.key;
    view! {
        <details class="facet-group" id=format!("gruppe-{key}") open=open>
            <summary>{facet.label.clone()}</summary>
            <fieldset>
                <legend class="visually-hidden">{facet.label}</legend>
                {(key == FAGFELT_FACET).then(|| view! {
                    <p class="hint facet-hint">"Inkludert ressurser for alle fagfelt."</p>
                })}
                <ul inner_html=options_html(&key, &facet.options)></ul>
            </fieldset>
        </details>
    }
}

/// A facet group's options, written straight into one string. The panel
/// has about a hundred of them, and as Leptos elements (six each, their
/// attributes made owned and cloned for the island's children) they were
/// the largest part of an uncached catalogue page (issue 30's profile);
/// the markup is the same.
fn options_html(key: &str, options: &[FacetOption]) -> String {
    let mut html = String::with_capacity(options.len() * 256);
    for o in options {
        let zero = o.count == 0 && !o.selected;
        html.push_str(if zero { r#"<li class="zero">"# } else { "<li>" });
        html.push_str(r#"<input type="checkbox" id=""#);
        push_option_id(&mut html, key, &o.key);
        html.push_str(r#"" name=""#);
        push_escaped(&mut html, key);
        html.push_str(r#"" value=""#);
        push_escaped(&mut html, &o.key);
        html.push('"');
        if o.selected {
            html.push_str(" checked");
        }
        if zero {
            html.push_str(" disabled");
        }
        if let Some(bits) = &o.bits {
            html.push(' ');
            html.push_str(BITS);
            html.push_str("=\"");
            push_escaped(&mut html, bits);
            html.push('"');
        }
        html.push_str(r#"><label for=""#);
        push_option_id(&mut html, key, &o.key);
        html.push_str(r#"">"#);
        push_escaped(&mut html, &o.label);
        html.push_str(r#" <span class=""#);
        html.push_str(OPTION_COUNT);
        html.push_str(r#"">("#);
        html.push_str(&o.count.to_string());
        html.push_str(")</span></label></li>");
    }
    html
}

/// `text` escaped for an element's text or a double-quoted attribute
/// (`& < > "`), with the escaper Leptos itself renders with.
fn push_escaped(html: &mut String, text: &str) {
    html_escape::encode_double_quoted_attribute_to_string(text, html);
}

fn push_option_id(html: &mut String, key: &str, value: &str) {
    html.push_str("f-");
    push_escaped(html, key);
    html.push('-');
    push_escaped(html, value);
}

#[component]
fn EmptyState(
    suggestions: Vec<crate::domain::catalogue::Suggestion>,
    has_filters: bool,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>"Ingen ressurser passer"</h2>
            {if suggestions.is_empty() {
                view! { <p>"Prøv et annet søkeord, eller fjern noen av filtrene."</p> }.into_any()
            } else {
                view! {
                    <p>"Ett valg for mye? Fjern det som gir flest treff:"</p>
                    <ul class="suggestions">
                        {suggestions
                            .into_iter()
                            .map(|s| view! {
                                <li><a href=s.href>{format!("{} for å se {}", s.label, count_text(s.count).to_lowercase())}</a></li>
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {has_filters.then(|| view! { <p><a href=BASE>"Nullstill alle filtre"</a></p> })}
        </div>
    }
}

#[component]
fn Pagination(query: CatalogueQuery, page: u32, page_count: u32) -> impl IntoView {
    (page_count > 1).then(|| {
        let prev = (page > 1).then(|| query.with_page(page - 1).href(BASE));
        let next = (page < page_count).then(|| query.with_page(page + 1).href(BASE));
        view! {
            <nav class="pagination" aria-label="Sider">
                {prev.map(|href| view! { <a class="button secondary" href=href rel="prev">"Forrige side"</a> })}
                <span>{format!("Side {page} av {page_count}")}</span>
                {next.map(|href| view! { <a class="button secondary" href=href rel="next">"Neste side"</a> })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(key: &str, label: &str, count: u32, selected: bool) -> FacetOption {
        FacetOption {
            key: key.into(),
            label: label.into(),
            count,
            selected,
            bits: Some("0f".into()),
        }
    }

    #[test]
    fn options_are_escaped_and_show_their_state() {
        let html = options_html(
            "nivaa",
            &[
                option("individ", "Individ <&> \"nivå\"", 3, true),
                option("system", "System", 0, false),
            ],
        );
        assert_eq!(
            html,
            concat!(
                r#"<li><input type="checkbox" id="f-nivaa-individ" name="nivaa" value="individ" checked data-bits="0f">"#,
                r#"<label for="f-nivaa-individ">Individ &lt;&amp;&gt; &quot;nivå&quot; <span class="option-count">(3)</span></label></li>"#,
                r#"<li class="zero"><input type="checkbox" id="f-nivaa-system" name="nivaa" value="system" disabled data-bits="0f">"#,
                r#"<label for="f-nivaa-system">System <span class="option-count">(0)</span></label></li>"#,
            )
        );
    }
}
