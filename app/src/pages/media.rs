//! The editors' media page (`/redaktor/filer`): upload a picture or a
//! document (a plain multipart form, so it works without JavaScript), copy
//! the Markdown that puts it in a body, see where each file is used, and
//! delete a file nothing uses. The form posts to `server::routes::media`.
//! With the editors' bundle, the form takes a dropped file and shows the
//! upload's progress (`islands::upload`).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::media::get_media,
    components::{
        form::{error_id, field_id, TextField},
        Breadcrumbs, Crumb, ErrorSummary, ErrorView, Loading,
    },
    components::{Notice, SignInFirst},
    domain::{
        form::error_for,
        media::{
            human_size, MediaFile, MediaPage, ALT_FIELD, DECORATIVE_FIELD, FILE_FIELD,
            MAX_FILE_BYTES,
        },
    },
    error::AppError,
    islands::upload::{UploadForm, PART, PROBLEM, PROGRESS, STATUS},
};

pub const PATH: &str = "/redaktor/filer";

#[component]
pub fn MediaAdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_media());
    admin_page!(data, |page: MediaPage| view! { <MediaView page/> })
}

#[component]
fn MediaView(page: MediaPage) -> impl IntoView {
    let MediaPage {
        form,
        files,
        used_bytes,
        quota_bytes,
    } = page;
    let errors = form.errors.clone();
    let file_error = error_for(&errors, FILE_FIELD);
    let file_described = if file_error.is_some() {
        format!("{0}-hjelp {1}", field_id(FILE_FIELD), error_id(FILE_FIELD))
    } else {
        format!("{}-hjelp", field_id(FILE_FIELD))
    };
    let (used, unused): (Vec<MediaFile>, Vec<MediaFile>) =
        files.into_iter().partition(|f| !f.uses.is_empty());
    let unused_count = unused.len();
    view! {
        <Title text="Bilder og dokumenter – Redaktør – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <Breadcrumbs trail=vec![Crumb::link("Forside", "/"), Crumb::link("Redaktør", "/redaktor"), Crumb::here("Bilder og dokumenter")]/>
        <h1>"Bilder og dokumenter"</h1>
        <UploadForm>
            <div id=PART>
                <Notice/>
                <p>{format!(
                    "Filene bruker {} av {} nettstedet har plass til.",
                    human_size(used_bytes),
                    human_size(quota_bytes)
                )}</p>
                <h2>"Last opp en fil"</h2>
                <ErrorSummary message=form.message.clone() errors=errors.clone()/>
                <form class="stack-form editor-form" method="post" action=PATH enctype="multipart/form-data" novalidate>
                    // The drop zone (`islands::upload`): a dropped file fills
                    // the same input; its words show once the island runs.
                    <div class="field drop-zone" class:has-error=file_error.is_some()>
                        <label for=field_id(FILE_FIELD)>"Fil"</label>
                        <p class="hint" id=format!("{}-hjelp", field_id(FILE_FIELD))>
                            {format!(
                                "Bilder: JPEG, PNG eller WebP. Dokumenter: PDF, DOCX, ODT eller XLSX. Høyst {} MB. Bilder lagres på nytt i tre bredder, uten kamera- og stedsopplysninger.",
                                MAX_FILE_BYTES >> 20
                            )}
                        </p>
                        {file_error.clone().map(|m| view! { <p class="field-error" id=error_id(FILE_FIELD)>{m}</p> })}
                        <input type="file" id=field_id(FILE_FIELD) name=FILE_FIELD
                            accept=".jpg,.jpeg,.png,.webp,.pdf,.docx,.odt,.xlsx,image/jpeg,image/png,image/webp,application/pdf"
                            aria-invalid=file_error.is_some().then_some("true") aria-describedby=file_described/>
                        <p class="drop-hint" hidden>
                            <span class="drop-idle">"Du kan også dra en fil hit og slippe den."</span>
                            <span class="drop-active">"Slipp filen for å velge den."</span>
                        </p>
                    </div>
                    <TextField name=ALT_FIELD label="Bildetekst for skjermlesere (alt-tekst)" value=form.input.alt.clone()
                        errors=errors.clone() maxlength=300
                        hint="Bare for bilder: si det bildet viser, slik du ville sagt det til en som ikke ser det. Ikke skriv «bilde av»."/>
                    <div class="choice">
                        <input type="checkbox" id=DECORATIVE_FIELD name=DECORATIVE_FIELD value="ja" checked=form.input.decorative/>
                        <label for=DECORATIVE_FIELD>"Dekorativt bilde (sier ikke noe teksten ikke sier; skjermlesere hopper over det)"</label>
                    </div>
                    <button type="submit" class="button">"Last opp"</button>
                </form>
            </div>
            // Written by the island while it sends (empty and hidden without it).
            <progress id=PROGRESS class="upload-progress" max="100" value="0" aria-label="Opplasting" hidden></progress>
            <p id=STATUS class="upload-status" role="status"></p>
            <p id=PROBLEM class="form-error upload-problem" role="alert" hidden></p>
        </UploadForm>

        <h2>"Filer i bruk"</h2>
        <FileList files=used empty="Ingen filer er i bruk ennå."/>
        <h2>"Filer som ikke er i bruk"</h2>
        <p>{match unused_count {
            0 => "Alle filene er i bruk.".to_string(),
            1 => "Én fil er ikke brukt i noen ressurs eller side.".to_string(),
            n => format!("{n} filer er ikke brukt i noen ressurs eller side."),
        }}</p>
        <FileList files=unused empty=""/>
    }
}

