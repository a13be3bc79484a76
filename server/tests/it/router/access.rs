//! Who may call what: every server function and editor form checks the session and the role.

use app::domain::account::Role;

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
    let app = TestApp::spawn().await;
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
        before.push(app.scalar(&format!("SELECT count(*) FROM {t}")).await);
    }
    // Registration happens when the router is built.
    let _ = server::router(app.state.clone());

    let mut checked = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        if PUBLIC_SERVER_FNS.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let response = app.as_visitor().send(method.as_str(), path, "").await;
        assert!(
            !response.status().is_success(),
            "{path} answered {}",
            response.status()
        );
        assert!(
            response.html().contains("Unauthorized"),
            "{path} must refuse for want of a session, said: {}",
            response.html()
        );
        checked.push(name.to_string());
    }
    assert!(
        checked.iter().any(|n| n.starts_with("get_dashboard")),
        "walked: {checked:?}"
    );

    for (t, b) in tables.iter().zip(before) {
        let after = app.scalar(&format!("SELECT count(*) FROM {t}")).await;
        assert_eq!(after, b, "{t} changed");
    }
}

/// Server functions only administrators may call.
const ADMIN_SERVER_FNS: [&str; 3] = ["get_taxonomy", "get_accounts", "get_audit_log"];

#[tokio::test]
async fn server_functions_check_the_role_as_well_as_the_session() {
    let app = TestApp::spawn().await;
    let editor = app.as_editor().await;
    let admin = app.as_admin().await;
    let _ = server::router(app.state.clone());
    let before = table_counts(&app.state).await;

    let mut admin_only = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        if PUBLIC_SERVER_FNS.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let as_editor = editor.send(method.as_str(), path, "").await;
        let body = as_editor.html();
        if ADMIN_SERVER_FNS.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit())) {
            assert!(
                body.contains("Forbidden") && !as_editor.status().is_success(),
                "{path} must refuse an editor, said {}: {body}",
                as_editor.status()
            );
            let as_admin = admin.send(method.as_str(), path, "").await;
            assert!(
                as_admin.status().is_success(),
                "{path} must serve an administrator, said {}: {}",
                as_admin.status(),
                as_admin.html()
            );
            admin_only.push(name.to_string());
        } else {
            // Served (or, without arguments, "not found"), never refused.
            assert!(
                !body.contains("Forbidden")
                    && !body.contains("Unauthorized")
                    && (as_editor.status().is_success() || body.contains("NotFound")),
                "{path} must serve an editor (or belongs in ADMIN_SERVER_FNS), said {}: {body}",
                as_editor.status()
            );
        }
    }
    assert_eq!(
        admin_only.len(),
        ADMIN_SERVER_FNS.len(),
        "walked: {admin_only:?}"
    );
    assert_eq!(
        table_counts(&app.state).await,
        before,
        "reading changed something"
    );
}

/// The editors' route table (`server::editor_routes`) as requests: each
/// row's path with real slugs and ids of the seeded site, its method, and
/// the role the row names.
async fn editor_route_requests(app: &TestApp) -> Vec<(String, &'static str, Role)> {
    let value_id = app.scalar("SELECT min(id) FROM facet_value").await;
    let account_id = app.scalar("SELECT min(id) FROM account").await;
    let draft = app::domain::feedback::FeedbackDraft {
        kind: "forslag".into(),
        title: "Et forslag".into(),
        ..Default::default()
    };
    let reference = app::db::feedback::submit(app.pool(), &draft, 30)
        .await
        .unwrap();
    let routes = server::editor_routes();
    assert!(routes.len() >= 14);
    routes
        .into_iter()
        .map(|(pattern, role, _)| {
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
            (uri, method, role)
        })
        .collect()
}

