//! What an editor submits for a resource, and the checks that need no
//! database (shared, so the browser can show the same messages at once).

use serde::{Deserialize, Serialize};

use crate::domain::{is_valid_slug, slugify};

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 500;
pub const BODY_MAX: usize = 50_000;
pub const LINKS_MAX: usize = 20;

/// A resource as an editor submits it: strings as typed, lists as ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceInput {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// `draft` or `published`.
    pub status: String,
    /// ISO date or empty.
    pub last_reviewed: String,
    /// Facet key → value keys.
    pub facets: Vec<(String, Vec<String>)>,
    pub organisations: Vec<String>,
    /// (label, url) pairs; empty pairs are ignored.
    pub links: Vec<(String, String)>,
    /// Slugs of related resources.
    pub related: Vec<String>,
    /// The version the editor started from (`None` for a new resource).
    pub version: Option<i64>,
}

/// A problem with one field, in words for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (s[..4].parse::<u32>(), s[5..7].parse::<u32>(), s[8..].parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// An absolute http(s) URL with a host and no spaces.
pub fn is_valid_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && host.contains('.') && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

impl ResourceInput {
    /// Trims what was typed and fills in the slug from the title when empty.
    pub fn normalised(mut self) -> Self {
        self.title = self.title.trim().to_string();
        self.summary = self.summary.trim().to_string();
        self.body = self.body.trim().replace("\r\n", "\n");
        self.slug = self.slug.trim().to_lowercase();
        if self.slug.is_empty() {
            self.slug = slugify(&self.title);
        }
        self.last_reviewed = self.last_reviewed.trim().to_string();
        self.links = self
            .links
            .into_iter()
            .map(|(l, u)| (l.trim().to_string(), u.trim().to_string()))
            .filter(|(l, u)| !(l.is_empty() && u.is_empty()))
            .collect();
        self
    }

    /// Every problem that can be found without the database.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let len = |s: &str| s.chars().count();
        if self.title.is_empty() {
            errors.push(FieldError::new("title", "Skriv en tittel."));
        } else if len(&self.title) > TITLE_MAX {
            errors.push(FieldError::new("title", format!("Tittelen kan ha høyst {TITLE_MAX} tegn.")));
        }
        if !is_valid_slug(&self.slug) {
            errors.push(FieldError::new(
                "slug",
                "Adressen kan bare ha små bokstaver a–z, tall og enkle bindestreker.",
            ));
        }
        if self.summary.is_empty() {
            errors.push(FieldError::new("summary", "Skriv et kort sammendrag."));
        } else if len(&self.summary) > SUMMARY_MAX {
            errors.push(FieldError::new("summary", format!("Sammendraget kan ha høyst {SUMMARY_MAX} tegn.")));
        }
        if len(&self.body) > BODY_MAX {
            errors.push(FieldError::new("body", format!("Teksten kan ha høyst {BODY_MAX} tegn.")));
        }
        if self.status != "draft" && self.status != "published" {
            errors.push(FieldError::new("status", "Velg utkast eller publisert."));
        }
        if !self.last_reviewed.is_empty() && !is_iso_date(&self.last_reviewed) {
            errors.push(FieldError::new("last_reviewed", "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-03-01."));
        }
        if self.links.len() > LINKS_MAX {
            errors.push(FieldError::new("links", format!("Høyst {LINKS_MAX} lenker.")));
        }
        for (i, (label, url)) in self.links.iter().enumerate() {
            if label.is_empty() {
                errors.push(FieldError::new(format!("links.{i}.label"), "Skriv en lenketekst."));
            }
            if !is_valid_url(url) {
                errors.push(FieldError::new(
                    format!("links.{i}.url"),
                    "Skriv en hel nettadresse som begynner med https://",
                ));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ResourceInput {
        ResourceInput {
            title: "Brukerråd i kommunen".into(),
            summary: "Slik kommer dere i gang.".into(),
            status: "draft".into(),
            ..Default::default()
        }
        .normalised()
    }

    #[test]
    fn a_complete_input_passes_and_gets_a_slug() {
        let input = valid();
        assert_eq!(input.slug, "brukerrad-i-kommunen");
        assert_eq!(input.check(), vec![]);
    }

    #[test]
    fn each_bad_field_gets_its_own_norwegian_message() {
        let input = ResourceInput {
            title: " ".into(),
            slug: "Ugyldig Slug".into(),
            summary: "x".repeat(SUMMARY_MAX + 1),
            status: "arkiv".into(),
            last_reviewed: "2026-02-30".into(),
            links: vec![("".into(), "lovdata.no".into()), ("  ".into(), " ".into())],
            ..Default::default()
        }
        .normalised();
        let errors = input.check();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "slug", "summary", "status", "last_reviewed", "links.0.label", "links.0.url"]);
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }

    #[test]
    fn urls_and_dates() {
        assert!(is_valid_url("https://lovdata.no/lov/1999-07-02-63"));
        assert!(!is_valid_url("javascript:alert(1)"));
        assert!(!is_valid_url("https://"));
        assert!(!is_valid_url("https://exa mple.no"));
        assert!(is_iso_date("2024-02-29") && !is_iso_date("2023-02-29") && !is_iso_date("2026-1-01"));
    }
}
