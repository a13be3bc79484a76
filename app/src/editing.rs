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
    /// ISO date or empty: when the text was checked against its source.
    pub last_reviewed: String,
    /// The public source it was checked against (both empty without a date).
    #[serde(default)]
    pub reviewed_source_label: String,
    #[serde(default)]
    pub reviewed_source_url: String,
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
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A real `YYYY-MM-DD` date between 1900 and 2200 (what a form may store).
pub fn is_iso_date(s: &str) -> bool {
    is_calendar_date(s)
        && s[..4]
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2200).contains(&y))
}

/// A real `YYYY-MM-DD` date, any year from 1 on (what a filter may ask for).
pub fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    // Digits only: `parse` would also take a sign ("2026-+3-+1").
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        s[..4].parse::<u32>(),
        s[5..7].parse::<u32>(),
        s[8..].parse::<u32>(),
    ) else {
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
    y > 0 && (1..=days).contains(&d)
}

/// An absolute http(s) URL with a host and no spaces.
pub fn is_valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && host.contains('.')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
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
        self.reviewed_source_label = self.reviewed_source_label.trim().to_string();
        self.reviewed_source_url = self.reviewed_source_url.trim().to_string();
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
        let mut errors: Vec<FieldError> = check_title(&self.title).into_iter().collect();
        let len = |s: &str| s.chars().count();
        if !is_valid_slug(&self.slug) {
            errors.push(FieldError::new(
                "slug",
                "Adressen kan bare ha små bokstaver a–z, tall og enkle bindestreker.",
            ));
        }
        if self.summary.is_empty() {
            errors.push(FieldError::new("summary", "Skriv et kort sammendrag."));
        } else if len(&self.summary) > SUMMARY_MAX {
            errors.push(FieldError::new(
                "summary",
                format!("Sammendraget kan ha høyst {SUMMARY_MAX} tegn."),
            ));
        }
        if len(&self.body) > BODY_MAX {
            errors.push(FieldError::new(
                "body",
                format!("Teksten kan ha høyst {BODY_MAX} tegn."),
            ));
        }
        if self.status != "draft" && self.status != "published" {
            errors.push(FieldError::new("status", "Velg utkast eller publisert."));
        }
        if !self.last_reviewed.is_empty() && !is_iso_date(&self.last_reviewed) {
            errors.push(FieldError::new(
                "last_reviewed",
                "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-03-01.",
            ));
        }
        // "Sist kontrollert" is a fact only with the source it was checked against.
        let sourced =
            !self.reviewed_source_label.is_empty() || !self.reviewed_source_url.is_empty();
        if self.last_reviewed.is_empty() && sourced {
            errors.push(FieldError::new(
                "last_reviewed",
                "Skriv datoen du kontrollerte teksten mot kilden, eller fjern kilden.",
            ));
        }
        if is_iso_date(&self.last_reviewed) {
            if self.reviewed_source_label.is_empty() {
                errors.push(FieldError::new(
                    "reviewed_source_label",
                    "Skriv hvilken kilde du kontrollerte teksten mot, for eksempel «Lovdata: helseforetaksloven § 35».",
                ));
            } else if len(&self.reviewed_source_label) > TITLE_MAX {
                errors.push(FieldError::new(
                    "reviewed_source_label",
                    format!("Kilden kan ha høyst {TITLE_MAX} tegn."),
                ));
            }
            if !is_valid_url(&self.reviewed_source_url) {
                errors.push(FieldError::new(
                    "reviewed_source_url",
                    "Skriv kildens hele nettadresse, som begynner med https://",
                ));
            }
        }
        if self.links.len() > LINKS_MAX {
            errors.push(FieldError::new(
                "links",
                format!("Høyst {LINKS_MAX} lenker."),
            ));
        }
        for (required, message) in [
            ("type", "Velg hva slags ressurs dette er."),
            ("nivaa", "Velg minst ett nivå."),
        ] {
            if self
                .facets
                .iter()
                .all(|(f, v)| f != required || v.is_empty())
            {
                errors.push(FieldError::new(format!("facets.{required}"), message));
            }
        }
        for (i, (label, url)) in self.links.iter().enumerate() {
            if label.is_empty() {
                errors.push(FieldError::new(
                    format!("links.{i}.label"),
                    "Skriv en lenketekst.",
                ));
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

/// Decoded `application/x-www-form-urlencoded` pairs, repeated keys kept.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (crate::query::decode(k), crate::query::decode(v))
        })
        .collect()
}