#[tokio::test]
async fn every_editor_route_refuses_a_visitor_and_admin_routes_refuse_an_editor() {
    let app = TestApp::spawn().await;
    let editor = app.as_editor().await;
    let routes = editor_route_requests(&app).await;
    // Fields every handler would accept if it let the request through.
    let body = "title=Innbrudd&summary=Innbrudd&status=draft&version=1&handling=trekk&bekreft=ja&label=Innbrudd\
        &name=Innbrudd&username=innbrudd&display_name=Innbrudd&role=admin&password=et+langt+passord+123\
        &f.type=veileder&f.nivaa=system";
    let before = table_counts(&app.state).await;

    for (uri, method, role) in routes {
        let refused = app.as_visitor().send(method, &uri, body).await;
        assert_eq!(
            refused.status(),
            StatusCode::SEE_OTHER,
            "{uri} without a session"
        );
        assert!(
            refused
                .redirect()
                .unwrap_or("")
                .starts_with("/logg-inn?neste="),
            "{uri} sends a visitor to sign in: {:?}",
            refused.redirect()
        );

        if role == Role::Admin {
            let refused = editor.send(method, &uri, body).await;
            assert_eq!(
                refused.status(),
                StatusCode::FORBIDDEN,
                "{uri} with an editor's session"
            );
            assert!(refused.html().contains("tilgang"), "{}", refused.html());
        }
        assert_eq!(
            table_counts(&app.state).await,
            before,
            "{uri} changed something for a caller it refused"
        );
    }
}

/// The other direction: the role a row names gets through the role layer
/// to its handler. Whatever a handler answers to an empty form, it is not
/// the layer's refusal (sign-in, 401, 403) or a handler without its user
/// (500). An `Editor` row lets an editor and an administrator through; an
/// `Admin` row an administrator past the second factor.
#[tokio::test]
async fn every_editor_route_accepts_its_role() {
    let app = TestApp::spawn().await;
    let editor = app.as_editor().await;
    let admin = app.as_admin().await;
    let routes = editor_route_requests(&app).await;

    let mut accepted = 0;
    for (uri, method, role) in routes {
        let allowed: &[(&str, &TestClient)] = match role {
            Role::Editor => &[("editor", &editor), ("administrator", &admin)],
            Role::Admin => &[("administrator", &admin)],
        };
        for (who, client) in allowed {
            let response = client.send(method, &uri, "").await;
            let status = response.status();
            assert!(
                ![
                    StatusCode::UNAUTHORIZED,
                    StatusCode::FORBIDDEN,
                    StatusCode::INTERNAL_SERVER_ERROR
                ]
                .contains(&status)
                    && !response.redirect().unwrap_or("").starts_with("/logg-inn"),
                "{uri} refused an {who} ({role:?} route): {status} {:?} {}",
                response.redirect(),
                response.html()
            );
            accepted += 1;
        }
    }
    assert!(accepted > 14, "{accepted} requests");
}

const SLUG: &str = "brukerutvalg-slik-organiserer-dere-det";

async fn version_of(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT version FROM resource WHERE slug = ?1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn unpublishing_a_resource_takes_it_off_the_public_site() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get(&format!("/ressurser/{SLUG}")).await.status(),
        StatusCode::OK
    );
    let version = version_of(&app, SLUG).await.to_string();

    let saved = app
        .as_editor()
        .await
        .post_form(
            &format!("/redaktor/ressurser/{SLUG}/status"),
            &[("status", "draft"), ("version", &version)],
        )
        .await;

    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        saved.redirect(),
        Some(&*format!("/redaktor/ressurser/{SLUG}?melding=avpublisert"))
    );
    assert_eq!(
        app.get(&format!("/ressurser/{SLUG}")).await.status(),
        StatusCode::NOT_FOUND,
        "the page (and the catalogue behind it) forgets the resource at once"
    );
}

#[tokio::test]
async fn the_same_change_again_from_the_old_page_is_a_conflict() {
    let app = TestApp::spawn().await;
    let editor = app.as_editor().await;
    let version = version_of(&app, SLUG).await.to_string();
    let unpublish = [("status", "draft"), ("version", version.as_str())];
    let path = format!("/redaktor/ressurser/{SLUG}/status");

    let first = editor.post_form(&path, &unpublish).await;
    assert!(first.redirect().unwrap().ends_with("melding=avpublisert"));
    let again = editor.post_form(&path, &unpublish).await;

    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert!(
        again.redirect().unwrap().ends_with("melding=konflikt"),
        "{:?}",
        again.redirect()
    );
}

