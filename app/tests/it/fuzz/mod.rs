//! Property and fuzz tests (proptest) over everything that reads untrusted
//! text: the catalogue's query-string parser, the guide's answers, the
//! Markdown renderer, the content importer and every form's validation, plus
//! the database paths behind the forms ("no 500": a bad submission is a list
//! of field messages, never a database error).
//!
//! What every property asks: no panic; every rejection is a `FieldError` (or
//! `ContentError::Invalid`) naming a field the form has, with a non-empty
//! message (for the forms: Norwegian, starting with a capital letter, no
//! English or Debug text); and a known-valid input is
//! accepted, so the properties can fail in both directions.
//!
//! Run time is bounded by the number of cases per property:
//!
//! - `FUZZ_CASES` (default 256) cases for each pure property; the properties
//!   that go through the database (each on its own seeded in-memory
//!   database) and the importer (which reads a whole content folder per
//!   case) run a quarter of that, at least 16.
//! - `PROPTEST_RNG_SEED=<u64>` fixes the random seed to replay a run;
//!   proptest prints the minimal failing input when a property fails.
//!   Failures are not persisted (no files appear in the source tree).
//!
//! The bounded run (part of the test command, well under 20 s in release):
//!
//! ```text
//! cargo test --release -p app --features app/ssr --test it fuzz::
//! ```
//!
//! The long run (about 2–5 minutes on two cores):
//!
//! ```text
//! FUZZ_CASES=20000 cargo test --release -p app --features app/ssr --test it fuzz::
//! ```
//!

mod database;
mod forms;
mod importer;
mod markdown_html;
mod query;

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use app::{
    content::{self, ContentError},
    db::index_cache::CatalogueCache,
    db::{self, editing::SaveError},
    domain::account::{Role, User},
    domain::{
        account::{check_password, AccountInput},
        consultation::{answers_from_form, check_answers, RoundInput},
        feedback::{safe_page, FeedbackDraft, FeedbackKind, FlowAction, TOPICS},
        form::{field, form_pairs, is_iso_date, FieldError},
        guide::{recommend, GuideAnswers, LADDER, QUESTIONS},
        organisation::OrganisationInput,
        page::{PageInput, CONTENT_PAGES},
        resource::{input_from_form, ResourceInput},
        taxonomy::check_value_label,
    },
    markdown,
    query::{decode, encode, CatalogueQuery, Sort},
};
use proptest::{
    collection::vec,
    prelude::*,
    sample::select,
    test_runner::{TestCaseResult, TestRunner},
};
use sqlx::SqlitePool;

use crate::common;

// ───────────────────────────── configuration ─────────────────────────────

const DEFAULT_CASES: u32 = 256;

fn fuzz_cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_CASES)
}

