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

use crate::common;

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use app::{
    auth::{Role, User},
    content::{self, ContentError},
    db::{self, editing::SaveError, index::CatalogueCache},
    domain::{
        account::{check_password, AccountInput},
        consultation::{answers_from_form, check_answers, RoundInput},
        feedback::{safe_page, FeedbackDraft, FlowAction, KINDS, TOPICS},
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

// ───────────────────────────── query string ─────────────────────────────

const FACETS: &[&str] = &[
    "nivaa",
    "malgruppe",
    "metode",
    "type",
    "grad",
    "inngang",
    "fagfelt",
    "organisasjon",
    "tema",
];
const MAX_QUERY_CHARS: usize = 200;
const MAX_VALUES_PER_FACET: usize = 50;
const MAX_FACETS: usize = 20;
const MAX_PAGE: u32 = 10_000;

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn percent_junk() -> BoxedStrategy<String> {
    vec(
        prop_oneof![
            "%[0-9A-Fa-f]{2}",
            "%[0-9A-Za-z%]{0,2}",
            "%[C-Fc-f][0-9A-Fa-f]",
            "[&=+%?#;]",
            "[a-zæøå]{1,4}",
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
    .boxed()
}

/// Raw query strings: realistic keys and junk values, escapes, `&&==`, long values.
fn raw_query() -> BoxedStrategy<String> {
    let key = prop_oneof![
        6 => select(FACETS).prop_map(String::from),
        3 => select(&["q", "sort", "side", "Nivaa", "", "q ", "%71", "side%00", "f1"][..]).prop_map(String::from),
        2 => "[a-z0-9-]{1,8}",
        1 => percent_junk(),
        1 => text(),
    ];
    let value = prop_oneof![
        4 => select(REALISTIC).prop_map(String::from),
        3 => "[a-z0-9-]{0,10}",
        2 => select(&["relevans", "nyeste", "tittel", "Nyeste", "0", "1", "10000", "10001", "4294967295", "4294967296", "-3", "+5", " 7 "][..]).prop_map(String::from),
        2 => "[0-9]{1,12}",
        2 => percent_junk(),
        2 => text().prop_map(|t| encode(&t)),
        1 => text(),
        1 => (1usize..3000).prop_map(|n| "x".repeat(n)),
    ];
    let joiner = select(&["=", "=", "=", "==", "", "=&="][..]);
    let sep = select(&["&", "&", "&", "&&", "&=&"][..]);
    let structured =
        (any::<bool>(), vec((key, joiner, value, sep), 0..30)).prop_map(|(question, parts)| {
            let mut out = if question {
                "?".to_string()
            } else {
                String::new()
            };
            for (k, j, v, s) in parts {
                out.push_str(&k);
                out.push_str(j);
                out.push_str(&v);
                out.push_str(s);
            }
            out
        });
    prop_oneof![6 => structured, 1 => text(), 1 => percent_junk()].boxed()
}

fn check_query_invariants(q: &CatalogueQuery) -> TestCaseResult {
    prop_assert!(
        (1..=MAX_PAGE).contains(&q.page),
        "page out of range: {}",
        q.page
    );
    prop_assert!(
        q.q.chars().count() <= MAX_QUERY_CHARS,
        "search text too long"
    );
    prop_assert_eq!(q.q.trim(), q.q.as_str(), "search text not trimmed");
    prop_assert!(
        !q.q.chars().any(char::is_control),
        "control character in search text {:?}",
        q.q
    );
    prop_assert!(q.filters.len() <= MAX_FACETS);
    let mut seen = Vec::new();
    for (facet, values) in &q.filters {
        prop_assert!(
            is_key(facet) && !["q", "sort", "side"].contains(&facet.as_str()),
            "bad facet key {facet:?}"
        );
        prop_assert!(!seen.contains(&facet), "facet {facet:?} twice");
        seen.push(facet);
        prop_assert!(!values.is_empty() && values.len() <= MAX_VALUES_PER_FACET);
        for (i, v) in values.iter().enumerate() {
            prop_assert!(is_key(v), "bad value {v:?}");
            prop_assert!(!values[..i].contains(v), "value {v:?} twice");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Any string parses, and the result keeps every documented bound.
    #[test]
    fn query_parse_never_fails_and_stays_bounded(raw in raw_query()) {
        let q = CatalogueQuery::parse(&raw);
        check_query_invariants(&q)?;
        // A leading `?` makes no difference.
        prop_assert_eq!(CatalogueQuery::parse(&format!("?{}", raw.strip_prefix('?').unwrap_or(&raw))), q);
    }

    /// The canonical string reproduces the view, and is itself canonical.
    #[test]
    fn query_round_trips_through_its_canonical_string(raw in raw_query()) {
        let q = CatalogueQuery::parse(&raw);
        let qs = q.to_query_string();
        let again = CatalogueQuery::parse(&qs);
        prop_assert_eq!(&again, &q, "canonical string {:?}", qs);
        prop_assert_eq!(again.to_query_string(), qs.clone());
        let href = q.href("/ressurser");
        prop_assert!(href == "/ressurser" || href == format!("/ressurser?{}", qs), "href {}", href);
        prop_assert!(!qs.contains(char::is_whitespace) && !qs.contains('#'), "unsafe canonical string {:?}", qs);
    }

    /// Decoded pairs and the same pairs percent-encoded read the same.
    #[test]
    fn query_from_pairs_matches_parse_of_the_encoded_pairs(pairs in vec((prop_oneof![select(FACETS).prop_map(String::from), select(&["q", "sort", "side"][..]).prop_map(String::from), text()], text()), 0..20)) {
        let raw = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let expected = CatalogueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        check_query_invariants(&expected)?;
        prop_assert_eq!(CatalogueQuery::parse(&raw), expected);
    }

    /// encode/decode are inverse, and decode takes anything.
    #[test]
    fn encode_decode_round_trip(s in text(), junk in percent_junk()) {
        prop_assert_eq!(decode(&encode(&s)), s.clone());
        prop_assert!(encode(&s).bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~+%".contains(&b)));
        let _ = decode(&junk);
        let _ = decode(&s);
    }

    /// Adding then removing a filter value, and the search/page helpers.
    #[test]
    fn query_filter_toggles(raw in raw_query(), facet in select(FACETS), value in "[a-z0-9-]{1,12}", page in any::<u32>()) {
        let q = CatalogueQuery::parse(&raw);
        let with = q.with(facet, &value);
        prop_assert_eq!(with.page, 1);
        check_query_invariants(&with)?;
        prop_assert_eq!(with.with(facet, &value).filters, with.filters.clone(), "with() is idempotent");
        let without = with.without(facet, &value);
        prop_assert!(!without.is_selected(facet, &value));
        prop_assert_eq!(without.page, 1);
        check_query_invariants(&without)?;
        prop_assert!(q.without_search().q.is_empty());
        let paged = CatalogueQuery::parse(&q.with_page(page).to_query_string());
        prop_assert!((1..=MAX_PAGE).contains(&paged.page));
    }

    /// Sort keys parse back; anything else is no sort.
    #[test]
    fn sort_parse(s in text()) {
        if let Some(sort) = Sort::parse(&s) {
            prop_assert_eq!(sort.key(), s.as_str());
        }
        for sort in Sort::ALL {
            prop_assert_eq!(Sort::parse(sort.key()), Some(sort));
        }
    }

    /// The guide's answers: only known questions and choices, one answer
    /// where only one is allowed, a stable URL, and a recommendation exactly
    /// when every required question is answered.
    #[test]
    fn guide_answers_parse(raw in prop_oneof![
        3 => vec((select(&["plan", "berorte", "nivaa", "innflytelse", "tid", "honorar", "x", "Plan", ""][..]), prop_oneof![
            select(&["kurs", "prosjekt", "forskning", "undersokelse", "rutiner", "brukere", "parorende", "barn-unge", "individ", "tjeneste", "system", "lite", "noe", "mye", "delt", "styre", "kort", "middels", "lang", "ja", "delvis", "nei", "alt", "%3Cscript%3E"][..]).prop_map(String::from),
            percent_junk(),
            text(),
        ]), 0..16).prop_map(|v| v.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")),
        1 => raw_query(),
    ]) {
        let answers = GuideAnswers::parse(&raw);
        for (key, chosen) in &answers.chosen {
            let question = QUESTIONS.iter().find(|q| q.key == key);
            prop_assert!(question.is_some(), "unknown question {key:?}");
            let question = question.unwrap();
            prop_assert!(!chosen.is_empty() && (question.multiple || chosen.len() == 1));
            for c in chosen {
                prop_assert!(question.choices.iter().any(|(k, _)| k == c), "unknown choice {c:?}");
            }
        }
        let qs = answers.to_query_string();
        prop_assert_eq!(GuideAnswers::parse(&qs).to_query_string(), qs.clone());
        let missing = answers.missing();
        check_errors(&missing, &["plan", "nivaa", "innflytelse", "tid", "honorar"], &[])?;
        match recommend(&answers) {
            Some(r) => {
                prop_assert!(missing.is_empty());
                prop_assert!(r.degree < LADDER.len() && r.aim.is_none_or(|a| a < LADDER.len() && a > r.degree));
                prop_assert!(!r.reasons.is_empty() && !r.checklist.is_empty());
                for reason in &r.reasons {
                    check_message(reason)?;
                }
            }
            None => prop_assert!(!missing.is_empty()),
        }
    }
}

// ───────────────────────────── Markdown ─────────────────────────────

const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "![i\"onerror=\"alert(1)](x)",
    "[x](https://ok.no \"t\\\" onmouseover=\\\"alert(1)\")",
    "[x]: javascript:alert(1)\n\n[x]",
    "<iframe src=https://evil.example></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<a href=x onclick=alert(1)>x</a>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div onclick=alert(1)>x</div>",
    "<object data=x.swf></object>",
    "<embed src=x>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<style>body{background:red}</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:/\">",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<table><tr><td onmouseover=alert(1) background=javascript:alert(1)>x</td></tr></table>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<x onpointerenter=alert(1)>x</x>",
    "<a href=\"https://ok.no\" target=_blank>x</a>",
    "<body onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
];

const MARKDOWN: &[&str] = &[
    "# Tittel",
    "## Slik gjør du",
    "- punkt",
    "* punkt",
    "1. én",
    "> sitat",
    "**fet**",
    "_kursiv_",
    "~~stryk~~",
    "[Lovdata](https://lovdata.no/)",
    "[e-post](mailto:post@eksempel.no)",
    "![bilde](https://eksempel.no/a.png)",
    "<https://napha.no>",
    "    kode",
    "---",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[ref]: https://x.no",
    "[ref]",
    "\\",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "\u{0}",
    "<",
    ">",
    "&",
    "\"",
    "'",
    "[",
    "](",
    "<a",
    "<img",
    "*",
    "_",
    "`",
    "\t",
];

fn markdown_input() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        4 => select(XSS).prop_map(String::from),
        3 => select(MARKDOWN).prop_map(String::from),
        2 => text(),
        1 => chars_text(20),
    ];
    let sep = select(
        &[
            "", " ", "\n", "\n\n", "\r\n", "\t", "\n> ", "\n- ", "\n    ", "|",
        ][..],
    );
    prop_oneof![
        5 => vec((piece, sep), 0..12).prop_map(|v| v.into_iter().flat_map(|(p, s)| [p, s.to_string()]).collect::<String>()),
        1 => chars_text(300),
        1 => "\\PC{0,300}",
    ]
    .boxed()
}

/// Decodes what html5ever's serialiser escapes in attribute values, plus numeric references.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let ch = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// (tag name, attributes) of every start tag in sanitised HTML. Text `<` is
/// escaped by the serialiser, so every `<` starts a tag.
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        let mut j = start;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, c @ (b'"' | b'\'')) => quote = Some(c),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let inner = &html[start..j.min(b.len())];
        i = (j + 1).min(b.len());
        if inner.starts_with('/') || inner.starts_with('!') {
            continue;
        }
        let name_end = inner
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut rest = &inner[name_end..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            let n_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let attr = rest[..n_end].to_ascii_lowercase();
            rest = rest[n_end..].trim_start();
            let mut value = String::new();
            if let Some(r) = rest.strip_prefix('=') {
                let r = r.trim_start();
                if let Some(q @ ('"' | '\'')) = r.chars().next() {
                    let close = r[1..].find(q).map(|p| p + 1).unwrap_or(r.len());
                    value = r[1..close].to_string();
                    rest = &r[(close + 1).min(r.len())..];
                } else {
                    let v_end = r.find(|c: char| c.is_ascii_whitespace()).unwrap_or(r.len());
                    value = r[..v_end].to_string();
                    rest = &r[v_end..];
                }
            }
            attrs.push((attr, unescape(&value)));
        }
        tags.push((name, attrs));
    }
    tags
}

const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "template",
    "noscript",
    "video",
    "audio",
    "source",
    "body",
    "html",
    "head",
    "title",
    "xmp",
    "plaintext",
];
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "xlink:href",
    "data",
    "srcset",
    "longdesc",
];

