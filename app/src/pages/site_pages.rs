//! The editors' pages for the content pages: a list, and a form with a
//! preview and the page's versions. The form posts to a handler in the
//! server crate that checks the session itself.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        media::get_editor_files,
        pages::{get_page_editor, get_pages_admin},
    },
    components::{
        files::InsertFiles, textarea_text, Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading,
        Notice, SignInFirst,
    },
    domain::form::{FormState, Previewed},
    domain::{
        media::EditorFiles,
        norwegian_date,
        page::{PageEditor, PageRow},
        version::VersionRow,
    },
    error::AppError,
};

#[component]
pub fn PagesAdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_pages_admin());
    admin_page!(data, |rows: Vec<PageRow>| view! {
        <Title text="Sider – Redaktør – Bli involvert"/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Sider")]/>
        <h1>"Sider"</h1>
        <Notice/>
        <p>"Tekstene på nettstedets faste sider. Oversikten over veiledere og organisasjonskatalogen lages av katalogen; her endrer du teksten over dem."</p>
        <ul class="admin-list">
            {rows.into_iter().map(|row| view! {
                <li>
                    <a href=format!("/redaktor/sider/{}", row.slug)>{row.title}</a>
                    <span class="meta">{format!(" – /{}, sist endret {}{}", row.slug, norwegian_date(&row.updated_at),
                        row.updated_by.map(|u| format!(" av {u}")).unwrap_or_default())}</span>
                </li>
            }).collect_view()}
        </ul>
    })
}

#[component]
pub fn PageEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("slug"),
                query
                    .read()
                    .get("versjon")
                    .and_then(|v| v.parse::<i64>().ok()),
            )
        },
        |(slug, version)| async move {
            let editor = get_page_editor(slug, version).await?;
            let files = get_editor_files(None).await?;
            Ok::<_, AppError>((editor, files))
        },
    );
    admin_page!(
        data,
        |(editor, files): (PageEditor, EditorFiles)| view! { <PageForm editor files/> }
    )
}

#[component]
fn PageForm(editor: PageEditor, files: EditorFiles) -> impl IntoView {
    let PageEditor {
        slug,
        form:
            FormState {
                input: Previewed { input, preview },
                errors,
                message,
            },
        viewing,
        versions,
    } = editor;
    let heading = format!("Rediger «{}»", input.title);
    let error = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    };
    let field_view = |name: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      body: AnyView| {
        let error = error(name);
        let invalid = error.is_some();
        view! {
            <div class="field" class:has-error=invalid>
                <label for=name>{label}</label>
                <p class="hint" id=format!("{name}-hjelp")>{hint}</p>
                {error.map(|e| view! { <p class="field-error" id=format!("{name}-feil")>{e}</p> })}
                {body}
            </div>
        }
    };
    let invalid = |name: &str| error(name).map(|_| "true");
    let described = |name: &str| match error(name) {
        Some(_) => format!("{name}-hjelp {name}-feil"),
        None => format!("{name}-hjelp"),
    };
    let title_input = view! {
        <input type="text" id="title" name="title" value=input.title.clone() maxlength="200" required
            aria-invalid=invalid("title") aria-describedby=described("title")/>
    }.into_any();
    let description_input = view! {
        <textarea id="description" name="description" rows="2" maxlength="200"
            aria-invalid=invalid("description") aria-describedby=described("description")>{textarea_text(input.description.clone())}</textarea>
    }.into_any();
    let body_input = view! {
        <textarea id="body" name="body" rows="18" class="markdown"
            aria-invalid=invalid("body") aria-describedby=described("body")>{textarea_text(input.body.clone())}</textarea>
    }.into_any();
    let public = format!("/{slug}");
    view! {
        <Title text=format!("{heading} – Bli involvert")/>
        <Breadcrumbs trail=vec![
            Crumb::link("Forside", "/"),
            Crumb::link("Redaktør", "/redaktor"),
            Crumb::link("Sider", "/redaktor/sider"),
            Crumb::here(heading.clone()),
        ]/>
        <h1>{heading}</h1>
        <Notice/>
        <p><a href=public.clone()>{format!("Se siden ({public})")}</a></p>
        <ErrorSummary message errors=errors.clone()/>
        {viewing.map(|v| view! {
            <p class="notice" role="note">{format!("Du ser versjon {v}. Lagre for å gjøre den til gjeldende tekst igjen (som en ny versjon).")}</p>
        })}
        <InsertFiles files=files.pasteable into="body"/>
        <form class="stack-form editor-form" method="post" action=format!("/redaktor/sider/{slug}") novalidate>
            <input type="hidden" name="version" value=input.version.to_string()/>
            {field_view("title", "Tittel", "Vises som overskrift og i fanen.", title_input)}
            {field_view("description", "Beskrivelse", "Én setning, høyst 200 tegn. Vises i søkemotorer og når siden deles.", description_input)}
            {field_view("body", "Tekst (Markdown)", "Overskrifter begynner med ## (sidens tittel er den øverste). Lenker: [tekst](/ressurser/adresse). Bilder og dokumenter: last dem opp på /redaktor/filer og lim inn Markdown-teksten du får der.", body_input)}
            <div class="form-actions">
                <button type="submit" class="button" name="handling" value="lagre">"Lagre"</button>
                <button type="submit" class="button secondary" name="handling" value="forhandsvis">"Forhåndsvis teksten"</button>
            </div>
        </form>
        {preview.map(|html| view! {
            <section class="preview" aria-labelledby="forhandsvisning">
                <h2 id="forhandsvisning">"Forhåndsvisning (ikke lagret)"</h2>
                <div class="prose" inner_html=html></div>
            </section>
        })}
        <section aria-labelledby="versjoner">
            <h2 id="versjoner">"Versjoner"</h2>
            <ol class="versions">
                {versions.into_iter().map(|VersionRow { version: v, by, at }| view! {
                    <li>
                        <a href=format!("/redaktor/sider/{slug}?versjon={v}")>{format!("Versjon {v}")}</a>
                        {format!(" – {} av {by}", norwegian_date(&at))}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
