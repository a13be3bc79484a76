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

use sqlx::SqlitePool;

use crate::{
    catalogue::search::{
        terms::{Builder, Plan, Scored, TermIndex},
        Synonyms,
    },
    domain::norwegian_sort_key,
    query::ORGANISATION_FACET,
};

/// The bitsets are the domain's, shared with the visitors' filter island.
pub use crate::domain::facets::Bitset;

pub mod cache;
pub mod update;

pub use cache::CatalogueCache;

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

    /// Builds the index from the database.
    pub async fn load(pool: &SqlitePool) -> Result<Self, sqlx::Error> {
        // One read transaction, so every query sees the same snapshot. A
        // `Transaction` rolls back when dropped, so a cancelled load (the
        // request timeout) never returns its connection to the pool mid-transaction.
        let mut tx = pool.begin().await?;
        let index = Self::load_in(&mut tx).await?;
        tx.commit().await?;
        Ok(index)
    }

    async fn load_in(conn: &mut sqlx::SqliteConnection) -> Result<Self, sqlx::Error> {
        let version: i64 = sqlx::query_scalar("SELECT version FROM catalogue_version")
            .fetch_one(&mut *conn)
            .await?;
        let docs = sqlx::query_as::<
            _,
            (
                i64,
                String,
                String,
                String,
                String,
                Option<i64>,
                Option<i64>,
            ),
        >(
            "SELECT id, title, updated_at, slug, summary, started, ended FROM resource
              WHERE status = 'published' ORDER BY id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let n = docs.len();
        let ids: Vec<i64> = docs.iter().map(|d| d.0).collect();
        let doc_of: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

        let mut by_title: Vec<u32> = (0..n as u32).collect();
        let keys: Vec<String> = docs.iter().map(|d| norwegian_sort_key(&d.1)).collect();
        by_title.sort_by(|a, b| keys[*a as usize].cmp(&keys[*b as usize]));
        let mut by_newest: Vec<u32> = (0..n as u32).collect();
        by_newest.sort_by(|a, b| {
            docs[*b as usize]
                .2
                .cmp(&docs[*a as usize].2)
                .then(docs[*b as usize].0.cmp(&docs[*a as usize].0))
        });

        let mut title_rank = vec![0u32; n];
        for (pos, doc) in by_title.iter().enumerate() {
            title_rank[*doc as usize] = pos as u32;
        }

        let value_rows = sqlx::query_as::<_, (i64, String, String, String, String)>(
            "SELECT v.id, f.key, f.label, v.key, v.label FROM facet_value v JOIN facet f ON f.key = v.facet_key
              WHERE f.applies_to IN ('resource', 'both') AND v.retired = 0
              ORDER BY f.position, v.position",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut facets: Vec<IndexedFacet> = Vec::new();
        let mut slot_of_value: HashMap<i64, (usize, usize)> = HashMap::new();
        for (value_id, facet_key, facet_label, key, label) in value_rows {
            if facets.last().is_none_or(|f| f.key != facet_key) {
                facets.push(IndexedFacet {
                    key: facet_key,
                    label: facet_label,
                    values: Vec::new(),
                });
            }
            let f = facets.len() - 1;
            slot_of_value.insert(value_id, (f, facets[f].values.len()));
            facets[f].values.push(IndexedValue {
                key,
                label,
                docs: Bitset::empty(n),
            });
        }

        let mut value_ids: Vec<Vec<i64>> = vec![Vec::new(); n];
        let links = sqlx::query_as::<_, (i64, i64)>(
            "SELECT rf.resource_id, rf.facet_value_id FROM resource_facet rf
               JOIN resource r ON r.id = rf.resource_id WHERE r.status = 'published'",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (rid, vid) in links {
            if let Some(&doc) = doc_of.get(&rid) {
                value_ids[doc].push(vid);
            }
        }

        // Organisations behind at least one published resource, by name.
        let org_links = sqlx::query_as::<_, (i64, String, String)>(
            "SELECT ro.resource_id, o.slug, coalesce(o.short_name, o.name)
               FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
               JOIN resource r ON r.id = ro.resource_id WHERE r.status = 'published'
              ORDER BY ro.resource_id, ro.position",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut org_slugs: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut orgs: Vec<IndexedValue> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (rid, slug, name) in org_links {
            let Some(&doc) = doc_of.get(&rid) else {
                continue;
            };
            if seen.insert(slug.clone()) {
                orgs.push(IndexedValue {
                    key: slug.clone(),
                    label: name,
                    docs: Bitset::empty(n),
                });
            }
            org_slugs[doc].push(slug);
        }
        orgs.sort_by_cached_key(|o| norwegian_sort_key(&o.label));
        let organisation_facet = facets.len() as u16;
        let position = |key: &str| facets.iter().position(|f| f.key == key);
        let fagfelt = position(crate::domain::catalogue::FAGFELT_FACET)
            .map(|f| (f as u16, facets[f].values.len() as u16));
        let region = position(crate::domain::catalogue::REGION_FACET);
        let mut organisation_regions: HashMap<String, Vec<u16>> = HashMap::new();
        if let Some(f) = region {
            let rows = sqlx::query_as::<_, (String, String)>(
                "SELECT o.slug, v.key FROM organisation o
                   JOIN organisation_facet ofv ON ofv.organisation_id = o.id
                   JOIN facet_value v ON v.id = ofv.facet_value_id
                  WHERE v.facet_key = ?1",
            )
            .bind(crate::domain::catalogue::REGION_FACET)
            .fetch_all(&mut *conn)
            .await?;
            for (slug, key) in rows {
                if let Some(v) = facets[f].values.iter().position(|v| v.key == key) {
                    organisation_regions.entry(slug).or_default().push(v as u16);
                }
            }
        }
        let slots = Slots {
            fagfelt,
            region: region.map(|f| f as u16),
            organisation_regions,
            values: slot_of_value
                .into_iter()
                .map(|(id, (f, v))| (id, (f as u16, v as u16)))
                .collect(),
            organisations: orgs
                .iter()
                .enumerate()
                .map(|(i, o)| (o.key.clone(), i as u16))
                .collect(),
            organisation_facet,
        };
        facets.push(IndexedFacet {
            key: ORGANISATION_FACET.into(),
            label: "Organisasjon".into(),
            values: orgs,
        });
        let doc_values: Vec<Vec<(u16, u16)>> = (0..n)
            .map(|doc| {
                let values = values_of(&slots, &value_ids[doc], &org_slugs[doc]);
                for &(f, v) in &values {
                    facets[f as usize].values[v as usize].docs.insert(doc);
                }
                values
            })
            .collect();

        let synonym_rows: Vec<String> =
            sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
                .fetch_all(&mut *conn)
                .await?;
        let groups: Vec<Vec<String>> = synonym_rows
            .iter()
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect();

        // The search index's text is already analysed: splitting it on
        // spaces is all the term index needs.
        let mut builder = Builder::new(n);
        // Read in batches, so a large catalogue's text is never all in memory.
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query_as::<_, (i64, String, String, String, String)>(
                "SELECT rowid, title, summary, organisations, body FROM resource_fts
                  WHERE rowid > ?1 ORDER BY rowid LIMIT 2000",
            )
            .bind(after)
            .fetch_all(&mut *conn)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            for (id, title, summary, organisations, body) in &rows {
                if let Some(&doc) = doc_of.get(id) {
                    builder.add(doc, [title, summary, organisations, body]);
                }
            }
        }
        let terms = builder.finish();

        let docs = docs
            .into_iter()
            .map(
                |(_, title, updated_at, slug, summary, started, ended)| DocInfo {
                    slug,
                    title,
                    summary,
                    updated_at,
                    period: crate::domain::resource::period_text(started, ended),
                },
            )
            .collect();
        Ok(CatalogueIndex {
            version,
            live: Bitset::full(n),
            slots,
            docs,
            ids,
            doc_of,
            facets,
            by_title,
            by_newest,
            title_rank,
            doc_values,
            synonyms: Synonyms::new(&groups),
            terms,
            searches: SearchCache::default(),
        })
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