/// The first value of a form field, or "".
pub fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Builds a resource input from the resource form's fields (the server's
/// form handler and the browser's check before sending use the same code).
pub fn input_from_form(pairs: &[(String, String)]) -> ResourceInput {
    let one = |name: &str| field(pairs, name);
    let mut input = ResourceInput {
        title: one("title"),
        slug: one("slug"),
        summary: one("summary"),
        body: one("body"),
        status: one("status"),
        last_reviewed: one("last_reviewed"),
        reviewed_source_label: one("reviewed_source_label"),
        reviewed_source_url: one("reviewed_source_url"),
        version: one("version").trim().parse().ok(),
        organisations: pairs
            .iter()
            .filter(|(k, _)| k == "org")
            .map(|(_, v)| v.clone())
            .collect(),
        related: one("related")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        ..Default::default()
    };
    for (key, value) in pairs {
        if let Some(facet) = key.strip_prefix("f.") {
            match input.facets.iter_mut().find(|(f, _)| f == facet) {
                Some((_, values)) => values.push(value.clone()),
                None => input.facets.push((facet.to_string(), vec![value.clone()])),
            }
        }
    }
    for i in 0..LINKS_MAX {
        let (label, url) = (
            one(&format!("link_label_{i}")),
            one(&format!("link_url_{i}")),
        );
        input.links.push((label, url));
    }
    input
}

/// A small form (organisation, facet value, account) that came back with
/// problems: what was typed, and a message per field. Server functions hand
/// it to the page, so it renders the same on the server and in the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEcho {
    /// Which form on the page this belongs to.
    pub form: String,
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    pub message: String,
}

impl FormEcho {
    pub fn value(&self, name: &str) -> String {
        field(&self.values, name)
    }
    pub fn error(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    }
}

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2_000;

/// An organisation as an editor submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub website: String,
    pub description: String,
    /// Facet key → value keys.
    pub facets: Vec<(String, Vec<String>)>,
}

impl OrganisationInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        let mut input = OrganisationInput {
            slug: field(pairs, "slug"),
            name: field(pairs, "name"),
            short_name: field(pairs, "short_name"),
            website: field(pairs, "website"),
            description: field(pairs, "description"),
            facets: Vec::new(),
        };
        for (key, value) in pairs {
            if let Some(facet) = key.strip_prefix("f.") {
                match input.facets.iter_mut().find(|(f, _)| f == facet) {
                    Some((_, values)) => values.push(value.clone()),
                    None => input.facets.push((facet.to_string(), vec![value.clone()])),
                }
            }
        }
        input.normalised()
    }

    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_string();
        self.short_name = self.short_name.trim().to_string();
        self.website = self.website.trim().to_string();
        self.description = self.description.trim().replace("\r\n", "\n");
        self.slug = self.slug.trim().to_lowercase();
        if self.slug.is_empty() {
            self.slug = slugify(if self.short_name.is_empty() {
                &self.name
            } else {
                &self.short_name
            });
        }
        self
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let len = |s: &str| s.chars().count();
        if self.name.is_empty() {
            errors.push(FieldError::new("name", "Skriv navnet på organisasjonen."));
        } else if len(&self.name) > NAME_MAX {
            errors.push(FieldError::new(
                "name",
                format!("Navnet kan ha høyst {NAME_MAX} tegn."),
            ));
        }
        if len(&self.short_name) > 60 {
            errors.push(FieldError::new(
                "short_name",
                "Kortnavnet kan ha høyst 60 tegn.",
            ));
        }
        if !is_valid_slug(&self.slug) {
            errors.push(FieldError::new(
                "slug",
                "Adressen kan bare ha små bokstaver a–z, tall og enkle bindestreker.",
            ));
        }
        if !self.website.is_empty() && !is_valid_url(&self.website) {
            errors.push(FieldError::new(
                "website",
                "Skriv en hel nettadresse som begynner med https://",
            ));
        }
        if len(&self.description) > DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                format!("Beskrivelsen kan ha høyst {DESCRIPTION_MAX} tegn."),
            ));
        }
        errors
    }
}

/// A facet value's label, as typed: checked for adding and renaming.
pub fn check_value_label(label: &str) -> Option<FieldError> {
    let label = label.trim();
    if label.is_empty() {
        Some(FieldError::new("label", "Skriv et navn på verdien."))
    } else if label.chars().count() > 80 {
        Some(FieldError::new("label", "Navnet kan ha høyst 80 tegn."))
    } else {
        None
    }
}

pub const PASSWORD_MIN: usize = 12;

/// A new account (or a new password for one), as an administrator types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

impl AccountInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        AccountInput {
            username: field(pairs, "username").trim().to_string(),
            display_name: field(pairs, "display_name").trim().to_string(),
            role: field(pairs, "role"),
            password: field(pairs, "password"),
        }
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name_ok = |s: &str| {
            (2..=60).contains(&s.chars().count())
                && s.chars().all(|c| c.is_alphanumeric() || "-_.@".contains(c))
        };
        if !name_ok(&self.username) {
            errors.push(FieldError::new("username", "Brukernavnet må ha 2–60 tegn: bokstaver, tall, punktum, bindestrek, understrek eller @."));
        }
        if self.display_name.is_empty() || self.display_name.chars().count() > 100 {
            errors.push(FieldError::new(
                "display_name",
                "Skriv et navn på høyst 100 tegn.",
            ));
        }
        if self.role != "admin" && self.role != "editor" {
            errors.push(FieldError::new("role", "Velg en rolle."));
        }
        errors.extend(check_password(&self.password));
        errors
    }
}

