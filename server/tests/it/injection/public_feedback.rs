//! The public test's first part: the feedback flow with a payload in every
//! text field, the refusals, the honeypot, and the helpfulness questions.

use super::*;

/// Sends the feedback forms' payloads and checks where they appear again;
/// returns the page address the suggestion named (echoed later as `fra`).
pub(super) async fn feedback_forms(state: &AppState, admin: &str, f: &mut Findings) -> String {
    let title = format!("Forslag {SCRIPT} {IMG} {TITLE_BREAK} {DROP} {UNI}");
    let url = format!("https://evil.example/?a={SVG_SLASH}&b={OR}").replace(' ', "");
    let page = format!("/ressurser/erfaringsbasert-kvalitetssikring{SVG_SLASH}{TEMPLATE}");
    let message = all_payloads();
    let name = format!("{SCRIPT}{OR}");
    let email = format!("{SVG_SLASH}@evil.example");
    let details = [
        ("kind", "forslag"),
        ("page", &*page),
        ("title", &*title),
        ("url", &*url),
        ("message", &*message),
    ];
    let contact = [("name", &*name), ("email", &*email), ("consent", "ja")];

    let step = |n: &str, action: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![("steg", n.to_string()), ("handling", action.to_string())];
        pairs.extend(
            details
                .iter()
                .chain(contact.iter())
                .map(|(k, v)| (*k, v.to_string())),
        );
        pairs.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    for (n, action, expect) in [
        ("2", "neste", "Steg 3 av 4"),
        ("3", "neste", "Steg 4 av 4"),
        ("4", "endre-2", "Steg 2 av 4"),
        ("4", "tilbake", "Steg 3 av 4"),
    ] {
        let (status, _, html) = post(state, "/tilbakemelding", None, &step(n, action, &[])).await;
        let ctx = format!("POST /tilbakemelding steg={n} handling={action}");
        assert_eq!(status, StatusCode::OK, "{ctx}: {html}");
        assert!(html.contains(expect), "{ctx}: expected {expect}");
        f.page(&ctx, status, &html);
        for value in [&title, &url, &page, &message, &name, &email] {
            f.shown(&ctx, &html, value);
        }
    }
    let (status, location, _) = post(state, "/tilbakemelding", None, &step("4", "send", &[])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let reference = location
        .unwrap()
        .strip_prefix("/tilbakemelding/kvittering/")
        .unwrap()
        .to_string();
    let stored: (String, String, String, String, String, String) =
        sqlx::query_as("SELECT title, url, page, message, contact_name, contact_email FROM feedback WHERE reference = ?1")
            .bind(&reference)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (
            title.clone(),
            url.clone(),
            page.clone(),
            message.clone(),
            name.clone(),
            email.clone()
        ),
        "stored byte for byte"
    );

    for uri in [
        format!("/tilbakemelding/kvittering/{reference}"),
        "/redaktor/tilbakemeldinger".into(),
        format!("/redaktor/tilbakemeldinger/{reference}"),
    ] {
        let (status, html) = get_with(state, &uri, admin).await;
        f.page(&uri, status, &html);
        if uri.starts_with("/redaktor") {
            f.shown(&uri, &html, &title);
        }
        if uri.ends_with(&reference) && uri.starts_with("/redaktor") {
            for value in [&url, &page, &message, &name, &email] {
                f.shown(&uri, &html, value);
            }
        }
    }

    // A free-text message ("annet") with everything, and the NUL character.
    let nul = format!("før\u{0}etter {SCRIPT}");
    let (status, location, html) = post(
        state,
        "/tilbakemelding",
        None,
        &form(&[
            ("steg", "4"),
            ("kind", "annet"),
            ("message", &nul),
            ("handling", "send"),
        ]),
    )
    .await;
    f.page("POST /tilbakemelding with NUL", status, &html);
    if status == StatusCode::SEE_OTHER {
        let reference = location.unwrap().rsplit('/').next().unwrap().to_string();
        assert_eq!(
            one(
                state,
                "SELECT message FROM feedback WHERE reference = ?1",
                &reference
            )
            .await,
            nul,
            "NUL kept as typed"
        );
        let (status, html) = get_with(
            state,
            &format!("/redaktor/tilbakemeldinger/{reference}"),
            admin,
        )
        .await;
        f.page("inbox item with NUL", status, &html);
    } else {
        f.check(status.is_client_error() && html.contains("tegn"), || {
            format!("NUL refused without a field message: {status}")
        });
    }

    // Fields whose checks refuse the payload: a Norwegian message, the input shown again escaped.
    /// (field, form pairs, the message expected, the input expected back).
    type Refusal<'a> = (&'a str, Vec<(&'a str, String)>, &'a str, Option<String>);
    let refusals: [Refusal; 8] = [
        (
            "url",
            vec![
                ("steg", "2".into()),
                ("kind", "forslag".into()),
                ("title", "X".into()),
                ("url", JS_URL.into()),
            ],
            "Skriv en hel nettadresse som begynner med https://",
            Some(JS_URL.into()),
        ),
        (
            "email",
            vec![
                ("steg", "3".into()),
                ("kind", "annet".into()),
                ("message", "X".into()),
                ("email", format!("{IMG}@x.no")),
                ("consent", "ja".into()),
            ],
            "Skriv en e-postadresse som navn@eksempel.no",
            Some(format!("{IMG}@x.no")),
        ),
        (
            "name",
            vec![
                ("steg", "3".into()),
                ("kind", "annet".into()),
                ("message", "X".into()),
                ("name", format!("{SCRIPT}{}", "x".repeat(100))),
            ],
            "Navnet kan ha høyst 100 tegn.",
            Some(format!("{SCRIPT}{}", "x".repeat(100))),
        ),
        (
            "level",
            vec![
                ("steg", "2".into()),
                ("kind", "forslag".into()),
                ("title", "X".into()),
                ("level", SCRIPT.into()),
            ],
            "Velg blant nivåene på listen.",
            None,
        ),
        (
            "audience",
            vec![
                ("steg", "2".into()),
                ("kind", "forslag".into()),
                ("title", "X".into()),
                ("audience", SVG.into()),
            ],
            "Velg blant målgruppene på listen.",
            None,
        ),
        (
            "topic",
            vec![
                ("steg", "2".into()),
                ("kind", "innspill".into()),
                ("message", "X".into()),
                ("topic", IMG.into()),
            ],
            "Velg blant valgene på listen.",
            None,
        ),
        (
            "kind",
            vec![("steg", "1".into()), ("kind", SCRIPT.into())],
            "Velg hva tilbakemeldingen gjelder.",
            None,
        ),
        (
            "message",
            vec![
                ("steg", "2".into()),
                ("kind", "annet".into()),
                ("message", format!("{TEXTAREA}{}", "x".repeat(4_000))),
            ],
            "Teksten kan ha høyst 4000 tegn.",
            Some(format!("{TEXTAREA}{}", "x".repeat(4_000))),
        ),
    ];
    for (field, pairs, expect, echoed) in refusals {
        let mut pairs = pairs;
        pairs.push(("handling", "neste".into()));
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let (status, _, html) = post(state, "/tilbakemelding", None, &body).await;
        let ctx = format!("POST /tilbakemelding refusing {field}");
        f.check(status == StatusCode::UNPROCESSABLE_ENTITY, || {
            format!("{ctx}: answered {status}")
        });
        f.check(html.contains(expect), || {
            format!("{ctx}: no message {expect:?}")
        });
        f.page(&ctx, status, &html);
        if let Some(echoed) = echoed {
            f.shown(&ctx, &html, &echoed);
        }
    }
    // The honeypot is shown again too (as the value of its hidden field).
    let (status, _, html) = post(
        state,
        "/tilbakemelding",
        None,
        &form(&[
            ("steg", "4"),
            ("kind", "annet"),
            ("message", "Hei"),
            ("nettsted", IMG),
            ("handling", "send"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    f.page("honeypot", status, &html);
    f.shown("honeypot", &html, IMG);

    // ── "Var denne siden nyttig?" and "Hva manglet?"
    let helpful_path = format!("/ressurser/erfaringsbasert-kvalitetssikring{SVG_SLASH}");
    let (status, location, _) = post(
        state,
        "/nyttig",
        None,
        &form(&[("path", &helpful_path), ("svar", "nei")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(&*format!("{helpful_path}?nyttig=nei#nyttig"))
    );
    assert_eq!(
        one(
            state,
            "SELECT path FROM page_helpful WHERE path = ?1",
            &helpful_path
        )
        .await,
        helpful_path
    );
    let (status, _, _) = post(
        state,
        "/nyttig",
        None,
        &form(&[("path", JS_URL), ("svar", "ja")]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only local pages");
    let (status, _, body) = post(
        state,
        "/nyttig",
        None,
        &form(&[
            ("path", "/ressurser/erfaringsbasert-kvalitetssikring"),
            ("svar", SCRIPT),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only ja or nei");
    f.check(
        body.contains("Ukjent side eller svar.") && !body.contains('<'),
        || format!("POST /nyttig svar=<script>: {body}"),
    );
    let comment = all_payloads();
    let (status, _, _) = post(
        state,
        "/nyttig/kommentar",
        None,
        &form(&[
            ("path", "/ressurser/erfaringsbasert-kvalitetssikring"),
            ("comment", &comment),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        one(
            state,
            "SELECT comment FROM page_helpful_comment WHERE path = ?1",
            "/ressurser/erfaringsbasert-kvalitetssikring"
        )
        .await,
        comment
    );
    let (status, html) = get_with(state, "/redaktor/tilbakemeldinger", admin).await;
    f.page("inbox helpfulness", status, &html);
    f.shown("inbox helpfulness", &html, &helpful_path);

    page
}