fn check_safe_html(input: &str, html: &str) -> TestCaseResult {
    let lower = html.to_lowercase();
    for tag in FORBIDDEN_TAGS {
        prop_assert!(
            !lower.contains(&format!("<{tag}")),
            "<{tag} survived\ninput: {input:?}\noutput: {html}"
        );
    }
    for (tag, attrs) in start_tags(html) {
        prop_assert!(
            !FORBIDDEN_TAGS.contains(&tag.as_str()),
            "<{tag}> survived\ninput: {input:?}\noutput: {html}"
        );
        for (name, value) in &attrs {
            prop_assert!(
                !name.starts_with("on"),
                "event handler {name} on <{tag}>\ninput: {input:?}\noutput: {html}"
            );
            prop_assert!(
                !["style", "srcdoc", "formaction", "xmlns"].contains(&name.as_str()),
                "attribute {name} on <{tag}>\ninput: {input:?}\noutput: {html}"
            );
            if URL_ATTRS.contains(&name.as_str()) {
                // Browsers drop ASCII whitespace and controls inside a scheme.
                let url: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let scheme_end = url.find(':').filter(|i| {
                    let s = &url[..*i];
                    !s.is_empty()
                        && s.starts_with(|c: char| c.is_ascii_alphabetic())
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if let Some(end) = scheme_end {
                    let scheme = &url[..end];
                    prop_assert!(["http", "https", "mailto"].contains(&scheme), "{name}={value:?} with scheme {scheme} on <{tag}>\ninput: {input:?}\noutput: {html}");
                }
            }
        }
        if tag == "a" {
            let rel = attrs
                .iter()
                .find(|(n, _)| n == "rel")
                .map(|(_, v)| v.as_str());
            prop_assert_eq!(
                rel,
                Some("noopener noreferrer"),
                "link without rel\ninput: {:?}\noutput: {}",
                input,
                html
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Markdown mixed with script, handler, frame and URL payloads renders
    /// without panicking and nothing executable survives.
    #[test]
    fn markdown_render_is_always_safe(input in markdown_input()) {
        let html = markdown::render(&input);
        check_safe_html(&input, &html)?;
    }

    /// Rendering already sanitised output again is still safe (stored HTML
    /// is never trusted either).
    #[test]
    fn markdown_render_of_rendered_output_is_safe(input in markdown_input()) {
        let html = markdown::render(&input);
        let twice = markdown::render(&html);
        check_safe_html(&html, &twice)?;
    }
}

#[test]
fn the_html_checker_catches_what_it_looks_for() {
    // The checker itself must fail on unsafe HTML, or the properties above prove nothing.
    let bad = [
        "<script>x</script>",
        "<a href=\"java&#x09;script:alert(1)\" rel=\"noopener noreferrer\">x</a>",
        "<a href=\"JavaScript:x\" rel=\"noopener noreferrer\">x</a>",
        "<img src=\"x\" onerror=\"alert(1)\">",
        "<p style=\"x\">x</p>",
        "<a href=\"https://ok.no\">no rel</a>",
        "<IFRAME src=x>",
    ];
    for html in bad {
        assert!(check_safe_html("", html).is_err(), "checker missed {html}");
    }
    assert!(check_safe_html("", "<p title=\"a onerror=b\">javascript:x &lt;script&gt;</p><a href=\"/ressurser?x=1&amp;y=2\" rel=\"noopener noreferrer\">x</a>").is_ok());
}

// ───────────────────────────── forms ─────────────────────────────

const RESOURCE_FIELDS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "body",
    "status",
    "last_reviewed",
    "reviewed_source_label",
    "reviewed_source_url",
    "version",
    "org",
    "related",
    "f.type",
    "f.nivaa",
    "f.malgruppe",
    "f.metode",
    "f.grad",
    "f.orgtype",
    "f.ukjent",
    "link_label_0",
    "link_url_0",
    "link_label_1",
    "link_url_1",
    "link_label_2",
    "link_url_2",
    "link_label_19",
    "link_url_19",
    "link_label_20",
    "link_url_20",
];

fn resource_error_fields() -> Vec<String> {
    let mut fields: Vec<String> = [
        "title",
        "slug",
        "summary",
        "body",
        "status",
        "last_reviewed",
        "reviewed_source_label",
        "reviewed_source_url",
        "links",
        "facets.type",
        "facets.nivaa",
    ]
    .map(String::from)
    .to_vec();
    for i in 0..20 {
        fields.push(format!("links.{i}.label"));
        fields.push(format!("links.{i}.url"));
    }
    fields
}

fn check_resource_errors(errors: &[FieldError], db: bool) -> TestCaseResult {
    let owned = resource_error_fields();
    let mut allowed: Vec<&str> = owned.iter().map(String::as_str).collect();
    let prefixes: &[&str] = if db {
        allowed.extend(["organisations", "related"]);
        &["facets."]
    } else {
        &[]
    };
    check_errors(errors, &allowed, prefixes)
}

/// A resource form that passes every check that needs no database.
fn valid_resource_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        prop_oneof![slugable_title(), nonblank(200)],
        prop_oneof![Just(String::new()), valid_slug()],
        nonblank(500),
        prop_oneof![Just(String::new()), "\\PC{0,300}"],
        select(&["draft", "published"][..]),
        prop_oneof![Just(String::new()), valid_date()],
        select(&["veileder", "lov", "kurs", "praksiseksempel"][..]),
        vec(select(&["individ", "tjeneste", "system"][..]), 1..4),
        vec((nonblank(80), valid_url()), 0..5),
    )
        .prop_map(
            |(title, slug, summary, body, status, date, kind, levels, links)| {
                // A slug derived from a long or symbol-only title may not be valid; give one then.
                let slug =
                    if slug.is_empty() && !title.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        "fra-tittel".into()
                    } else {
                        slug
                    };
                let slug = if slug.is_empty() && title.len() > 50 {
                    "lang-tittel".into()
                } else {
                    slug
                };
                let mut pairs: Vec<(String, String)> = vec![
                    ("title".into(), format!(" {title} ")),
                    ("slug".into(), slug),
                    ("summary".into(), summary),
                    ("body".into(), body),
                    ("status".into(), status.into()),
                    ("last_reviewed".into(), date.clone()),
                    ("f.type".into(), kind.into()),
                ];
                // A review date comes with the source it was checked against.
                if !date.is_empty() {
                    pairs.push(("reviewed_source_label".into(), "Lovdata".into()));
                    pairs.push(("reviewed_source_url".into(), "https://lovdata.no/".into()));
                }
                pairs.extend(
                    levels
                        .into_iter()
                        .map(|l| ("f.nivaa".to_string(), l.to_string())),
                );
                for (i, (label, url)) in links.into_iter().enumerate() {
                    pairs.push((format!("link_label_{i}"), label));
                    pairs.push((format!("link_url_{i}"), url));
                }
                pairs
            },
        )
        .boxed()
}

const ORGANISATION_FIELDS: &[&str] = &[
    "slug",
    "name",
    "short_name",
    "website",
    "description",
    "f.orgtype",
    "f.region",
    "f.fagfelt",
    "f.nivaa",
    "f.ukjent",
];
const ORGANISATION_ERRORS: &[&str] = &["slug", "name", "short_name", "website", "description"];

fn valid_organisation_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        slugable_title(),
        prop_oneof![Just(String::new()), "[A-Za-z][A-Za-z0-9 ]{0,20}"],
        prop_oneof![Just(String::new()), valid_url()],
        "\\PC{0,300}",
        prop_oneof![Just(String::new()), valid_slug()],
    )
        .prop_map(|(name, short, website, description, slug)| {
            vec![
                ("name".into(), name),
                ("short_name".into(), short),
                ("website".into(), website),
                ("description".into(), description),
                ("slug".into(), slug),
            ]
        })
        .boxed()
}

