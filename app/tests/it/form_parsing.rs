//! Editor forms are parsed in time linear in their size (review 3, N7): a
//! form of 1 MB, the body limit, of the worst shapes we know costs
//! milliseconds, not seconds of an async worker.

use std::time::{Duration, Instant};

use app::domain::{
    form::{form_pairs, FACET_KEYS_MAX, FACET_VALUES_MAX},
    organisation::OrganisationInput,
    resource::input_from_form,
};

const BODY_LIMIT: usize = 1024 * 1024;

/// `make(i)` repeated, joined with `&`, until the body is 1 MB.
fn form_of(make: impl Fn(usize) -> String) -> Vec<u8> {
    let mut body = String::with_capacity(BODY_LIMIT + 64);
    for i in 0.. {
        let pair = make(i);
        if body.len() + pair.len() + 1 > BODY_LIMIT {
            break;
        }
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str(&pair);
    }
    body.into_bytes()
}

/// Both editor forms that group facets, parsed from the raw body as the
/// routes do; the time of the slower.
fn parse_both(body: &[u8]) -> (Duration, usize) {
    let started = Instant::now();
    let resource = input_from_form(&form_pairs(body));
    let resource_time = started.elapsed();
    let started = Instant::now();
    let organisation = OrganisationInput::from_form(&form_pairs(body));
    let organisation_time = started.elapsed();
    assert!(resource.facets.len() <= FACET_KEYS_MAX);
    assert!(organisation.facets.len() <= FACET_KEYS_MAX);
    for (_, values) in resource.facets.iter().chain(&organisation.facets) {
        assert!(values.len() <= FACET_VALUES_MAX);
    }
    (
        resource_time.max(organisation_time),
        resource.facets.len().max(organisation.facets.len()),
    )
}

#[test]
fn many_distinct_facet_keys_are_grouped_in_one_pass_and_capped() {
    // 20,000 distinct keys: the old nested search did 200 million string
    // comparisons per form here, and kept every key.
    let body = (0..20_000)
        .map(|i| format!("f.k{i}=v"))
        .collect::<Vec<_>>()
        .join("&");
    let (took, facets) = parse_both(body.as_bytes());
    assert_eq!(
        facets, FACET_KEYS_MAX,
        "unknown facets beyond the cap are dropped"
    );
    // Generous: a debug build on a busy machine. Linear parsing takes a few
    // milliseconds; the quadratic one took seconds.
    assert!(
        took < Duration::from_secs(2),
        "20,000 facet keys took {took:?}"
    );
}

#[test]
fn a_one_megabyte_editor_form_of_any_shape_parses_in_milliseconds() {
    let shapes: [(&str, Vec<u8>); 5] = [
        ("distinct facet keys", form_of(|i| format!("f.k{i}=v"))),
        (
            "one facet, many values",
            form_of(|i| format!("f.tema=v{i}")),
        ),
        ("distinct plain keys", form_of(|i| format!("x{i}=v"))),
        (
            "percent escapes",
            form_of(|_| "f.%6B%6B=%76%76%76%76%76%76".to_string()),
        ),
        ("organisations", form_of(|i| format!("org=o{i}"))),
    ];
    let mut worst = (Duration::ZERO, "");
    for (name, body) in &shapes {
        assert!(body.len() > BODY_LIMIT - 64);
        let (took, _) = parse_both(body);
        println!("1 MB form, {name}: parsed in {took:?}");
        if took > worst.0 {
            worst = (took, name);
        }
    }
    println!(
        "worst 1 MB editor form: {} in {:?} (debug build; release is several times faster)",
        worst.1, worst.0
    );
    // A generous bound for a debug build on a loaded machine: the quadratic
    // parser needed over six seconds for 650 kB in release.
    assert!(worst.0 < Duration::from_secs(3), "{worst:?}");
}
