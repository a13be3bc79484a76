//! The catalogue's query-string parser and the guide's answers.

use super::*;

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

/// The guide's texts as seeded, read once.
fn seed_texts() -> &'static app::domain::texts::Texts {
    static TEXTS: std::sync::OnceLock<app::domain::texts::Texts> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        content::load_texts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"))
            .expect("the seed texts are valid")
    })
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
pub(super) fn raw_query() -> BoxedStrategy<String> {
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
        match recommend(&answers, &|key| seed_texts().get(key)) {
            Some(r) => {
                prop_assert!(missing.is_empty());
                prop_assert!(r.degree < LADDER.len() && r.aim.is_none_or(|a| a < LADDER.len() && a > r.degree));
                prop_assert!(!r.reasons.is_empty() && !r.checklist.is_empty());
                for reason in &r.reasons {
                    check_message(reason)?;
                }
                for item in &r.checklist {
                    check_message(&item.text)?;
                }
            }
            None => prop_assert!(!missing.is_empty()),
        }
    }
}