const ACCOUNT_FIELDS: &[&str] = &["username", "display_name", "role", "password"];

fn valid_account_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        "[A-Za-z0-9._@-]{2,60}",
        nonblank(100),
        select(&["admin", "editor"][..]),
        "\\PC{12,60}",
    )
        .prop_map(|(u, d, r, p)| {
            vec![
                ("username".into(), u),
                ("display_name".into(), d),
                ("role".into(), r.into()),
                ("password".into(), p),
            ]
        })
        .boxed()
}

const PAGE_FIELDS: &[&str] = &["title", "description", "body", "version"];

fn valid_page_form() -> BoxedStrategy<Vec<(String, String)>> {
    (nonblank(200), nonblank(200), nonblank(2000), any::<i64>())
        .prop_map(|(t, d, b, v)| {
            vec![
                ("title".into(), t),
                ("description".into(), d),
                ("body".into(), b),
                ("version".into(), v.to_string()),
            ]
        })
        .boxed()
}

const ROUND_FIELDS: &[&str] = &["slug", "title", "intro", "closes_on", "status", "questions"];
const ROUND_ERRORS: &[&str] = &["slug", "title", "intro", "closes_on", "status", "questions"];

fn valid_round_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        slugable_title(),
        "\\PC{0,300}",
        valid_date(),
        select(&["draft", "published"][..]),
        vec(nonblank(500), 1..=12),
        select(&["\n", "\r\n", "\n\n  "][..]),
    )
        .prop_map(|(title, intro, date, status, questions, nl)| {
            vec![
                ("title".into(), title),
                ("intro".into(), intro),
                ("closes_on".into(), date),
                ("status".into(), status.into()),
                ("questions".into(), questions.join(nl)),
            ]
        })
        .boxed()
}

