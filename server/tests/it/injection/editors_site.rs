//! The editors' test's second part: a content page, a consultation round,
//! an account, the inbox, and the audit log that names everything.

use super::*;

/// What the first part saved, for the audit log to name.
pub(super) struct Earlier {
    pub first_label: String,
    pub label: String,
    pub org_name: String,
    pub title: String,
    pub body: String,
}

pub(super) async fn pages_rounds_accounts_inbox_and_log(
    state: &AppState,
    admin: &str,
    f: &mut Findings,
    earlier: Earlier,
) {
    let Earlier {
        first_label,
        label,
        org_name,
        title,
        body,
    } = earlier;
    // ── A content page (refused, saved).
    let page_title = format!("Om {SCRIPT} {TITLE_BREAK}");
    let page_description = format!("{IMG} {DROP} {ENTITY}");
    let (status, _, html) = post(
        state,
        "/redaktor/sider/om-nettstedet",
        Some(admin),
        &form(&[
            ("version", "1"),
            ("title", ""),
            ("description", &page_description),
            ("body", &body),
        ]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("Skriv en tittel."),
        || format!("page refused: {status}"),
    );
    f.page("page refused", status, &html);
    f.shown("page refused", &html, &page_description);
    f.shown("page refused", &html, &body);
    let (status, location, html) = post(
        state,
        "/redaktor/sider/om-nettstedet",
        Some(admin),
        &form(&[
            ("version", "1"),
            ("title", &page_title),
            ("description", &page_description),
            ("body", &body),
        ]),
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/sider/om-nettstedet?melding=lagret")
        ),
        "{html}"
    );
    let stored: (String, String, String) =
        sqlx::query_as("SELECT title, description, body FROM page WHERE slug = 'om-nettstedet'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (page_title.clone(), page_description.clone(), body.clone())
    );
    let (status, html) = get(state, "/om-nettstedet").await;
    f.page("/om-nettstedet", status, &html);
    f.check(
        html.contains(&format!("<h1>{}</h1>", text_escaped(&page_title))),
        || "/om-nettstedet: the h1 is not the escaped title".into(),
    );
    f.check(
        html.contains(&format!("content=\"{}\"", attr_escaped(&page_description))),
        || "/om-nettstedet: the description is not escaped".into(),
    );
    f.title_element("/om-nettstedet", &html, &page_title);
    f.sanitised("/om-nettstedet", &html);
    let (status, html) = get_with(state, "/redaktor/sider/om-nettstedet", admin).await;
    f.page("/redaktor/sider/om-nettstedet", status, &html);
    for value in [&page_title, &page_description, &body] {
        f.shown("/redaktor/sider/om-nettstedet", &html, value);
    }
    let uri = format!("/redaktor/sider/{}", enc(SCRIPT));
    let (status, _, html) = post(
        state,
        &uri,
        Some(admin),
        &form(&[
            ("handling", "forhandsvis"),
            ("title", IMG),
            ("description", "d"),
            ("body", &body),
        ]),
    )
    .await;
    f.page(
        &format!("POST {uri} (preview of an unknown page)"),
        status,
        &html,
    );

    // ── A consultation round (refused, saved) and its public pages.
    let round_title = format!("Runde {SCRIPT} {IMG} {TITLE_BREAK}");
    let questions = [
        format!("Spørsmål {SCRIPT}?"),
        format!("Hva med {IMG}?"),
        DROP.to_string(),
        format!("{TEXTAREA} {UNI}"),
    ];
    let (status, _, html) = post(
        state,
        "/redaktor/innspill/ny",
        Some(admin),
        &form(&[
            ("title", &round_title),
            ("slug", IMG),
            ("intro", &body),
            ("closes_on", SCRIPT),
            ("status", SVG),
            ("questions", &questions.join("\n")),
        ]),
    )
    .await;
    let ctx = "POST /redaktor/innspill/ny (refused)";
    let expected = [
        "Skriv siste svardag som ÅÅÅÅ-MM-DD",
        "Adressen kan bare ha små bokstaver",
        "Velg utkast eller publisert.",
    ];
    let missing: Vec<&str> = expected.into_iter().filter(|m| !html.contains(m)).collect();
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY && missing.is_empty(),
        || format!("{ctx}: {status}, messages missing: {missing:?}"),
    );
    f.page(ctx, status, &html);
    for value in [
        &round_title,
        &body,
        &questions.join("\n"),
        &SCRIPT.to_string(),
    ] {
        f.shown(ctx, &html, value);
    }
    let ids = open_round(
        state,
        admin,
        "runde-injeksjon",
        &round_title,
        &body,
        &questions.join("\n"),
    )
    .await;
    assert_eq!(ids.len(), questions.len());
    let stored: (String, String) =
        sqlx::query_as("SELECT title, intro FROM consultation WHERE slug = 'runde-injeksjon'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(stored, (round_title.clone(), body.clone()));
    let stored: Vec<String> = sqlx::query_scalar("SELECT text FROM consultation_question WHERE consultation_id = (SELECT id FROM consultation WHERE slug = 'runde-injeksjon') ORDER BY position")
        .fetch_all(&state.pool)
        .await
        .unwrap();
    assert_eq!(stored, questions);
    for uri in [
        "/innspill",
        "/innspill/runde-injeksjon",
        "/redaktor/innspill",
        "/redaktor/innspill/runde-injeksjon",
    ] {
        let (status, html) = get_with(state, uri, admin).await;
        f.page(uri, status, &html);
        f.shown(uri, &html, &round_title);
        if uri == "/innspill/runde-injeksjon" {
            f.title_element(uri, &html, &round_title);
            f.sanitised(uri, &html);
            for q in &questions {
                f.shown(uri, &html, q);
            }
        }
    }

    // ── An account (refused, created, signed in).
    let display_name = format!("Kari {SCRIPT} {IMG}");
    let password = format!("{OR} {DROP}");
    for (pairs, expect, echoed) in [
        (
            vec![
                ("username", SCRIPT),
                ("display_name", "Kari"),
                ("role", "editor"),
                ("password", password.as_str()),
            ],
            "Brukernavnet må ha 2–60 tegn",
            SCRIPT.to_string(),
        ),
        (
            vec![
                ("username", "kari2"),
                ("display_name", &*format!("{SVG}{}", "x".repeat(100))),
                ("role", "editor"),
                ("password", password.as_str()),
            ],
            "Skriv et navn på høyst 100 tegn.",
            format!("{SVG}{}", "x".repeat(100)),
        ),
        (
            vec![
                ("username", "kari3"),
                ("display_name", "Kari"),
                ("role", IMG),
                ("password", password.as_str()),
            ],
            "Velg en rolle.",
            "Kari".to_string(),
        ),
    ] {
        let (status, _, html) =
            post(state, "/redaktor/kontoer/ny", Some(admin), &form(&pairs)).await;
        let ctx = format!("POST /redaktor/kontoer/ny refusing ({expect})");
        f.check(
            status == StatusCode::UNPROCESSABLE_ENTITY && html.contains(expect),
            || format!("{ctx}: {status}"),
        );
        f.page(&ctx, status, &html);
        f.shown(&ctx, &html, &echoed);
        f.check(
            !html.contains(&password) && !html.contains(&attr_escaped(&password)),
            || format!("{ctx}: the password is shown again"),
        );
    }
    let (status, _, html) = post(
        state,
        "/redaktor/kontoer/ny",
        Some(admin),
        &form(&[
            ("username", "kari.injeksjon"),
            ("display_name", &display_name),
            ("role", "editor"),
            ("password", &password),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(
        one(
            state,
            "SELECT display_name FROM account WHERE username = ?1",
            "kari.injeksjon"
        )
        .await,
        display_name
    );
    let (token, _) = app::auth::sign_in(
        &state.pool,
        &state.sign_in,
        "kari.injeksjon",
        &password,
        &app::client::Client::unknown(),
    )
    .await
    .expect("the password works as typed");
    let kari = app::auth::session_cookie(Some(&token), false)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (status, html) = get_with(state, "/redaktor", &kari).await;
    f.page("/redaktor as the new account", status, &html);
    f.shown("/redaktor as the new account", &html, &display_name);
    let (status, html) = get_with(state, "/redaktor/kontoer", admin).await;
    f.page("/redaktor/kontoer", status, &html);
    f.shown("/redaktor/kontoer", &html, &display_name);
    let account_id = one(
        state,
        "SELECT CAST(id AS TEXT) FROM account WHERE username = ?1",
        "kari.injeksjon",
    )
    .await;
    let (status, _, html) = post(
        state,
        &format!("/redaktor/kontoer/{account_id}"),
        Some(admin),
        &form(&[("handling", "passord"), ("password", "<svg>'--")]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains("Passordet må ha minst 12 tegn."),
        || format!("short password: {status}"),
    );
    f.page("short password", status, &html);
    for (handling, role) in [(SCRIPT, "editor"), ("rolle", IMG)] {
        let (status, _, body) = post(
            state,
            &format!("/redaktor/kontoer/{account_id}"),
            Some(admin),
            &form(&[("handling", handling), ("role", role)]),
        )
        .await;
        f.check(
            status == StatusCode::BAD_REQUEST && !body.contains('<'),
            || format!("account change {handling:?}/{role:?}: {status} {body}"),
        );
    }

    // ── The inbox: a handling note, a refused status, a suggestion turned into a draft.
    let suggestion = app::domain::feedback::FeedbackDraft {
        kind: "forslag".into(),
        title: format!("Forslag {SCRIPT} {TITLE_BREAK}"),
        ..Default::default()
    };
    let reference = app::db::feedback::submit(&state.pool, &suggestion, 30)
        .await
        .unwrap();
    let item = format!("/redaktor/tilbakemeldinger/{reference}");
    let note = all_payloads();
    let (status, location, _) = post(
        state,
        &item,
        Some(admin),
        &form(&[("status", ""), ("note", &note)]),
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some(&*format!("{item}?melding=lagret"))
        )
    );
    assert_eq!(one(state, "SELECT note FROM feedback_event WHERE feedback_id = (SELECT id FROM feedback WHERE reference = ?1)", &reference).await, note);
    let (status, html) = get_with(state, &item, admin).await;
    f.page(&item, status, &html);
    f.shown(&item, &html, &note);
    let (status, _, html) = post(
        state,
        &item,
        Some(admin),
        &form(&[("status", SCRIPT), ("note", IMG)]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("Velg en status fra listen."),
        || format!("status refused: {status}"),
    );
    f.page("status refused", status, &html);
    let (status, location, _) = post(state, &format!("{item}/utkast"), Some(admin), "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let draft = location.unwrap().split('?').next().unwrap().to_string();
    let draft_slug = draft.rsplit('/').next().unwrap();
    assert_eq!(
        one(
            state,
            "SELECT title FROM resource WHERE slug = ?1",
            draft_slug
        )
        .await,
        suggestion.title
    );
    let (status, html) = get_with(state, &draft, admin).await;
    f.page(&draft, status, &html);
    f.shown(&draft, &html, &suggestion.title);

    // ── The audit log names everything, escaped.
    let (status, html) = get_with(state, "/redaktor/logg", admin).await;
    f.page("/redaktor/logg", status, &html);
    for value in [
        &title,
        &org_name,
        &first_label,
        &label,
        &page_title,
        &round_title,
        &suggestion.title,
    ] {
        f.shown("/redaktor/logg", &html, value);
    }
    let (status, html) = get_with(state, "/redaktor", admin).await;
    f.page("/redaktor", status, &html);
}
