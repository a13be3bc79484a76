//! The in-memory facet index (server only).
//!
//! Faceted browsing asks, for every option of every facet, "how many results
//! would I get if I ticked this too?". Answering that with SQL means one
//! grouped query per facet per request. Instead, the published catalogue's
//! facet memberships are held as bitsets (one bit per resource per value), so
//! a whole result page with all counts is a few thousand word-wide ANDs and
//! popcounts. The index is rebuilt when `catalogue_version` changes (triggers
//! bump it on every relevant write, whichever process makes it).

use std::{collections::HashMap, sync::Arc};

use crate::{
    catalogue::search::{
        terms::{Plan, Scored, TermIndex},
        Synonyms,
    },
    domain::norwegian_sort_key,
    query::ORGANISATION_FACET,
};

/// The bitsets are the domain's, shared with the visitors' filter island.
pub use crate::domain::facets::Bitset;

pub mod update;

#[derive(Debug, Clone)]
pub struct IndexedValue {
    pub key: String,
    pub label: String,
    pub docs: Bitset,
}

#[derive(Debug, Clone)]
pub struct IndexedFacet {
    pub key: String,
    pub label: String,
    pub values: Vec<IndexedValue>,
}

/// What a result card shows, kept in memory so a result page needs no SQL.
#[derive(Debug, Clone)]
pub struct DocInfo {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub updated_at: String,
    /// A practice example's years ("2014–2018").
    pub period: Option<String>,
}

/// Where each facet value and organisation sits in the index.
#[derive(Debug, Clone, Default)]
pub struct Slots {
    /// `facet_value.id` → (facet, value).
    pub values: HashMap<i64, (u16, u16)>,
    /// Organisation slug → its value in the organisation pseudo-facet.
    pub organisations: HashMap<String, u16>,
    /// The organisation pseudo-facet's position (the last facet).
    pub organisation_facet: u16,
    /// The fagfelt facet's position and number of values: a resource with
    /// none counts for every one.
    pub fagfelt: Option<(u16, u16)>,
    /// The region facet's position: a resource with none of its own is in
    /// its organisations' regions.
    pub region: Option<u16>,
    /// Organisation slug → its region values' slots (every organisation).
    pub organisation_regions: HashMap<String, Vec<u16>>,
}

/// One resource's facet values as the index sees them: its own values
/// (`resource_facet`) and its organisations (by slug, in the resource's
/// order). The full build and the in-place update of one saved resource
/// both take a document's values from here, so a rule about what a
/// resource counts for lives in this one place.
///
/// Two memberships come without an editor ticking them (issue 27): a
/// resource with no fagfelt is meant for every fagfelt (the filter says
/// «inkludert ressurser for alle fagfelt»), and one with no region of its
/// own is in its organisations' regions (the card shows it).
pub fn values_of(
    slots: &Slots,
    facet_value_ids: &[i64],
    organisations: &[String],
) -> Vec<(u16, u16)> {
    let mut values: Vec<(u16, u16)> = facet_value_ids
        .iter()
        .filter_map(|id| slots.values.get(id).copied())
        .collect();
    let has = |values: &[(u16, u16)], facet: u16| values.iter().any(|(f, _)| *f == facet);
    if let Some((f, count)) = slots.fagfelt {
        if !has(&values, f) {
            values.extend((0..count).map(|v| (f, v)));
        }
    }
    if let Some(f) = slots.region {
        if !has(&values, f) {
            for slug in organisations {
                if let Some(regions) = slots.organisation_regions.get(slug) {
                    values.extend(regions.iter().map(|v| (f, *v)));
                }
            }
        }
    }
    values.sort_unstable();
    values.dedup();
    values.extend(
        organisations
            .iter()
            .filter_map(|slug| slots.organisations.get(slug))
            .map(|v| (slots.organisation_facet, *v)),
    );
    values
}

/// A snapshot of the published catalogue, for filtering and counting.
/// Document numbers are never reused: a resource that stops being public
/// leaves its number out of `live` and every set until the next full build.
#[derive(Debug, Clone)]
pub struct CatalogueIndex {
    pub version: i64,
    /// The documents that are public (all of them after a full build).
    pub live: Bitset,
    pub slots: Slots,
    pub docs: Vec<DocInfo>,
    /// Document number → resource id.
    pub ids: Vec<i64>,
    pub doc_of: HashMap<i64, usize>,
    /// Resource facets in taxonomy order, then the organisation pseudo-facet.
    pub facets: Vec<IndexedFacet>,
    /// Document numbers in Norwegian title order, and newest first.
    pub by_title: Vec<u32>,
    pub by_newest: Vec<u32>,
    /// Document number → its position in `by_title` (for tie-breaking).
    pub title_rank: Vec<u32>,
    /// Per document: (facet index, value index) pairs, for "related" ranking.
    pub doc_values: Vec<Vec<(u16, u16)>>,
    pub synonyms: Synonyms,
    /// Every published document's terms, for search (`search::terms`).
    pub terms: TermIndex,
    /// Recent searches for this version of the catalogue, keyed by the
    /// query's words.
    pub searches: SearchCache,
}

