//! The form-handler kit: what every POST handler of the editors' and
//! administrators' forms shares. The route table (`crate::routes::editor`)
//! names each route's role, and [`require_role`] enforces it before the
//! handler runs; the handler takes the user as [`SignedIn`] and never checks
//! a role itself. A handler reads
//!
//! ```text
//! pub async fn thing(State(state): State<AppState>, SignedIn(user): SignedIn,
//!                    Path(slug): Path<String>, headers: HeaderMap, body: Bytes)
//!                    -> Result<Response, FormError> {
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

use std::sync::Arc;

use app::{
    api::form::{FormRoute, Submitted},
    auth::{self, Denied},
    db::editing::SaveError,
    domain::account::{Role, User},
    domain::{
        form::{form_pairs, FormState},
        notice::Notice,
    },
    error::AppError,
    shell,
    state::AppState,
};
use axum::{
    body::Body,
    extract::{FromRequestParts, Request as AxumRequest, State},
    http::{header, request::Parts, HeaderMap, Request, StatusCode},
    middleware::Next,
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
async fn gate(
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

/// The user a route's role layer ([`require_role`]) let through, for the
/// handler to take as an argument.
#[derive(Clone, Debug)]
pub struct SignedIn(pub User);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = FormError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, FormError> {
        // Only the role layer puts a user there: a handler mounted without
        // one answers 500, never runs unchecked.
        parts.extensions.get::<SignedIn>().cloned().ok_or_else(|| {
            tracing::error!(path = %parts.uri.path(), "a handler needs a user, but its route has no role layer");
            FormError::Failed(AppError::Internal)
        })
    }
}

/// The route layer of every editors' route: the request goes on to its
/// handler only with a live session whose role allows `role`; a visitor is
/// sent to sign in (and back to the page the form was on), a signed-in user
/// with too small a role gets 403.
pub async fn require_role(
    State((state, role)): State<(AppState, Role)>,
    mut request: AxumRequest,
    next: Next,
) -> Response {
    let back = back_to(request.headers(), request.method(), request.uri());
    match gate(&state, request.headers(), role, &back).await {
        Ok(user) => {
            request.extensions_mut().insert(SignedIn(user));
            next.run(request).await
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// Where sign-in sends a refused request back to: a GET to itself; a form
/// to the page it was sent from (its same-site `Referer`), else the
/// editors' front page (a POST's own path is often an action, not a page).
fn back_to(headers: &HeaderMap, method: &axum::http::Method, uri: &axum::http::Uri) -> String {
    if method == axum::http::Method::GET {
        return uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .filter(|r| host.is_some() && r.authority().map(|a| a.as_str()) == host)
        .and_then(|r| r.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| p.starts_with("/redaktor"))
        .unwrap_or_else(|| "/redaktor".to_string())
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

/// Renders a page again for a form that came back: `form` (what was typed
/// and what is wrong) is there for the page's server function to pick up by
/// its type (`app::api::form_or`). The answer is marked [`Echoed`].
pub async fn rerender<I: Clone + Send + Sync + 'static>(
    state: AppState,
    path: &str,
    headers: HeaderMap,
    form: FormState<I>,
    status: StatusCode,
) -> Response {
    render_with(state, path, headers, form, status).await
}

/// The answer to a save that failed: the page again with `input` as typed,
/// the fields' problems (422), or the save's message at the top (409, 503,
/// 500, each in Norwegian).
pub async fn save_failed<I: Clone + Send + Sync + 'static>(
    state: AppState,
    path: &str,
    headers: HeaderMap,
    input: I,
    err: SaveError,
) -> Response {
    let form = FormState::refused(input, &err);
    rerender(state, path, headers, form, save_status(&err)).await
}

/// The HTTP status of a form page shown again after `err`.
pub fn save_status(err: &SaveError) -> StatusCode {
    match err {
        SaveError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        SaveError::Conflict { .. } => StatusCode::CONFLICT,
        SaveError::NotFound => StatusCode::NOT_FOUND,
        SaveError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        SaveError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Renders `path` with `context` provided to its server functions.
pub(crate) async fn render_with<T: Clone + Send + Sync + 'static>(
    state: AppState,
    path: &str,
    headers: HeaderMap,
    context: T,
    status: StatusCode,
) -> Response {
    let provide = Arc::new(move || provide_context(context.clone()));
    render_providing(state, path, headers, provide, status).await
}

/// The handler of every form on the kit (`app::api::form`, listed in
/// `app::edit_forms`): read and save through the form's type, then 303 to
/// its page with the save's notice, or its page again with what was typed
/// and the save's status.
pub async fn submit(
    form: FormRoute,
    state: AppState,
    user: User,
    headers: HeaderMap,
    body: &[u8],
) -> Response {
    match (form.submit)(state.clone(), user, form_pairs(body)).await {
        Submitted::Done(notice) => notify(form.path, notice),
        Submitted::Again { err, provide } => {
            render_providing(state, form.path, headers, provide, save_status(&err)).await
        }
        Submitted::Failed(err) => FormError::Failed(err).into_response(),
    }
}

/// Renders `path` with `provide` run in its context (what its server
/// functions and form loaders find there).
async fn render_providing(
    state: AppState,
    path: &str,
    headers: HeaderMap,
    provide: Arc<dyn Fn() + Send + Sync>,
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
            provide();
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
    use axum::http::{HeaderMap, HeaderValue, Method, Uri};

    #[test]
    fn a_refused_form_comes_back_to_the_page_it_was_sent_from() {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("bli-involvert.no"));
        let action: Uri = "/redaktor/organisasjoner/napha/slett".parse().unwrap();
        assert_eq!(
            super::back_to(&headers, &Method::POST, &action),
            "/redaktor"
        );
        headers.insert(
            "referer",
            HeaderValue::from_static("https://bli-involvert.no/redaktor/organisasjoner/napha"),
        );
        assert_eq!(
            super::back_to(&headers, &Method::POST, &action),
            "/redaktor/organisasjoner/napha"
        );
        // Another site's page is not a way back.
        headers.insert(
            "referer",
            HeaderValue::from_static("https://evil.example/redaktor/x"),
        );
        assert_eq!(
            super::back_to(&headers, &Method::POST, &action),
            "/redaktor"
        );
        let csv: Uri = "/redaktor/tilbakemeldinger.csv?status=ny".parse().unwrap();
        assert_eq!(
            super::back_to(&headers, &Method::GET, &csv),
            "/redaktor/tilbakemeldinger.csv?status=ny"
        );
    }

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
