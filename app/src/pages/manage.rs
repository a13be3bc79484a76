//! Management pages: organisations (editors), categories, accounts and the
//! audit log (administrators). Every form is a plain POST to a handler in
//! the server crate that checks the session itself, so all of it works
//! without JavaScript; a form that fails comes back with what was typed and
//! a message by the field.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::manage::{
        get_accounts, get_audit_log, get_organisation_editor, get_organisations, get_taxonomy,
    },
    components::{describe_change, Notice, SignInFirst},
    components::{textarea_text, Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading},
    domain::{
        account::{AccountRow, Accounts},
        audit::AuditPage,
        form::{Fields, FormState},
        norwegian_date,
        organisation::{OrganisationEditor, OrganisationRow},
        taxonomy::{FacetAdmin, Taxonomy, ValueAdmin},
    },
    error::AppError,
};

fn admin_trail(here: impl Into<String>) -> Vec<Crumb> {
    vec![
        Crumb::link("Forside", "/"),
        Crumb::link("Redaktør", "/redaktor"),
        Crumb::here(here),
    ]
}

/// The echo for one form on the page, if that form came back.
fn echo_for(echo: &Option<FormState<Fields>>, form: &str) -> Option<FormState<Fields>> {
    echo.as_ref().filter(|e| e.is_for(form)).cloned()
}

