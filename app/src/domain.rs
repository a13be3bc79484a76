//! Shared types: what the server sends to pages, and the small pieces of
//! domain logic (slugs, dates) that both sides need.

use serde::{Deserialize, Serialize};

/// One value of a facet, as shown to a visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub key: String,
    pub label: String,
}

/// A facet with the values one record carries (detail pages) or offers (filters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetGroup {
    pub key: String,
    pub label: String,
    pub values: Vec<FacetValue>,
}

/// A resource in a list: enough to decide whether to open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The resource's type ("Eksempel fra praksis" …), if it has one.
    pub kind: Option<String>,
    pub levels: Vec<FacetValue>,
    pub organisations: Vec<String>,
    pub updated_at: String,
}

/// A pointer to another resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRef {
    pub slug: String,
    pub title: String,
}

/// An organisation as named on a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRef {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// Everything the detail page shows about one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDetail {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The Markdown body, already rendered and sanitised on the server.
    pub body_html: String,
    pub facets: Vec<FacetGroup>,
    pub organisations: Vec<OrganisationRef>,
    pub links: Vec<Link>,
    pub related: Vec<ResourceRef>,
    pub replaced_by: Option<ResourceRef>,
    /// When an editor last checked the text, and against which public
    /// source; both or neither.
    pub last_reviewed: Option<String>,
    pub reviewed_source: Option<Link>,
    pub updated_at: String,
}

/// One of the site's two front doors, with how many resources stand behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPath {
    pub key: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub entry_paths: Vec<EntryPath>,
    pub levels: Vec<EntryPath>,
    pub resource_count: i64,
    pub latest: Vec<ResourceCard>,
}

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
mod sort_tests {
    use super::norwegian_sort_key;

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

/// A piece of text, marked when it matched the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub mark: bool,
}

/// One option in a facet filter, with the number of results ticking it
/// would give (given the other active filters and the search).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetOption {
    pub key: String,
    pub label: String,
    pub count: u32,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetFilter {
    pub key: String,
    pub label: String,
    pub options: Vec<FacetOption>,
}

/// A search result: the card plus title and summary split for highlighting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub card: ResourceCard,
    pub title: Vec<Segment>,
    pub summary: Vec<Segment>,
}

/// A way out of an empty result: drop one filter (or the search) and get `count`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub label: String,
    pub href: String,
    pub count: u32,
}

/// One page of the catalogue with everything the filter panel needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueResult {
    /// The query as understood: unknown facets and values removed.
    pub query: crate::query::CatalogueQuery,
    pub total: u32,
    pub page: u32,
    pub page_count: u32,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetFilter>,
    pub suggestions: Vec<Suggestion>,
    /// "Mente du …?": the search with its typos corrected (label: the
    /// corrected text), when that finds more.
    pub did_you_mean: Option<Suggestion>,
    /// A plain sentence about a search that could not be used as typed.
    pub notice: Option<String>,
}

/// The involvement map: levels (rows) × degrees of involvement (columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvolvementMap {
    pub levels: Vec<FacetValue>,
    pub degrees: Vec<FacetValue>,
    /// counts[level][degree]
    pub counts: Vec<Vec<u32>>,
    pub level_totals: Vec<u32>,
}
