//! Faceted browsing and search over the in-memory index (server only).

use std::sync::Arc;

use sqlx::SqlitePool;

use super::index::{Bitset, CachedSearch, CatalogueIndex};
use super::search;
use crate::{
    domain::catalogue::{
        CatalogueResult, FacetFilter, FacetOption, FacetValue, Hit, InvolvementMap, ResourceRef,
        Suggestion,
    },
    domain::facets::{self, FacetSets},
    query::{CatalogueQuery, Sort, PAGE_SIZE},
};

/// Above this many documents (a search's matches, or the catalogue) the
/// options carry no bits and the filter island leaves counting to the
/// server: the bits would weigh more in the page than a round trip costs
/// (1,024 documents: 16 words, 256 hex digits an option).
pub const ISLAND_MAX_DOCS: usize = 1024;

/// The documents a query selects before paging, and what the page needs.
pub struct Selection {
    /// The query with unknown facets and values removed.
    pub query: CatalogueQuery,
    /// Documents matching the search (all, without a search).
    pub searched: Bitset,
    /// Per facet: the OR of its selected values, if any are selected.
    pub selected: Vec<Option<Bitset>>,
    /// Documents matching everything.
    pub result: Bitset,
    /// BM25 rank per document (lower is better) when searching.
    pub ranks: Option<Vec<f64>>,
    pub highlight: Vec<String>,
    /// The search as planned and scored (`None` without a search text).
    pub search: Option<Arc<CachedSearch>>,
}

/// Plans and scores a search text, or takes it from the index's cache.
/// Pure CPU on the in-memory term index: no database round trip.
pub async fn run_search(index: &CatalogueIndex, text: &str, use_cache: bool) -> Arc<CachedSearch> {
    // The key is the words, so "Pårørende!" and "pårørende" share an entry.
    let words: Vec<String> = search::tokens(text).map(|t| t.2).collect();
    let key = (words.join(" "), true);
    let cached = || index.searches.get(&key).filter(|_| use_cache);
    if let Some(hit) = cached() {
        return hit;
    }
    let flight = index.searches.flight(&key);
    let _computing = flight.lock().await;
    if let Some(hit) = cached() {
        return hit;
    }
    let plan = index.terms.plan(text, &index.synonyms);
    let scored = plan
        .as_ref()
        .map(|p| index.terms.score(p))
        .unwrap_or_default();
    let result = Arc::new(CachedSearch { plan, scored });
    index.searches.put(key.clone(), result.clone());
    index.searches.done(&key);
    result
}

/// Applies search and filters (OR within a facet, AND between facets).
pub async fn select(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
) -> Result<Selection, sqlx::Error> {
    select_with(pool, index, query, true).await
}

/// `select`, optionally bypassing the search cache (for benchmarks). The
/// pool is unused since searches run on the in-memory term index; callers
/// keep passing it so the database can come back without changing them.
pub async fn select_with(
    _pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
    use_cache: bool,
) -> Result<Selection, sqlx::Error> {
    let n = index.len();
    let mut normalised = CatalogueQuery {
        filters: Vec::new(),
        ..query.clone()
    };
    for (facet_key, values) in &query.filters {
        if let Some((_, facet)) = index.facet(facet_key) {
            let known: Vec<String> = values
                .iter()
                .filter(|v| facet.values.iter().any(|iv| &iv.key == *v))
                .cloned()
                .collect();
            if !known.is_empty() {
                normalised.filters.push((facet_key.clone(), known));
            }
        }
    }

    let found = if query.q.is_empty() {
        None
    } else {
        Some(run_search(index, &query.q, use_cache).await)
    };
    let (searched, ranks, highlight) =
        match found.as_ref().and_then(|s| s.plan.as_ref().map(|p| (s, p))) {
            Some((search, plan)) => {
                let mut set = Bitset::empty(n);
                let mut ranks = vec![f64::INFINITY; n];
                for &(doc, rank) in &search.scored.docs {
                    set.insert(doc as usize);
                    ranks[doc as usize] = rank;
                }
                (set, Some(ranks), plan.highlight.clone())
            }
            None => {
                normalised.q = String::new();
                (index.live.clone(), None, Vec::new())
            }
        };

    let selected: Vec<Option<Bitset>> = index
        .facets
        .iter()
        .map(|facet| {
            let chosen = normalised.selected(&facet.key);
            if chosen.is_empty() {
                return None;
            }
            let mut union = Bitset::empty(n);
            for value in facet.values.iter().filter(|v| chosen.contains(&v.key)) {
                union.or_assign(&value.docs);
            }
            Some(union)
        })
        .collect();

    let mut result = searched.clone();
    for set in selected.iter().flatten() {
        result.and_assign(set);
    }
    Ok(Selection {
        query: normalised,
        searched,
        selected,
        result,
        ranks,
        highlight,
        search: found,
    })
}

