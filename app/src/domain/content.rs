//! The content folder's records as their files define them (`content/`
//! reads and writes the files, `db::import` stores a checked set): the
//! taxonomy, the organisations, the resources and the synonym groups.

use std::{collections::BTreeMap, path::PathBuf};

use serde::{Deserialize, Serialize};

use super::resource::ResourceStatus;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FacetDef {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    pub multiple: bool,
    pub applies_to: String,
    pub values: Vec<FacetValueDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FacetValueDef {
    pub key: String,
    pub label: String,
}

/// No `deny_unknown_fields` here: serde cannot combine it with `flatten`;
/// `check` rejects unknown facet keys instead.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrganisationDef {
    pub slug: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Facet values by facet key; single-valued facets take a plain string.
    #[serde(flatten)]
    pub facets: BTreeMap<String, OneOrMany>,
}

/// `orgtype = "x"` and `fagfelt = ["x", "y"]` both read naturally in TOML.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> Vec<String> {
        match self {
            OneOrMany::One(v) => vec![v.clone()],
            OneOrMany::Many(vs) => vs.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResourceFrontMatter {
    pub title: String,
    pub summary: String,
    #[serde(default = "default_status")]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<String>,
    /// The public source the text was checked against on `last_reviewed`:
    /// a date is only shown with the source it was checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_source: Option<LinkDef>,
    #[serde(default)]
    pub organisations: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Practice examples: the years the work began and ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<i64>,
    #[serde(default)]
    pub facets: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub links: Vec<LinkDef>,
}

fn default_status() -> String {
    ResourceStatus::Published.key().into()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LinkDef {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDef {
    pub slug: String,
    pub file: PathBuf,
    pub front: ResourceFrontMatter,
    pub body: String,
}

/// A whole content folder, parsed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentSet {
    pub facets: Vec<FacetDef>,
    pub organisations: Vec<OrganisationDef>,
    pub resources: Vec<ResourceDef>,
    /// Groups of words that mean the same (`synonyms.toml`, optional).
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymsFile {
    pub groups: Vec<Vec<String>>,
}
