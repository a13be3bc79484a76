//! The axum server: configuration, the pool, migrations, layers and the router.

pub mod bench;
pub mod cli;
pub mod http;
pub mod jobs;
pub mod media;
pub mod routes;

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use app::{shell, state::AppState, App, OUTPUT_NAME};
use axum::{
    extract::State,
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post, MethodRouter},
    Json, Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// How long one request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything the server needs to know to start.
#[derive(Clone, Debug)]
pub struct Config {
    pub database: PathBuf,
    pub addr: SocketAddr,
    pub site_root: PathBuf,
    pub content_dir: PathBuf,
    /// The address visitors use, e.g. `https://bli-involvert.no`; defaults to `http://<addr>`.
    pub public_url: Option<String>,
    /// Days feedback is kept before it is deleted automatically.
    pub feedback_retention_days: u32,
    /// Submissions one client may make per ten minutes.
    pub feedback_limit: u32,
    /// Count visits (anonymously, without cookies).
    pub stats: bool,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` are believed.
    pub trusted_proxies: app::client::TrustedProxies,
    /// The rendered-page cache's memory and time to live.
    pub page_cache: app::page_cache::Limits,
    /// The link checker's timer and the editors' e-mail digest.
    pub background: Background,
    /// Connections open at once, over all clients and from one client
    /// (`BLI_MAX_CONNECTIONS`, `BLI_MAX_CONNECTIONS_PER_CLIENT`).
    pub max_connections: usize,
    pub max_connections_per_client: usize,
    /// Megabytes all uploaded files may take together (`BLI_MEDIA_QUOTA_MB`).
    pub media_quota_mb: u64,
}

/// What runs on timers beside the site (issue 20).
#[derive(Clone, Debug)]
pub struct Background {
    /// How often every link is checked; `None`: never by itself.
    pub link_check_interval: Option<Duration>,
    /// `smtp://…` / `smtps://…` of the relay; `None`: no e-mail.
    pub smtp_url: Option<String>,
    /// How often an editor who opted in gets the digest.
    pub digest_interval: Duration,
    /// Internal hosts the link checker may request (`BLI_LINK_CHECK_ALLOW`).
    pub link_check_allow: Vec<String>,
}

impl Background {
    /// Nothing on a timer: for tests and tools.
    pub fn off() -> Background {
        Background {
            link_check_interval: None,
            smtp_url: None,
            digest_interval: jobs::digest::DEFAULT_INTERVAL,
            link_check_allow: Vec::new(),
        }
    }
}

impl Config {
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }
}

/// Why the server could not start, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the database folder {path}: {source}")]
    DatabaseDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source} (is the path writable? set BLI_DATABASE)")]
    DatabaseOpen { path: PathBuf, source: sqlx::Error },
    #[error("cannot migrate the database {path}: {source}")]
    Migrate {
        path: PathBuf,
        source: sqlx::migrate::MigrateError,
    },
    #[error("cannot import the seed content: {0}")]
    Content(#[from] app::content::ContentError),
    #[error("address {addr} is already in use (set BLI_ADDR to another address)")]
    AddrInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Opens (creating if needed) and migrates the database.
pub async fn open_database(path: &std::path::Path) -> Result<sqlx::SqlitePool, StartError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StartError::DatabaseDir {
            path: dir.into(),
            source,
        })?;
    }
    let pool = app::db::connect(path)
        .await
        .map_err(|source| StartError::DatabaseOpen {
            path: path.into(),
            source,
        })?;
    app::db::migrate(&pool)
        .await
        .map_err(|source| StartError::Migrate {
            path: path.into(),
            source,
        })?;
    Ok(pool)
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}

