//! Shared types and rules, the bottom layer of the app: what the server
//! sends to pages, what forms submit and the checks that need no database.
//! Nothing here does I/O, so it all compiles for the browser too.
//! Dependencies run one way: `domain` ← `db` ← `api` ← `pages`/`components`.
//!
//! This module holds the small text helpers (slugs, Norwegian dates and
//! sort order) that every other part needs.

pub mod account;
pub mod area;
pub mod audit;
pub mod catalogue;
pub mod consultation;
pub mod explore;
pub mod facets;
pub mod factor;
pub mod feedback;
pub mod form;
pub mod guide;
pub mod inbox;
pub mod links;
pub mod media;
pub mod notice;
pub mod organisation;
pub mod page;
pub mod resource;
pub mod statistics;
pub mod synonyms;
pub mod taxonomy;
pub mod texts;
pub mod version;

/// Turns a Norwegian title into a URL slug: lower case ASCII, digits and
/// single hyphens (æ → ae, ø → o, å → a).
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for ch in title.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match ch {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' => "u",
            'í' | 'ï' => "i",
            _ => "",
        };
        if !mapped.is_empty() || ch.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            if mapped.is_empty() {
                out.push(ch);
            } else {
                out.push_str(mapped);
            }
        } else {
            pending_hyphen = true;
        }
    }
    out
}

/// Whether a string is a well-formed slug (what `slugify` produces).
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

/// Formats the date part of an ISO 8601 string the Norwegian way: "6. mars 2023".
/// Anything unparseable is returned unchanged rather than hidden.
pub fn norwegian_date(iso: &str) -> String {
    let date = iso.get(..10).unwrap_or(iso);
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    match (y.parse::<u32>(), m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)) => format!("{d}. {} {y}", MONTHS[m - 1]),
        _ => iso.to_string(),
    }
}

/// A key that sorts strings in Norwegian alphabetical order: case-insensitive,
/// with Æ, Ø and Å after Z (in that order), Ä/Ö treated as Æ/Ø, and
/// punctuation such as «quotes» ignored.
pub fn norwegian_sort_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'æ' | 'ä' => '\u{7b}',
            'ø' | 'ö' => '\u{7c}',
            'å' => '\u{7d}',
            'é' | 'è' => 'e',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_maps_norwegian_letters() {
        assert_eq!(
            slugify("Brukerundersøkelser på systemnivå"),
            "brukerundersokelser-pa-systemniva"
        );
        assert_eq!(
            slugify("Ærlig talt: Økt åpenhet!"),
            "aerlig-talt-okt-apenhet"
        );
    }

    #[test]
    fn slugify_collapses_punctuation_and_trims() {
        assert_eq!(
            slugify("  «Et bedre liv» – fagdag (2020)  "),
            "et-bedre-liv-fagdag-2020"
        );
        assert_eq!(slugify("§ 3-10"), "3-10");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn slugify_output_is_a_valid_slug() {
        for title in [
            "Sårbare overganger",
            "FIT – feedbackinformerte tjenester",
            "Meld. St. 11 (2015–2016)",
        ] {
            assert!(is_valid_slug(&slugify(title)), "{title}");
        }
    }

    #[test]
    fn invalid_slugs_are_rejected() {
        for bad in ["", "-a", "a-", "a--b", "Stor", "æ", "a b", "a/b"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn norwegian_dates() {
        assert_eq!(norwegian_date("2023-03-06"), "6. mars 2023");
        assert_eq!(norwegian_date("2025-12-01T10:00:00Z"), "1. desember 2025");
        assert_eq!(norwegian_date("ukjent"), "ukjent");
        assert_eq!(norwegian_date("2025-13-01"), "2025-13-01");
    }

    #[test]
    fn norwegian_alphabet_order() {
        let mut words = vec!["Åpenhet", "Ørsta", "Ærlig", "Zebra", "alfa", "«Bruker»"];
        words.sort_by_key(|w| norwegian_sort_key(w));
        assert_eq!(
            words,
            ["alfa", "«Bruker»", "Zebra", "Ærlig", "Ørsta", "Åpenhet"]
        );
    }
}
