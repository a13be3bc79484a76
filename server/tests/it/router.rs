//! The router driven without a socket, and the start-up errors.

use std::{net::SocketAddr, path::PathBuf};

use app::state::AppState;
use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use server::{Config, StartError};
use tower::ServiceExt;

use crate::common::*;

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;

    let (status, body) = get(&state, "/health").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("ok"));

    state.pool.close().await;
    let (status, _) = get(&state, "/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;

    let (status, home) = get(&state, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains(r#"<html lang="nb""#), "lang attribute");
    assert!(home.contains("Når du skal involvere brukere i ditt kompetansesenter"));

    let (status, detail) = get(&state, "/ressurser/feedbackinformerte-tjenester-fit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("<title>Feedbackinformerte tjenester (FIT) – Bli involvert</title>"));
    assert!(
        detail.contains("<h2>Slik fungerer det</h2>"),
        "the Markdown body is rendered"
    );
}

#[tokio::test]
async fn missing_and_draft_resources_are_404() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let draft: String =
        sqlx::query_scalar("SELECT slug FROM resource WHERE status = 'draft' LIMIT 1")
            .fetch_one(&state.pool)
            .await
            .unwrap();

    for uri in [
        "/ressurser/finnes-ikke".to_string(),
        format!("/ressurser/{draft}"),
        "/ingen/side".into(),
    ] {
        let (status, body) = get(&state, &uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(body.contains("Siden finnes ikke"), "{uri}");
    }
}

#[tokio::test]
async fn an_unwritable_database_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();

    let err = server::open_database(&blocker.join("site.db"))
        .await
        .unwrap_err();

    assert!(matches!(err, StartError::DatabaseDir { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("cannot create the database folder"),
        "{err}"
    );
}

#[tokio::test]
async fn a_port_in_use_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = taken.local_addr().unwrap();
    let config = Config {
        database: dir.path().join("site.db"),
        addr,
        site_root: dir.path().into(),
        content_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
        public_url: None,
        feedback_retention_days: 365,
        feedback_limit: 20,
        stats: false,
        trusted_proxies: app::client::TrustedProxies::none(),
        page_cache: app::page_cache::Limits::default(),
        background: server::Background::off(),
    };

    let err = server::serve(config).await.unwrap_err();

    assert!(matches!(err, StartError::AddrInUse { .. }), "{err:?}");
    assert!(err.to_string().contains("already in use"), "{err}");
}

#[tokio::test]
async fn malformed_catalogue_parameters_never_fail() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for uri in [
        "/ressurser?nivaa=%FF%FE&side=-1&sort=%3Cscript%3E",
        "/ressurser?q=%22%29%28*%20NEAR%20OR&nivaa=individ",
        "/ressurser?%%%&=&&side=99999999999999999999",
        "/ressurser.csv?q=%00",
        "/ressurser.atom?organisasjon=finnes-ikke",
    ] {
        let (status, _) = get(&state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
    }
    let (_, page) = get(&state, "/ressurser?nivaa=individ&finnes=ikke&side=abc").await;
    assert!(
        page.contains("Fjern filter Nivå: Individnivå") || page.contains("Nivå: Individnivå"),
        "the valid filter still applies"
    );
}

/// Server functions anyone may call. Every other one is an admin function
/// and must refuse a request without a session, whatever its arguments.
const PUBLIC_SERVER_FNS: [&str; 17] = [
    "get_home",
    "browse_catalogue",
    "get_involvement_map",
    "get_resource",
    "who_am_i",
    "get_feedback_flow",
    "get_receipt",
    "get_rounds",
    "get_round",
    "get_page",
    "get_entry_path",
    "get_guide",
    "get_guidance",
    "get_directory",
    "get_recent",
    "get_public_statistics",
    "get_organisation",
];

#[tokio::test]
async fn every_admin_server_function_refuses_a_visitor_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let tables = [
        "resource",
        "resource_facet",
        "organisation",
        "facet_value",
        "account",
        "session",
        "audit_log",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(
            sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {t}"))
                .fetch_one(&state.pool)
                .await
                .unwrap(),
        );
    }
    // Registration happens when the router is built.
    let _ = server::router(state.clone());

    let mut checked = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        if PUBLIC_SERVER_FNS.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let response = server::router(state.clone())
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(!status.is_success(), "{path} answered {status}");
        assert!(
            body.contains("Unauthorized"),
            "{path} must refuse for want of a session, said: {body}"
        );
        checked.push(name.to_string());
    }
    assert!(
        checked.iter().any(|n| n.starts_with("get_dashboard")),
        "walked: {checked:?}"
    );

    for (t, b) in tables.iter().zip(before) {
        let after: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}"))
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(after, b, "{t} changed");
    }
}

