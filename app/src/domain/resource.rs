//! A resource as editors handle it: what the form submits and the checks
//! that need no database (shared, so the browser can show the same
//! messages at once), the editors' list rows, versions and the form's data.

use serde::{Deserialize, Serialize};

use super::{
    audit::AuditRecord,
    form::{facet_fields, field, is_iso_date, is_valid_url, FieldError},
    is_valid_slug, slugify,
    taxonomy::FacetChoices,
    version::VersionRow,
};
use crate::domain::account::User;

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 500;
pub const BODY_MAX: usize = 50_000;
pub const LINKS_MAX: usize = 20;
/// Organisations behind one resource, and related resources: far more than
/// any real resource has, few enough to look each up when saving.
pub const ORGANISATIONS_MAX: usize = 200;
pub const RELATED_MAX: usize = 100;

/// Whether a resource (or a consultation round) is public. The keys are
/// what the `status` columns store, so they must never change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceStatus {
    #[default]
    Draft,
    Published,
}

impl ResourceStatus {
    pub const ALL: [ResourceStatus; 2] = [ResourceStatus::Draft, ResourceStatus::Published];

    /// The stored form.
    pub fn key(self) -> &'static str {
        match self {
            ResourceStatus::Draft => "draft",
            ResourceStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<ResourceStatus> {
        ResourceStatus::ALL.into_iter().find(|st| st.key() == s)
    }

    /// As the editors' lists say it.
    pub fn label(self) -> &'static str {
        match self {
            ResourceStatus::Draft => "utkast",
            ResourceStatus::Published => "publisert",
        }
    }
}

/// A stored status the code does not know is an error at the row boundary.
impl TryFrom<String> for ResourceStatus {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ResourceStatus::parse(&s).ok_or_else(|| format!("unknown status {s:?}"))
    }
}

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
    /// Practice examples: the year the work began and ended, as typed
    /// (empty: not known, or, for `ended`, still going on).
    #[serde(default)]
    pub started: String,
    #[serde(default)]
    pub ended: String,
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
        self.started = self.started.trim().to_string();
        self.ended = self.ended.trim().to_string();
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
        if ResourceStatus::parse(&self.status).is_none() {
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
        for (name, value) in [("started", &self.started), ("ended", &self.ended)] {
            if !value.is_empty() && parse_year(value).is_none() {
                errors.push(FieldError::new(
                    name,
                    format!("Skriv året med fire sifre, mellom {YEAR_MIN} og {YEAR_MAX}, for eksempel 2014."),
                ));
            }
        }
        if let (Some(started), Some(ended)) = self.years() {
            if ended < started {
                errors.push(FieldError::new(
                    "ended",
                    format!("Sluttåret kan ikke være før startåret ({started})."),
                ));
            }
        }
        if self.organisations.len() > ORGANISATIONS_MAX {
            errors.push(FieldError::new(
                "organisations",
                format!("Høyst {ORGANISATIONS_MAX} organisasjoner."),
            ));
        }
        if self.related.len() > RELATED_MAX {
            errors.push(FieldError::new(
                "related",
                format!("Høyst {RELATED_MAX} relaterte ressurser."),
            ));
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

/// The years a practice example can name.
pub const YEAR_MIN: i64 = 1900;
pub const YEAR_MAX: i64 = 2100;

/// A year as typed: four digits within `YEAR_MIN..=YEAR_MAX`.
pub fn parse_year(text: &str) -> Option<i64> {
    let text = text.trim();
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
        .filter(|y| (YEAR_MIN..=YEAR_MAX).contains(y))
}

/// "2014–2018", "fra 2014", "til 2018" or nothing: a practice example's
/// period as cards and pages say it.
pub fn period_text(started: Option<i64>, ended: Option<i64>) -> Option<String> {
    match (started, ended) {
        (Some(s), Some(e)) if s == e => Some(s.to_string()),
        (Some(s), Some(e)) => Some(format!("{s}–{e}")),
        (Some(s), None) => Some(format!("fra {s}")),
        (None, Some(e)) => Some(format!("til {e}")),
        (None, None) => None,
    }
}

impl ResourceInput {
    /// The period's years, where they are valid.
    pub fn years(&self) -> (Option<i64>, Option<i64>) {
        (parse_year(&self.started), parse_year(&self.ended))
    }
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
        started: one("started"),
        ended: one("ended"),
        version: one("version").trim().parse().ok(),
        // One past the cap at most, so `check` can say so; each is looked
        // up in the database when saving.
        organisations: distinct(
            pairs
                .iter()
                .filter(|(k, _)| k == "org")
                .map(|(_, v)| v.as_str()),
            ORGANISATIONS_MAX + 1,
        ),
        related: distinct(
            one("related")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty()),
            RELATED_MAX + 1,
        ),
        facets: facet_fields(pairs),
        ..Default::default()
    };
    for i in 0..LINKS_MAX {
        let (label, url) = (
            one(&format!("link_label_{i}")),
            one(&format!("link_url_{i}")),
        );
        input.links.push((label, url));
    }
    input
}

/// The first `max` distinct items, in order.
fn distinct<'a>(items: impl Iterator<Item = &'a str>, max: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .filter(|item| seen.insert(*item))
        .take(max)
        .map(String::from)
        .collect()
}

/// The one rule for titles, for resources and pages alike.
pub(super) fn check_title(title: &str) -> Option<FieldError> {
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

/// A resource as listed for editors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AdminRow {
    pub slug: String,
    pub title: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: ResourceStatus,
    pub last_reviewed: Option<String>,
    pub updated_at: String,
}

/// What needs an editor's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub user: User,
    pub drafts: Vec<AdminRow>,
    /// Published, but not reviewed in over 12 months (or never).
    pub stale: Vec<AdminRow>,
    pub recent: Vec<AuditRecord>,
}

/// Everything the resource form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    /// `None` for a new resource.
    pub id: Option<i64>,
    pub input: ResourceInput,
    pub facets: Vec<FacetChoices>,
    /// (slug, name)
    pub organisations: Vec<(String, String)>,
    /// Newest first.
    pub versions: Vec<VersionRow>,
    /// Set when a submitted form came back with problems.
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
    /// The body rendered for "Forhåndsvis" (the form's no-JavaScript preview).
    pub preview: Option<String>,
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
    fn a_practice_period_is_two_years_in_order() {
        let with = |started: &str, ended: &str| {
            ResourceInput {
                started: started.into(),
                ended: ended.into(),
                ..valid()
            }
            .normalised()
            .check()
        };
        assert_eq!(with(" 2014 ", "2018"), vec![]);
        assert_eq!(with("2020", ""), vec![]);
        let fields =
            |errors: Vec<FieldError>| errors.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(with("14", "")), ["started"]);
        assert_eq!(fields(with("2014", "nå")), ["ended"]);
        assert_eq!(fields(with("1850", "")), ["started"]);
        let backwards = with("2018", "2014");
        assert_eq!(backwards.len(), 1);
        assert_eq!(backwards[0].field, "ended");
        assert!(backwards[0].message.contains("før startåret (2018)"));
        assert_eq!(
            period_text(Some(2014), Some(2018)).as_deref(),
            Some("2014–2018")
        );
        assert_eq!(period_text(Some(2020), None).as_deref(), Some("fra 2020"));
        assert_eq!(period_text(Some(2019), Some(2019)).as_deref(), Some("2019"));
        assert_eq!(period_text(None, None), None);
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
}