#[tokio::test]
async fn preview_renders_the_markdown_sanitised_and_saves_nothing() {
    let app = TestApp::spawn().await;

    let preview = app
        .as_editor()
        .await
        .post_form(
            &format!("/redaktor/ressurser/{SLUG}"),
            &[
                ("handling", "forhandsvis"),
                ("title", "Forhåndsvist"),
                ("summary", "S"),
                (
                    "body",
                    "## Mellomtittel\n\n</textarea><script>alert(1)</script>",
                ),
                ("version", "1"),
            ],
        )
        .await;

    assert_eq!(preview.status(), StatusCode::OK);
    let html = preview.html();
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
        .bind(SLUG)
        .fetch_one(app.pool())
        .await
        .unwrap();
    assert_ne!(title, "Forhåndsvist");
}

#[tokio::test]
async fn an_organisation_with_a_bad_address_comes_back_with_the_message_by_the_field() {
    let app = TestApp::spawn().await;

    let answer = app
        .as_editor()
        .await
        .post_form(
            "/redaktor/organisasjoner/ny",
            &[("name", "Nytt senter"), ("website", "ikke-en-adresse")],
        )
        .await;

    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.html().contains("Skriv en hel nettadresse")
            && answer.html().contains("value=\"Nytt senter\""),
        "{}",
        answer.html()
    );
}

/// The facet value most resources have.
async fn most_used_value(app: &TestApp) -> i64 {
    app.scalar(
        "SELECT facet_value_id FROM resource_facet GROUP BY facet_value_id ORDER BY count(*) DESC LIMIT 1",
    )
    .await
}

#[tokio::test]
async fn retiring_a_value_in_use_asks_first() {
    let app = TestApp::spawn().await;
    let admin = app.as_admin().await;
    let used = most_used_value(&app).await;
    let path = format!("/redaktor/kategorier/verdi/{used}");

    let asked = admin.post_form(&path, &[("handling", "trekk")]).await;
    assert_eq!(
        asked.redirect(),
        Some(&*format!(
            "/redaktor/kategorier?bekreft={used}#verdi-{used}"
        ))
    );
    let warning = admin
        .get(&format!("/redaktor/kategorier?bekreft={used}"))
        .await;
    assert_eq!(warning.status(), StatusCode::OK);
    assert!(
        warning.html().contains("Ja, trekk tilbake") && warning.html().contains("brukt "),
        "the warning says how much it is used"
    );
    let retired = app
        .scalar(&format!(
            "SELECT retired FROM facet_value WHERE id = {used}"
        ))
        .await;
    assert_eq!(retired, 0, "asking changes nothing");

    let confirmed = admin
        .post_form(&path, &[("handling", "trekk"), ("bekreft", "ja")])
        .await;
    assert!(confirmed
        .redirect()
        .unwrap()
        .contains("melding=verdi-trukket"));
}

#[tokio::test]
async fn the_audit_log_lists_what_editors_did() {
    let app = TestApp::spawn().await;
    let admin = app.as_admin().await;
    let version = version_of(&app, SLUG).await.to_string();
    let unpublished = admin
        .post_form(
            &format!("/redaktor/ressurser/{SLUG}/status"),
            &[("status", "draft"), ("version", &version)],
        )
        .await;
    assert_eq!(unpublished.status(), StatusCode::SEE_OTHER);
    let used = most_used_value(&app).await;
    let retired = admin
        .post_form(
            &format!("/redaktor/kategorier/verdi/{used}"),
            &[("handling", "trekk"), ("bekreft", "ja")],
        )
        .await;
    assert!(retired
        .redirect()
        .unwrap()
        .contains("melding=verdi-trukket"));

    let log = admin.get("/redaktor/logg").await;

    assert_eq!(log.status(), StatusCode::OK);
    assert!(
        log.html().contains("trakk tilbake kategoriverdi") && log.html().contains("endret ressurs"),
        "{}",
        log.html()
    );
}