/// Server functions only administrators may call.
const ADMIN_SERVER_FNS: [&str; 4] = [
    "get_taxonomy",
    "get_accounts",
    "get_audit_log",
    "get_synonyms",
];

#[tokio::test]
async fn server_functions_check_the_role_as_well_as_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    let admin = session_cookie(&state, "sjef", app::auth::Role::Admin).await;
    let _ = server::router(state.clone());
    let before = table_counts(&state).await;

    let mut admin_only = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        if PUBLIC_SERVER_FNS.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let (as_editor, _, body) = call(&state, method.as_str(), path, Some(&editor), "").await;
        if ADMIN_SERVER_FNS.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit())) {
            assert!(
                body.contains("Forbidden") && !as_editor.is_success(),
                "{path} must refuse an editor, said {as_editor}: {body}"
            );
            let (as_admin, _, body) = call(&state, method.as_str(), path, Some(&admin), "").await;
            assert!(
                as_admin.is_success(),
                "{path} must serve an administrator, said {as_admin}: {body}"
            );
            admin_only.push(name.to_string());
        } else {
            // Served (or, without arguments, "not found"), never refused.
            assert!(
                !body.contains("Forbidden") && !body.contains("Unauthorized") && (as_editor.is_success() || body.contains("NotFound")),
                "{path} must serve an editor (or belongs in ADMIN_SERVER_FNS), said {as_editor}: {body}"
            );
        }
    }
    assert_eq!(
        admin_only.len(),
        ADMIN_SERVER_FNS.len(),
        "walked: {admin_only:?}"
    );
    assert_eq!(
        table_counts(&state).await,
        before,
        "reading changed something"
    );
}

#[tokio::test]
async fn every_editor_form_refuses_a_visitor_and_admin_forms_refuse_an_editor() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    let value_id: i64 = sqlx::query_scalar("SELECT min(id) FROM facet_value")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let account_id: i64 = sqlx::query_scalar("SELECT min(id) FROM account")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let draft = app::domain::feedback::FeedbackDraft {
        kind: "forslag".into(),
        title: "Et forslag".into(),
        ..Default::default()
    };
    let reference = app::db::feedback::submit(&state.pool, &draft, 30)
        .await
        .unwrap();
    // Fields every handler would accept if it let the request through.
    let body = "title=Innbrudd&summary=Innbrudd&status=draft&version=1&handling=trekk&bekreft=ja&label=Innbrudd\
        &name=Innbrudd&username=innbrudd&display_name=Innbrudd&role=admin&password=et+langt+passord+123\
        &f.type=veileder&f.nivaa=system";
    let before = table_counts(&state).await;

    let routes = server::editor_form_routes();
    assert!(routes.len() >= 12);
    for (pattern, role, _) in routes {
        let uri = pattern
            .replace(
                "{slug}",
                if pattern.contains("organisasjoner") {
                    "napha"
                } else {
                    "brukerutvalg-slik-organiserer-dere-det"
                },
            )
            .replace("{facet}", "malgruppe")
            .replace("{ref}", &reference)
            .replace(
                "{id}",
                &if pattern.contains("kontoer") {
                    account_id
                } else {
                    value_id
                }
                .to_string(),
            );

        let (status, location, _) = call(&state, "POST", &uri, None, body).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{uri} without a session");
        assert!(
            location
                .as_deref()
                .unwrap_or("")
                .starts_with("/logg-inn?neste="),
            "{uri} sends a visitor to sign in: {location:?}"
        );

        if role == app::auth::Role::Admin {
            let (status, _, body) = call(&state, "POST", &uri, Some(&editor), body).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{uri} with an editor's session"
            );
            assert!(body.contains("tilgang"), "{body}");
        }
        assert_eq!(
            table_counts(&state).await,
            before,
            "{uri} changed something for a caller it refused"
        );
    }
}