impl Selection {
    /// Every facet with each option's count given the other facets' filters
    /// (the domain's rule, shared with the filter island), and each option's
    /// documents for the island to recount from.
    pub fn facet_counts(&self, index: &CatalogueIndex) -> Vec<FacetFilter> {
        let ticked: Vec<Vec<bool>> = index
            .facets
            .iter()
            .map(|facet| {
                facet
                    .values
                    .iter()
                    .map(|v| self.query.is_selected(&facet.key, &v.key))
                    .collect()
            })
            .collect();
        let sets: Vec<FacetSets<'_>> = index
            .facets
            .iter()
            .zip(&ticked)
            .map(|(facet, ticked)| FacetSets {
                values: facet.values.iter().map(|v| &v.docs).collect(),
                ticked: ticked.clone(),
            })
            .collect();
        let counts = facets::count(&self.searched, &sets);
        let within = self.searched.count() as usize;
        let whole = within == index.len();
        let bits = |docs: &Bitset| {
            (within <= ISLAND_MAX_DOCS).then(|| {
                if whole {
                    docs.to_hex()
                } else {
                    docs.renumbered(&self.searched).to_hex()
                }
            })
        };
        index
            .facets
            .iter()
            .zip(counts.options)
            .zip(ticked)
            .map(|((facet, counts), ticked)| FacetFilter {
                key: facet.key.clone(),
                label: facet.label.clone(),
                options: facet
                    .values
                    .iter()
                    .zip(counts)
                    .zip(ticked)
                    .map(|((v, count), selected)| FacetOption {
                        key: v.key.clone(),
                        label: v.label.clone(),
                        count,
                        selected,
                        bits: bits(&v.docs),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The matching documents in the order the query asks for.
    pub fn ordered(&self, index: &CatalogueIndex) -> Vec<u32> {
        self.ordered_top(index, usize::MAX)
    }

    /// The first `k` matching documents in the order the query asks for.
    /// By relevance, only those `k` are sorted (top-k selection first), so a
    /// broad search's cost does not grow with a full sort of every match.
    pub fn ordered_top(&self, index: &CatalogueIndex, k: usize) -> Vec<u32> {
        match (self.query.effective_sort(), &self.ranks) {
            (Sort::Relevance, Some(ranks)) => {
                let title_pos = &index.title_rank;
                let mut docs: Vec<u32> = Vec::with_capacity(self.result.count() as usize);
                for (w, word) in self.result.words().iter().enumerate() {
                    let mut b = *word;
                    while b != 0 {
                        docs.push((w * 64) as u32 + b.trailing_zeros());
                        b &= b - 1;
                    }
                }
                let order = |a: &u32, b: &u32| {
                    ranks[*a as usize]
                        .total_cmp(&ranks[*b as usize])
                        .then(title_pos[*a as usize].cmp(&title_pos[*b as usize]))
                };
                if k < docs.len() {
                    docs.select_nth_unstable_by(k, order);
                    docs.truncate(k);
                }
                docs.sort_by(order);
                docs
            }
            (Sort::Newest, _) => index
                .by_newest
                .iter()
                .copied()
                .filter(|d| self.result.contains(*d as usize))
                .take(k)
                .collect(),
            _ => index
                .by_title
                .iter()
                .copied()
                .filter(|d| self.result.contains(*d as usize))
                .take(k)
                .collect(),
        }
    }
}

/// One page of results with counts, chips' data and empty-state suggestions.
pub async fn browse(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
) -> Result<CatalogueResult, sqlx::Error> {
    let selection = select(pool, index, query).await?;
    let total = selection.result.count();
    let page_count = (total as usize).div_ceil(PAGE_SIZE).max(1) as u32;
    let page = selection.query.page.clamp(1, page_count);
    let mut normalised = selection.query.clone();
    normalised.page = page;

    let ordered = selection.ordered_top(index, page as usize * PAGE_SIZE);
    let hits = ordered
        .iter()
        .skip((page as usize - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|d| index.card(*d as usize))
        .map(|card| Hit {
            title: search::highlight(&card.title, &selection.highlight),
            summary: search::highlight(&card.summary, &selection.highlight),
            card,
        })
        .collect();

    let facets = selection.facet_counts(index);
    let suggestions = if total == 0 {
        suggestions(pool, index, &normalised, &facets).await?
    } else {
        Vec::new()
    };
    let did_you_mean = did_you_mean(pool, index, query, &selection).await?;
    let notice = notice(query, &selection);

    Ok(CatalogueResult {
        query: normalised,
        total,
        page,
        page_count,
        hits,
        facets,
        counted: selection.searched.count(),
        suggestions,
        did_you_mean,
        notice,
    })
}

/// A search matching this few resources without correction gets a "Mente
/// du …?" when the corrected words find more.
const FEW_HITS: u32 = 3;

/// "Mente du …?": the query with each word that matched only by typo
/// correction replaced by its best correction, when that finds more than
/// the words as typed did.
async fn did_you_mean(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
    selection: &Selection,
) -> Result<Option<Suggestion>, sqlx::Error> {
    let Some(plan) = selection.search.as_ref().and_then(|s| {
        (s.scored.exact < FEW_HITS)
            .then_some(s.plan.as_ref())
            .flatten()
    }) else {
        return Ok(None);
    };
    let mut changed = false;
    let words: Vec<String> = plan
        .clauses
        .iter()
        .map(|clause| match clause.correction() {
            Some(term) => {
                changed = true;
                surface_word(index, term)
            }
            None => clause.word.clone(),
        })
        .collect();
    if !changed {
        return Ok(None);
    }
    let corrected = CatalogueQuery {
        q: words.join(" "),
        page: 1,
        ..query.clone()
    };
    let found = select(pool, index, &corrected).await?;
    let exact = found.search.as_ref().map_or(0, |s| s.scored.exact);
    let count = found.result.count();
    Ok(
        (exact > selection.search.as_ref().map_or(0, |s| s.scored.exact) && count > 0).then(|| {
            Suggestion {
                label: corrected.q.clone(),
                href: corrected.href("/ressurser"),
                count,
            }
        }),
    )
}

/// A word as readers see it for an indexed stem: the first word in a title
/// or summary of a resource containing the stem that analyses to it (or
/// starts with it); the stem itself when none does (it still searches as a
/// prefix).
fn surface_word(index: &CatalogueIndex, term: u32) -> String {
    let stem = index.terms.term(term);
    for doc in index.terms.sample_docs(term, 20) {
        let info = &index.docs[doc as usize];
        for text in [&info.title, &info.summary] {
            if let Some((_, _, word)) =
                search::tokens(text).find(|(_, _, w)| search::stem(w) == stem)
            {
                return word;
            }
        }
    }
    stem.to_string()
}

/// A plain sentence about a search that could not be used as typed.
fn notice(query: &CatalogueQuery, selection: &Selection) -> Option<String> {
    if query.q.is_empty() {
        return None;
    }
    match selection.search.as_ref().and_then(|s| s.plan.as_ref()) {
        None => Some(format!(
            "Søket «{}» inneholder ingen bokstaver eller tall vi kan søke etter, så alle ressursene vises. Prøv et ord, for eksempel «brukerutvalg».",
            query.q
        )),
        Some(plan) if plan.truncated => Some(format!(
            "Søket er langt, så bare de {} første ordene er brukt.",
            search::MAX_TERMS
        )),
        Some(_) => None,
    }
}

/// For an empty result: what removing each active filter (or the search)
/// would give, best first, only those that give something.
async fn suggestions(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
    facets: &[FacetFilter],
) -> Result<Vec<Suggestion>, sqlx::Error> {
    let mut out = Vec::new();
    for (facet_key, values) in &query.filters {
        for value in values {
            let without = query.without(facet_key, value);
            let count = select(pool, index, &without).await?.result.count();
            let label = facets
                .iter()
                .find(|f| &f.key == facet_key)
                .and_then(|f| {
                    f.options
                        .iter()
                        .find(|o| &o.key == value)
                        .map(|o| o.label.clone())
                })
                .unwrap_or_else(|| value.clone());
            out.push(Suggestion {
                label: format!("Fjern «{label}»"),
                href: without.href("/ressurser"),
                count,
            });
        }
    }
    if !query.q.is_empty() {
        let without = query.without_search();
        let count = select(pool, index, &without).await?.result.count();
        out.push(Suggestion {
            label: format!("Fjern søket «{}»", query.q),
            href: without.href("/ressurser"),
            count,
        });
    }
    out.retain(|s| s.count > 0);
    out.sort_by_key(|o| std::cmp::Reverse(o.count));
    Ok(out)
}

/// Counts for the level × degree map.
pub fn involvement_map(index: &CatalogueIndex) -> InvolvementMap {
    let values = |key: &str| {
        index
            .facet(key)
            .map(|(_, f)| f.values.as_slice())
            .unwrap_or(&[])
    };
    let (levels, degrees) = (values("nivaa"), values("grad"));
    InvolvementMap {
        levels: levels
            .iter()
            .map(|v| FacetValue {
                key: v.key.clone(),
                label: v.label.clone(),
            })
            .collect(),
        degrees: degrees
            .iter()
            .map(|v| FacetValue {
                key: v.key.clone(),
                label: v.label.clone(),
            })
            .collect(),
        counts: levels
            .iter()
            .map(|l| degrees.iter().map(|d| l.docs.count_and(&d.docs)).collect())
            .collect(),
        level_totals: levels.iter().map(|l| l.docs.count()).collect(),
    }
}

/// Resources sharing the most facet values with `id` (organisations count
/// too), best first; ties by title order.
pub fn related_by_facets(index: &CatalogueIndex, id: i64, limit: usize) -> Vec<i64> {
    let Some(&doc) = index.doc_of.get(&id) else {
        return Vec::new();
    };
    let mut score = vec![0u16; index.len()];
    let values = &index.doc_values[doc];
    for &(f, v) in values {
        // The type, entry path, field and region say little about
        // closeness alone; a resource for every fagfelt says nothing by it.
        let facet = &index.facets[f as usize];
        let every = || values.iter().filter(|(g, _)| *g == f).count() == facet.values.len();
        let weight = match facet.key.as_str() {
            crate::domain::catalogue::FAGFELT_FACET if every() => continue,
            "type" | "inngang" | "fagfelt" | "region" => 1,
            _ => 2,
        };
        for (w, word) in facet.values[v as usize].docs.words().iter().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                let other = w * 64 + bits.trailing_zeros() as usize;
                score[other] += weight;
                bits &= bits - 1;
            }
        }
    }
    score[doc] = 0;
    let mut ranked: Vec<u32> = (0..index.len() as u32)
        .filter(|d| score[*d as usize] > 0)
        .collect();
    let order = |a: &u32, b: &u32| {
        score[*b as usize]
            .cmp(&score[*a as usize])
            .then(index.title_rank[*a as usize].cmp(&index.title_rank[*b as usize]))
    };
    // Only the first `limit` are shown: select them, then sort just those
    // (sorting every resource that shares a value cost a resource page more
    // than the whole catalogue page at 10,000 resources).
    if ranked.len() > limit && limit > 0 {
        ranked.select_nth_unstable_by(limit - 1, order);
        ranked.truncate(limit);
    }
    ranked.sort_by(order);
    ranked
        .into_iter()
        .take(limit)
        .map(|d| index.ids[d as usize])
        .collect()
}

/// Titles for ids, in the given order, from memory: the public ones.
pub fn refs_in(index: &CatalogueIndex, ids: &[i64]) -> Vec<ResourceRef> {
    ids.iter()
        .filter_map(|id| index.doc_of.get(id))
        .filter(|doc| index.live.contains(**doc))
        .map(|doc| ResourceRef {
            slug: index.docs[*doc].slug.clone(),
            title: index.docs[*doc].title.clone(),
        })
        .collect()
}

/// Titles for the search field's suggestions: the best matches of what has
/// been typed so far, titles containing every word first. (title, slug)
pub async fn suggest(index: &CatalogueIndex, text: &str, limit: usize) -> Vec<(String, String)> {
    let found = run_search(index, text, true).await;
    let mut docs: Vec<(u32, f64)> = found.scored.docs.clone();
    let order = |a: &(u32, f64), b: &(u32, f64)| {
        a.1.total_cmp(&b.1)
            .then(index.title_rank[a.0 as usize].cmp(&index.title_rank[b.0 as usize]))
    };
    if docs.len() > limit {
        docs.select_nth_unstable_by(limit, order);
        docs.truncate(limit);
    }
    docs.sort_by(order);
    docs.into_iter()
        .map(|(d, _)| {
            let info = &index.docs[d as usize];
            (info.title.clone(), info.slug.clone())
        })
        .collect()
}
