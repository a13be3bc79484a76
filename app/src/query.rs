//! The catalogue's view state as it lives in the URL: filters, search, sort
//! and page. One parser and one printer, used by the page, the server
//! functions, the feeds and the CSV export, so every link reproduces a view.
//!
//! Parsing is lenient by design: an unknown or malformed parameter is
//! dropped and the rest of the view stays intact. It never fails.

use serde::{Deserialize, Serialize};

/// Parameter names the catalogue reserves for itself; every other
/// well-formed name is read as a facet key (checked against the taxonomy on
/// the server).
pub const PARAM_SEARCH: &str = "q";
pub const PARAM_SORT: &str = "sort";
pub const PARAM_PAGE: &str = "side";
/// Filters by the organisation behind a resource (values are organisation slugs).
pub const ORGANISATION_FACET: &str = "organisasjon";

pub const PAGE_SIZE: usize = 20;
const MAX_QUERY_CHARS: usize = 200;
const MAX_VALUES_PER_FACET: usize = 50;
const MAX_FACETS: usize = 20;
const MAX_PAGE: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub enum Sort {
    /// Best match first; only meaningful with a search, otherwise title order.
    #[default]
    Relevance,
    /// Most recently updated first.
    Newest,
    /// Title A–Å, Norwegian alphabet.
    Title,
}

impl Sort {
    pub fn key(self) -> &'static str {
        match self {
            Sort::Relevance => "relevans",
            Sort::Newest => "nyeste",
            Sort::Title => "tittel",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "Mest relevant",
            Sort::Newest => "Nyeste først",
            Sort::Title => "Tittel A–Å",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "relevans" => Some(Sort::Relevance),
            "nyeste" => Some(Sort::Newest),
            "tittel" => Some(Sort::Title),
            _ => None,
        }
    }

    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Title];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub struct CatalogueQuery {
    /// Facet key → selected value keys, in first-seen order, no duplicates.
    pub filters: Vec<(String, Vec<String>)>,
    /// The search text, trimmed; empty means no search.
    pub q: String,
    pub sort: Sort,
    /// 1-based page number.
    pub page: u32,
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl CatalogueQuery {
    /// Reads the view from decoded query pairs. Never fails.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut query = CatalogueQuery {
            page: 1,
            ..Default::default()
        };
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref().trim());
            match key {
                PARAM_SEARCH if query.q.is_empty() => {
                    query.q = value
                        .chars()
                        .filter(|c| !c.is_control())
                        .take(MAX_QUERY_CHARS)
                        .collect::<String>()
                        .trim()
                        .to_string();
                }
                // The first search wins; a repeated one is not a filter.
                PARAM_SEARCH => {}
                PARAM_SORT => {
                    if let Some(sort) = Sort::parse(value) {
                        query.sort = sort;
                    }
                }
                PARAM_PAGE => {
                    if let Ok(page) = value.parse::<u32>() {
                        query.page = page.clamp(1, MAX_PAGE);
                    }
                }
                _ if is_key(key) && is_key(value) => query.add(key, value),
                _ => {}
            }
        }
        query
    }

    /// Reads the view from a raw (still percent-encoded) query string.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        Self::from_pairs(raw.split('&').filter(|p| !p.is_empty()).map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        }))
    }

    fn add(&mut self, facet: &str, value: &str) {
        let room = self.filters.len() < MAX_FACETS;
        match self.filters.iter_mut().find(|(f, _)| f == facet) {
            Some((_, values))
                if values.len() < MAX_VALUES_PER_FACET && !values.iter().any(|v| v == value) =>
            {
                values.push(value.to_string());
            }
            None if room => self
                .filters
                .push((facet.to_string(), vec![value.to_string()])),
            // A full facet, a repeated value, or too many facets: ignored.
            Some(_) | None => {}
        }
    }

    pub fn selected(&self, facet: &str) -> &[String] {
        self.filters
            .iter()
            .find(|(f, _)| f == facet)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    pub fn is_selected(&self, facet: &str, value: &str) -> bool {
        self.selected(facet).iter().any(|v| v == value)
    }

    pub fn has_filters(&self) -> bool {
        self.filters.iter().any(|(_, v)| !v.is_empty())
    }

    /// The same view without one filter value, back on page 1.
    pub fn without(&self, facet: &str, value: &str) -> Self {
        let mut next = self.clone();
        for (f, values) in &mut next.filters {
            if f == facet {
                values.retain(|v| v != value);
            }
        }
        next.filters.retain(|(_, v)| !v.is_empty());
        next.page = 1;
        next
    }

    /// The same view with one more filter value, back on page 1.
    pub fn with(&self, facet: &str, value: &str) -> Self {
        let mut next = self.clone();
        next.add(facet, value);
        next.page = 1;
        next
    }

    pub fn without_search(&self) -> Self {
        CatalogueQuery {
            q: String::new(),
            page: 1,
            ..self.clone()
        }
    }

    pub fn with_page(&self, page: u32) -> Self {
        CatalogueQuery {
            page,
            ..self.clone()
        }
    }

    /// The sort actually applied: relevance needs a search to rank by.
    pub fn effective_sort(&self) -> Sort {
        match (self.sort, self.q.is_empty()) {
            (Sort::Relevance, true) => Sort::Title,
            (sort, _) => sort,
        }
    }

    /// The canonical query string (without `?`): filters in order, then
    /// search, sort and page, each only when not the default.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (facet, values) in &self.filters {
            for value in values {
                parts.push(format!("{}={}", encode(facet), encode(value)));
            }
        }
        if !self.q.is_empty() {
            parts.push(format!("{PARAM_SEARCH}={}", encode(&self.q)));
        }
        if self.sort != Sort::Relevance {
            parts.push(format!("{PARAM_SORT}={}", self.sort.key()));
        }
        if self.page > 1 {
            parts.push(format!("{PARAM_PAGE}={}", self.page));
        }
        parts.join("&")
    }

    /// A path under `base` carrying this view, e.g. `/ressurser?nivaa=individ`.
    pub fn href(&self, base: &str) -> String {
        let qs = self.to_query_string();
        if qs.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{qs}")
        }
    }
}

