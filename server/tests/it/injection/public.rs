//! Public forms: payloads in every field a visitor can fill in, stored as
//! text and shown escaped (the feedback forms are in `public_feedback`).

use super::*;

// ── Public forms ─────────────────────────────────────────────────────────

#[tokio::test]
async fn public_forms_store_payloads_as_text_and_show_them_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = state(&dir).await;
    let (recorder, mut events) = app::stats::Recorder::new(&state.public_url);
    state.stats = Arc::new(recorder);
    let before_tables = tables(&state).await;
    let resources_before: i64 = sqlx::query_scalar("SELECT count(*) FROM resource")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let admin = session_cookie(&state, "sjef", Role::Admin).await;
    let mut f = Findings::default();

    // ── The feedback flow (a suggestion with a payload in every text field),
    // "Var denne siden nyttig?" and "Hva manglet?": in `public_feedback`.
    let page = super::public_feedback::feedback_forms(&state, &admin, &mut f).await;

    // ── Consultation answers.
    let ids = open_round(
        &state,
        &admin,
        "runde-for-svar",
        "Runde for svar",
        "Svar gjerne.",
        "Hva virker?\nHva mangler?\nAnnet?",
    )
    .await;
    let answers = [
        all_payloads(),
        TEXTAREA.to_string(),
        format!("{UNI} {OR} {ENTITY}"),
    ];
    let body = form(
        &ids.iter()
            .zip(&answers)
            .map(|(id, a)| (format!("q{id}"), a.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    let (status, location, html) = post(&state, "/innspill/runde-for-svar", None, &body).await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/innspill/runde-for-svar?takk=1")
        ),
        "{html}"
    );
    for (id, answer) in ids.iter().zip(&answers) {
        let stored: String =
            sqlx::query_scalar("SELECT answer FROM consultation_answer WHERE question_id = ?1")
                .bind(id)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(&stored, answer, "answer stored byte for byte");
    }
    let (status, html) = get_with(&state, "/redaktor/innspill/runde-for-svar", &admin).await;
    f.page("/redaktor/innspill/runde-for-svar (answers)", status, &html);
    for answer in &answers {
        f.shown("/redaktor/innspill/runde-for-svar (answers)", &html, answer);
    }
    let too_long = format!("{TEXTAREA}{}", "x".repeat(4_000));
    let (status, _, html) = post(
        &state,
        "/innspill/runde-for-svar",
        None,
        &form(&[(&format!("q{}", ids[0]), &too_long)]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains("Svaret kan ha høyst 4000 tegn."),
        || format!("too long answer: {status}"),
    );
    f.page("POST /innspill too long", status, &html);
    f.shown("POST /innspill too long", &html, &too_long);
    let (status, _, html) = post(
        &state,
        "/innspill/runde-for-svar",
        None,
        &form(&[(&format!("q{SCRIPT}"), "x"), ("q999999", IMG)]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains("Svarene passer ikke til spørsmålene."),
        || format!("unknown question: {status}"),
    );
    f.page("POST /innspill unknown question", status, &html);
    let uri = format!("/innspill/{}", enc(SCRIPT));
    let (status, _, html) =
        post(&state, &uri, None, &form(&[(&format!("q{}", ids[0]), IMG)])).await;
    f.check(status == StatusCode::GONE, || {
        format!(
            "POST {uri}: expected 410 (no such open round), got {status}: {}",
            around(&html, 0)
        )
    });
    f.page(&format!("POST {uri}"), status, &html);

    // ── The catalogue search, reflected on /ressurser, in the feed and the CSV.
    let payloads = [
        SCRIPT,
        IMG,
        DROP,
        OR,
        TEMPLATE,
        JS_URL,
        TEXTAREA,
        SVG,
        TITLE_BREAK,
        SVG_SLASH,
        ENTITY,
        UNI,
    ];
    for p in payloads {
        let uri = format!("/ressurser?q={}", enc(p));
        let (status, _, html) = send(&state, "GET", &uri, &[], "").await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        f.page(&uri, status, &html);
        f.shown(&uri, &html, p.trim());
        for export in ["/ressurser.atom", "/ressurser.csv"] {
            let uri = format!("{export}?q={}", enc(p));
            let (status, _, body) = send(&state, "GET", &uri, &[], "").await;
            f.check(status == StatusCode::OK, || format!("{uri}: {status}"));
            f.check(!p.contains('<') || !body.contains(p), || {
                format!("{uri}: the search is echoed raw")
            });
        }
    }
    // A page path from the statistics beacon: no longer counted (it is not a
    // page), but a row an older version wrote is still listed, as text.
    let beacon_path = format!("/ressurser/{SVG_SLASH}{SCRIPT}");
    let (status, _, _) = send(&state, "POST", "/besok", &[], &beacon_path).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    sqlx::query("INSERT INTO stat_page (day, path, views, visitors) VALUES (?1, ?2, 5, 1)")
        .bind(app::stats::today())
        .bind(&beacon_path)
        .execute(&state.pool)
        .await
        .unwrap();
    // Searches that found nothing are listed for editors.
    let mut batch = Vec::new();
    while let Ok(event) = events.try_recv() {
        batch.push(event);
    }
    app::stats::write_batch(&state.pool, &batch).await.unwrap();
    let empty: Vec<String> = batch
        .iter()
        .filter_map(|e| match e {
            app::stats::Event::EmptySearch { query, .. } => Some(query.clone()),
            _ => None,
        })
        .collect();
    assert!(!empty.is_empty(), "some payload searches found nothing");
    let (status, html) = get_with(&state, "/redaktor/statistikk", &admin).await;
    f.page("/redaktor/statistikk", status, &html);
    for query in &empty {
        f.shown("/redaktor/statistikk (empty searches)", &html, query);
    }
    f.shown("/redaktor/statistikk (pages)", &html, &beacon_path);
    f.check(
        !html.contains(&format!("href=\"{}", attr_escaped(&beacon_path))),
        || "an unknown path is linked".to_string(),
    );
    let (status, html) = get(&state, "/statistikk").await;
    f.page("/statistikk", status, &html);

    // ── GET parameters that are echoed, and paths that are not found.
    // Spaceless: sign-in drops a `neste` with whitespace (it would not be echoed).
    let next = format!("/{SVG_SLASH}");
    for (uri, echoed) in [
        (
            format!("/tilbakemelding?fra={}&type=feil", enc(&page)),
            Some(page.clone()),
        ),
        (
            format!("/tilbakemelding?fra={}&type={}", enc(SCRIPT), enc(IMG)),
            None,
        ),
        (
            // The user name is no longer read from the URL (review 3, N12).
            format!(
                "/logg-inn?feil=feil&bruker={}&neste={}",
                enc(IMG),
                enc(&next)
            ),
            None,
        ),
        (
            format!("/logg-inn?neste={}", enc(&next)),
            Some(next.clone()),
        ),
        (
            format!(
                "/veiviser?plan={}&nivaa={}&tid={}",
                enc(SCRIPT),
                enc(IMG),
                enc(SVG)
            ),
            None,
        ),
        (
            format!(
                "/ressurser?nivaa={}&sort={}&side={}&organisasjon={}",
                enc(SCRIPT),
                enc(IMG),
                enc(OR),
                enc(SVG)
            ),
            None,
        ),
        (
            format!("/brukerorganisasjoner?orgtype={}", enc(SCRIPT)),
            None,
        ),
        (format!("/nytt?side={}", enc(SCRIPT)), None),
        (
            format!("/redaktor/statistikk?fra={}&til={}", enc(SCRIPT), enc(IMG)),
            Some(SCRIPT.to_string()),
        ),
        (
            format!(
                "/redaktor/tilbakemeldinger?fra={}&type={}&status={}",
                enc(SCRIPT),
                enc(IMG),
                enc(SVG)
            ),
            None,
        ),
        (format!("/redaktor/logg?side={}", enc(SCRIPT)), None),
        (format!("/ressurser/{}", enc(SCRIPT)), None),
        (format!("/innspill/{}", enc(IMG)), None),
        (format!("/inngang/{}", enc(SCRIPT)), None),
        (format!("/tilbakemelding/kvittering/{}", enc(SCRIPT)), None),
        (format!("/redaktor/ressurser/{}", enc(IMG)), None),
        (format!("/redaktor/sider/{}", enc(SCRIPT)), None),
        (format!("/{}", enc(TITLE_BREAK)), None),
    ] {
        let (status, html) = get_with(&state, &uri, &admin).await;
        f.page(&format!("GET {uri}"), status, &html);
        if let Some(echoed) = echoed {
            f.shown(&format!("GET {uri}"), &html, &echoed);
        }
    }

    // ── Sign-in: the username comes back escaped; SQL in either field signs nobody in.
    let username = format!("{IMG}{SCRIPT}");
    for (user, password) in [
        (username.as_str(), OR),
        ("sjef", OR),
        ("sjef' --", "x"),
        (OR, OR),
        (DROP, DROP),
    ] {
        let (status, headers, html) = send(
            &state,
            "POST",
            "/auth/logg-inn",
            &[],
            &form(&[("brukernavn", user), ("passord", password)]),
        )
        .await;
        // The form comes back in the answer, the name in its field.
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            headers.get("set-cookie").is_none(),
            "{user:?}/{password:?} must not sign in"
        );
        assert!(headers.get("location").is_none());
        f.page("POST /auth/logg-inn", status, &html);
        f.shown("POST /auth/logg-inn", &html, user);
    }

    // Nothing was dropped or added behind the forms' backs.
    assert_eq!(
        tables(&state).await,
        before_tables,
        "DROP TABLE did nothing"
    );
    let resources_after: i64 = sqlx::query_scalar("SELECT count(*) FROM resource")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(resources_after, resources_before);
    f.finish("public forms");
}