/// A search as computed once: its plan and its ranked matches.
#[derive(Debug)]
pub struct CachedSearch {
    pub plan: Option<Plan>,
    pub scored: Scored,
}

type SearchKey = (String, bool);

/// Searches keyed by (normalised query text, spare flag). Bounded: cleared
/// when full. Lives inside one index snapshot, so a changed catalogue
/// starts empty.
#[derive(Debug, Default)]
pub struct SearchCache {
    entries: std::sync::Mutex<HashMap<SearchKey, Arc<CachedSearch>>>,
    /// One lock per search being computed, so many visitors asking the same
    /// new question at once wait for one answer instead of each running it.
    in_flight: std::sync::Mutex<HashMap<SearchKey, Arc<tokio::sync::Mutex<()>>>>,
}

/// A copy of an index is a changed catalogue: its searches start empty.
impl Clone for SearchCache {
    fn clone(&self) -> Self {
        SearchCache::default()
    }
}

impl SearchCache {
    const CAPACITY: usize = 512;

    /// The lock to hold while computing `key`; release it, then call `done`.
    pub fn flight(&self, key: &(String, bool)) -> Arc<tokio::sync::Mutex<()>> {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.clone())
            .or_default()
            .clone()
    }

    /// Forgets the lock for `key` once its answer is cached.
    pub fn done(&self, key: &(String, bool)) {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    pub fn get(&self, key: &(String, bool)) -> Option<Arc<CachedSearch>> {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    pub fn put(&self, key: (String, bool), value: Arc<CachedSearch>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::CAPACITY {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

impl CatalogueIndex {
    /// Document numbers in use (public ones and any taken out since the build).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Public resources.
    pub fn count(&self) -> usize {
        self.live.count() as usize
    }

    /// The card for one document, from memory.
    pub fn card(&self, doc: usize) -> crate::domain::catalogue::ResourceCard {
        let info = &self.docs[doc];
        let mut kind = None;
        let mut levels = Vec::new();
        let mut organisations = Vec::new();
        let mut regions = Vec::new();
        let mut status = None;
        for &(f, v) in &self.doc_values[doc] {
            let facet = &self.facets[f as usize];
            let value = &facet.values[v as usize];
            match facet.key.as_str() {
                "type" => kind = Some(value.label.clone()),
                "nivaa" => levels.push((
                    v,
                    crate::domain::catalogue::FacetValue {
                        key: value.key.clone(),
                        label: value.label.clone(),
                    },
                )),
                ORGANISATION_FACET => organisations.push(value.label.clone()),
                crate::domain::catalogue::PRACTICE_STATUS_FACET => {
                    status = Some(value.label.as_str())
                }
                crate::domain::catalogue::REGION_FACET
                    if value.key != crate::domain::catalogue::NATIONWIDE =>
                {
                    regions.push(value.label.clone())
                }
                _ => {}
            }
        }
        levels.sort_by_key(|(v, _)| *v);
        crate::domain::catalogue::ResourceCard {
            slug: info.slug.clone(),
            title: info.title.clone(),
            summary: info.summary.clone(),
            kind,
            levels: levels.into_iter().map(|(_, l)| l).collect(),
            organisations,
            region: (!regions.is_empty()).then(|| regions.join(", ")),
            practice: crate::domain::catalogue::practice_text(info.period.as_deref(), status),
            updated_at: info.updated_at.clone(),
        }
    }

    pub fn facet(&self, key: &str) -> Option<(usize, &IndexedFacet)> {
        self.facets.iter().enumerate().find(|(_, f)| f.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::Bitset;

    #[test]
    fn bitset_operations() {
        let mut a = Bitset::empty(130);
        for i in [0, 63, 64, 129] {
            a.insert(i);
        }
        let full = Bitset::full(130);
        assert_eq!(full.count(), 130);
        assert_eq!(a.count(), 4);
        assert_eq!(a.count_and(&full), 4);
        assert!(a.contains(129) && !a.contains(128));
        let mut b = Bitset::empty(130);
        b.insert(64);
        b.insert(5);
        let mut and = a.clone();
        and.and_assign(&b);
        assert_eq!(and.count(), 1);
        b.or_assign(&a);
        assert_eq!(b.count(), 5);
    }
}