/// Only local paths may be a return address after sign-in.
pub fn safe_next(next: Option<String>) -> String {
    // Local paths only: no scheme, no `//host`, and no whitespace or control
    // characters, which browsers drop (`/\t/evil.example` is `//evil.example`).
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(|c| c.is_control() || c.is_whitespace())
    })
    .unwrap_or_else(|| "/redaktor".to_string())
}

/// Percent-encodes for a query component (UTF-8, space as `+`).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes a query component; invalid escapes are kept literally and
/// invalid UTF-8 is replaced, never an error.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_search_sort_and_page() {
        let q = CatalogueQuery::parse("?nivaa=individ&nivaa=system&malgruppe=parorende&q=p%C3%A5r%C3%B8rende+st%C3%B8tte&sort=nyeste&side=3");
        assert_eq!(q.selected("nivaa"), ["individ", "system"]);
        assert_eq!(q.selected("malgruppe"), ["parorende"]);
        assert_eq!(q.q, "pårørende støtte");
        assert_eq!(q.sort, Sort::Newest);
        assert_eq!(q.page, 3);
    }

    #[test]
    fn round_trips_through_the_canonical_string() {
        let q = CatalogueQuery::parse(
            "nivaa=individ&q=%C3%A6%C3%B8%C3%A5+%26+mer&sort=tittel&side=2&nivaa=tjeneste",
        );
        let again = CatalogueQuery::parse(&q.to_query_string());
        assert_eq!(q, again);
        assert_eq!(
            q.to_query_string(),
            "nivaa=individ&nivaa=tjeneste&q=%C3%A6%C3%B8%C3%A5+%26+mer&sort=tittel&side=2"
        );
    }

    #[test]
    fn malformed_parameters_are_ignored_and_the_rest_kept() {
        let q = CatalogueQuery::parse(
            "nivaa=individ&sort=baklengs&side=-4&side=abc&Nivaa=system&nivaa=<script>&%ZZ=1&=x&&q&nivaa=individ&fagfelt=rus%",
        );
        assert_eq!(q.selected("nivaa"), ["individ"]);
        assert_eq!(q.sort, Sort::Relevance);
        assert_eq!(q.page, 1);
        assert_eq!(q.q, "");
        assert!(
            q.selected("fagfelt").is_empty(),
            "a value with a stray % is not a key"
        );
    }

    #[test]
    fn huge_inputs_are_bounded() {
        let long = "x".repeat(10_000);
        let q = CatalogueQuery::parse(&format!("q={long}&side=999999999999"));
        assert_eq!(q.q.chars().count(), 200);
        assert_eq!(q.page, 1, "an unparseable (overflowing) page is ignored");
        let many: String = (0..500).map(|i| format!("f{i}=v&")).collect();
        assert_eq!(CatalogueQuery::parse(&many).filters.len(), 20);
    }

    #[test]
    fn toggling_filters_resets_the_page() {
        let q = CatalogueQuery::parse("nivaa=individ&side=4");
        assert_eq!(
            q.with("grad", "informere").to_query_string(),
            "nivaa=individ&grad=informere"
        );
        assert_eq!(q.without("nivaa", "individ").to_query_string(), "");
        assert_eq!(q.href("/ressurser"), "/ressurser?nivaa=individ&side=4");
    }

    #[test]
    fn relevance_without_search_sorts_by_title() {
        assert_eq!(CatalogueQuery::parse("").effective_sort(), Sort::Title);
        assert_eq!(
            CatalogueQuery::parse("q=fit").effective_sort(),
            Sort::Relevance
        );
        assert_eq!(
            CatalogueQuery::parse("sort=nyeste").effective_sort(),
            Sort::Newest
        );
    }

    #[test]
    fn decode_handles_bad_escapes() {
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%G1"), "%G1");
        assert_eq!(decode("%C3"), "\u{fffd}");
        assert_eq!(decode("%C3%B8"), "ø");
    }
}