/// Cases for the pure properties.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: fuzz_cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Cases for the properties that touch the database or the file system.
fn slow_config() -> ProptestConfig {
    ProptestConfig {
        cases: (fuzz_cases() / 4).max(16),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `test` over `strategy`, panicking with proptest's report (the
/// minimal failing input) on failure.
fn run<S: Strategy>(
    config: ProptestConfig,
    strategy: S,
    test: impl Fn(S::Value) -> TestCaseResult,
) {
    let mut runner = TestRunner::new(config);
    if let Err(err) = runner.run(&strategy, test) {
        panic!("{err}");
    }
}

// ───────────────────────────── generators ─────────────────────────────

/// Values a person (or a script) might type into any field.
const REALISTIC: &[&str] = &[
    "",
    " ",
    "draft",
    "published",
    "arkiv",
    "Utkast",
    "2026-03-01",
    "2024-02-29",
    "2023-02-29",
    "2026-02-30",
    "2026-1-01",
    "2026-+3-+1",
    "+202-01-01",
    "0000-00-00",
    "2026-03-01T00:00",
    "https://lovdata.no/",
    "http://a.no",
    "https://",
    "lovdata.no",
    "javascript:alert(1)",
    "https://exa mple.no",
    "individ",
    "tjeneste",
    "system",
    "veileder",
    "praksiseksempel",
    "lov",
    "parorende",
    "brukere",
    "napha",
    "a-larm",
    "et-bedre-liv",
    "Brukerråd i kommunen",
    "Ærlig Øvelse Å",
    "kari@eksempel.no",
    "kari@",
    "@eksempel.no",
    "kari@eksempel",
    "ja",
    "nei",
    "on",
    "forslag",
    "feil",
    "innspill",
    "annet",
    "innhold",
    "struktur",
    "design",
    "/ressurser/erfaringsbasert-kvalitetssikring",
    "//evil.example/",
    "https://evil.example/",
    "/a\\b",
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "-1",
    "255",
    "256",
    "99999999999999999999",
    "admin",
    "editor",
    "root",
    "endre-1",
    "endre-3",
    "endre-9",
    "tilbake",
    "send",
    "ny",
    "under-arbeid",
    "ferdig",
    "forkastet",
    "<script>alert(1)</script>",
    "'; DROP TABLE resource; --",
    "%00",
    "%",
    "\u{0}",
    "\u{feff}",
    "\r\n",
    "\u{202e}",
    "ﬃ",
    "İ",
    "👩‍👩‍👧",
    "a\u{0301}",
];

fn chars_text(max: usize) -> BoxedStrategy<String> {
    vec(any::<char>(), 0..max)
        .prop_map(|v| v.into_iter().collect())
        .boxed()
}

/// Arbitrary text: any chars (control characters included), printable
/// unicode, realistic values (with padding), whitespace and huge values.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => chars_text(40),
        3 => "\\PC{0,40}",
        3 => select(REALISTIC).prop_map(String::from),
        1 => "[ \\t\\r\\n\\x00-\\x1f\\x7f\\u{85}\\u{a0}\\u{2028}\\u{feff}]{0,8}",
        1 => (select(REALISTIC), "[ \\t\\r\\n]{0,3}", "[ \\t\\r\\n]{0,3}").prop_map(|(v, a, b)| format!("{a}{v}{b}")),
        1 => (0usize..60_000, prop_oneof![Just('x'), Just('ø'), Just(' '), Just('\n'), any::<char>()])
            .prop_map(|(n, c)| std::iter::repeat_n(c, n).collect()),
    ]
    .boxed()
}

/// Form pairs: mostly the form's own field names (repeated, missing,
/// out of order), some arbitrary names.
fn form(fields: &'static [&'static str]) -> BoxedStrategy<Vec<(String, String)>> {
    let key = prop_oneof![
        8 => select(fields).prop_map(String::from),
        1 => text(),
        1 => "f\\.[a-z-]{0,12}",
        1 => "q-?[0-9]{0,4}",
    ];
    vec((key, text()), 0..40).boxed()
}

