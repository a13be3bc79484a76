//! The in-memory facet index (server only).
//!
//! Faceted browsing asks, for every option of every facet, "how many results
//! would I get if I ticked this too?". Answering that with SQL means one
//! grouped query per facet per request. Instead, the published catalogue's
//! facet memberships are held as bitsets (one bit per resource per value), so
//! a whole result page with all counts is a few thousand word-wide ANDs and
//! popcounts. The index is rebuilt when `catalogue_version` changes (triggers
//! bump it on every relevant write, whichever process makes it).

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use sqlx::SqlitePool;

use crate::{
    domain::norwegian_sort_key,
    query::ORGANISATION_FACET,
    search::{
        terms::{Builder, Plan, Scored, TermIndex},
        Synonyms,
    },
};

/// The bitsets are the domain's, shared with the visitors' filter island.
pub use crate::domain::facets::Bitset;

#[derive(Debug)]
pub struct IndexedValue {
    pub key: String,
    pub label: String,
    pub docs: Bitset,
}

#[derive(Debug)]
pub struct IndexedFacet {
    pub key: String,
    pub label: String,
    pub values: Vec<IndexedValue>,
}

/// What a result card shows, kept in memory so a result page needs no SQL.
#[derive(Debug)]
pub struct DocInfo {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub updated_at: String,
    /// A practice example's years ("2014–2018").
    pub period: Option<String>,
}

/// A snapshot of the published catalogue, for filtering and counting.
#[derive(Debug)]
pub struct CatalogueIndex {
    pub version: i64,
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
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
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

        let mut doc_values: Vec<Vec<(u16, u16)>> = vec![Vec::new(); n];
        let links = sqlx::query_as::<_, (i64, i64)>(
            "SELECT rf.resource_id, rf.facet_value_id FROM resource_facet rf
               JOIN resource r ON r.id = rf.resource_id WHERE r.status = 'published'",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (rid, vid) in links {
            if let (Some(&doc), Some(&(f, v))) = (doc_of.get(&rid), slot_of_value.get(&vid)) {
                facets[f].values[v].docs.insert(doc);
                doc_values[doc].push((f as u16, v as u16));
            }
        }

        derive_memberships(&mut *conn, &mut facets, &doc_of, &mut doc_values).await?;