/// Every editors' route outside the Leptos pages (the forms' POST handlers
/// and the CSV downloads) with the role it needs. The router is built from
/// this list and puts [`routes::forms::require_role`] in front of each handler: the
/// role is written here and nowhere else, and a handler gets its user as
/// [`routes::forms::SignedIn`]. Tests walk the list to prove each route refuses a
/// visitor and a too-small role, and lets its role through.
pub fn editor_routes() -> Vec<(
    &'static str,
    app::domain::account::Role,
    MethodRouter<AppState>,
)> {
    use app::domain::account::Role::{Admin, Editor};
    let mut routes = vec![
        (
            "/redaktor/tilbakemeldinger.csv",
            Editor,
            get(routes::feedback::inbox_csv),
        ),
        (
            "/redaktor/innspill/{slug}/svar.csv",
            Editor,
            get(routes::consultation::answers_csv),
        ),
        (
            "/redaktor/ressurser/ny",
            Editor,
            post(routes::editor::save_new),
        ),
        (
            "/redaktor/ressurser/{slug}",
            Editor,
            post(routes::editor::save_existing),
        ),
        (
            "/redaktor/ressurser/{slug}/status",
            Editor,
            post(routes::manage::resource_status),
        ),
        (
            "/redaktor/ressurser/{slug}/gjenopprett",
            Editor,
            post(routes::manage::resource_restore),
        ),
        (
            "/redaktor/ressurser/{slug}/slett",
            Editor,
            post(routes::manage::resource_delete),
        ),
        (
            "/redaktor/organisasjoner/ny",
            Editor,
            post(routes::manage::organisation_new),
        ),
        (
            "/redaktor/organisasjoner/{slug}",
            Editor,
            post(routes::manage::organisation_existing),
        ),
        (
            "/redaktor/organisasjoner/{slug}/slett",
            Editor,
            post(routes::manage::organisation_delete),
        ),
        (
            "/redaktor/kategorier/{facet}/ny",
            Admin,
            post(routes::manage::value_add),
        ),
        (
            "/redaktor/kategorier/verdi/{id}",
            Admin,
            post(routes::manage::value_change),
        ),
        (
            "/redaktor/kontoer/ny",
            Admin,
            post(routes::manage::account_new),
        ),
        (
            "/redaktor/kontoer/{id}",
            Admin,
            post(routes::manage::account_change),
        ),
        (
            "/redaktor/innspill/ny",
            Editor,
            post(routes::consultation::round_new),
        ),
        (
            "/redaktor/innspill/{slug}",
            Editor,
            post(routes::consultation::round_existing),
        ),
        (
            "/redaktor/tilbakemeldinger/{ref}",
            Editor,
            post(routes::feedback::handle),
        ),
        (
            "/redaktor/tilbakemeldinger/{ref}/utkast",
            Editor,
            post(routes::feedback::to_draft),
        ),
        (
            "/redaktor/sider/{slug}",
            Editor,
            post(routes::pages::page_save),
        ),
        (
            "/redaktor/lenker/sjekk",
            Editor,
            post(routes::links::check_now),
        ),
        (
            "/redaktor/lenker/{id}/ny-adresse",
            Editor,
            post(routes::links::use_new_address),
        ),
        (
            "/redaktor/sammendrag",
            Editor,
            post(routes::links::digest_opt_in),
        ),
        (
            "/redaktor/sammendrag/bekreft",
            Editor,
            get(routes::links::confirm_digest_address).post(routes::links::confirm_digest_address),
        ),
        (
            routes::media::PATH,
            Editor,
            post(routes::media::upload).layer(axum::extract::DefaultBodyLimit::max(
                routes::media::UPLOAD_BODY_LIMIT,
            )),
        ),
        (
            "/redaktor/filer/{hash}/slett",
            Editor,
            post(routes::media::delete),
        ),
        (routes::media::ATTACH, Editor, post(routes::media::attach)),
        (
            "/redaktor/konto/totp/av",
            Editor,
            post(routes::factor::turn_off),
        ),
    ];
    // The forms on the kit name their path and role in their type
    // (`app::api::form::EditForm`); one handler serves them all.
    routes.extend(app::edit_forms().into_iter().map(|form| {
        let handler = move |State(state): State<AppState>,
                            routes::forms::SignedIn(user): routes::forms::SignedIn,
                            headers: axum::http::HeaderMap,
                            body: axum::body::Bytes| async move {
            routes::forms::submit(form, state, user, headers, &body).await
        };
        (form.path, form.role, post(handler))
    }));
    routes
}