const FEEDBACK_FIELDS: &[&str] = &[
    "steg", "kind", "title", "url", "level", "audience", "topic", "page", "message", "name",
    "email", "consent", "nettsted", "handling",
];
const FEEDBACK_ERRORS: &[&str] = &[
    "kind", "title", "url", "level", "audience", "topic", "message", "name", "email", "consent",
];
const LEVELS: &[&str] = &["individ", "tjeneste", "system"];
const AUDIENCES: &[&str] = &["brukere", "parorende", "ungdom"];

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn valid_feedback_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        select(KINDS.map(|k| k.0).to_vec()),
        nonblank(200),
        prop_oneof![Just(String::new()), valid_url()],
        vec(select(LEVELS), 0..3),
        vec(select(AUDIENCES), 0..3),
        prop_oneof![Just(""), select(TOPICS.map(|t| t.0).to_vec())],
        nonblank(4000),
        "\\PC{0,100}",
        prop_oneof![
            Just(None),
            "[a-z0-9.]{1,10}@[a-z]{1,10}\\.no".prop_map(Some)
        ],
        prop_oneof![Just(String::new()), "/[a-z0-9/-]{0,40}"],
    )
        .prop_map(
            |(kind, title, url, levels, audiences, topic, message, name, email, page)| {
                let mut pairs: Vec<(String, String)> = vec![
                    ("steg".into(), "4".into()),
                    ("kind".into(), kind.into()),
                    ("title".into(), title),
                    ("url".into(), url),
                    ("topic".into(), topic.into()),
                    ("message".into(), message),
                    ("name".into(), name),
                    ("page".into(), page),
                ];
                pairs.extend(
                    levels
                        .into_iter()
                        .map(|l| ("level".to_string(), l.to_string())),
                );
                pairs.extend(
                    audiences
                        .into_iter()
                        .map(|a| ("audience".to_string(), a.to_string())),
                );
                if let Some(email) = email {
                    pairs.push(("email".into(), email));
                    pairs.push(("consent".into(), "ja".into()));
                }
                pairs
            },
        )
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn resource_form_rejections_are_clear(pairs in form_or_body(RESOURCE_FIELDS)) {
        let input = input_from_form(&pairs).normalised();
        check_resource_errors(&input.check(), false)?;
        // Normalising is stable: checking twice gives the same answer.
        prop_assert_eq!(input.clone().normalised().check(), input.check());
    }

    #[test]
    fn resource_form_accepts_valid_input(pairs in valid_resource_form()) {
        let input = input_from_form(&pairs).normalised();
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    /// A field that breaks exactly one rule gets exactly that field's message.
    #[test]
    fn resource_form_names_the_broken_field(pairs in valid_resource_form(), broken in 0usize..6, n in 0usize..3) {
        let mut input = input_from_form(&pairs).normalised();
        let expected = match broken {
            0 => { input.title = ["", "x"][n.min(1)].repeat(if n == 0 { 0 } else { 201 }); "title" }
            1 => { input.summary = "y".repeat(if n == 0 { 0 } else { 501 }); "summary" }
            2 => { input.status = ["", "arkiv", "Draft"][n].into(); "status" }
            3 => { input.last_reviewed = ["2026-02-30", "26-01-01", "i går"][n].into(); "last_reviewed" }
            4 => { input.slug = ["-a", "A", "a--b"][n].into(); "slug" }
            _ => { input.facets.retain(|(f, _)| f != "type"); "facets.type" }
        };
        let errors = input.check();
        prop_assert_eq!(fields_of(&errors), vec![expected]);
    }

    #[test]
    fn organisation_form_rejections_are_clear(pairs in form_or_body(ORGANISATION_FIELDS)) {
        let input = OrganisationInput::from_form(&pairs);
        check_errors(&input.check(), ORGANISATION_ERRORS, &[])?;
    }

    #[test]
    fn organisation_form_accepts_valid_input(pairs in valid_organisation_form()) {
        let input = OrganisationInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn account_form_rejections_are_clear(pairs in form_or_body(ACCOUNT_FIELDS)) {
        let input = AccountInput::from_form(&pairs);
        check_errors(&input.check(), &["username", "display_name", "role", "password"], &[])?;
    }

    #[test]
    fn account_form_accepts_valid_input(pairs in valid_account_form()) {
        let input = AccountInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn password_and_value_label_checks(s in text()) {
        let n = s.chars().count();
        match check_password(&s) {
            Some(e) => { prop_assert!(!(12..=200).contains(&n)); check_errors(&[e], &["password"], &[])?; }
            None => prop_assert!((12..=200).contains(&n)),
        }
        let trimmed = s.trim().chars().count();
        match check_value_label(&s) {
            Some(e) => { prop_assert!(trimmed == 0 || trimmed > 80); check_errors(&[e], &["label"], &[])?; }
            None => prop_assert!((1..=80).contains(&trimmed)),
        }
    }

    #[test]
    fn page_form_rejections_are_clear(pairs in form_or_body(PAGE_FIELDS)) {
        let input = PageInput::from_form(&pairs);
        prop_assert!(!input.description.contains(['\r', '\n']));
        check_errors(&input.check(), &["title", "description", "body"], &[])?;
    }

    #[test]
    fn page_form_accepts_valid_input(pairs in valid_page_form()) {
        let input = PageInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn round_form_rejections_are_clear(pairs in form_or_body(ROUND_FIELDS)) {
        let input = RoundInput::from_form(&pairs);
        check_errors(&input.check(), ROUND_ERRORS, &[])?;
        prop_assert!(input.questions.iter().all(|q| !q.is_empty() && q.trim() == q));
    }

    #[test]
    fn round_form_accepts_valid_input(pairs in valid_round_form()) {
        let input = RoundInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn answers_form_rejections_are_clear(pairs in prop_oneof![
        3 => vec(("q[0-9]{1,3}", text()), 0..20),
        1 => form_or_body(&["q1", "q2", "q3", "q", "q-1", "q+2", "q99999999999999999999", "annet"]),
    ]) {
        let answers = answers_from_form(&pairs);
        prop_assert!(answers.iter().all(|(_, a)| !a.is_empty() && a.trim() == a));
        let errors = check_answers(&answers);
        let allowed: Vec<String> = answers.iter().map(|(id, _)| format!("q{id}")).chain(["answers".to_string()]).collect();
        check_errors(&errors, &allowed.iter().map(String::as_str).collect::<Vec<_>>(), &[])?;
        prop_assert_eq!(errors.is_empty(), !answers.is_empty() && answers.iter().all(|(_, a)| a.chars().count() <= 4000));
    }

    #[test]
    fn feedback_form_rejections_are_clear(pairs in form_or_body(FEEDBACK_FIELDS), step in 0u8..6) {
        let draft = FeedbackDraft::from_pairs(&pairs);
        let (levels, audiences) = (owned(LEVELS), owned(AUDIENCES));
        check_errors(&draft.check_step(step, &levels, &audiences), FEEDBACK_ERRORS, &[])?;
        check_errors(&draft.check_all(&levels, &audiences), FEEDBACK_ERRORS, &[])?;
        // Only a local path is remembered as the page the visitor came from.
        prop_assert!(draft.page.is_empty() || (draft.page.starts_with('/') && !draft.page.starts_with("//")));
        prop_assert_eq!(safe_page(&draft.page), draft.page.clone());
        prop_assert!(draft.email.trim() == draft.email && draft.kind.trim() == draft.kind);
    }

    #[test]
    fn feedback_form_accepts_valid_input(pairs in valid_feedback_form()) {
        let draft = FeedbackDraft::from_pairs(&pairs);
        prop_assert_eq!(draft.check_all(&owned(LEVELS), &owned(AUDIENCES)), vec![], "draft {:?}", draft);
    }

    /// Any button value is some action; moving through the flow keeps the
    /// step in 1–4, never loses input, and stays put on errors.
    #[test]
    fn feedback_flow_actions(action in prop_oneof![
        select(&["tilbake", "send", "neste", "endre-0", "endre-1", "endre-2", "endre-3", "endre-4", "endre-255", "endre-256", "endre--1", "endre-+2", "endre-"][..]).prop_map(String::from),
        "endre-[0-9+-]{0,4}",
        text(),
    ], pairs in prop_oneof![form_or_body(FEEDBACK_FIELDS), valid_feedback_form()], step in select(&["0", "1", "2", "3", "4", "5", "255", "x", ""][..])) {
        let parsed = FlowAction::parse(&action);
        match parsed {
            FlowAction::Back => prop_assert_eq!(action.as_str(), "tilbake"),
            FlowAction::Send => prop_assert_eq!(action.as_str(), "send"),
            FlowAction::Edit(n) => prop_assert!((1..=3).contains(&n) && action.starts_with("endre-")),
            FlowAction::Next => {}
        }
        let mut pairs = pairs;
        pairs.insert(0, ("steg".into(), step.into()));
        let draft = FeedbackDraft::from_pairs(&pairs);
        let (levels, audiences) = (owned(LEVELS), owned(AUDIENCES));
        let (next, errors) = draft.clone().apply(parsed, &levels, &audiences);
        prop_assert_eq!(FeedbackDraft { step: 0, ..next.clone() }, FeedbackDraft { step: 0, ..draft.clone() }, "input lost");
        check_errors(&errors, FEEDBACK_ERRORS, &[])?;
        if parsed == FlowAction::Send && errors.is_empty() {
            // Stored; the caller shows the receipt, whatever the step said.
            prop_assert_eq!(next.step, draft.step);
        } else {
            prop_assert!((1..=4).contains(&next.step), "step {} after {:?}", next.step, parsed);
        }
        if parsed == FlowAction::Next && !errors.is_empty() {
            prop_assert_eq!(next.step, draft.step());
        }
        if parsed == FlowAction::Send && !errors.is_empty() {
            prop_assert!(!next.check_step(next.step, &levels, &audiences).is_empty(), "send shows a step without problems");
        }
    }

    /// The state carried in hidden fields comes back the same. (Browsers
    /// send line breaks as CRLF, and a lone CR is not something a person
    /// types, so values here have none.)
    #[test]
    fn feedback_hidden_fields_round_trip(pairs in prop_oneof![form(FEEDBACK_FIELDS), valid_feedback_form()]) {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k, v.replace('\r', ""))).collect();
        let draft = FeedbackDraft { trap: String::new(), ..FeedbackDraft::from_pairs(&pairs) };
        let mut form = draft.hidden_pairs(0);
        form.push(("steg".into(), draft.step.to_string()));
        prop_assert_eq!(FeedbackDraft::from_pairs(&form), draft);
    }

    /// The inbox filter drops what it does not know.
    #[test]
    fn inbox_filter_parse(kind in proptest::option::of(text()), status in proptest::option::of(text()), from in proptest::option::of(date_like()), to in proptest::option::of(date_like())) {
        let filter = app::domain::inbox::InboxFilter::parse(kind, status, from.clone(), to.clone());
        prop_assert!(filter.kind.is_empty() || KINDS.iter().any(|(k, _, _)| *k == filter.kind));
        prop_assert!(filter.status.is_empty() || app::domain::feedback::STATUSES.iter().any(|(k, _)| *k == filter.status));
        for (given, kept) in [(&from, &filter.from), (&to, &filter.to)] {
            prop_assert!(kept.is_empty() || Some(kept) == given.as_ref());
            if given.as_deref().is_some_and(is_real_date) {
                prop_assert_eq!(Some(kept), given.as_ref(), "a real date was dropped");
            }
        }
        let qs = filter.query_string();
        prop_assert!(!qs.contains(char::is_whitespace));
    }

    /// The statistics range: a checked (from, to) pair, or a clear message.
    #[test]
    fn statistics_range(from in proptest::option::of(date_like()), to in proptest::option::of(date_like())) {
        match db::statistics::range(from.as_deref(), to.as_deref()) {
            Ok((f, t)) => {
                prop_assert!(is_real_date(&f) && is_real_date(&t), "range ({f}, {t})");
                prop_assert!(f <= t);
                let parse = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
                prop_assert!((parse(&t) - parse(&f)).whole_days() <= 400);
            }
            Err(message) => check_message(message)?,
        }
    }

    #[test]
    fn statistics_range_accepts_valid_ranges(from in valid_date(), days in 0i64..=400) {
        let parse = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
        let Some(to) = parse(&from).checked_add(time::Duration::days(days)) else { return Ok(()) };
        let to = to.to_string();
        prop_assume!(is_iso_date(&to));
        prop_assert_eq!(db::statistics::range(Some(&from), Some(&to)), Ok((from.clone(), to.clone())));
    }
}

/// The date fields of the forms accept only a real `YYYY-MM-DD` date: the
/// resource's `last_reviewed` and a round's `closes_on` (both `is_iso_date`).
#[test]
fn date_fields_accept_only_real_dates() {
    run(config(), date_like(), |s| {
        // Forms take real dates in 1900-2200 only (a typo like 0900 is refused).
        let in_range = is_real_date(&s)
            && s[..4]
                .parse::<u32>()
                .is_ok_and(|y| (1900..=2200).contains(&y));
        prop_assert_eq!(is_iso_date(&s), in_range, "editing::is_iso_date({:?})", s);
        let resource = ResourceInput {
            last_reviewed: s.clone(),
            ..Default::default()
        }
        .normalised();
        let accepted = !resource.check().iter().any(|e| e.field == "last_reviewed");
        prop_assert!(
            !accepted || s.trim().is_empty() || is_real_date(s.trim()),
            "last_reviewed {:?} accepted",
            s
        );
        let round = RoundInput {
            closes_on: s.clone(),
            ..Default::default()
        };
        let accepted = !round.check().iter().any(|e| e.field == "closes_on");
        prop_assert!(!accepted || is_real_date(&s), "closes_on {:?} accepted", s);
        Ok(())
    });
}

/// The inbox filter keeps only real dates ("dropping anything malformed").
#[test]
fn inbox_filter_keeps_only_real_dates() {
    run(config(), date_like(), |s| {
        let filter =
            app::domain::inbox::InboxFilter::parse(None, None, Some(s.clone()), Some(s.clone()));
        prop_assert!(
            filter.from.is_empty() || is_real_date(&filter.from),
            "inbox filter kept the date {:?}",
            filter.from
        );
        Ok(())
    });
}

// ───────────────────────────── content importer ─────────────────────────────

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A copy of the content folder that a property may break, file by file.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&content_dir(), dir.path());
        Scratch { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts `rel` back as it is in the real content folder.
    fn restore(&self, rel: &str) {
        fs::copy(content_dir().join(rel), self.path().join(rel)).unwrap();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn seed(rel: &str) -> String {
    fs::read_to_string(content_dir().join(rel)).unwrap()
}

/// One edit to a file's text; positions are fractions of its length.
#[derive(Debug, Clone)]
enum Edit {
    Whole(String),
    Insert(u16, String),
    Delete(u16, u16),
    ReplaceLine(u16, String),
    DropLine(u16),
    DuplicateLine(u16),
    SwapLines(u16, u16),
    /// Replaces the quoted value on a line that has one (TOML stays valid
    /// when `escaped`, so the importer's own checks get exercised).
    SetValue {
        line: u16,
        value: String,
        escaped: bool,
    },
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() && c != '\t' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn at(len: usize, frac: u16) -> usize {
    len * frac as usize / u16::MAX as usize
}

fn apply_edit(text: &str, edit: &Edit) -> String {
    let floor = |i: usize| {
        (0..=i.min(text.len()))
            .rev()
            .find(|&j| text.is_char_boundary(j))
            .unwrap_or(0)
    };
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let n = lines.len();
    match edit {
        Edit::Whole(s) => return s.clone(),
        Edit::Insert(p, s) => {
            let i = floor(at(text.len(), *p));
            return format!("{}{s}{}", &text[..i], &text[i..]);
        }
        Edit::Delete(p, len) => {
            let i = floor(at(text.len(), *p));
            let j = floor(i + *len as usize % 200);
            return format!("{}{}", &text[..i], &text[j..]);
        }
        Edit::ReplaceLine(l, s) => lines[at(n - 1, *l)] = s.clone(),
        Edit::DropLine(l) => {
            lines.remove(at(n - 1, *l));
        }
        Edit::DuplicateLine(l) => {
            let i = at(n - 1, *l);
            lines.insert(i, lines[i].clone());
        }
        Edit::SwapLines(a, b) => lines.swap(at(n - 1, *a), at(n - 1, *b)),
        Edit::SetValue {
            line,
            value,
            escaped,
        } => {
            let quoted: Vec<usize> = (0..n).filter(|&i| lines[i].contains(" = \"")).collect();
            if let Some(&i) = quoted.get(at(quoted.len().saturating_sub(1), *line)) {
                let (key, _) = lines[i].split_once(" = \"").unwrap();
                let v = if *escaped {
                    toml_string(value)
                } else {
                    format!("\"{value}\"")
                };
                lines[i] = format!("{key} = {v}");
            }
        }
    }
    lines.join("\n")
}

/// Text that is likely to upset a TOML/front-matter reader.
fn toml_junk() -> BoxedStrategy<String> {
    let token = prop_oneof![
        select(
            &[
                "+++",
                "+++\n",
                "\n+++\n",
                "\n",
                "\r\n",
                "=",
                " = ",
                "\"",
                "'",
                "'''",
                "\"\"\"",
                "[",
                "]",
                "[[links]]",
                "[facets]",
                "[[facet]]",
                "[[organisation]]",
                "{",
                "}",
                ",",
                "#",
                "\u{feff}",
                "key = ",
                "title = ",
                "type = [\"lov\", \"kurs\"]",
                "status = \"arkiv\"",
                "last_reviewed = 2026-01-01",
                "last_reviewed = \"2026-13-01\"",
                "nivaa = []",
                "ukjent = 1",
                "url = \"ftp://x\"",
                "multiple = \"ja\"",
                "values = [{ key = \"x\" }]",
                "groups = [[\"a\"]]",
                "1e999",
                "0x",
                "\\u{0}",
                "\\",
                "\\uD800",
            ][..]
        )
        .prop_map(String::from),
        text(),
    ];
    vec(token, 0..8).prop_map(|v| v.concat()).boxed()
}

fn edit() -> BoxedStrategy<Edit> {
    prop_oneof![
        1 => prop_oneof![toml_junk(), chars_text(200)].prop_map(Edit::Whole),
        3 => (any::<u16>(), toml_junk()).prop_map(|(p, s)| Edit::Insert(p, s)),
        2 => (any::<u16>(), any::<u16>()).prop_map(|(p, l)| Edit::Delete(p, l)),
        2 => (any::<u16>(), toml_junk()).prop_map(|(l, s)| Edit::ReplaceLine(l, s)),
        1 => any::<u16>().prop_map(Edit::DropLine),
        1 => any::<u16>().prop_map(Edit::DuplicateLine),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        4 => (any::<u16>(), text(), any::<bool>()).prop_map(|(line, value, escaped)| Edit::SetValue { line, value, escaped }),
    ]
    .boxed()
}

const IMPORT_TARGETS: &[&str] = &[
    "taxonomy.toml",
    "organisations.toml",
    "synonyms.toml",
    "resources/erfaringsbasert-kvalitetssikring.md",
    "resources/brukerinvolvering-i-forskning.md",
];

fn check_content_error(dir: &Path, err: &ContentError) -> TestCaseResult {
    check_content_error_with(dir, err, true)
}

fn check_content_error_with(
    dir: &Path,
    err: &ContentError,
    require_message: bool,
) -> TestCaseResult {
    match err {
        ContentError::Invalid {
            file,
            field,
            message,
        } => {
            prop_assert!(
                file.starts_with(dir),
                "error names a file outside the folder: {err}"
            );
            prop_assert!(!field.trim().is_empty(), "error without a field: {err}");
            prop_assert!(
                !require_message || !message.trim().is_empty(),
                "error without a message: {err}"
            );
            let shown = err.to_string();
            let name = file.file_name().unwrap().to_string_lossy();
            prop_assert!(
                shown.contains(name.as_ref()) && shown.contains(field.as_str()),
                "display hides the file or field: {shown}"
            );
        }
        other => prop_assert!(false, "not a content error about a file's content: {other}"),
    }
    Ok(())
}

#[test]
fn importer_accepts_the_seed_content() {
    let scratch = Scratch::new();
    let set = content::load_dir(scratch.path()).expect("seed content is valid");
    assert!(set.resources.len() >= 30);
    assert_eq!(
        content::load_pages(scratch.path())
            .expect("seed pages are valid")
            .len(),
        CONTENT_PAGES.len()
    );
}

/// Mutated seed files (and arbitrary ones) load, or fail with an error
/// naming the file, the field and the problem; never a panic.
#[test]
fn importer_rejects_broken_files_clearly() {
    importer_property(true);
}

/// The same as `importer_rejects_broken_files_clearly`, except that the
/// message may be empty (the known bug), so the rest keeps running.
#[test]
fn importer_never_panics_and_names_the_file() {
    importer_property(false);
}

fn importer_property(require_message: bool) {
    let scratch = Scratch::new();
    run(
        slow_config(),
        (select(IMPORT_TARGETS), vec(edit(), 1..4)),
        |(target, edits)| {
            for rel in IMPORT_TARGETS {
                scratch.restore(rel);
            }
            let text = edits.iter().fold(seed(target), |t, e| apply_edit(&t, e));
            fs::write(scratch.path().join(target), &text).unwrap();
            match content::load_dir(scratch.path()) {
                Ok(set) => prop_assert!(!set.resources.is_empty()),
                Err(err) => check_content_error_with(scratch.path(), &err, require_message)?,
            }
            Ok(())
        },
    );
}

/// A resource file's title and summary: accepted exactly when the stated
/// rule holds (1–200 and 1–500 characters, not blank), else an error on that field.
#[test]
fn importer_checks_title_and_summary() {
    let scratch = Scratch::new();
    let rel = "resources/erfaringsbasert-kvalitetssikring.md";
    let original = seed(rel);
    let long = |max: usize| prop_oneof![3 => chars_text(60), 1 => (max - 2..max + 3, any::<char>()).prop_map(|(n, c)| std::iter::repeat_n(c, n).collect::<String>())];
    run(
        slow_config(),
        (any::<bool>(), prop_oneof![long(200), long(500)]),
        |(is_title, value)| {
            let (key, max) = if is_title {
                ("title", 200)
            } else {
                ("summary", 500)
            };
            let text = original
                .lines()
                .map(|l| {
                    if l.starts_with(&format!("{key} = ")) {
                        format!("{key} = {}", toml_string(&value))
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            fs::write(scratch.path().join(rel), text).unwrap();
            let ok = !value.trim().is_empty() && value.chars().count() <= max;
            match content::load_dir(scratch.path()) {
                Ok(set) => {
                    prop_assert!(ok, "{key} {value:?} was accepted");
                    let r = set
                        .resources
                        .iter()
                        .find(|r| r.slug == "erfaringsbasert-kvalitetssikring")
                        .unwrap();
                    prop_assert_eq!(
                        if is_title {
                            &r.front.title
                        } else {
                            &r.front.summary
                        },
                        &value
                    );
                }
                Err(err) => {
                    check_content_error(scratch.path(), &err)?;
                    prop_assert!(!ok, "valid {key} {value:?} rejected: {err}");
                    let ContentError::Invalid { field, .. } = &err else {
                        unreachable!()
                    };
                    prop_assert_eq!(field.as_str(), key, "{}", err);
                }
            }
            Ok(())
        },
    );
    scratch.restore(rel);
}

/// The content pages: mutated files and stray file names.
#[test]
fn page_importer_rejects_broken_files_clearly() {
    let scratch = Scratch::new();
    let pages: Vec<String> = CONTENT_PAGES
        .iter()
        .map(|(slug, _)| format!("pages/{slug}.md"))
        .collect();
    let stray = prop_oneof![Just(None), "[a-zA-Z0-9æøå _.-]{1,20}".prop_map(Some)];
    run(
        slow_config(),
        (select(pages.clone()), vec(edit(), 1..4), stray),
        |(target, edits, stray)| {
            for rel in &pages {
                scratch.restore(rel);
            }
            let text = edits.iter().fold(seed(&target), |t, e| apply_edit(&t, e));
            fs::write(scratch.path().join(&target), &text).unwrap();
            let stray_path =
                stray.map(|name| scratch.path().join("pages").join(format!("{name}.md")));
            if let Some(p) = &stray_path {
                if !p.exists() {
                    fs::write(p, seed("pages/personvern.md")).unwrap();
                }
            }
            let result = content::load_pages(scratch.path());
            if let Some(p) = &stray_path {
                if !pages.iter().any(|rel| scratch.path().join(rel) == *p) {
                    let _ = fs::remove_file(p);
                }
            }
            match result {
                Ok(defs) => {
                    prop_assert!(defs.len() >= CONTENT_PAGES.len());
                    for d in &defs {
                        let input = PageInput {
                            title: d.title.clone(),
                            description: d.description.clone(),
                            body: d.body.clone(),
                            version: 0,
                        };
                        prop_assert_eq!(
                            input.check(),
                            vec![],
                            "page {} accepted with problems",
                            d.slug
                        );
                    }
                }
                // Lenient about an empty message: the same toml_error bug as above.
                Err(err) => check_content_error_with(scratch.path(), &err, false)?,
            }
            Ok(())
        },
    );
}

// ───────────────────────────── through the database ─────────────────────────────

/// A seeded in-memory database of its own, and a runtime to drive it.
fn seeded() -> (tokio::runtime::Runtime, SqlitePool, User) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (pool, user) = rt.block_on(common::seeded("fuzz", Role::Admin));
    (rt, pool, user)
}

fn not_a_server_error<T: std::fmt::Debug>(result: &Result<T, SaveError>) -> TestCaseResult {
    if let Err(err @ (SaveError::Db(_) | SaveError::Unavailable)) = result {
        prop_assert!(false, "server error (a 500): {err:?}");
    }
    if let Err(err) = result {
        check_message(&err.message())?;
    }
    Ok(())
}

/// Any search and filters: a result, never a database error (FTS5 syntax
/// errors from the search text would be a 500).
#[test]
fn catalogue_select_never_fails() {
    let (rt, pool, _) = seeded();
    let cache = CatalogueCache::new();
    let index = rt.block_on(cache.get(&pool)).unwrap();
    let search_text = prop_oneof![
        text(),
        select(
            &[
                "\"",
                "\"\"",
                "*",
                "a*",
                "NEAR(a b)",
                "a OR",
                "AND",
                "NOT x",
                "^a",
                "a:b",
                "(",
                ")",
                "{a b}",
                "-a",
                "+a",
                "a - b",
                "\u{0}",
                "å",
                "rus\"",
                "col:*",
                "bruker* \"pår"
            ][..]
        )
        .prop_map(String::from),
        vec(prop_oneof!["[a-zæøå]{1,10}", "[\"*()^:{}+-]"], 0..10).prop_map(|v| v.join(" ")),
    ];
    let strategy = prop_oneof![
        raw_query(),
        (raw_query(), search_text).prop_map(|(raw, q)| format!("q={}&{raw}", encode(&q)))
    ];
    run(slow_config(), strategy, |raw| {
        let query = CatalogueQuery::parse(&raw);
        let index: Arc<_> = index.clone();
        let selection = rt.block_on(db::browse::select(&pool, &index, &query));
        prop_assert!(
            selection.is_ok(),
            "query {:?}: {:?}",
            query,
            selection.err()
        );
        Ok(())
    });
}

#[test]
fn resource_save_never_fails_with_a_server_error() {
    let (rt, pool, user) = seeded();
    let strategy = (
        prop_oneof![2 => form_or_body(RESOURCE_FIELDS), 1 => valid_resource_form(), 1 => (valid_resource_form(), vec(("org|related|f\\.[a-z]{1,8}", prop_oneof![select(&["napha", "a-larm", "et-bedre-liv", "individ", "system", "lov"][..]).prop_map(String::from), text()]), 0..5)).prop_map(|(mut a, b)| { a.extend(b); a })],
        prop_oneof![4 => Just(None), 1 => (1i64..40).prop_map(Some), 1 => Just(Some(i64::MAX))],
    );
    run(slow_config(), strategy, |(pairs, id)| {
        let valid = input_from_form(&pairs).normalised().check().is_empty();
        let result = rt.block_on(db::editing::save(&pool, &user, id, input_from_form(&pairs)));
        not_a_server_error(&result)?;
        if let Err(SaveError::Invalid(errors)) = &result {
            check_resource_errors(errors, true)?;
        }
        if valid && id.is_none() {
            // Only what needs the database can stop a new valid resource.
            if let Err(SaveError::Invalid(errors)) = &result {
                for e in errors {
                    prop_assert!(
                        e.field.starts_with("facets.")
                            || ["slug", "organisations", "related"].contains(&e.field.as_str()),
                        "{e:?}"
                    );
                }
            } else {
                prop_assert!(result.is_ok(), "{:?}", result);
            }
        }
        Ok(())
    });
}

#[test]
fn organisation_save_never_fails_with_a_server_error() {
    let (rt, pool, user) = seeded();
    let extra = vec(
        (
            "f\\.(orgtype|region|fagfelt|nivaa|[a-z]{1,6})",
            prop_oneof![
                select(&["kompetansesenter", "nasjonal", "rus", "individ", "x"][..])
                    .prop_map(String::from),
                text()
            ],
        ),
        0..4,
    );
    let strategy = (
        prop_oneof![
            form_or_body(ORGANISATION_FIELDS),
            (valid_organisation_form(), extra).prop_map(|(mut a, b)| {
                a.extend(b);
                a
            })
        ],
        prop_oneof![3 => Just(None), 1 => (1i64..40).prop_map(Some)],
    );
    run(slow_config(), strategy, |(pairs, id)| {
        let result = rt.block_on(db::organisation::save_organisation(
            &pool,
            &user,
            id,
            OrganisationInput::from_form(&pairs),
        ));
        not_a_server_error(&result)?;
        if let Err(SaveError::Invalid(errors)) = &result {
            check_errors(errors, ORGANISATION_ERRORS, &["facets."])?;
        }
        Ok(())
    });
}

#[test]
fn consultation_save_and_answer_never_fail_with_a_server_error() {
    let (rt, pool, user) = seeded();
    // One open round to answer.
    let round = RoundInput {
        slug: "apen-runde".into(),
        title: "Åpen runde".into(),
        closes_on: "2199-12-31".into(),
        status: "published".into(),
        questions: vec!["Hva virker?".into(), "Hva mangler?".into()],
        ..Default::default()
    };
    rt.block_on(db::consultation::save_round(&pool, &user, None, &round))
        .unwrap();
    // And one the property may rewrite.
    let draft = RoundInput {
        slug: "redigerbar".into(),
        status: "draft".into(),
        ..round.clone()
    };
    rt.block_on(db::consultation::save_round(&pool, &user, None, &draft))
        .unwrap();
    let editable = rt
        .block_on(db::consultation::round(&pool, "redigerbar", false))
        .unwrap()
        .unwrap()
        .id;
    let ids: Vec<i64> = rt
        .block_on(db::consultation::round(&pool, "apen-runde", true))
        .unwrap()
        .unwrap()
        .questions
        .iter()
        .map(|q| q.0)
        .collect();
    let answer_key = prop_oneof![
        select(ids.iter().map(|id| format!("q{id}")).collect::<Vec<_>>()),
        "q[0-9]{1,3}",
        "q-?[0-9]{1,20}",
        text()
    ];
    let answers = vec((answer_key, text()), 0..8);
    let round_form = prop_oneof![
        form_or_body(ROUND_FIELDS),
        valid_round_form(),
        (valid_round_form(), future_date()).prop_map(|(mut f, d)| {
            f.push(("closes_on".into(), d));
            f
        })
    ];
    let strategy = (
        round_form,
        prop_oneof![2 => Just(None), 1 => Just(Some(editable))],
        answers,
        select(&["apen-runde", "finnes-ikke", ""][..]),
    );
    run(slow_config(), strategy, |(form, id, answers, slug)| {
        let result = rt.block_on(db::consultation::save_round(
            &pool,
            &user,
            id,
            &RoundInput::from_form(&form),
        ));
        not_a_server_error(&result)?;
        if let Err(SaveError::Invalid(errors)) = &result {
            check_errors(errors, ROUND_ERRORS, &[])?;
        }
        let answers = answers_from_form(&answers);
        match rt.block_on(db::consultation::answer(&pool, slug, &answers, 30)) {
            Err(
                e
                @ (db::consultation::AnswerError::Db | db::consultation::AnswerError::Unavailable),
            ) => prop_assert!(false, "{:?} (a server error) for answers {:?}", e, answers),
            Err(db::consultation::AnswerError::Invalid(errors)) => {
                let allowed: Vec<String> = answers
                    .iter()
                    .map(|(id, _)| format!("q{id}"))
                    .chain(["answers".to_string()])
                    .collect();
                check_errors(
                    &errors,
                    &allowed.iter().map(String::as_str).collect::<Vec<_>>(),
                    &[],
                )?;
            }
            Err(db::consultation::AnswerError::Closed) => {
                prop_assert!(slug != "apen-runde", "the open round was closed")
            }
            Ok(()) => {}
        }
        Ok(())
    });
}

#[test]
fn feedback_submit_inbox_and_handling_never_fail_with_a_server_error() {
    let (rt, pool, user) = seeded();
    let (levels, audiences) = rt.block_on(db::feedback::suggestion_keys(&pool)).unwrap();
    let filter = (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(date_like()),
        proptest::option::of(date_like()),
    );
    let strategy = (
        prop_oneof![form_or_body(FEEDBACK_FIELDS), valid_feedback_form()],
        filter,
        proptest::option::of(text()),
        text(),
    );
    run(
        slow_config(),
        strategy,
        |(pairs, (kind, status, from, to), new_status, note)| {
            let draft = FeedbackDraft::from_pairs(&pairs);
            let reference = if draft.check_all(&levels, &audiences).is_empty() {
                let submitted = rt.block_on(db::feedback::submit(&pool, &draft, 30));
                prop_assert!(
                    submitted.is_ok(),
                    "checked feedback not stored: {:?}",
                    submitted.err()
                );
                submitted.unwrap()
            } else {
                field(&pairs, "reference")
            };
            let filter = app::domain::inbox::InboxFilter::parse(kind, status, from, to);
            let inbox = rt.block_on(db::feedback::inbox(&pool, &filter, 50));
            prop_assert!(inbox.is_ok(), "inbox {:?}: {:?}", filter, inbox.err());
            if let Err(errors) = rt.block_on(db::feedback::handle(
                &pool,
                &user,
                &reference,
                new_status.as_deref(),
                &note,
            )) {
                check_errors(&errors, &["status", "note", "reference"], &[])?;
                prop_assert!(
                    !errors
                        .iter()
                        .any(|e| e.message.starts_with("Noe gikk galt")),
                    "database error (a 500): {errors:?}"
                );
            }
            Ok(())
        },
    );
}

/// Saving a round under an id that does not exist (deleted meanwhile) is
/// "not found", like resources and organisations, not a database error.
#[test]
fn round_save_with_a_missing_id_is_not_a_server_error() {
    let (rt, pool, user) = seeded();
    let round = RoundInput {
        slug: "borte".into(),
        title: "Borte".into(),
        closes_on: "2199-12-31".into(),
        status: "draft".into(),
        questions: vec!["Hva nå?".into()],
        ..Default::default()
    };
    let result = rt.block_on(db::consultation::save_round(
        &pool,
        &user,
        Some(987_654),
        &round,
    ));
    assert!(
        !matches!(result, Err(SaveError::Db(_) | SaveError::Unavailable)),
        "{result:?}"
    );
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
