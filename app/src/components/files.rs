//! The files panel of the editors' forms (issue 29): every uploaded picture
//! and document with the Markdown that puts it in the text (copy and paste,
//! so it works without JavaScript; with the editors' bundle, a button puts
//! it in the body: `islands::insert`), a link to upload another, and on a
//! saved resource the form that chooses the documents it offers as
//! downloads (posted to `server::media_routes::attach`).

use leptos::prelude::*;

use crate::{
    domain::media::{Attachments, Pasteable, DOWNLOAD_FIELD},
    islands::insert::{InsertButtons, SAID},
};

/// Where files are uploaded.
const UPLOAD: &str = "/redaktor/filer";

/// Every uploaded file with its Markdown to copy, and «Last opp fil»; with
/// the editors' bundle, «Sett inn i teksten» puts a file's Markdown in the
/// textarea whose id is `into` (the form's body).
#[component]
pub fn InsertFiles(files: Vec<Pasteable>, into: &'static str) -> impl IntoView {
    let count = files.len();
    let list = if files.is_empty() {
        view! { <p>"Ingen filer er lastet opp ennå."</p> }.into_any()
    } else {
        view! {
            <InsertButtons>
                <details class="insert-files">
                    <summary>{format!("Vis filene og Markdown-teksten deres ({count})")}</summary>
                    <p class="hint">"Kopier Markdown-teksten og lim den inn i teksten der bildet eller lenken skal stå."</p>
                    <ul class="paste-list stack-form">
                        {files.into_iter().map(|file| {
                            let id = format!("lim-inn-{}", file.hash);
                            let kind = if file.is_image { "bilde" } else { "dokument" };
                            // Hidden until the island shows it: without
                            // JavaScript it could do nothing.
                            view! {
                                <li class="field">
                                    <label for=id.clone()>{format!("{} ({kind})", file.name)}</label>
                                    <div class="paste-row">
                                        <input type="text" id=id readonly value=file.markdown.clone()/>
                                        <button type="button" class="button secondary small" hidden
                                            data-insert=file.markdown aria-controls=into>
                                            "Sett inn i teksten"
                                            <span class="visually-hidden">{format!(" «{}»", file.name)}</span>
                                        </button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
                <p id=SAID class="visually-hidden" role="status"></p>
            </InsertButtons>
        }
        .into_any()
    };
    view! {
        <section class="files-panel" aria-labelledby="bilder-og-dokumenter">
            <h2 id="bilder-og-dokumenter">"Bilder og dokumenter"</h2>
            <p><a href=UPLOAD>"Last opp fil"</a>" (åpner siden for bilder og dokumenter)"</p>
            {list}
        </section>
    }
}

/// The documents a saved resource offers under «Nedlastinger».
#[component]
pub fn AttachDownloads(slug: String, attachments: Attachments) -> impl IntoView {
    let Attachments {
        documents,
        attached,
    } = attachments;
    let body = if documents.is_empty() {
        view! {
            <p>"Ingen dokumenter er lastet opp ennå. "<a href=UPLOAD>"Last opp fil"</a></p>
        }
        .into_any()
    } else {
        view! {
            <form class="stack-form" method="post" action=format!("/redaktor/ressurser/{slug}/nedlastinger")>
                <fieldset class="field choice-group">
                    <legend>"Dokumenter ressursen tilbyr"</legend>
                    {documents.into_iter().map(|d| {
                        let id = format!("{DOWNLOAD_FIELD}-{}", d.hash);
                        let checked = attached.contains(&d.hash);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name=DOWNLOAD_FIELD value=d.hash.clone() checked=checked/>
                                <label for=id>{format!("{} ({})", d.name, d.details())}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">"Oppdater nedlastingene"</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="files-panel" aria-labelledby="nedlastinger">
            <h2 id="nedlastinger">"Nedlastinger"</h2>
            <p class="hint">"Dokumentene du krysser av, står under «Nedlastinger» på ressurssiden, med type og størrelse. Lagres for seg, uavhengig av skjemaet over."</p>
            {body}
        </section>
    }
}

/// A picture an editor chose for a page (`domain::media::Illustration`):
/// every stored width in `srcset`, `sizes` as the page lays it out, and
/// its width and height so nothing moves while it loads.
#[component]
pub fn IllustrationView(
    image: crate::domain::media::Illustration,
    /// How wide the page shows it (the `sizes` attribute).
    sizes: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <img class=class src=image.src srcset=image.srcset sizes=sizes
            width=image.width height=image.height alt=image.alt decoding="async"/>
    }
}
