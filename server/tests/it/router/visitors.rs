//! Visitors' forms without JavaScript: the feedback flow, its limits, page answers.

use super::*;

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

/// The path of a server function by its name (registered when a router is built).
fn server_fn_path(state: &AppState, name: &str) -> String {
    let _ = server::router(state.clone());
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .find(|path| {
            path.trim_start_matches("/api/")
                .trim_end_matches(|c: char| c.is_ascii_digit())
                == name
        })
        .unwrap_or_else(|| panic!("no server function {name}"))
}

#[tokio::test]
async fn the_islands_send_stores_a_submission_once_per_key() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let path = server_fn_path(&state, "send_feedback");
    let stored = |message: &'static str| {
        let pool = state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM feedback WHERE message = ?1")
                .bind(message)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let form = app::query::encode("steg=4&kind=annet&message=Fin+side%2C+takk");
    let send = |key: &str| format!("form={form}&key={key}");

    // The first try is stored; a retry with the same key (its answer was
    // lost on the way) gets the same reference and stores nothing more.
    let key = "3f2c9a4e-8b1d-4c6e-9f00-5a7b2c1d0e01";
    let (status, _, first) = call(&state, "POST", &path, None, &send(key)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(first.contains("\"Stored\":\"TB-"), "{first}");
    let (status, _, again) = call(&state, "POST", &path, None, &send(key)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        again, first,
        "the retry gets the stored submission's reference"
    );
    assert_eq!(stored("Fin side, takk").await, 1);

    // Another submission (another key) is stored on its own.
    let (_, _, other) = call(
        &state,
        "POST",
        &path,
        None,
        &send("3f2c9a4e-8b1d-4c6e-9f00-5a7b2c1d0e02"),
    )
    .await;
    assert_ne!(other, first);
    assert_eq!(stored("Fin side, takk").await, 2);

    // The same checks as the plain form: nothing stored, the field's sentence back.
    let empty = format!(
        "form={}&key=3f2c9a4e-8b1d-4c6e-9f00-5a7b2c1d0e03",
        app::query::encode("steg=4&kind=annet&message=")
    );
    let (status, _, refused) = call(&state, "POST", &path, None, &empty).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        refused.contains("Refused") && refused.contains("Skriv hva du vil si til oss."),
        "{refused}"
    );

    // No key, no submission.
    let (status, _, _) = call(&state, "POST", &path, None, &format!("form={form}&key=")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(stored("Fin side, takk").await, 2);
}
