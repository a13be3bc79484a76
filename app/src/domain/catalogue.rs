//! The public catalogue: resources as lists and detail pages show them,
//! facets and filters, search hits and the front page.

use serde::{Deserialize, Serialize};

/// The facet whose blank means «alle fagfelt»: a resource without a value
/// counts for every value in the filters.
pub const FAGFELT_FACET: &str = "fagfelt";
/// The facet a resource takes from its owning organisations unless an
/// editor sets it.
pub const REGION_FACET: &str = "region";
/// The region value that covers the whole country (not shown on cards).
pub const NATIONWIDE: &str = "nasjonal";
/// Practice examples: whether the work goes on (`pagaende`) or has ended.
pub const PRACTICE_STATUS_FACET: &str = "praksisstatus";

/// A practice example's period and status as a card says it: "2014–2018,
/// avsluttet", "fra 2020, pågående", "pågående", or nothing.
pub fn practice_text(period: Option<&str>, status: Option<&str>) -> Option<String> {
    let status = status.map(str::to_lowercase);
    match (period, status) {
        (Some(p), Some(s)) => Some(format!("{p}, {s}")),
        (Some(p), None) => Some(p.to_string()),
        (None, Some(s)) => Some(s),
        (None, None) => None,
    }
}

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
    /// The region, when it is not the whole country ("Vest").
    pub region: Option<String>,
    /// A practice example's period and status (`practice_text`).
    pub practice: Option<String>,
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
    /// A practice example's years ("2014–2018", "fra 2020").
    pub period: Option<String>,
    /// When an editor last checked the text, and against which public
    /// source; both or neither.
    pub last_reviewed: Option<String>,
    pub reviewed_source: Option<Link>,
    pub updated_at: String,
    /// Documents an editor attached, listed under «Nedlastinger».
    #[serde(default)]
    pub downloads: Vec<super::media::Download>,
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
    /// The picture editors chose for the front page, if any.
    #[serde(default)]
    pub illustration: Option<crate::domain::media::Illustration>,
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
    /// The documents with this value, among the search's documents, as
    /// [`crate::domain::facets::Bitset::to_hex`]: what the visitors' filter
    /// island recounts from. `None` where the island does not count (too
    /// many documents, or a list the island does not serve).
    pub bits: Option<String>,
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
    /// How many documents the options' `bits` are numbered over (the
    /// search's matches, or the whole catalogue).
    pub counted: u32,
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

/// "Ingen ressurser", "1 ressurs", "12 ressurser": the result count as the
/// catalogue, its filter island and the live region say it.
pub fn count_text(n: u32) -> String {
    match n {
        0 => "Ingen ressurser".to_string(),
        1 => "1 ressurs".to_string(),
        n => format!("{n} ressurser"),
    }
}
