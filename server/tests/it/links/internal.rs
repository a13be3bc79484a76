//! Review 3, N1: the link checker never requests an internal address, by
//! name, by IP literal in any spelling, or after a redirect, unless the
//! operator allowed that host; editors see «intern adresse, ikke sjekket».

use super::*;

/// A site that answers every request with a permanent redirect to `target`.
async fn redirecting_to(target: String) -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .fallback(move |State(seen): State<Arc<Seen>>, request: Request| {
            let target = target.clone();
            async move {
                seen.requests.lock().unwrap().push((
                    request.method().to_string(),
                    request.uri().path().to_string(),
                    String::new(),
                ));
                (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]).into_response()
            }
        })
        .with_state(seen.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), seen)
}

fn production_settings() -> CheckSettings {
    let mut settings = CheckSettings::for_site("https://bli-involvert.example");
    settings.timeout = Duration::from_millis(700);
    settings.per_host_pause = Duration::ZERO;
    settings
}

#[tokio::test]
async fn the_checker_never_requests_an_internal_address() {
    let (internal, seen) = fake_site().await; // http://127.0.0.1:<port>
    let settings = production_settings();
    let client = server::jobs::links::client(&settings);
    let hosts = server::jobs::links::Hosts::default();
    let port = internal.rsplit(':').next().unwrap();
    for url in [
        format!("{internal}/ok"),
        internal.replace("127.0.0.1", "0x7f000001") + "/ok",
        internal.replace("127.0.0.1", "2130706433") + "/ok",
        internal.replace("127.0.0.1", "[::ffff:127.0.0.1]") + "/ok",
        internal.replace("127.0.0.1", "localhost") + "/ok",
        format!("http://user:pw@127.0.0.1:{port}/ok"),
        "http://127.0.0.1/ok".to_string(),
        "http://localhost/ok".to_string(),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[::1]/ok".to_string(),
    ] {
        let outcome = server::jobs::links::check_url(&client, &hosts, &settings, &url).await;
        assert_ne!(outcome.status, LinkStatus::Ok, "{url}");
        assert!(
            outcome.detail.contains("ikke sjekket"),
            "{url}: {}",
            outcome.detail
        );
        assert_eq!(outcome.http_code, None, "{url}");
    }
    assert!(
        seen.requests.lock().unwrap().is_empty(),
        "no request may reach 127.0.0.1"
    );
}

#[tokio::test]
async fn an_allowed_site_cannot_redirect_the_checker_inside() {
    let (internal, seen_inside) = fake_site().await;
    let (outside, seen_outside) = redirecting_to(format!("{internal}/ok")).await;
    let mut settings = production_settings();
    // The operator allowed exactly the redirecting site's host and port.
    settings.allow = vec![outside.trim_start_matches("http://").to_string()];
    let client = server::jobs::links::client(&settings);
    let hosts = server::jobs::links::Hosts::default();
    let outcome =
        server::jobs::links::check_url(&client, &hosts, &settings, &format!("{outside}/flyttet"))
            .await;
    assert_eq!(
        seen_outside.requests.lock().unwrap().len(),
        1,
        "the allowed site is asked"
    );
    assert!(
        seen_inside.requests.lock().unwrap().is_empty(),
        "its redirect to 127.0.0.1 is not followed"
    );
    assert_ne!(outcome.status, LinkStatus::Ok);
    assert!(
        outcome.detail.contains("ikke sjekket"),
        "{}",
        outcome.detail
    );
}

#[tokio::test]
async fn the_editors_see_the_refusal() {
    let (internal, seen) = fake_site().await;
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &[format!("{internal}/ok")]).await;
    let report = server::jobs::links::run(&pool, &production_settings(), "test")
        .await
        .unwrap();
    assert_eq!(report.checked, 1);
    let detail: String = sqlx::query_scalar("SELECT detail FROM link WHERE url = ?1")
        .bind(format!("{internal}/ok"))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(detail, server::jobs::link_guard::INTERNAL);
    assert!(seen.requests.lock().unwrap().is_empty());
}
