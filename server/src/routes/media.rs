//! Pictures and documents (issue 29): the editors' upload and delete
//! (their routes check the role), and serving files to everyone under
//! their content-addressed names, cached for a year.

use app::{
    db::{
        editing::SaveError,
        media::{self as db, Stored},
    },
    domain::{
        form::FormState,
        media::{
            is_hash, MediaInput, ALT_FIELD, DECORATIVE_FIELD, DOWNLOAD_FIELD, FILE_FIELD,
            MAX_FILE_BYTES,
        },
        notice::Notice,
    },
    state::AppState,
};
use axum::{
    extract::{multipart::MultipartRejection, Multipart, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{
    media::{self, Upload},
    routes::forms::{failed, found, notify, rerender, save_failed, FormError, SignedIn},
};

pub const PATH: &str = "/redaktor/filer";

/// Where a resource's form posts the documents it offers as downloads.
pub const ATTACH: &str = "/redaktor/ressurser/{slug}/nedlastinger";

/// The largest request the upload route reads: the file and the form
/// around it.
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILE_BYTES + (1 << 20);

/// Uploads being decoded and resized now.
static PREPARING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The most of a text field read (the alt text is at most 300 characters).
const TEXT_MAX: usize = 4096;

/// `POST /redaktor/filer`: a multipart form with the file, its alt text and
/// whether it is decorative. Stored in one transaction, or the page again
/// with the problem by its field (422) and nothing stored.
pub async fn upload(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, FormError> {
    let mut upload = Upload::default();
    let problem = match multipart {
        Ok(multipart) => read(multipart, &mut upload).await,
        Err(_) => Some("Velg en fil å laste opp.".to_string()),
    };
    let input = MediaInput {
        alt: upload.alt.clone(),
        decorative: upload.decorative,
    };
    let refuse = |message: String| {
        FormState::invalid(
            input.clone(),
            vec![app::domain::form::FieldError::new(FILE_FIELD, message)],
        )
    };
    if let Some(message) = problem {
        return Ok(rerender(
            state,
            PATH,
            headers,
            refuse(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    }
    // At most two images are decoded at once: each may take 320 MB.
    let _turn = PREPARING
        .acquire()
        .await
        .map_err(|_| FormError::Failed(app::error::AppError::Internal))?;
    let prepared = tokio::task::spawn_blocking(move || media::prepare(&upload))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "preparing an upload failed");
            FormError::Failed(app::error::AppError::Internal)
        })?;
    let new = match prepared {
        Ok(new) => new,
        Err(errors) => {
            return Ok(rerender(
                state,
                PATH,
                headers,
                FormState::invalid(input, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
    };
    Ok(
        match db::insert(&state.pool, &user, &new, state.media_quota).await {
            Ok(Stored::New) => notify(PATH, Notice::FileUploaded),
            Ok(Stored::AlreadyThere) => notify(PATH, Notice::FileExists),
            Err(err) => save_failed(state, PATH, headers, input, err).await,
        },
    )
}

/// Reads the form's fields into `upload`; a problem with the request as a
/// sentence for the file field.
async fn read(mut multipart: Multipart, upload: &mut Upload) -> Option<String> {
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return None,
            Err(err) => return Some(broken(err.status())),
        };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == FILE_FIELD;
        if is_file {
            upload.name = field.file_name().unwrap_or_default().to_string();
        }
        let max = if is_file { MAX_FILE_BYTES } else { TEXT_MAX };
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > max {
                        return Some(if is_file {
                            media::too_large()
                        } else {
                            "Et av feltene er for langt.".into()
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(err) => return Some(broken(err.status())),
            }
        }
        match name.as_str() {
            FILE_FIELD => upload.bytes = bytes,
            ALT_FIELD => upload.alt = String::from_utf8_lossy(&bytes).into_owned(),
            DECORATIVE_FIELD => upload.decorative = !bytes.is_empty(),
            _ => {}
        }
    }
}

fn broken(status: StatusCode) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        media::too_large()
    } else {
        "Filen kom ikke fram helt. Prøv igjen.".into()
    }
}

/// `POST /redaktor/filer/{hash}/slett`: deletes a file nothing uses; a file
/// in use stays, and the page lists where.
pub async fn delete(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(hash): Path<String>,
) -> Result<Response, FormError> {
    let hash = found(is_hash(&hash).then_some(hash))?;
    Ok(match db::delete(&state.pool, &user, &hash).await {
        Ok(_) => notify(PATH, Notice::FileDeleted),
        Err(SaveError::Invalid(_)) => notify(PATH, Notice::FileInUse),
        Err(SaveError::NotFound) => return Err(FormError::NotFound),
        Err(err) => notify(PATH, failed(&err)),
    })
}

/// `POST /redaktor/ressurser/{slug}/nedlastinger`: the documents (each
/// ticked `nedlasting`, a hash) the resource offers as downloads. Its page
/// is forgotten by the page cache, so visitors see the list at once.
pub async fn attach(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, FormError> {
    let id = found(app::db::lookup::resource_id(&state.pool, &slug).await?)?;
    let pairs = app::domain::form::form_pairs(&body);
    let hashes: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == DOWNLOAD_FIELD)
        .map(|(_, v)| v.to_string())
        .collect();
    let back = format!("/redaktor/ressurser/{slug}#nedlastinger");
    Ok(
        match db::set_downloads(&state.pool, &user, id, &hashes).await {
            Ok(slug) => {
                let page = format!("/ressurser/{slug}");
                state.forget_pages(|path| path == page);
                notify(back, Notice::DownloadsSaved)
            }
            Err(SaveError::Invalid(_)) => notify(back, Notice::DownloadGone),
            Err(SaveError::NotFound) => return Err(FormError::NotFound),
            Err(err) => notify(back, failed(&err)),
        },
    )
}

/// `GET /filer/{name}`: an image's width, `<hash>-<width>.<ext>` (or the
/// Markdown's `<hash>-<width>x<height>.<ext>`).
pub async fn image(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some((hash, width)) = image_name(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match db::blob(&state.pool, hash, width).await {
        Ok(Some((content_type, data, _))) => serve(&content_type, data, None),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => unavailable(err),
    }
}

/// `GET /filer/{hash}/{name}`: a document, as a download with its name.
pub async fn document(
    State(state): State<AppState>,
    Path((hash, _name)): Path<(String, String)>,
) -> Response {
    if !is_hash(&hash) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match db::blob(&state.pool, &hash, 0).await {
        Ok(Some((content_type, data, name))) => serve(&content_type, data, Some(&name)),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => unavailable(err),
    }
}

fn unavailable(err: sqlx::Error) -> Response {
    let err = app::error::AppError::from(err);
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        err.to_string(),
    )
        .into_response()
}

/// `(hash, width)` from `<hash>-<width>.<ext>` or `<hash>-<width>x<height>.<ext>`.
fn image_name(name: &str) -> Option<(&str, u32)> {
    let (stem, ext) = name.split_once('.')?;
    if !matches!(ext, "jpg" | "png") {
        return None;
    }
    let (hash, size) = stem.split_once('-')?;
    let width = size.split('x').next()?;
    if !is_hash(hash) || width.is_empty() || !width.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((hash, width.parse().ok().filter(|&w| w > 0)?))
}

/// A stored file: its own type, kept for a year (its name changes when its
/// content does), never sniffed; a document as a download with its name.
fn serve(content_type: &str, data: Vec<u8>, download: Option<&str>) -> Response {
    let mut response = data.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(name) = download {
        if let Ok(value) = HeaderValue::from_str(&content_disposition(name)) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

/// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>`
/// (RFC 6266 with RFC 8187): every browser gets a safe name, and those that
/// read `filename*` get the name with its æ, ø and å.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_read_back() {
        assert_eq!(
            image_name("0123456789abcdef-960.jpg"),
            Some(("0123456789abcdef", 960))
        );
        assert_eq!(
            image_name("0123456789abcdef-1600x1200.png"),
            Some(("0123456789abcdef", 1600))
        );
        assert_eq!(image_name("0123456789abcdef-0.jpg"), None);
        assert_eq!(image_name("../etc-1.jpg"), None);
        assert_eq!(image_name("0123456789abcdef-960.html"), None);
    }

    #[test]
    fn a_download_keeps_its_name_safely() {
        assert_eq!(
            content_disposition("Mal for brukerråd.docx"),
            "attachment; filename=\"Mal for brukerr_d.docx\"; filename*=UTF-8''Mal%20for%20brukerr%C3%A5d.docx"
        );
    }
}