#[component]
fn FileList(files: Vec<MediaFile>, empty: &'static str) -> impl IntoView {
    if files.is_empty() {
        return (!empty.is_empty())
            .then(|| view! { <p>{empty}</p> })
            .into_any();
    }
    view! {
        <ul class="media-list">
            {files.into_iter().map(|file| view! { <FileItem file/> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn FileItem(file: MediaFile) -> impl IntoView {
    let markdown_id = format!("markdown-{}", file.hash);
    let preview = file.thumbnail().map(|(src, width, height)| {
        view! {
            <img class="media-thumb" src=src alt=file.alt.clone()
                width=width height=height loading="lazy"/>
        }
    });
    let described = if file.format.is_image() {
        if file.decorative {
            "Dekorativt bilde".to_string()
        } else {
            format!("Alt-tekst: «{}»", file.alt)
        }
    } else {
        String::new()
    };
    let size = if file.format.is_image() {
        format!(
            "{}, {}×{} piksler, {} lastet opp, {} lagret i alle bredder",
            file.format.label(),
            file.width,
            file.height,
            human_size(file.original_bytes),
            human_size(file.bytes)
        )
    } else {
        format!(
            "{}, {}",
            file.format.label(),
            human_size(file.original_bytes)
        )
    };
    let in_use = !file.uses.is_empty();
    let delete_action = format!("{PATH}/{}/slett", file.hash);
    view! {
        <li class="media-item">
            {preview}
            <div class="media-about">
                <p><a href=file.url()>{file.name.clone()}</a></p>
                <p class="hint">{size}" · "{file.uploaded_by.clone()}" · "{file.uploaded_at.chars().take(10).collect::<String>()}</p>
                {(!described.is_empty()).then(|| view! { <p class="hint">{described.clone()}</p> })}
                <div class="field">
                    <label for=markdown_id.clone()>"Markdown å lime inn i teksten"</label>
                    <input type="text" id=markdown_id readonly value=file.markdown()/>
                </div>
                {if in_use {
                    view! {
                        <p>"Brukt i: "
                            {file.uses.iter().enumerate().map(|(i, u)| view! {
                                {(i > 0).then_some(", ")}
                                <a href=u.href.clone()>{u.title.clone()}</a>
                            }).collect_view()}
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <form method="post" action=delete_action>
                            <button type="submit" class="button danger small">
                                "Slett "<span class="visually-hidden">{format!("«{}»", file.name)}</span>
                            </button>
                        </form>
                    }.into_any()
                }}
            </div>
        </li>
    }
}