/// The app's routes, listed once per process. Listing them runs the app
/// with resource loading switched off by a process-wide flag (leptos_router's
/// `SuppressResourceLoad`): a resource first polled meanwhile, on any thread,
/// waits forever (leptos issue #4773), so its page got 408 after 30 s. The
/// server builds one router before serving, but the tests build one per
/// request, many tests at once (`server/tests/it/router/concurrency.rs`).
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as a router, so tests can drive it without a socket.
pub fn router(mut state: AppState) -> Router {
    // A save's dropped pages are rendered again through this router.
    state.refill = Some(http::page_cache::rerender);
    let routes = routes();
    let context_state = state.clone();
    let mut router = Router::new();
    for (path, role, handler) in editor_routes() {
        let layer = axum::middleware::from_fn_with_state(
            (state.clone(), role),
            routes::forms::require_role,
        );
        router = router.route(path, handler.route_layer(layer));
    }
    router
        .route("/health", get(health))
        .route("/auth/logg-inn", axum::routing::post(routes::auth::sign_in))
        .route("/auth/logg-ut", axum::routing::post(routes::auth::sign_out))
        .route(
            "/auth/logg-inn/kode",
            axum::routing::post(routes::factor::sign_in_code),
        )
        // The set-up also takes an administrator's set-up session (past the
        // password, no factor yet), which the role layer would refuse: the
        // handler checks the session's stage itself.
        .route(
            routes::factor::SETUP,
            axum::routing::post(routes::factor::setup),
        )
        .route("/tilbakemelding", post(routes::feedback::flow_step))
        .route("/nyttig", post(routes::feedback::helpful))
        .route("/innspill/{slug}", post(routes::consultation::answer))
        .route("/nyttig/kommentar", post(routes::feedback::helpful_comment))
        .route("/besok", post(routes::stats::beacon))
        .route("/ressurser.atom", get(routes::feeds::atom))
        .route("/nytt.atom", get(routes::feeds::atom))
        .route("/sitemap.xml", get(routes::feeds::sitemap))
        .route("/robots.txt", get(routes::feeds::robots))
        .route("/ressurser.csv", get(routes::feeds::csv))
        .route("/api/forslag", get(routes::suggest::suggest))
        .route("/filer/{name}", get(routes::media::image))
        .route("/filer/{hash}/{name}", get(routes::media::document))
        .leptos_routes_with_context(
            &state,
            routes,
            move || leptos::prelude::provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost first: a server function's error gets its own status;
        // moved pages redirect before anything renders;
        // the page cache answers public pages from memory (a handler that
        // saves starts a new generation); counting sees every page, cached or
        // not, before caching turns a repeat into 304; the security headers
        // wrap every answer, the limits' and the origin check's included.
        .layer(axum::middleware::from_fn(http::server_fns::error_status))
        .layer(axum::middleware::from_fn(moved))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::page_cache::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::stats::count_pages,
        ))
        .layer(axum::middleware::from_fn(http::security::caching))
        .layer(axum::middleware::from_fn(http::security::navigator_status))
        // What the page cache does not hold (pages for editors, server
        // function answers) is compressed per response, at a level chosen
        // for speed (see `app::page_cache::FAST_BROTLI`); the bundle is
        // precompressed, cached pages carry their coding already.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(tower_http::CompressionLevel::Precise(
                    app::page_cache::FAST_BROTLI as i32,
                ))
                .compress_when(http::security::compressible()),
        )
        .layer(axum::middleware::from_fn(http::security::time_limit))
        .layer(axum::middleware::from_fn(http::security::body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::security::same_origin,
        ))
        // A target Leptos cannot route (not a path, too long) never gets
        // that far (review 3, N13).
        .layer(axum::middleware::from_fn(http::requests::well_formed))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::security::resolve_client,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Pages that moved for good, and where to: old links and bookmarks keep
/// working. A-larm and BAR were a resource and an organisation at once;
/// their organisation page is now their one page.
pub const MOVED: [(&str, &str); 2] = [
    ("/ressurser/a-larm", "/organisasjoner/a-larm"),
    (
        "/ressurser/barn-av-rusmisbrukere-bar",
        "/organisasjoner/bar",
    ),
];