/// A labelled text input with its error. `id` must be unique on the page.
fn text_input(
    id: String,
    name: &'static str,
    label: String,
    value: String,
    error: Option<String>,
    hint: Option<&'static str>,
    kind: &'static str,
) -> impl IntoView {
    let describedby = [
        error.as_ref().map(|_| format!("{id}-feil")),
        hint.map(|_| format!("{id}-hjelp")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some();
    view! {
        <div class="field" class:has-error=invalid>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hjelp")>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=format!("{id}-feil")>{e}</p> })}
            <input
                type=kind
                id=id
                name=name
                value=value
                autocomplete=(kind == "password").then_some("new-password")
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!describedby.is_empty()).then_some(describedby)
            />
        </div>
    }
}

// ── Organisations ────────────────────────────────────────────────────────

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_organisations());
    admin_page!(data, |rows: Vec<OrganisationRow>| view! {
        <Title text="Organisasjoner – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=admin_trail("Organisasjoner")/>
        <h1>"Organisasjoner"</h1>
        <Notice/>
        <p><a class="button" href="/redaktor/organisasjoner/ny">"Ny organisasjon"</a></p>
        <ul class="admin-list">
            {rows
                .into_iter()
                .map(|r| {
                    let uses = match r.uses {
                        0 => " – ikke i bruk".to_string(),
                        1 => " – 1 ressurs".to_string(),
                        n => format!(" – {n} ressurser"),
                    };
                    view! {
                        <li>
                            <a href=format!("/redaktor/organisasjoner/{}", r.slug)>{r.name}</a>
                            <span class="meta">{uses}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    })
}

#[component]
pub fn OrganisationEditorPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("slug"), get_organisation_editor);
    admin_page!(
        data,
        |data: OrganisationEditor| view! { <OrganisationForm data/> }
    )
}

#[component]
fn OrganisationForm(data: OrganisationEditor) -> impl IntoView {
    let OrganisationEditor {
        id,
        input,
        facets,
        uses,
        echo,
    } = data;
    let form = echo_for(&echo, "organisation");
    let delete_echo = echo_for(&echo, "delete");
    let value = |name: &str, stored: &str| {
        form.as_ref()
            .map(|e| e.value(name))
            .unwrap_or_else(|| stored.to_string())
    };
    let error = |name: &str| form.as_ref().and_then(|e| e.error(name));
    let heading = if id.is_some() {
        format!("Rediger «{}»", input.name)
    } else {
        "Ny organisasjon".to_string()
    };
    let action = match id {
        Some(_) => format!("/redaktor/organisasjoner/{}", input.slug),
        None => "/redaktor/organisasjoner/ny".to_string(),
    };
    let chosen = |facet: &str, key: &str| match &form {
        Some(e) => e
            .input
            .values
            .iter()
            .any(|(k, v)| k == &format!("f.{facet}") && v == key),
        None => input
            .facets
            .iter()
            .any(|(f, values)| f == facet && values.iter().any(|v| v == key)),
    };
    let slug = input.slug.clone();
    let description_error = error("description");
    let description_invalid = description_error.is_some();
    view! {
        <Title text=format!("{heading} – Bli involvert")/>
        <Breadcrumbs trail=vec![
            Crumb::link("Forside", "/"),
            Crumb::link("Redaktør", "/redaktor"),
            Crumb::link("Organisasjoner", "/redaktor/organisasjoner"),
            Crumb::here(heading.clone()),
        ]/>
        <h1>{heading}</h1>
        <Notice/>
        {form.as_ref().map(|e| view! { <ErrorSummary message=e.message.clone() errors=e.errors.clone()/> })}
        <form class="stack-form" method="post" action=action novalidate>
            // The version the form was opened at: a save from an older one is refused.
            {input.version.map(|v| view! { <input type="hidden" name="version" value=value("version", &v.to_string())/> })}
            {text_input("name".into(), "name", "Navn".into(), value("name", &input.name), error("name"), None, "text")}
            {text_input("short_name".into(), "short_name", "Kortnavn".into(), value("short_name", &input.short_name), error("short_name"), Some("For eksempel KORUS Bergen. Kan stå tomt."), "text")}
            {text_input("slug".into(), "slug", "Adresse (slug)".into(), value("slug", &input.slug), error("slug"), Some("Blir laget av kortnavnet eller navnet hvis feltet er tomt."), "text")}
            {text_input("website".into(), "website", "Nettsted".into(), value("website", &input.website), error("website"), Some("Hele adressen, med https://"), "url")}
            <div class="field" class:has-error=description_invalid>
                <label for="description">"Beskrivelse"</label>
                {description_error.map(|e| view! { <p class="field-error" id="description-feil">{e}</p> })}
                <textarea id="description" name="description" rows="4">{textarea_text(value("description", &input.description))}</textarea>
            </div>
            {facets
                .into_iter()
                .map(|facet| {
                    let name = format!("f.{}", facet.key);
                    let facet_error = error(&format!("facets.{}", facet.key));
                    let invalid = facet_error.is_some();
                    let kind = if facet.multiple { "checkbox" } else { "radio" };
                    view! {
                        <fieldset class="field choice-group" class:has-error=invalid>
                            <legend>{facet.label.clone()}</legend>
                            {facet_error.map(|e| view! { <p class="field-error">{e}</p> })}
                            {facet
                                .values
                                .iter()
                                .map(|v| {
                                    let id = format!("{name}-{}", v.key);
                                    let checked = chosen(&facet.key, &v.key);
                                    view! {
                                        <div class="choice">
                                            <input type=kind id=id.clone() name=name.clone() value=v.key.clone() checked=checked/>
                                            <label for=id>{v.label.clone()}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                    }
                })
                .collect_view()}
            <button type="submit" class="button">"Lagre"</button>
        </form>
        {id.map(|_| {
            if uses > 0 {
                view! {
                    <p class="hint">{format!("Organisasjonen er ansvarlig for {uses} ressurs{} og kan ikke slettes før den er fjernet fra dem.", if uses == 1 { "" } else { "er" })}</p>
                }
                    .into_any()
            } else {
                view! {
                    <section aria-labelledby="slett-org">
                        <h2 id="slett-org">"Slett organisasjonen"</h2>
                        {delete_echo.map(|e| view! { <ErrorSummary message=e.message/> })}
                        <p>"Ingen ressurser bruker den. Slettingen kan ikke angres."</p>
                        <form method="post" action=format!("/redaktor/organisasjoner/{slug}/slett")>
                            <button type="submit" class="button danger">"Slett organisasjonen"</button>
                        </form>
                    </section>
                }
                    .into_any()
            }
        })}
    }
}

// ── Categories (the taxonomy) ────────────────────────────────────────────

#[component]
pub fn TaxonomyPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_taxonomy());
    admin_page!(data, |data: Taxonomy| view! { <TaxonomyView data/> })
}

#[component]
fn TaxonomyView(data: Taxonomy) -> impl IntoView {
    let Taxonomy { facets, echo } = data;
    let query = use_query_map();
    // The value whose retirement waits for a yes (after "Trekk tilbake" on a value in use).
    let confirm = Memo::new(move |_| {
        query
            .read()
            .get("bekreft")
            .and_then(|v| v.parse::<i64>().ok())
    });
    view! {
        <Title text="Kategorier – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=admin_trail("Kategorier")/>
        <h1>"Kategorier"</h1>
        <Notice/>
        <p>
            "Her legger du til, gir nytt navn til, flytter og trekker tilbake verdiene besøkende filtrerer på. "
            "En verdi som trekkes tilbake, blir stående på ressursene som har den, men kan ikke velges lenger. "
            "Nøkkelen i nettadressen endres ikke når navnet endres, så lenker som er delt, virker fortsatt."
        </p>
        <nav aria-label="Kategorier på siden">
            <ul class="tool-links">
                {facets.iter().map(|f| view! { <li><a href=format!("#kategori-{}", f.key)>{f.label.clone()}</a></li> }).collect_view()}
            </ul>
        </nav>
        {facets.into_iter().map(|facet| view! { <FacetSection facet echo=echo.clone() confirm/> }).collect_view()}
    }
}

#[component]
fn FacetSection(
    facet: FacetAdmin,
    echo: Option<FormState<Fields>>,
    confirm: Memo<Option<i64>>,
) -> impl IntoView {
    let FacetAdmin { key, label, values } = facet;
    let count = values.len();
    let add_form = format!("add-{key}");
    let add_echo = echo_for(&echo, &add_form);
    view! {
        <section class="facet-admin" aria-labelledby=format!("kategori-{key}")>
            <h2 id=format!("kategori-{key}") tabindex="-1">{label.clone()}</h2>
            <ol class="value-list">
                {values
                    .into_iter()
                    .enumerate()
                    .map(|(i, value)| {
                        let echo = echo_for(&echo, &format!("value-{}", value.id));
                        view! { <ValueRow value echo first=i == 0 last=i + 1 == count confirm/> }
                    })
                    .collect_view()}
            </ol>
            <form class="inline-fields" method="post" action=format!("/redaktor/kategorier/{key}/ny")>
                {text_input(
                    format!("ny-{key}"),
                    "label",
                    format!("Ny verdi under {label}"),
                    add_echo.as_ref().map(|e| e.value("label")).unwrap_or_default(),
                    add_echo.as_ref().and_then(|e| e.error("label")),
                    None,
                    "text",
                )}
                <button type="submit" class="button secondary">"Legg til"</button>
            </form>
        </section>
    }
}

#[component]
fn ValueRow(
    value: ValueAdmin,
    echo: Option<FormState<Fields>>,
    first: bool,
    last: bool,
    confirm: Memo<Option<i64>>,
) -> impl IntoView {
    let ValueAdmin {
        id,
        key,
        label,
        retired,
        uses,
    } = value;
    let action = format!("/redaktor/kategorier/verdi/{id}");
    let used = match uses {
        0 => "ikke i bruk".to_string(),
        n => format!("brukt {n} {}", if n == 1 { "gang" } else { "ganger" }),
    };
    let asking = move || confirm.get() == Some(id);
    let name_value = echo
        .as_ref()
        .map(|e| e.value("label"))
        .unwrap_or_else(|| label.clone());
    let name_error = echo.as_ref().and_then(|e| e.error("label"));
    view! {
        <li id=format!("verdi-{id}") class:retired=retired>
            <p class="value-head">
                <strong>{label.clone()}</strong>
                <span class="meta">{format!(" ({key}) – {used}")}{retired.then_some(" – trukket tilbake")}</span>
            </p>
            <div class="value-actions">
                <form class="inline-fields" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value="navn"/>
                    // The name shown: a rename made since is not overwritten.
                    <input type="hidden" name="gammelt" value=label.clone()/>
                    {text_input(format!("navn-{id}"), "label", format!("Nytt navn for «{label}»"), name_value, name_error, None, "text")}
                    <button type="submit" class="button secondary small">"Gi nytt navn"</button>
                </form>
                <form class="inline-form" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value="opp"/>
                    <button type="submit" class="button secondary small" disabled=first aria-label=format!("Flytt «{label}» opp")>"Opp"</button>
                </form>
                <form class="inline-form" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value="ned"/>
                    <button type="submit" class="button secondary small" disabled=last aria-label=format!("Flytt «{label}» ned")>"Ned"</button>
                </form>
                <form class="inline-form" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value=if retired { "gjeninnsett" } else { "trekk" }/>
                    <button type="submit" class="button secondary small">{if retired { "Gjeninnsett" } else { "Trekk tilbake" }}</button>
                </form>
            </div>
            {move || asking().then(|| {
                let label = label.clone();
                let used = used.clone();
                let action = action.clone();
                view! {
                <div class="confirm" role="alert">
                    <p>{format!(
                        "«{label}» er {used} (ressurser og organisasjoner). Trekker du den tilbake, blir den stående på dem, men kan ikke velges lenger. Vil du trekke den tilbake?"
                    )}</p>
                    <form class="button-row" method="post" action=action.clone()>
                        <input type="hidden" name="handling" value="trekk"/>
                        <input type="hidden" name="bekreft" value="ja"/>
                        <button type="submit" class="button danger small">"Ja, trekk tilbake"</button>
                        <a class="button secondary small" href="/redaktor/kategorier">"Avbryt"</a>
                    </form>
                </div>
            }})}
        </li>
    }
}

// ── Accounts ─────────────────────────────────────────────────────────────

#[component]
pub fn AccountsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_accounts());
    admin_page!(data, |data: Accounts| view! { <AccountsView data/> })
}

#[component]
fn AccountsView(data: Accounts) -> impl IntoView {
    let Accounts { me, accounts, echo } = data;
    let new = echo_for(&echo, "new");
    let value = |name: &str| new.as_ref().map(|e| e.value(name)).unwrap_or_default();
    let error = |name: &str| new.as_ref().and_then(|e| e.error(name));
    let role = new
        .as_ref()
        .map(|e| e.value("role"))
        .unwrap_or_else(|| "editor".into());
    let role_error = error("role");
    view! {
        <Title text="Kontoer – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=admin_trail("Kontoer")/>
        <h1>"Kontoer"</h1>
        <Notice/>
        {echo.as_ref().filter(|e| e.is_for("account")).map(|e| view! { <ErrorSummary message=e.message.clone() errors=e.errors.clone()/> })}
        <ul class="account-list">
            {accounts
                .into_iter()
                .map(|account| {
                    let echo = echo_for(&echo, &format!("password-{}", account.id));
                    let is_me = account.id == me.id;
                    view! { <AccountItem account echo is_me/> }
                })
                .collect_view()}
        </ul>
        <section aria-labelledby="ny-konto">
            <h2 id="ny-konto">"Ny konto"</h2>
            {new.as_ref().map(|e| view! { <ErrorSummary message=e.message.clone() errors=e.errors.clone()/> })}
            <form class="stack-form" method="post" action="/redaktor/kontoer/ny">
                {text_input("username".into(), "username", "Brukernavn".into(), value("username"), error("username"), None, "text")}
                {text_input("display_name".into(), "display_name", "Navn".into(), value("display_name"), error("display_name"), None, "text")}
                <fieldset class="field choice-group" class:has-error=role_error.is_some()>
                    <legend>"Rolle"</legend>
                    {role_error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
                    <div class="choice">
                        <input type="radio" id="role-editor" name="role" value="editor" checked=role != "admin"/>
                        <label for="role-editor">"Redaktør (innhold og organisasjoner)"</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="role-admin" name="role" value="admin" checked=role == "admin"/>
                        <label for="role-admin">"Administrator (også kategorier og kontoer)"</label>
                    </div>
                </fieldset>
                {text_input("password".into(), "password", "Passord".into(), String::new(), error("password"), Some("Minst 12 tegn, og ikke lett å gjette: gjerne tre eller fire vanlige ord. Gi det til personen på en trygg måte."), "password")}
                <button type="submit" class="button">"Opprett kontoen"</button>
            </form>
        </section>
    }
}

#[component]
fn AccountItem(account: AccountRow, echo: Option<FormState<Fields>>, is_me: bool) -> impl IntoView {
    let AccountRow {
        id,
        username,
        display_name,
        role,
        disabled,
        factor,
    } = account;
    let action = format!("/redaktor/kontoer/{id}");
    let role_label = if role == "admin" {
        "administrator"
    } else {
        "redaktør"
    };
    let (next_role, role_button) = if role == "admin" {
        ("editor", "Gjør til redaktør")
    } else {
        ("admin", "Gjør til administrator")
    };
    view! {
        <li class="account" class:retired=disabled>
            <h2 class="account-name">{format!("{display_name} ({username})")}</h2>
            <p class="meta">{format!("Rolle: {role_label}")}{disabled.then_some(" – deaktivert")}{is_me.then_some(" – deg")}{if factor { " – totrinnsinnlogging på" } else { " – uten totrinnsinnlogging" }}</p>
            <div class="value-actions">
                <form class="inline-form" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value="rolle"/>
                    <input type="hidden" name="role" value=next_role/>
                    <button type="submit" class="button secondary small">{role_button}</button>
                </form>
                <form class="inline-form" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value=if disabled { "aktiver" } else { "deaktiver" }/>
                    <button type="submit" class="button secondary small">{if disabled { "Aktiver" } else { "Deaktiver" }}</button>
                </form>
                <form class="inline-fields" method="post" action=action.clone()>
                    <input type="hidden" name="handling" value="passord"/>
                    {text_input(format!("passord-{id}"), "password", format!("Nytt passord for {username}"), String::new(), echo.and_then(|e| e.error("password")), None, "password")}
                    <button type="submit" class="button secondary small">"Sett passord"</button>
                </form>
                {(factor && !is_me).then(|| view! {
                    <form class="inline-form" method="post" action=action.clone()>
                        <input type="hidden" name="handling" value="nullstill-totp"/>
                        <button type="submit" class="button secondary small">{format!("Nullstill totrinnsinnlogging for {username}")}</button>
                    </form>
                })}
            </div>
        </li>
    }
}

// ── The audit log ────────────────────────────────────────────────────────

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.read().get("side").and_then(|s| s.parse::<u32>().ok()),
        get_audit_log,
    );
    admin_page!(data, |data: AuditPage| view! { <AuditView data/> })
}