/// Either a generated form or a raw request body through `form_pairs`.
fn form_or_body(fields: &'static [&'static str]) -> BoxedStrategy<Vec<(String, String)>> {
    prop_oneof![
        6 => form(fields),
        1 => vec(any::<u8>(), 0..400).prop_map(|b| form_pairs(&b)),
        1 => form(fields).prop_map(|pairs| {
            let body = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
            form_pairs(body.as_bytes())
        }),
    ]
    .boxed()
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A real date in the range the site accepts (1900–2200).
fn valid_date() -> BoxedStrategy<String> {
    (1900i32..=2200, 1u32..=12, 1u32..=31)
        .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{:02}", d.min(days_in_month(y, m))))
        .boxed()
}

/// A future real date (for rounds that must still be open).
fn future_date() -> BoxedStrategy<String> {
    (2100i32..=2200, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        .boxed()
}

/// A string that is exactly `YYYY-MM-DD` digits and a real calendar date.
fn is_real_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}

/// Date-like strings: the right shape with odd characters in it.
fn date_like() -> BoxedStrategy<String> {
    // A real date with a character or two swapped for a sign, a space, a
    // letter or a non-ASCII digit.
    let nudged = (
        valid_date(),
        vec(
            (
                0usize..10,
                select(&['+', '-', ' ', 'x', '0', '9', '\u{663}', '\u{ff11}'][..]),
            ),
            1..3,
        ),
    )
        .prop_map(|(d, subs)| {
            let mut chars: Vec<char> = d.chars().collect();
            for (i, c) in subs {
                chars[i] = c;
            }
            chars.into_iter().collect::<String>()
        });
    prop_oneof![
        2 => valid_date(),
        3 => nudged,
        3 => "[0-9+ -]{4}-[0-9+ -]{2}-[0-9+ -]{2}",
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        1 => text(),
    ]
    .boxed()
}

fn valid_slug() -> BoxedStrategy<String> {
    "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}".boxed()
}

fn valid_url() -> BoxedStrategy<String> {
    "https?://[a-z]{1,12}\\.(no|com|org)(/[a-z0-9-]{0,10}){0,3}".boxed()
}

/// A title whose slug (when generated from it) is valid: starts with an
/// ASCII letter, short enough that the slug stays within 120 characters.
fn slugable_title() -> BoxedStrategy<String> {
    "[A-Za-z][A-Za-z0-9ÆØÅæøå ,.:?!-]{0,49}".boxed()
}

/// Non-blank printable text of at most `max` characters.
fn nonblank(max: usize) -> BoxedStrategy<String> {
    let rest = max.saturating_sub(1).min(120);
    proptest::string::string_regex(&format!("[A-Za-zÆØÅæøå0-9][^\\p{{C}}]{{0,{rest}}}"))
        .unwrap()
        .boxed()
}

// ───────────────────────────── message checks ─────────────────────────────

/// The template text of a message: what is outside «quoted user input».
fn template(message: &str) -> String {
    match (message.find('«'), message.rfind('»')) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{}", &message[..a], &message[b + '»'.len_utf8()..])
        }
        _ => message.to_string(),
    }
}

/// A message for a person: Norwegian sentence(s) starting with a capital
/// letter, not English or Debug text.
fn check_message(message: &str) -> TestCaseResult {
    let core = template(message);
    let lower = core.to_lowercase();
    prop_assert!(!core.trim().is_empty(), "empty message {message:?}");
    prop_assert_eq!(
        core.trim(),
        core.as_str(),
        "message has stray whitespace: {:?}",
        message
    );
    let first = core.chars().next().unwrap();
    prop_assert!(
        first.is_uppercase() || message.starts_with('«'),
        "message does not start with a capital letter: {:?}",
        message
    );
    for bad in [
        "error",
        "invalid",
        "must ",
        "required",
        "field",
        "please",
        " the ",
        "{",
        "}",
        "some(",
        "none",
        "null",
        "undefined",
        "\\",
        "`",
    ] {
        prop_assert!(
            !lower.contains(bad),
            "message looks English or like Debug output ({bad:?}): {message:?}"
        );
    }
    Ok(())
}

/// Every error: a field from `allowed` (or with an allowed prefix) and a good message.
fn check_errors(errors: &[FieldError], allowed: &[&str], prefixes: &[&str]) -> TestCaseResult {
    for e in errors {
        prop_assert!(!e.field.trim().is_empty(), "error without a field: {e:?}");
        prop_assert!(
            allowed.contains(&e.field.as_str()) || prefixes.iter().any(|p| e.field.starts_with(p)),
            "error names a field the form does not have: {e:?}"
        );
        check_message(&e.message)?;
    }
    Ok(())
}

fn fields_of(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

// ───────────────────────────── self-checks ─────────────────────────────

#[test]
fn the_message_checker_rejects_english_and_debug_text() {
    for bad in [
        "",
        "invalid date",
        "Error: x.",
        "Feltet {title} mangler.",
        "skriv en tittel.",
        " Skriv en tittel.",
        "Some(\"x\").",
    ] {
        assert!(check_message(bad).is_err(), "checker accepted {bad:?}");
    }
    for good in [
        "Skriv en tittel.",
        "Ukjent valg «{x} error».",
        "Velg blant nivåene på listen.",
    ] {
        assert!(check_message(good).is_ok(), "checker rejected {good:?}");
    }
}