async fn moved(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let target = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    )
    .then(|| MOVED.iter().find(|(from, _)| *from == request.uri().path()))
    .flatten();
    match target {
        Some((_, to)) => axum::response::Redirect::permanent(to).into_response(),
        None => next.run(request).await,
    }
}

/// 200 when the database answers, 503 otherwise.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match app::db::ping(&state.pool).await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
        }
    }
}

/// Starts the site: database, first-start import, listener, graceful shutdown.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(listener) => listener,
        Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(StartError::AddrInUse { addr: config.addr })
        }
        Err(source) => {
            return Err(StartError::Bind {
                addr: config.addr,
                source,
            })
        }
    };
    serve_on(config, listener, shutdown_signal()).await
}

/// Runs the site on `listener` until `shutdown` resolves; requests under way
/// then finish (up to the request time-out) before this returns.
pub async fn serve_on(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let pool = open_database(&config.database).await?;
    if let Some(report) = app::content::import_dir_if_empty(&pool, &config.content_dir).await? {
        let files = media::import_content_files(&pool, &config.content_dir).await?;
        tracing::info!(?report, ?files, dir = %config.content_dir.display(), "imported seed content into an empty database");
    }
    let added = app::content::seed_pages(&pool, &config.content_dir).await?;
    if added > 0 {
        tracing::info!(added, "added missing content pages from the seed files");
    }
    app::db::fts::ensure_indexed(&pool)
        .await
        .map_err(|source| StartError::DatabaseOpen {
            path: config.database.clone(),
            source,
        })?;
    let mut state = AppState::new(pool.clone(), leptos_options(&config), config.public_url());
    state.feedback_retention_days = config.feedback_retention_days;
    state.media_quota = (config.media_quota_mb << 20) as i64;
    state.limiter = std::sync::Arc::new(app::state::RateLimiter::new(
        config.feedback_limit,
        Duration::from_secs(600),
    ));
    state.trusted_proxies = std::sync::Arc::new(config.trusted_proxies.clone());
    state.pages = std::sync::Arc::new(app::page_cache::PageCache::new(config.page_cache));
    state.link_check = std::sync::Arc::new(app::domain::links::CheckSettings {
        allow: config.background.link_check_allow.clone(),
        ..(*state.link_check).clone()
    });
    if !state.secure_cookies {
        tracing::info!(public_url = %state.public_url, "plain http on a loopback address: the session cookie is not Secure");
    }
    let writer = if config.stats {
        let (recorder, events) = app::stats::Recorder::new(&config.public_url());
        state.stats = std::sync::Arc::new(recorder);
        let (stop, stopped) = tokio::sync::oneshot::channel();
        Some((
            stop,
            tokio::spawn(app::stats::run_writer(pool.clone(), events, stopped)),
        ))
    } else {
        None
    };
    let purge = tokio::spawn(jobs::purge::hourly(state.clone()));
    let link_check = config.background.link_check_interval.map(|interval| {
        tokio::spawn(jobs::links::every(
            pool.clone(),
            (*state.link_check).clone(),
            interval,
        ))
    });
    let digest = match jobs::digest::Mailer::from_settings(&config.background, &config.public_url())
    {
        Ok(Some(mailer)) => Some(tokio::spawn(jobs::digest::every(pool.clone(), mailer))),
        Ok(None) => None,
        Err(err) => {
            tracing::error!(error = %err, "BLI_SMTP_URL: the e-mail digest is off");
            None
        }
    };
    let addr = listener.local_addr().unwrap_or(config.addr);
    tracing::info!(%addr, database = %config.database.display(), "listening on http://{addr}");
    let limits = http::listener::Limits {
        header_read_timeout: http::listener::HEADER_READ_TIMEOUT,
        max_connections: config.max_connections,
        max_per_client: config.max_connections_per_client,
        proxies: state.trusted_proxies.clone(),
    };
    http::listener::run(listener, router(state), shutdown, limits).await;
    purge.abort();
    for task in [link_check, digest].into_iter().flatten() {
        task.abort();
    }
    // Requests are done: write what the statistics queue still holds.
    if let Some((stop, writer)) = writer {
        let _ = stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(10), writer).await;
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests are then allowed to finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