#[tokio::test]
async fn editors_forms_answer_with_redirects_or_the_form_again() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "sjef", app::auth::Role::Admin).await;
    let slug = "brukerutvalg-slik-organiserer-dere-det";
    let version: i64 = sqlx::query_scalar("SELECT version FROM resource WHERE slug = ?1")
        .bind(slug)
        .fetch_one(&state.pool)
        .await
        .unwrap();

    // Unpublish: gone from the public page.
    let (status, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/ressurser/{slug}/status"),
        Some(&admin),
        &format!("status=draft&version={version}"),
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some(&*format!("/redaktor/ressurser/{slug}?melding=avpublisert"))
        )
    );
    state.catalogue.invalidate();
    assert_eq!(
        get(&state, &format!("/ressurser/{slug}")).await.0,
        StatusCode::NOT_FOUND
    );
    // The same click again, from the old page, is a conflict.
    let (_, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/ressurser/{slug}/status"),
        Some(&admin),
        &format!("status=draft&version={version}"),
    )
    .await;
    assert!(location.unwrap().ends_with("melding=konflikt"));

    // Preview renders the Markdown, sanitised, and saves nothing.
    let (status, _, html) = call(
        &state,
        "POST",
        &format!("/redaktor/ressurser/{slug}"),
        Some(&admin),
        "handling=forhandsvis&title=Forh%C3%A5ndsvist&summary=S&body=%23%23+Mellomtittel%0A%0A%3C%2Ftextarea%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&version=1",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h2>Mellomtittel</h2>"), "preview shown");
    assert!(
        !html.contains("<script>alert(1)"),
        "neither the preview nor the textarea lets the script out"
    );
    assert!(
        html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)"),
        "the textarea keeps the text as typed"
    );
    assert!(html.contains("value=\"Forhåndsvist\""), "typed values kept");
    let title: String = sqlx::query_scalar("SELECT title FROM resource WHERE slug = ?1")
        .bind(slug)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_ne!(title, "Forhåndsvist");

    // An organisation with a bad address comes back with the message by the field and the input kept.
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/organisasjoner/ny",
        Some(&admin),
        "name=Nytt+senter&website=ikke-en-adresse",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Skriv en hel nettadresse") && html.contains("value=\"Nytt senter\""),
        "{html}"
    );

    // Retiring a value in use asks first.
    let used: i64 = sqlx::query_scalar("SELECT facet_value_id FROM resource_facet GROUP BY facet_value_id ORDER BY count(*) DESC LIMIT 1")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let (_, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/kategorier/verdi/{used}"),
        Some(&admin),
        "handling=trekk",
    )
    .await;
    assert_eq!(
        location.as_deref(),
        Some(&*format!(
            "/redaktor/kategorier?bekreft={used}#verdi-{used}"
        ))
    );
    let (status, html) = get_with(
        &state,
        &format!("/redaktor/kategorier?bekreft={used}"),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Ja, trekk tilbake") && html.contains("brukt "),
        "the warning says how much it is used"
    );
    let (_, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/kategorier/verdi/{used}"),
        Some(&admin),
        "handling=trekk&bekreft=ja",
    )
    .await;
    assert!(location.unwrap().contains("melding=verdi-trukket"));

    // The audit log page lists what happened.
    let (status, html) = get_with(&state, "/redaktor/logg", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("trakk tilbake kategoriverdi") && html.contains("endret ressurs"),
        "{html}"
    );
}

/// Submits one step of the feedback flow as a browser without JavaScript would.
async fn flow(state: &AppState, body: &str) -> (StatusCode, Option<String>, String) {
    call(state, "POST", "/tilbakemelding", None, body).await
}

