//! Who may call what: every server function and editor form checks the session and the role.

use super::*;

/// Server functions anyone may call. Every other one is an admin function
/// and must refuse a request without a session, whatever its arguments.
const PUBLIC_SERVER_FNS: [&str; 18] = [
    "get_home",
    "browse_catalogue",
    "get_involvement_map",
    "get_resource",
    "who_am_i",
    "get_feedback_flow",
    "get_receipt",
    "send_feedback",
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
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
    let admin = session_cookie(&state, "sjef", app::domain::account::Role::Admin).await;
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
async fn every_editor_route_refuses_a_visitor_and_a_smaller_role_and_lets_its_role_through() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
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
    let admin = session_cookie(&state, "admin-i-test", app::domain::account::Role::Admin).await;
    let before = table_counts(&state).await;

    let routes = server::editor_routes();
    let mut admitted = Vec::new();
    assert!(routes.len() >= 14);
    for (pattern, role, _) in routes {
        let uri = pattern
            .replace(
                "{slug}",
                if pattern.contains("organisasjoner") {
                    "napha"
                } else if pattern.contains("innspill") {
                    "ingen-slik-runde"
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
        // The CSV downloads and the digest confirmation are GETs; every
        // other route is a form's POST.
        let method = if pattern.ends_with(".csv") || pattern.ends_with("/bekreft") {
            "GET"
        } else {
            "POST"
        };

        let (status, location, _) = call(&state, method, &uri, None, body).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{uri} without a session");
        assert!(
            location
                .as_deref()
                .unwrap_or("")
                .starts_with("/logg-inn?neste="),
            "{uri} sends a visitor to sign in: {location:?}"
        );

        if role == app::domain::account::Role::Admin {
            let (status, _, body) = call(&state, method, &uri, Some(&editor), body).await;
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

        let allowed = if role == app::domain::account::Role::Admin {
            admin.clone()
        } else {
            editor.clone()
        };
        admitted.push((uri, method, allowed));
    }

    // And the role each route names gets through to its handler: whatever
    // the handler answers to an empty form, it is not the role layer's
    // refusal (sign-in or 403) or a handler without its user (500).
    for (uri, method, allowed) in admitted {
        let (status, location, _) = call(&state, method, &uri, Some(&allowed), "").await;
        assert!(
            status != StatusCode::FORBIDDEN
                && status != StatusCode::INTERNAL_SERVER_ERROR
                && !location.as_deref().unwrap_or("").starts_with("/logg-inn"),
            "{uri} refused its own role: {status} {location:?}"
        );
    }
}

#[tokio::test]
async fn editors_forms_answer_with_redirects_or_the_form_again() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "sjef", app::domain::account::Role::Admin).await;
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
