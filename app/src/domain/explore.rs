//! What the public pages built from the catalogue show: the two entry
//! paths, the guide's result, the guidance overview, the organisation
//! directory and pages, and what changed recently.

use serde::{Deserialize, Serialize};

use super::{
    catalogue::{FacetFilter, ResourceCard, ResourceRef},
    form::FieldError,
    guide::{GuideAnswers, Recommendation},
};

/// One section of an entry path: a step on the ladder or a level, and the
/// resources that match it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntrySection {
    pub key: String,
    pub label: String,
    /// The editors' short guidance for this step or level (`site_text`).
    pub guidance: String,
    /// The catalogue list filtered to this section.
    pub href: String,
    pub total: u32,
    pub cards: Vec<ResourceCard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPathPage {
    pub key: String,
    pub label: String,
    /// The page's heading, introduction and search description (`site_text`).
    pub heading: String,
    pub intro: String,
    pub description: String,
    /// The other entry path: (href, heading).
    pub other: Option<(String, String)>,
    pub href: String,
    pub total: u32,
    pub sections: Vec<EntrySection>,
    /// The picture editors chose for this entry path, if any.
    #[serde(default)]
    pub illustration: Option<crate::domain::media::Illustration>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideResult {
    pub answers: GuideAnswers,
    /// Questions still unanswered (only when some answers were given).
    pub errors: Vec<FieldError>,
    pub recommendation: Option<Recommendation>,
    /// What the recommended step means, in the editors' words (`site_text`).
    pub meaning: String,
    /// Published resources among the checklist's, as (slug, title).
    pub checklist_links: Vec<ResourceRef>,
    pub shortlist: Vec<ResourceCard>,
    /// The catalogue list for the recommended step and level.
    pub list_href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidanceItem {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub replaced_by: Option<ResourceRef>,
    /// "Sist kontrollert": when an editor checked it against its source, if ever.
    pub checked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidanceGroup {
    pub key: String,
    pub label: String,
    pub items: Vec<GuidanceItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub description: String,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub fields: Vec<String>,
    /// Published resources that name the organisation.
    pub resources: u32,
}

/// One organisation's own page: what the directory says about it, and the
/// published resources it is behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationPage {
    pub entry: DirectoryEntry,
    pub short_name: Option<String>,
    /// Facet values with the directory filtered to each: (facet label, value label, href).
    pub facts: Vec<(String, String, String)>,
    pub cards: Vec<ResourceCard>,
    /// The catalogue filtered to the organisation.
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub filters: Vec<FacetFilter>,
    pub entries: Vec<DirectoryEntry>,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentItem {
    pub card: ResourceCard,
    /// Created within the period shown, rather than updated.
    pub is_new: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentPage {
    pub items: Vec<RecentItem>,
    pub page: u32,
    pub has_more: bool,
}
