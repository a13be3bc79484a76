//! Classic injection and script payloads sent into every public and editors'
//! text field, through the router as plain form posts: each is stored as
//! text (byte for byte, the tables untouched) and shown escaped wherever it
//! appears again (public pages, editors' pages, the audit log, the feeds and
//! the CSV exports). Markdown bodies are sanitised rather than escaped.
//!
//! The rendering checks collect every problem and report them together at
//! the end of each test, so one run names all of them.

use std::{sync::Arc, time::Duration};

use app::{domain::account::Role, state::AppState};
use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use tower::ServiceExt;

use crate::common::*;

mod csv;
mod editors;
mod editors_site;
mod public;
mod public_feedback;
mod return_address;

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
