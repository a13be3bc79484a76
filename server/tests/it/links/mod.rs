//! The link checker against real HTTP servers on loopback (issue 20): every
//! kind of answer, HEAD refused, hanging and closing servers, one request at
//! a time per host, the "broken after two checks" rule, the editors' page
//! and its forms. Nothing here reaches outside the machine.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use app::{
    db::links::{self as store, Outcome},
    domain::links::{CheckSettings, LinkStatus},
    state::AppState,
};
use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use sqlx::SqlitePool;

use crate::common::{call, get_with, seeded_state, session_cookie};

mod editors;
mod internal;

/// What a fake site saw: (method, path, user agent) per request, and the
/// most requests it had under way at once.
#[derive(Default)]
struct Seen {
    requests: Mutex<Vec<(String, String, String)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Seen {
    fn methods_for(&self, path: &str) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, _)| m.clone())
            .collect()
    }
}

async fn fake(State(seen): State<Arc<Seen>>, request: Request) -> Response {
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let path = request.uri().path().to_string();
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    seen.requests
        .lock()
        .unwrap()
        .push((request.method().to_string(), path.clone(), agent));
    let head = request.method() == Method::HEAD;
    let response = match path.as_str() {
        "/ok" => StatusCode::OK.into_response(),
        "/flyttet" => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/ok")]).into_response(),
        "/midlertidig" => (StatusCode::FOUND, [(header::LOCATION, "/ok")]).into_response(),
        "/sirkel" => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, "/sirkel")],
        )
            .into_response(),
        "/mangler" => StatusCode::NOT_FOUND.into_response(),
        "/borte" => StatusCode::GONE.into_response(),
        "/feil" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "/heng" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
        "/uten-head" if head => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        "/uten-head" => StatusCode::OK.into_response(),
        p if p.starts_with("/treg/") => {
            tokio::time::sleep(Duration::from_millis(40)).await;
            StatusCode::OK.into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    };
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

/// A fake site on a loopback port: its base URL and what it saw.
async fn fake_site() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(fake).with_state(seen.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), seen)
}

/// A server that accepts connections and closes them without a word.
async fn closing_site() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = [0u8; 1024];
            let _ = socket.read(&mut buf).await;
            drop(socket);
        }
    });
    format!("http://{addr}")
}

/// A database with no content but `links`, each as a published resource's
/// link list entry (nothing in it points outside the machine).
async fn catalogue_of(dir: &tempfile::TempDir, links: &[String]) -> SqlitePool {
    let pool = server::open_database(&dir.path().join("links.db"))
        .await
        .unwrap();
    for (i, url) in links.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resource (slug, title, summary, status) VALUES (?1, ?2, 'Kort', 'published') RETURNING id",
        )
        .bind(format!("ressurs-{i}"))
        .bind(format!("Ressurs {i}"))
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO resource_link (resource_id, position, label, url) VALUES (?1, 0, 'Lenke', ?2)")
            .bind(id)
            .bind(url)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool
}

fn quick_settings() -> CheckSettings {
    let mut settings = CheckSettings::for_site("https://bli-involvert.example");
    settings.timeout = Duration::from_millis(700);
    settings.per_host_pause = Duration::ZERO;
    settings.min_broken_gap = Duration::ZERO;
    // The fake sites are on loopback: allowed as an operator would.
    settings.allow = vec!["127.0.0.1".into()];
    settings
}