pub fn check_password(password: &str) -> Option<FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Some(FieldError::new(
            "password",
            format!("Passordet må ha minst {PASSWORD_MIN} tegn."),
        ))
    } else if n > 200 {
        Some(FieldError::new(
            "password",
            "Passordet kan ha høyst 200 tegn.",
        ))
    } else {
        None
    }
}

/// The one rule for titles, for resources and pages alike.
fn check_title(title: &str) -> Option<FieldError> {
    if title.is_empty() {
        Some(FieldError::new("title", "Skriv en tittel."))
    } else if title.chars().count() > TITLE_MAX {
        Some(FieldError::new(
            "title",
            format!("Tittelen kan ha høyst {TITLE_MAX} tegn."),
        ))
    } else {
        None
    }
}

/// The site's content pages, by slug; each is shown at `/<slug>`. The set is
/// fixed by the routes, so editors change pages but do not add or remove them.
pub const CONTENT_PAGES: [(&str, &str); 6] = [
    ("hvorfor-brukerinvolvering", "Hvorfor brukerinvolvering?"),
    ("veiledere-og-foringer", "Veiledere og føringer"),
    (
        "brukerorganisasjoner",
        "Brukerorganisasjoner og brukerstyrte sentre",
    ),
    ("om-nettstedet", "Om nettstedet"),
    ("personvern", "Personvern"),
    ("tilgjengelighet", "Tilgjengelighetserklæring"),
];

/// The most a page description (the search result snippet) may hold.
pub const PAGE_DESCRIPTION_MAX: usize = 200;

/// A content page as an editor submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInput {
    pub title: String,
    pub description: String,
    pub body: String,
    /// The version the editor opened; a save is refused if it has moved on.
    pub version: i64,
}

impl PageInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        PageInput {
            title: field(pairs, "title").trim().to_string(),
            description: field(pairs, "description")
                .trim()
                .replace(['\r', '\n'], " "),
            body: field(pairs, "body").trim().replace("\r\n", "\n"),
            version: field(pairs, "version").trim().parse().unwrap_or(0),
        }
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = check_title(&self.title).into_iter().collect();
        let len = |s: &str| s.chars().count();
        if self.description.is_empty() {
            errors.push(FieldError::new(
                "description",
                "Skriv en kort beskrivelse. Den vises i søkemotorer og når siden deles.",
            ));
        } else if len(&self.description) > PAGE_DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                format!("Beskrivelsen kan ha høyst {PAGE_DESCRIPTION_MAX} tegn."),
            ));
        }
        if self.body.is_empty() {
            errors.push(FieldError::new("body", "Siden trenger en tekst."));
        } else if len(&self.body) > BODY_MAX {
            errors.push(FieldError::new(
                "body",
                format!("Teksten kan ha høyst {BODY_MAX} tegn."),
            ));
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
            facets: vec![
                ("nivaa".into(), vec!["system".into()]),
                ("type".into(), vec!["veileder".into()]),
            ],
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
        assert_eq!(
            fields,
            [
                "title",
                "slug",
                "summary",
                "status",
                "last_reviewed",
                "facets.type",
                "facets.nivaa",
                "links.0.label",
                "links.0.url"
            ]
        );
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }

    #[test]
    fn organisation_and_account_checks() {
        let org = OrganisationInput::from_form(&[
            ("name".into(), "Rådet for psykisk helse".into()),
            ("website".into(), "radet.no".into()),
        ]);
        assert_eq!(org.slug, "radet-for-psykisk-helse");
        assert_eq!(
            org.check()
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["website"]
        );
        let account = AccountInput {
            username: "kari".into(),
            display_name: "Kari".into(),
            role: "editor".into(),
            password: "kort".into(),
        };
        assert_eq!(
            account
                .check()
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["password"]
        );
        assert!(check_value_label("  ").is_some() && check_value_label("Ungdom").is_none());
    }

    #[test]
    fn urls_and_dates() {
        assert!(is_valid_url("https://lovdata.no/lov/1999-07-02-63"));
        assert!(!is_valid_url("javascript:alert(1)"));
        assert!(!is_valid_url("https://"));
        assert!(!is_valid_url("https://exa mple.no"));
        assert!(
            is_iso_date("2024-02-29") && !is_iso_date("2023-02-29") && !is_iso_date("2026-1-01")
        );
    }
}