        // Organisations behind at least one published resource, by name.
        let org_links = sqlx::query_as::<_, (i64, String, String)>(
            "SELECT ro.resource_id, o.slug, coalesce(o.short_name, o.name)
               FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
               JOIN resource r ON r.id = ro.resource_id WHERE r.status = 'published'",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut orgs: Vec<IndexedValue> = Vec::new();
        let mut org_slot: HashMap<String, usize> = HashMap::new();
        let org_facet = facets.len();
        for (rid, slug, name) in org_links {
            let Some(&doc) = doc_of.get(&rid) else {
                continue;
            };
            let slot = *org_slot.entry(slug.clone()).or_insert_with(|| {
                orgs.push(IndexedValue {
                    key: slug,
                    label: name,
                    docs: Bitset::empty(n),
                });
                orgs.len() - 1
            });
            orgs[slot].docs.insert(doc);
            doc_values[doc].push((org_facet as u16, slot as u16));
        }
        // Sort by label, then remap the doc_values slots to the new order.
        let mut order: Vec<usize> = (0..orgs.len()).collect();
        order.sort_by_key(|i| norwegian_sort_key(&orgs[*i].label));
        let mut new_slot = vec![0u16; orgs.len()];
        for (new, old) in order.iter().enumerate() {
            new_slot[*old] = new as u16;
        }
        for values in &mut doc_values {
            for (f, v) in values.iter_mut() {
                if *f as usize == org_facet {
                    *v = new_slot[*v as usize];
                }
            }
        }
        let mut taken: Vec<Option<IndexedValue>> = orgs.into_iter().map(Some).collect();
        let orgs: Vec<IndexedValue> = order
            .iter()
            .map(|i| taken[*i].take().expect("each slot once"))
            .collect();
        facets.push(IndexedFacet {
            key: ORGANISATION_FACET.into(),
            label: "Organisasjon".into(),
            values: orgs,
        });

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

/// Memberships a resource has without an editor ticking them (issue 27):
///
/// - a resource with no fagfelt is meant for every fagfelt, so it counts for
///   each (the filter says so: «inkludert ressurser for alle fagfelt»); its
///   own values stay empty, so "related" and cards see what was ticked;
/// - a resource with no region of its own is in its owning organisations'
///   regions, and the card shows it.
async fn derive_memberships(
    conn: &mut sqlx::SqliteConnection,
    facets: &mut [IndexedFacet],
    doc_of: &HashMap<i64, usize>,
    doc_values: &mut [Vec<(u16, u16)>],
) -> Result<(), sqlx::Error> {
    let n = doc_values.len();
    let has_value_in = |facets: &[IndexedFacet], f: usize| {
        let mut any = Bitset::empty(n);
        for value in &facets[f].values {
            any.or_assign(&value.docs);
        }
        any
    };
    if let Some(f) = facets
        .iter()
        .position(|f| f.key == crate::domain::catalogue::FAGFELT_FACET)
    {
        let tagged = has_value_in(facets, f);
        for doc in (0..n).filter(|d| !tagged.contains(*d)) {
            for value in &mut facets[f].values {
                value.docs.insert(doc);
            }
        }
    }
    if let Some(f) = facets
        .iter()
        .position(|f| f.key == crate::domain::catalogue::REGION_FACET)
    {
        let tagged = has_value_in(facets, f);
        let rows = sqlx::query_as::<_, (i64, String)>(
            "SELECT ro.resource_id, v.key FROM resource_organisation ro
               JOIN resource r ON r.id = ro.resource_id
               JOIN organisation_facet ofv ON ofv.organisation_id = ro.organisation_id
               JOIN facet_value v ON v.id = ofv.facet_value_id
              WHERE r.status = 'published' AND v.facet_key = ?1",
        )
        .bind(crate::domain::catalogue::REGION_FACET)
        .fetch_all(&mut *conn)
        .await?;
        for (rid, key) in rows {
            let Some(&doc) = doc_of.get(&rid) else {
                continue;
            };
            if tagged.contains(doc) {
                continue;
            }
            let Some(v) = facets[f].values.iter().position(|v| v.key == key) else {
                continue;
            };
            if !facets[f].values[v].docs.contains(doc) {
                facets[f].values[v].docs.insert(doc);
                doc_values[doc].push((f as u16, v as u16));
            }
        }
    }
    Ok(())
}

/// Holds the current index and rebuilds it when the catalogue changed.
///
/// Asking the database for `catalogue_version` on every request costs a pool
/// connection per page view, and under load requests queue for those; so
/// the version is checked at most once per `recheck` interval. Writes made
/// by this process call `invalidate`, so they show at once; writes by another
/// process (the import CLI) show within `recheck`.
#[derive(Debug)]
pub struct CatalogueCache {
    current: RwLock<Option<Arc<CatalogueIndex>>>,
    rebuild: tokio::sync::Mutex<()>,
    recheck: std::time::Duration,
    checked_at: std::sync::Mutex<Option<std::time::Instant>>,
    /// How often `invalidate` was called: the page cache's entries depend on it.
    invalidations: std::sync::atomic::AtomicU64,
}

impl Default for CatalogueCache {
    fn default() -> Self {
        Self::with_recheck(std::time::Duration::from_secs(1))
    }
}

impl CatalogueCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache that re-reads the version after `recheck` (zero: every time).
    pub fn with_recheck(recheck: std::time::Duration) -> Self {
        CatalogueCache {
            current: RwLock::new(None),
            rebuild: tokio::sync::Mutex::new(()),
            recheck,
            checked_at: std::sync::Mutex::new(None),
            invalidations: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Makes the next `get` check the version (after a write).
    pub fn invalidate(&self) {
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.invalidations
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// How many writes this process announced: grows with every `invalidate`.
    pub fn invalidations(&self) -> u64 {
        self.invalidations.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The index for the database's current version, rebuilding it first if
    /// anything changed since it was built.
    pub async fn get(&self, pool: &SqlitePool) -> Result<Arc<CatalogueIndex>, sqlx::Error> {
        let fresh = self
            .checked_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|at| at.elapsed() < self.recheck);
        if fresh {
            if let Some(index) = self
                .current
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
            {
                return Ok(index);
            }
        }
        let version: i64 = sqlx::query_scalar("SELECT version FROM catalogue_version")
            .fetch_one(pool)
            .await?;
        let checked = std::time::Instant::now();
        if let Some(index) = self.cached(version) {
            *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
            return Ok(index);
        }
        let _guard = self.rebuild.lock().await;
        if let Some(index) = self.cached(version) {
            return Ok(index);
        }
        let index = Arc::new(CatalogueIndex::load(pool).await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(index.clone());
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
        Ok(index)
    }

    fn cached(&self, version: i64) -> Option<Arc<CatalogueIndex>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.as_ref().filter(|i| i.version == version).cloned()
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