async fn status_of(pool: &SqlitePool, url: &str) -> (String, Option<i64>, Option<String>, bool) {
    sqlx::query_as("SELECT status, http_code, final_url, broken FROM link WHERE url = ?1")
        .bind(url)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_kind_of_answer_is_classified() {
    // Arrange
    let (site, seen) = fake_site().await;
    let closing = closing_site().await;
    let url = |p: &str| format!("{site}{p}");
    let links = vec![
        url("/ok"),
        url("/flyttet"),
        url("/midlertidig"),
        url("/sirkel"),
        url("/mangler"),
        url("/borte"),
        url("/feil"),
        url("/heng"),
        url("/uten-head"),
        format!("{closing}/lukker"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &links).await;

    // Act
    let report = server::jobs::links::run(&pool, &quick_settings(), "test")
        .await
        .unwrap();

    // Assert
    assert_eq!((report.links, report.checked), (10, 10));
    let expect = [
        ("/ok", "ok", Some(200), None),
        ("/flyttet", "redirect", Some(301), Some(url("/ok"))),
        ("/midlertidig", "ok", Some(200), None),
        ("/mangler", "client-error", Some(404), None),
        ("/borte", "client-error", Some(410), None),
        ("/feil", "server-error", Some(500), None),
        ("/heng", "timeout", None, None),
        ("/uten-head", "ok", Some(200), None),
    ];
    for (path, status, code, target) in expect {
        let (s, c, f, broken) = status_of(&pool, &url(path)).await;
        assert_eq!(
            (s.as_str(), c, f, broken),
            (status, code, target, false),
            "{path}"
        );
    }
    let (s, _, _, _) = status_of(&pool, &url("/sirkel")).await;
    assert_eq!(s, "client-error", "a redirect loop ends at the limit");
    let (s, _, _, _) = status_of(&pool, &format!("{closing}/lukker")).await;
    assert_eq!(s, "network", "a closed connection");
    // HEAD first; GET only where HEAD was refused.
    // (/ok is also the redirects' target.)
    assert_eq!(seen.methods_for("/ok"), ["HEAD", "HEAD", "HEAD"]);
    assert_eq!(seen.methods_for("/borte"), ["HEAD"]);
    assert_eq!(seen.methods_for("/uten-head"), ["HEAD", "GET"]);
    assert_eq!(
        seen.methods_for("/sirkel").len(),
        11,
        "the limit of 10 redirects"
    );
    // An honest User-Agent: the site's name and address.
    let agents: Vec<String> = seen
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.2.clone())
        .collect();
    assert!(
        agents
            .iter()
            .all(|a| a.contains("bli-involvert") && a.contains("https://bli-involvert.example")),
        "{agents:?}"
    );
    let history: i64 = sqlx::query_scalar("SELECT count(*) FROM link_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(history, 10);
}

#[tokio::test]
async fn a_link_is_broken_only_after_two_failed_checks_some_time_apart() {
    // Arrange
    let (site, _) = fake_site().await;
    let gone = format!("{site}/borte");
    let fine = format!("{site}/ok");
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &[gone.clone(), fine.clone()]).await;
    let mut settings = quick_settings();
    settings.min_broken_gap = Duration::from_secs(3 * 3600);

    // Act, assert: two quick checks are not hours apart.
    server::jobs::links::run(&pool, &settings, "test")
        .await
        .unwrap();
    assert!(!status_of(&pool, &gone).await.3, "one failure is a blip");
    server::jobs::links::run(&pool, &settings, "test")
        .await
        .unwrap();
    assert!(
        !status_of(&pool, &gone).await.3,
        "two failures minutes apart"
    );
    // The first failure was hours ago: now the link is broken.
    sqlx::query(
        "UPDATE link SET first_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-4 hours')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let report = server::jobs::links::run(&pool, &settings, "test")
        .await
        .unwrap();
    assert!(status_of(&pool, &gone).await.3);
    assert!(!status_of(&pool, &fine).await.3);
    assert_eq!(report.broken, 1);

    // A success ends the streak.
    let id: i64 = sqlx::query_scalar("SELECT id FROM link WHERE url = ?1")
        .bind(&gone)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let ok = Outcome {
        status: LinkStatus::Ok,
        http_code: Some(200),
        final_url: None,
        detail: String::new(),
    };
    store::record(&mut conn, id, &ok, "2030-01-01T00:00:00Z", 0)
        .await
        .unwrap();
    drop(conn);
    let (status, _, _, broken) = status_of(&pool, &gone).await;
    assert_eq!((status.as_str(), broken), ("ok", false));
}

#[tokio::test]
async fn one_request_at_a_time_per_host_and_hosts_in_parallel() {
    // Arrange: two hosts with slow answers, eight links each.
    let (a, seen_a) = fake_site().await;
    let (b, seen_b) = fake_site().await;
    let links: Vec<String> = (0..8)
        .flat_map(|i| [format!("{a}/treg/{i}"), format!("{b}/treg/{i}")])
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &links).await;
    let mut settings = quick_settings();
    settings.concurrency = 4;
    settings.timeout = Duration::from_secs(5);

    // Act
    let started = std::time::Instant::now();
    let report = server::jobs::links::run(&pool, &settings, "test")
        .await
        .unwrap();
    let elapsed = started.elapsed();

    // Assert
    assert_eq!(report.checked, 16);
    assert_eq!(seen_a.max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(seen_b.max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(seen_a.requests.lock().unwrap().len(), 8);
    let host_a = a.trim_start_matches("http://").to_string();
    assert_eq!(report.requests_per_host.get(&host_a), Some(&8));
    // Sequential over both hosts would take 16 × 40 ms.
    assert!(
        elapsed < Duration::from_millis(16 * 40),
        "{elapsed:?}: the hosts were not checked side by side"
    );
}

#[tokio::test]
async fn one_run_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &[]).await;
    let held = store::begin_run(&pool, "test").await.unwrap().unwrap();

    let second = server::jobs::links::run(&pool, &quick_settings(), "test").await;

    assert!(
        matches!(second, Err(server::jobs::links::RunError::Busy)),
        "{second:?}"
    );
    store::finish_run(&pool, held, 0).await.unwrap();
    assert!(server::jobs::links::run(&pool, &quick_settings(), "test")
        .await
        .is_ok());
}
