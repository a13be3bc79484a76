//! The editors' e-mail digest against a small SMTP server on loopback,
//! written here: it speaks enough SMTP (EHLO, MAIL, RCPT, DATA, QUIT) to
//! take a message and keeps what arrived. Nothing leaves the machine.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::common::{call, get_with, session_cookie};
use app::state::AppState;
use axum::http::StatusCode;
use sqlx::SqlitePool;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message as the server received it: recipients and the DATA text.
#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: String,
}

/// Starts the SMTP server; returns its `smtp://` address and the inbox.
async fn smtp_server() -> (String, Arc<Mutex<Vec<Mail>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-test\r\n250 8BITMIME\r\n",
                        "MAIL" | "RSET" | "NOOP" => b"250 OK\r\n",
                        "RCPT" => {
                            to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                            b"250 OK\r\n"
                        }
                        "DATA" => {
                            write.write_all(b"354 go on\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(&line);
                                data.push('\n');
                            }
                            kept.lock().unwrap().push(Mail {
                                to: std::mem::take(&mut to),
                                data,
                            });
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"502 not here\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (format!("smtp://{addr}"), inbox)
}

/// Undoes quoted-printable (soft breaks and `=XX`).
fn unquote(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn empty_site(dir: &tempfile::TempDir) -> (SqlitePool, AppState) {
    let pool = server::open_database(&dir.path().join("digest.db"))
        .await
        .unwrap();
    let options = leptos::config::LeptosOptions::builder()
        .output_name("bli-involvert")
        .build();
    let state = AppState::new(pool.clone(), options, "http://127.0.0.1:1");
    (pool, state)
}

fn mailer(smtp: &str) -> server::jobs::digest::Mailer {
    let background = server::Background {
        link_check_interval: None,
        smtp_url: Some(smtp.to_string()),
        digest_interval: Duration::from_secs(7 * 86_400),
        link_check_allow: Vec::new(),
    };
    server::jobs::digest::Mailer::from_settings(&background, "https://bli-involvert.example")
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_digest_sends_counts_titles_and_links_and_nothing_when_quiet() {
    // Arrange: an editor who opted in, on a site with nothing to report.
    let (smtp, inbox) = smtp_server().await;
    let mailer = mailer(&smtp);
    let dir = tempfile::tempdir().unwrap();
    let (pool, state) = empty_site(&dir).await;
    let editor = session_cookie(&state, "kari", app::domain::account::Role::Editor).await;
    let (status, location, _) = call(
        &state,
        "POST",
        "/redaktor/sammendrag",
        Some(&editor),
        "digest=ja&epost=kari%40example.no",
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor?melding=sammendrag-bekreft")
        )
    );
    confirm_by_e_mail(&state, &pool, &mailer, &inbox, &editor).await;
    let period_over =
        "UPDATE account SET digest_sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days')";
    sqlx::query(period_over).execute(&pool).await.unwrap();

    // Act, assert: nothing to report, nothing sent.
    let sent = server::jobs::digest::send_due(&pool, &mailer)
        .await
        .unwrap();
    assert_eq!((sent.sent, sent.quiet), (0, 1));
    assert!(inbox.lock().unwrap().is_empty());

    // Arrange: feedback with a message and contact details, and a broken link.
    let draft = app::domain::feedback::FeedbackDraft {
        kind: "feil".into(),
        message: "Hemmelig tekst fra en besøkende".into(),
        name: "Ola Besøkende".into(),
        email: "ola@example.no".into(),
        consent: true,
        ..Default::default()
    };
    app::db::feedback::submit(&pool, &draft, 30).await.unwrap();
    let resource: i64 = sqlx::query_scalar(
        "INSERT INTO resource (slug, title, summary, status, last_reviewed) VALUES ('veileder', 'Veileder om brukerråd', 'Kort', 'published', date('now')) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let link: i64 = sqlx::query_scalar(
        "INSERT INTO link (url, host, status, broken) VALUES ('https://borte.invalid/', 'borte.invalid', 'client-error', 1) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO link_use (link_id, resource_id) VALUES (?1, ?2)")
        .bind(link)
        .bind(resource)
        .execute(&pool)
        .await
        .unwrap();
    // The quiet period just ended; the next one is not over yet.
    let sent = server::jobs::digest::send_due(&pool, &mailer)
        .await
        .unwrap();
    assert_eq!(sent.sent, 0, "not before the interval has passed");
    sqlx::query(period_over).execute(&pool).await.unwrap();

    // Act
    let sent = server::jobs::digest::send_due(&pool, &mailer)
        .await
        .unwrap();

    // Assert
    assert_eq!(sent.sent, 1);
    let mails = inbox.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["kari@example.no"]);
    let text = unquote(&mails[0].data);
    // (The subject's words are checked in `digest::compose`'s unit test:
    // here the header is MIME-encoded.)
    assert!(text.contains("Subject: "), "{text}");
    assert!(
        text.contains(
            "Nye tilbakemeldinger: 1\nhttps://bli-involvert.example/redaktor/tilbakemeldinger"
        ),
        "{text}"
    );
    assert!(
        text.contains("Lenker som ikke virker: 1\nhttps://bli-involvert.example/redaktor/lenker"),
        "{text}"
    );
    assert!(
        text.contains(
            "- Veileder om brukerråd\n  https://bli-involvert.example/redaktor/ressurser/veileder"
        ),
        "{text}"
    );
    for private in ["Hemmelig", "Ola", "ola@example.no"] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    // Sent: the next period starts now.
    let again = server::jobs::digest::send_due(&pool, &mailer)
        .await
        .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(inbox.lock().unwrap().len(), 1);

    // The dashboard shows the same summary, and the editor's choice.
    let (_, dashboard) = get_with(&state, "/redaktor", &editor).await;
    assert!(
        dashboard.contains("Lenker som ikke virker: 1"),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("value=\"kari@example.no\""),
        "{dashboard}"
    );

    // Opting out forgets the address; nothing more is sent.
    let (_, location, _) = call(
        &state,
        "POST",
        "/redaktor/sammendrag",
        Some(&editor),
        "epost=kari%40example.no",
    )
    .await;
    assert_eq!(location.as_deref(), Some("/redaktor?melding=sammendrag-av"));
    let address: Option<String> =
        sqlx::query_scalar("SELECT digest_email FROM account WHERE username = 'kari'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(address, None);
}

/// Review 3, I-3: an editor could point the digest at any address. Now a
/// new address gets one e-mail with a code, and no digest until the editor
/// who asked opens its link while signed in.
async fn confirm_by_e_mail(
    state: &AppState,
    pool: &SqlitePool,
    mailer: &server::jobs::digest::Mailer,
    inbox: &Arc<Mutex<Vec<Mail>>>,
    editor: &str,
) {
    let sql =
        "UPDATE account SET digest_sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days')";
    sqlx::query(sql).execute(pool).await.unwrap();
    let sent = server::jobs::digest::send_due(pool, mailer).await.unwrap();
    assert_eq!(
        (sent.confirmations, sent.sent, sent.quiet),
        (1, 0, 0),
        "a confirmation, no digest"
    );
    let again = server::jobs::digest::send_due(pool, mailer).await.unwrap();
    assert_eq!(
        again.confirmations, 0,
        "one confirmation e-mail per address"
    );
    let mail = inbox.lock().unwrap().remove(0);
    assert_eq!(mail.to, ["kari@example.no"]);
    let text = unquote(&mail.data);
    let at = text
        .find("/redaktor/sammendrag/bekreft?kode=")
        .expect("the link")
        + 34;
    let code: String = text[at..].chars().take(64).collect();
    let uri = format!("/redaktor/sammendrag/bekreft?kode={code}");
    let someone = session_cookie(state, "ola", app::domain::account::Role::Editor).await;
    let (_, location, _) = call(state, "GET", &uri, Some(&someone), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor?melding=sammendrag-ugyldig"),
        "another editor cannot confirm it"
    );
    let wrong = format!("/redaktor/sammendrag/bekreft?kode={}", "0".repeat(64));
    let (_, location, _) = call(state, "GET", &wrong, Some(editor), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor?melding=sammendrag-ugyldig")
    );
    let (_, location, _) = call(state, "GET", &uri, Some(editor), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor?melding=sammendrag-bekreftet")
    );
    sqlx::query("UPDATE account SET digest_sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")
        .execute(pool)
        .await
        .unwrap();
}

#[test]
fn credentials_never_go_to_a_relay_in_clear_text() {
    for (url, refused) in [
        ("smtp://bruker:passord@smtp.example.no:587", true),
        (
            "smtp://bruker:passord@smtp.example.no:587?tls=opportunistic",
            true,
        ),
        (
            "smtp://bruker:passord@smtp.example.no:587?tls=required",
            false,
        ),
        ("smtps://bruker:passord@smtp.example.no", false),
        ("smtp://smtp.example.no:25", false),
        ("smtp://bruker:passord@localhost:25", false),
    ] {
        let background = server::Background {
            smtp_url: Some(url.into()),
            ..server::Background::off()
        };
        let result = server::jobs::digest::Mailer::from_settings(
            &background,
            "https://bli-involvert.example",
        );
        assert_eq!(
            matches!(result, Err(server::jobs::digest::MailError::Cleartext)),
            refused,
            "{url}"
        );
    }
}

#[tokio::test]
async fn opting_in_needs_a_whole_address() {
    let dir = tempfile::tempdir().unwrap();
    let (pool, state) = empty_site(&dir).await;
    let editor = session_cookie(&state, "kari", app::domain::account::Role::Editor).await;

    let (_, location, _) = call(
        &state,
        "POST",
        "/redaktor/sammendrag",
        Some(&editor),
        "digest=ja&epost=kari",
    )
    .await;

    assert_eq!(location.as_deref(), Some("/redaktor?melding=epost-ugyldig"));
    let address: Option<String> =
        sqlx::query_scalar("SELECT digest_email FROM account WHERE username = 'kari'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(address, None);
}

#[test]
fn no_relay_no_digest() {
    let off = server::Background::off();
    assert!(
        server::jobs::digest::Mailer::from_settings(&off, "https://bli-involvert.example")
            .unwrap()
            .is_none()
    );
}