#[component]
fn AuditView(data: AuditPage) -> impl IntoView {
    let AuditPage {
        entries,
        page,
        pages,
        total,
    } = data;
    view! {
        <Title text=format!("Endringslogg, side {page} – Redaktør – Bli involvert")/>
        <Breadcrumbs trail=admin_trail("Endringslogg")/>
        <h1>"Endringslogg"</h1>
        <p>{format!("{total} endringer. Hvem gjorde hva, og når. Nyeste først.")}</p>
        <div class="table-scroll" role="region" aria-label="Endringer" tabindex="0">
            <table class="audit">
                <thead>
                    <tr><th scope="col">"Tidspunkt (UTC)"</th><th scope="col">"Hvem"</th><th scope="col">"Hva"</th><th scope="col">"Detaljer"</th></tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|e| view! {
                            <tr>
                                <td>{format!("{} {}", norwegian_date(&e.at), e.at.get(11..16).unwrap_or(""))}</td>
                                <td>{e.actor}</td>
                                <td>{describe_change(&e.action, &e.entity)}</td>
                                <td>{e.summary}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Sider i loggen">
                {(page > 1).then(|| view! { <a href=format!("/redaktor/logg?side={}", page - 1) rel="prev">"Nyere"</a> })}
                <span>{format!("Side {page} av {pages}")}</span>
                {(page < pages).then(|| view! { <a href=format!("/redaktor/logg?side={}", page + 1) rel="next">"Eldre"</a> })}
            </nav>
        })}
    }
}
