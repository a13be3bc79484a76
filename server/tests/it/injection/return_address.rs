//! The return address after signing in.

use super::*;

// ── The return address after signing in ──────────────────────────────────

/// `neste` must stay on this site whatever it holds: a tab or newline after
/// the first `/` is dropped by browsers (so `/\t/evil.example` becomes
/// `//evil.example`), and a newline is no header value at all.
#[tokio::test]
async fn the_return_address_after_sign_in_stays_on_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    app::auth::upsert_account(
        &state.pool,
        "sjef",
        "Sjef",
        "et langt testpassord 123",
        Role::Admin,
    )
    .await
    .unwrap();
    let mut f = Findings::default();
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\nSet-Cookie: x=1",
        "/redaktor?x=\"><script>alert(1)</script>",
    ] {
        let (status, headers, body) = send(
            &state,
            "POST",
            "/auth/logg-inn",
            &[],
            &form(&[
                ("brukernavn", "sjef"),
                ("passord", "et langt testpassord 123"),
                ("neste", next),
            ]),
        )
        .await;
        let location = headers
            .get("location")
            .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
        f.check(status == StatusCode::SEE_OTHER, || {
            format!(
                "POST /auth/logg-inn neste={next:?} (valid password): answered {status} {body:?}"
            )
        });
        if let Some(location) = location {
            let cleaned: String = location
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            f.check(cleaned.starts_with('/') && !cleaned.starts_with("//") && !cleaned.starts_with("/\\"), || {
                format!("POST /auth/logg-inn neste={next:?}: Location {location:?} leaves the site once a browser drops tabs/newlines")
            });
        }
    }
    f.finish("sign-in return address");
}