#[tokio::test]
async fn the_feedback_flow_works_as_plain_forms_and_carries_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;

    // Step 1 without a choice: the same step again, with the message by the field.
    let (status, _, html) = flow(
        &state,
        "steg=1&page=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&handling=neste",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Velg hva tilbakemeldingen gjelder.") && html.contains("Steg 1 av 4"));

    // Step 1 → 2: the page the visitor came from rides along.
    let (status, _, html) = flow(
        &state,
        "steg=1&page=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&kind=feil&handling=neste",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Steg 2 av 4")
            && html.contains("value=\"/ressurser/erfaringsbasert-kvalitetssikring\""),
        "the error report is pre-filled with its page"
    );
    assert!(html.contains("Ikke skriv helseopplysninger"));

    // Step 2 → 3 → back to 2: nothing typed is lost.
    let typed = "steg=2&kind=feil&page=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&message=Lenken+virker+ikke";
    let (_, _, html) = flow(&state, &format!("{typed}&handling=neste")).await;
    assert!(
        html.contains("Steg 3 av 4")
            && html.contains("name=\"message\" value=\"Lenken virker ikke\""),
        "carried as a hidden field"
    );
    let (_, _, html) = flow(&state, "steg=3&kind=feil&page=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&message=Lenken+virker+ikke&name=Kari&handling=tilbake").await;
    assert!(
        html.contains("Steg 2 av 4")
            && html.contains("Lenken virker ikke</textarea>")
            && html.contains("value=\"Kari\"")
    );

    // An address without consent is refused at step 3.
    let (status, _, html) = flow(
        &state,
        "steg=3&kind=feil&message=X&email=kari%40eksempel.no&handling=neste",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Uten samtykke lagrer vi den ikke"));

    // Send: stored before the receipt, which names the reference.
    let (status, location, _) = flow(
        &state,
        "steg=4&kind=feil&page=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&message=Lenken+virker+ikke&handling=send",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    let reference = location
        .strip_prefix("/tilbakemelding/kvittering/")
        .unwrap()
        .to_string();
    let stored: (String, String, String) =
        sqlx::query_as("SELECT kind, page, message FROM feedback WHERE reference = ?1")
            .bind(&reference)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (
            "feil".into(),
            "/ressurser/erfaringsbasert-kvalitetssikring".into(),
            "Lenken virker ikke".into()
        )
    );
    let (status, html) = get(&state, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&reference));
}

