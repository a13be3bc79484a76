//! The form-handler kit: what every POST handler of the editors' and
//! administrators' forms shares. A handler reads
//!
//! ```text
//! pub async fn thing(State(state): State<AppState>, Path(slug): Path<String>,
//!                    headers: HeaderMap, body: Bytes) -> Result<Response, FormError> {
//!     let user = gate(&state, &headers, Role::Editor, &page).await?;   // who (sign-in or 403)
//!     let id = found(lookup::resource_id(&state.pool, &slug).await?)?; // what (404)
//!     match save(…).await {                                            // the write
//!         Ok(saved) => Ok(notify(&page, Notice::Saved)),               // 303
//!         Err(err) => Ok(rerender(state, &page, headers, echo, err.status()).await),
//!     }
//! }
//! ```
//!
//! `?` turns a refusal or a failed read into its answer ([`FormError`]): the
//! same failure gets the same status and the same Norwegian sentence in
//! every handler. A failed *save* is not a `FormError`: the handler shows the
//! form again with what was typed ([`rerender`]), so nothing is lost.

use app::{
    auth::{self, Denied, Role, User},
    db::editing::SaveError,
    domain::notice::Notice,
    error::AppError,
    shell,
    state::AppState,
};
use axum::{
    body::Body,
    http::{header, HeaderMap, Request, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;

/// Why a handler stops before its write, as the answer to send.
#[derive(Debug)]
pub enum FormError {
    /// No session: a redirect to sign-in that comes back to this page.
    SignIn { back: String },
    /// Signed in with a role that does not allow it: 403.
    Forbidden,
    /// The slug or id in the URL names nothing: 404.
    NotFound,
    /// A form that no page of this site sends (an unknown action): 400.
    BadRequest(&'static str),
    /// A read failed; `AppError::Unavailable` (storage, 503) or
    /// `AppError::Internal` (500). The cause is logged where it happened.
    Failed(AppError),
}

impl From<sqlx::Error> for FormError {
    /// Logs the cause (`AppError`'s conversion does), answers 503 for a
    /// storage failure and 500 otherwise.
    fn from(err: sqlx::Error) -> Self {
        FormError::Failed(AppError::from(err))
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        let plain = |status: StatusCode, message: String| {
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message,
            )
                .into_response()
        };
        match self {
            FormError::SignIn { back } => {
                Redirect::to(&format!("/logg-inn?neste={}", app::query::encode(&back)))
                    .into_response()
            }
            FormError::Forbidden => plain(StatusCode::FORBIDDEN, AppError::Forbidden.to_string()),
            FormError::NotFound => StatusCode::NOT_FOUND.into_response(),
            FormError::BadRequest(message) => plain(StatusCode::BAD_REQUEST, message.into()),
            FormError::Failed(err) => {
                let status =
                    StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                plain(status, err.to_string())
            }
        }
    }
}

/// The signed-in user if their role allows `role` (`auth::authorize`, the
/// same check the server functions make); otherwise sign-in, coming back to
/// `back`, or 403.
pub async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    role: Role,
    back: &str,
) -> Result<User, FormError> {
    auth::authorize(state, headers, role)
        .await
        .map_err(|denied| match denied {
            Denied::SignedOut => FormError::SignIn { back: back.into() },
            Denied::WrongRole => FormError::Forbidden,
            Denied::Failed(err) => FormError::Failed(err),
        })
}

/// A lookup's row, or 404.
pub fn found<T>(row: Option<T>) -> Result<T, FormError> {
    row.ok_or(FormError::NotFound)
}

/// 303 See Other to `path`: where a handler sends the browser after a write.
pub fn see(path: impl AsRef<str>) -> Response {
    Redirect::to(path.as_ref()).into_response()
}

/// 303 See Other to `path` with `notice` for the page to show
/// (`?melding=…`).
pub fn notify(path: impl AsRef<str>, notice: Notice) -> Response {
    see(notice.on(path.as_ref()))
}

/// The notice for a save that failed where the page shows no form again
/// (a button's action: publish, delete, move).
pub fn failed(err: &SaveError) -> Notice {
    match err {
        SaveError::Conflict { .. } => Notice::Conflict,
        SaveError::Invalid(_) => Notice::Incomplete,
        SaveError::NotFound => Notice::Gone,
        SaveError::Unavailable => Notice::Storage,
        SaveError::Db(_) => Notice::Technical,
    }
}

/// Marks an answer that shows what a visitor typed: `security::headers`
/// makes it `private, no-store` whatever its method (review 3, N6).
#[derive(Clone, Copy, Debug)]
pub struct Echoed;

/// Renders a page again for a form that came back, with `context` (what was
/// typed and what is wrong) available to its server functions. The answer
/// is marked [`Echoed`].
pub async fn rerender<T: Clone + Send + Sync + 'static>(
    state: AppState,
    path: &str,
    headers: HeaderMap,
    context: T,
    status: StatusCode,
) -> Response {
    // The path may hold a decoded slug from the URL (`<`, spaces, æøå):
    // encode what a URI cannot carry, so the page renders (a 404 if need be).
    let mut request = Request::builder().method("GET").uri(uri_safe(path));
    for (name, value) in headers.iter() {
        if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
            request = request.header(name, value);
        }
    }
    let Ok(request) = request.body(Body::empty()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let options = state.leptos_options.clone();
    let context_state = state.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            provide_context(context.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = handler(request).await.into_response();
    *response.status_mut() = status;
    response.extensions_mut().insert(Echoed);
    response
}

/// `path` with every byte a URI cannot hold percent-encoded.
fn uri_safe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/?#[]@!$&'()*+,;=%:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn any_path_becomes_a_uri() {
        for path in [
            "/innspill/<script>alert(1)</script>",
            "/redaktor/sider/æ ø\t\"x\"",
            "/a?b=c d",
        ] {
            assert!(
                super::uri_safe(path).parse::<axum::http::Uri>().is_ok(),
                "{path}"
            );
        }
        assert_eq!(
            super::uri_safe("/ressurser/a-larm?x=1"),
            "/ressurser/a-larm?x=1"
        );
    }
}
