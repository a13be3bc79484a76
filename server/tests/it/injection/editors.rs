//! Editors' and administrators' forms: a category value, an organisation
//! and a resource here; content pages, rounds, accounts, the inbox and the
//! audit log in `editors_site`.

use super::*;

// ── Editors' and administrators' forms ───────────────────────────────────

#[tokio::test]
async fn editors_forms_store_payloads_as_text_and_show_them_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let before_tables = tables(&state).await;
    let admin = session_cookie(&state, "sjef", Role::Admin).await;
    let mut f = Findings::default();

    // ── A category value (added, refused, renamed).
    let first_label = format!("Verdi {SCRIPT} {IMG}");
    let (status, location, html) = post(
        &state,
        "/redaktor/kategorier/malgruppe/ny",
        Some(&admin),
        &form(&[("label", &first_label)]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let value_id: i64 = location
        .unwrap()
        .rsplit("#verdi-")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let value_key = one(
        &state,
        "SELECT key FROM facet_value WHERE label = ?1",
        &first_label,
    )
    .await;
    for (label, expect) in [
        (
            format!("{SCRIPT}{}", "x".repeat(80)),
            "Navnet kan ha høyst 80 tegn.",
        ),
        (
            "<>\"'".to_string(),
            "Navnet må ha minst én bokstav eller ett tall.",
        ),
    ] {
        let (status, _, html) = post(
            &state,
            "/redaktor/kategorier/malgruppe/ny",
            Some(&admin),
            &form(&[("label", &label)]),
        )
        .await;
        let ctx = "POST /redaktor/kategorier/malgruppe/ny (refused)";
        f.check(
            status == StatusCode::UNPROCESSABLE_ENTITY && html.contains(expect),
            || format!("{ctx}: {status}, expected {expect:?}"),
        );
        f.page(ctx, status, &html);
        f.shown(ctx, &html, &label);
    }
    let label = format!("Verdi {SVG} {DROP}");
    let (status, _, _) = post(
        &state,
        &format!("/redaktor/kategorier/verdi/{value_id}"),
        Some(&admin),
        &form(&[("handling", "navn"), ("label", &label)]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        one(
            &state,
            "SELECT label FROM facet_value WHERE key = ?1",
            &value_key
        )
        .await,
        label
    );
    let too_long = format!("{TEXTAREA}{}", "x".repeat(80));
    let (status, _, html) = post(
        &state,
        &format!("/redaktor/kategorier/verdi/{value_id}"),
        Some(&admin),
        &form(&[("handling", "navn"), ("label", &too_long)]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("Navnet kan ha høyst 80 tegn."),
        || format!("rename refused: {status}"),
    );
    f.page("rename refused", status, &html);
    f.shown("rename refused", &html, &too_long);

    // ── An organisation (refused, then saved).
    let org_name = format!("Org {SCRIPT} {IMG} {UNI}");
    let short_name = SVG.to_string();
    let website = format!("https://evil.example/{SVG_SLASH}");
    let description = all_payloads();
    let org = |slug: &str, website: &str| {
        form(&[
            ("name", &org_name),
            ("short_name", &short_name),
            ("slug", slug),
            ("website", website),
            ("description", &description),
            ("f.orgtype", "kompetansesenter"),
            ("f.region", "vest"),
            ("f.fagfelt", "rus"),
        ])
    };
    let (status, _, html) = post(
        &state,
        "/redaktor/organisasjoner/ny",
        Some(&admin),
        &org(SCRIPT, JS_URL),
    )
    .await;
    let ctx = "POST /redaktor/organisasjoner/ny (refused)";
    f.check(status == StatusCode::UNPROCESSABLE_ENTITY, || {
        format!("{ctx}: {status}")
    });
    f.check(
        html.contains("Skriv en hel nettadresse som begynner med https://")
            && html.contains("Adressen kan bare ha små bokstaver"),
        || format!("{ctx}: field messages missing"),
    );
    f.page(ctx, status, &html);
    for value in [
        &org_name,
        &short_name,
        &description,
        &SCRIPT.to_string(),
        &JS_URL.to_string(),
    ] {
        f.shown(ctx, &html, value);
    }
    let (status, location, html) = post(
        &state,
        "/redaktor/organisasjoner/ny",
        Some(&admin),
        &org("org-injeksjon", &website),
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/organisasjoner/org-injeksjon?melding=org-lagret")
        ),
        "{html}"
    );
    let stored: (String, String, String, String) =
        sqlx::query_as("SELECT name, short_name, website, description FROM organisation WHERE slug = 'org-injeksjon'").fetch_one(&state.pool).await.unwrap();
    assert_eq!(
        stored,
        (
            org_name.clone(),
            short_name.clone(),
            website.clone(),
            description.clone()
        )
    );

    // ── A resource (refused, previewed, saved) that uses both.
    let title = format!("Ressurs {SCRIPT} {TITLE_BREAK} {IMG} {UNI}");
    let summary = all_on_one_line();
    let body = markdown_body();
    let link_label = format!("{SCRIPT}{IMG}");
    let link_url = format!("https://evil.example/?a={SVG_SLASH}");
    let resource = |extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("title", title.as_str()),
            ("summary", summary.as_str()),
            ("body", body.as_str()),
            ("status", "published"),
            ("f.type", "veileder"),
            ("f.nivaa", "system"),
            ("f.malgruppe", value_key.as_str()),
            ("org", "org-injeksjon"),
            ("link_label_0", link_label.as_str()),
            ("link_url_0", link_url.as_str()),
        ];
        pairs.extend_from_slice(extra);
        form(&pairs)
    };
    // (The status goes first in the form, so the refused one replaces it.)
    let refused = resource(&[
        ("slug", IMG),
        ("last_reviewed", SCRIPT),
        ("link_label_1", SVG),
        ("link_url_1", JS_URL),
        ("related", SCRIPT),
        ("f.grad", SVG),
        ("org", TEXTAREA),
    ])
    .replace("status=published", &format!("status={}", enc(IMG)));
    let (status, _, html) = post(&state, "/redaktor/ressurser/ny", Some(&admin), &refused).await;
    let ctx = "POST /redaktor/ressurser/ny (refused)";
    f.check(status == StatusCode::UNPROCESSABLE_ENTITY, || {
        format!("{ctx}: {status}")
    });
    for expect in [
        "Adressen kan bare ha små bokstaver",
        "Skriv datoen som ÅÅÅÅ-MM-DD",
        "Skriv en hel nettadresse som begynner med https://",
        "Velg utkast eller publisert.",
    ] {
        f.check(html.contains(expect), || {
            format!("{ctx}: no message {expect:?}")
        });
    }
    f.page(ctx, status, &html);
    for value in [
        &title,
        &summary,
        &body,
        &link_label,
        &link_url,
        &SCRIPT.to_string(),
        &JS_URL.to_string(),
        &SVG.to_string(),
    ] {
        f.shown(ctx, &html, value);
    }
    let (status, _, html) = post(
        &state,
        "/redaktor/ressurser/ny",
        Some(&admin),
        &resource(&[("handling", "forhandsvis")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    f.page("resource preview", status, &html);
    f.sanitised("resource preview", &html);
    f.shown("resource preview", &html, &body);

    let (status, location, html) = post(
        &state,
        "/redaktor/ressurser/ny",
        Some(&admin),
        &resource(&[]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let slug = location
        .unwrap()
        .strip_prefix("/redaktor/ressurser/")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let stored: (String, String, String) =
        sqlx::query_as("SELECT title, summary, body FROM resource WHERE slug = ?1")
            .bind(&slug)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (title.clone(), summary.clone(), body.clone()),
        "stored byte for byte"
    );
    let link: (String, String) = sqlx::query_as("SELECT label, url FROM resource_link WHERE resource_id = (SELECT id FROM resource WHERE slug = ?1)")
        .bind(&slug)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(link, (link_label.clone(), link_url.clone()));
    state.catalogue.invalidate();
    for (action, body, expect) in [
        (
            "status",
            form(&[("status", SCRIPT), ("version", "1")]),
            "Ukjent status.",
        ),
        ("gjenopprett", form(&[("version", IMG)]), "Velg en versjon."),
    ] {
        let uri = format!("/redaktor/ressurser/{slug}/{action}");
        let (status, _, answer) = post(&state, &uri, Some(&admin), &body).await;
        f.check(
            status == StatusCode::BAD_REQUEST && answer.contains(expect) && !answer.contains('<'),
            || format!("POST {uri}: {status} {answer}"),
        );
    }

    // The public page: escaped text, escaped attributes, sanitised body, safe JSON-LD.
    let detail = format!("/ressurser/{slug}");
    let (status, html) = get(&state, &detail).await;
    assert_eq!(status, StatusCode::OK);
    f.page(&detail, status, &html);
    for value in [
        &title,
        &summary,
        &link_label,
        &link_url,
        &label,
        &org_name,
        &website,
    ] {
        f.shown(&detail, &html, value);
    }
    f.check(
        html.contains(&format!("<h1>{}</h1>", text_escaped(&title))),
        || format!("{detail}: the h1 is not the escaped title"),
    );
    f.check(
        html.contains(&format!("content=\"{}\"", attr_escaped(&summary))),
        || format!("{detail}: the description meta is not the escaped summary"),
    );
    f.check(
        html.contains(&format!("href=\"{}\"", attr_escaped(&link_url))),
        || format!("{detail}: the link's href is not escaped"),
    );
    f.title_element(&detail, &html, &title);
    f.json_ld(&detail, &html, &title);
    f.sanitised(&detail, &html);

    // Everywhere else the resource, the organisation and the value appear.
    let public = [
        "/".to_string(),
        "/ressurser".into(),
        format!("/ressurser?q={}", enc("Ressurs")),
        format!("/ressurser?malgruppe={value_key}"),
        "/nytt".into(),
        "/kart".into(),
        "/brukerorganisasjoner".into(),
        "/veiviser".into(),
    ];
    for uri in &public {
        let (status, html) = get(&state, uri).await;
        f.page(uri, status, &html);
    }
    for (uri, values) in [
        (
            &*format!("/ressurser?malgruppe={value_key}"),
            vec![&title, &summary, &label],
        ),
        ("/nytt", vec![&title, &summary]),
        (
            "/brukerorganisasjoner",
            vec![&org_name, &description, &website],
        ),
    ] {
        let (_, html) = get(&state, uri).await;
        for value in values {
            f.shown(uri, &html, value);
        }
    }
    let (_, html) = get(&state, &format!("/ressurser?q={}", enc("Ressurs"))).await;
    f.check(
        html.contains("<mark>") || html.contains(&text_escaped("Ressurs")),
        || "search hits render".into(),
    );
    let (_, atom) = get(&state, "/ressurser.atom").await;
    f.no_raw("/ressurser.atom", &atom);
    f.shown("/ressurser.atom", &atom, &title);
    f.shown("/ressurser.atom", &atom, &summary);
    f.check(!atom.contains(SCRIPT) && !atom.contains(SVG), || {
        "/ressurser.atom: raw markup".into()
    });
    let (_, sitemap) = get(&state, "/sitemap.xml").await;
    f.no_raw("/sitemap.xml", &sitemap);
    f.check(
        sitemap.contains(&format!("/ressurser/{slug}</loc>")),
        || "sitemap lists the resource".into(),
    );

    // The editors' pages.
    for (uri, values) in [
        (
            format!("/redaktor/ressurser/{slug}"),
            vec![&title, &summary, &body, &link_label, &link_url],
        ),
        ("/redaktor".into(), vec![&title]),
        ("/redaktor/organisasjoner".into(), vec![&org_name]),
        (
            "/redaktor/organisasjoner/org-injeksjon".into(),
            vec![&org_name, &short_name, &website, &description],
        ),
        ("/redaktor/kategorier".into(), vec![&label]),
        (format!("/redaktor/ressurser/{slug}/slett"), vec![&title]),
    ] {
        let (status, html) = get_with(&state, &uri, &admin).await;
        f.page(&uri, status, &html);
        for value in values {
            f.shown(&uri, &html, value);
        }
    }

    // ── Content pages, rounds, accounts, the inbox and the audit log.
    let earlier = super::editors_site::Earlier {
        first_label,
        label,
        org_name,
        title,
        body,
    };
    super::editors_site::pages_rounds_accounts_inbox_and_log(&state, &admin, &mut f, earlier).await;

    assert_eq!(
        tables(&state).await,
        before_tables,
        "DROP TABLE did nothing"
    );
    f.finish("editors' forms");
}