#[tokio::test]
async fn honeypot_and_rate_limit_refuse_with_a_message_and_keep_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    state.limiter = std::sync::Arc::new(app::state::RateLimiter::new(
        2,
        std::time::Duration::from_secs(600),
    ));
    let count = |state: AppState| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM feedback")
            .fetch_one(&state.pool)
            .await
            .unwrap()
    };

    let (status, _, html) = flow(
        &state,
        "steg=4&kind=annet&message=Hei&nettsted=http%3A%2F%2Fspam.example&handling=send",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("ble ikke sendt") && html.contains("Hei"),
        "a clear message, input kept"
    );
    assert_eq!(count(state.clone()).await, 0);

    for _ in 0..2 {
        assert_eq!(
            flow(&state, "steg=4&kind=annet&message=Hei&handling=send")
                .await
                .0,
            StatusCode::SEE_OTHER
        );
    }
    let (status, _, html) =
        flow(&state, "steg=4&kind=annet&message=Den+tredje&handling=send").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("mange tilbakemeldinger fra deg") && html.contains("Den tredje"));
    assert_eq!(count(state.clone()).await, 2);

    // Oversized bodies never reach the database.
    let (status, _, _) = flow(
        &state,
        &format!(
            "steg=4&kind=annet&handling=send&message={}",
            "x".repeat(70_000)
        ),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn page_answers_are_counted_per_page_without_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (status, location, _) = call(
        &state,
        "POST",
        "/nyttig",
        None,
        "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&svar=nei",
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/ressurser/erfaringsbasert-kvalitetssikring?nyttig=nei#nyttig")
        )
    );
    let (_, html) = get(
        &state,
        "/ressurser/erfaringsbasert-kvalitetssikring?nyttig=nei",
    )
    .await;
    assert!(html.contains("Hva manglet?"));
    call(
        &state,
        "POST",
        "/nyttig",
        None,
        "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&svar=ja",
    )
    .await;
    call(
        &state,
        "POST",
        "/nyttig/kommentar",
        None,
        "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&comment=Mer+om+honorar",
    )
    .await;
    let (yes, no): (i64, i64) = sqlx::query_as(
        "SELECT sum(yes), sum(no) FROM page_helpful WHERE path = '/ressurser/erfaringsbasert-kvalitetssikring'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!((yes, no), (1, 1));
    let (status, _, _) = call(
        &state,
        "POST",
        "/nyttig",
        None,
        "path=https%3A%2F%2Fevil.example%2F&svar=ja",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only local pages");
}

/// Every page the sitemap names renders with a title, one h1, a description
/// and a canonical address; the editors' pages are kept out of it.
#[tokio::test]
async fn every_page_in_the_sitemap_renders_with_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (status, sitemap) = get(&state, "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    let base = state.public_url.trim_end_matches('/').to_string();
    let paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| {
            s.split("</loc>")
                .next()
                .unwrap()
                .trim_start_matches(&base)
                .to_string()
        })
        .collect();
    for must in [
        "/",
        "/ressurser",
        "/veiviser",
        "/inngang/kompetansesenter",
        "/inngang/tjenestene",
        "/hvorfor-brukerinvolvering",
        "/veiledere-og-foringer",
        "/brukerorganisasjoner",
        "/om-nettstedet",
        "/personvern",
        "/tilgjengelighet",
        "/nytt",
        "/ressurser/feedbackinformerte-tjenester-fit",
    ] {
        assert!(
            paths.iter().any(|p| p == must),
            "{must} missing from the sitemap"
        );
    }
    assert!(
        !paths
            .iter()
            .any(|p| p.starts_with("/redaktor") || p.contains("beslutningsverktoy")),
        "no editors' pages or drafts"
    );
    for path in &paths {
        let (status, html) = get(&state, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
        assert!(
            html.contains("<title>") && html.contains(r#"<meta name="description" content=""#),
            "{path}: title and description"
        );
        let canonical = html
            .split("<link")
            .find(|l| l.contains("canonical"))
            .map(|l| l.split('>').next().unwrap().to_string());
        assert_eq!(
            canonical.as_deref(),
            Some(&*format!(r#" href="{base}{path}" rel="canonical""#)),
            "{path}: canonical"
        );
        assert!(
            html.contains(r#"<meta property="og:title""#),
            "{path}: Open Graph"
        );
    }
    let (_, robots) = get(&state, "/robots.txt").await;
    assert!(
        robots.contains("Disallow: /redaktor")
            && robots.contains(&format!("Sitemap: {base}/sitemap.xml"))
    );
}

#[tokio::test]
async fn an_editor_changes_a_content_page_and_a_stale_form_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    let (status, form) = get_with(&state, "/redaktor/sider/om-nettstedet", &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"name="version" value="1""#));

    // A missing title comes back with the message by the field and the text kept.
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/sider/om-nettstedet",
        Some(&editor),
        "version=1&title=&description=Kort&body=Ny+tekst+her",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Skriv en tittel.") && html.contains("Ny tekst her"),
        "{html}"
    );

    // A saved change shows on the public page, sanitised.
    let body = "version=1&title=Om+oss&description=Hvem+vi+er.&body=%23%23+Ny+del%0A%0AHei%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let (status, location, _) = call(
        &state,
        "POST",
        "/redaktor/sider/om-nettstedet",
        Some(&editor),
        body,
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/sider/om-nettstedet?melding=lagret")
        )
    );
    let (_, public) = get(&state, "/om-nettstedet").await;
    assert!(
        public.contains("<h1>Om oss</h1>") && public.contains("<h2>Ny del</h2>"),
        "{public}"
    );
    assert!(!public.contains("<script>alert(1)"));
    assert!(public.contains(r#"<meta name="description" content="Hvem vi er.""#));

    // The same form sent again (version 1) would overwrite that change: refused, text kept.
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/sider/om-nettstedet",
        Some(&editor),
        "version=1&title=Gammel&description=D.&body=Min+tekst",
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("Noen andre har lagret siden") && html.contains("Min tekst"));
    let title: String = sqlx::query_scalar("SELECT title FROM page WHERE slug = 'om-nettstedet'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(title, "Om oss");

    // Version 1 can be viewed and saved back.
    let (_, old) = get_with(&state, "/redaktor/sider/om-nettstedet?versjon=1", &editor).await;
    assert!(old.contains("Du ser versjon 1") && old.contains(r#"name="version" value="2""#));
}

#[tokio::test]
async fn the_guide_answers_from_the_url_alone() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let shared = "/veiviser?plan=kurs&nivaa=tjeneste&innflytelse=delt&tid=lang&honorar=ja";
    let (status, html) = get(&state, shared).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Anbefaling: Samarbeide"), "{html}");
    assert!(
        html.contains("Mandat, rollebeskrivelser og møteplaner")
            || html.contains("/ressurser/mandat-rollebeskrivelser-og-moteplaner")
    );
    let (_, unpaid) = get(&state, &shared.replace("honorar=ja", "honorar=nei")).await;
    assert!(unpaid.contains("Anbefaling: Involvere"));
    let (_, partial) = get(&state, "/veiviser?plan=kurs").await;
    assert!(
        !partial.contains("Anbefaling:") && partial.contains("Velg ett svar her"),
        "missing answers are named by their questions"
    );
}

/// Pages are counted from the server side of the request (and the browser's
/// beacon for client-side navigation); bots, Do Not Track and Global Privacy
/// Control are not, nor editors' pages or failed requests.
#[tokio::test]
async fn page_views_are_counted_on_the_server_except_bots_and_opt_outs() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    let (recorder, mut events) = app::stats::Recorder::new(&state.public_url);
    state.stats = std::sync::Arc::new(recorder);
    let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    let send = |method: &str, uri: &str, ua: &str, extra: Option<(&str, &str)>, body: &str| {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("accept", "text/html")
            .header("user-agent", ua)
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 9],
                40000,
            ))));
        if let Some((k, v)) = extra {
            request = request.header(k, v);
        }
        let request = request.body(Body::from(body.to_string())).unwrap();
        let state = state.clone();
        async move {
            server::router(state)
                .oneshot(request)
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(send("GET", "/", browser, None, "").await, StatusCode::OK);
    assert_eq!(
        send("GET", "/ressurser?nivaa=individ", browser, None, "").await,
        StatusCode::OK
    );
    assert_eq!(
        send("GET", "/finnes-ikke", browser, None, "").await,
        StatusCode::NOT_FOUND
    );
    send("GET", "/redaktor", browser, None, "").await;
    assert_eq!(
        send(
            "GET",
            "/",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            None,
            ""
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        send("GET", "/", browser, Some(("dnt", "1")), "").await,
        StatusCode::OK
    );
    assert_eq!(
        send("GET", "/", browser, Some(("sec-gpc", "1")), "").await,
        StatusCode::OK
    );
    assert_eq!(
        send("POST", "/besok", browser, None, "/veiviser").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send("POST", "/besok", browser, None, "https://annet.no/").await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send("POST", "/besok", browser, None, "/redaktor").await,
        StatusCode::NO_CONTENT,
        "ours, just not counted"
    );

    let mut batch = Vec::new();
    while let Ok(event) = events.try_recv() {
        batch.push(event);
    }
    let paths: Vec<String> = batch
        .iter()
        .filter_map(|e| match e {
            app::stats::Event::View { path, .. } => Some(path.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(paths, ["/", "/ressurser", "/veiviser"]);
    assert!(batch.iter().any(|e| matches!(e, app::stats::Event::Filter { facet, value, .. } if facet == "nivaa" && value == "individ")));
    app::stats::write_batch(&state.pool, &batch).await.unwrap();
    let today = app::stats::today();
    let report = app::db::statistics::report(&state.pool, &today, &today)
        .await
        .unwrap();
    assert_eq!(
        (report.visitors, report.views),
        (1, 3),
        "one visitor, three pages"
    );

    // The public page shows the figures; the dashboard is for editors.
    let (status, html) = get(&state, "/statistikk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dt>Sidevisninger</dt><dd>3</dd>"), "{html}");
    let editor = session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    let (status, html) = get_with(&state, "/redaktor/statistikk?fra=2026-13-01", &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Skriv fra-datoen som ÅÅÅÅ-MM-DD.") && html.contains(r#"value="2026-13-01""#),
        "the bad date is named and kept"
    );
}

/// `set-password` applies the accounts form's one rule: 12 to 200 characters.
#[test]
fn set_password_refuses_what_the_accounts_form_refuses() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let run = |password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bli-involvert"))
            .args(["--database"])
            .arg(dir.path().join("site.db"))
            .args([
                "--log",
                "warn",
                "set-password",
                "--username",
                "ola",
                "--role",
                "editor",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, stderr) = run(&"x".repeat(201));
    assert!(!ok && stderr.contains("200"), "{stderr}");
    let (ok, stderr) = run("kort");
    assert!(!ok && stderr.contains("12"), "{stderr}");
    let (ok, stderr) = run(&"et langt passord ".repeat(11)[..187]);
    assert!(ok, "{stderr}");
}
