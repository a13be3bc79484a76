//! Faceted browsing and search over the in-memory index (server only).

use sqlx::SqlitePool;

use super::{
    catalogue::cards_by_id,
    index::{Bitset, CatalogueIndex},
};
use crate::{
    domain::{
        CatalogueResult, FacetFilter, FacetOption, FacetValue, Hit, InvolvementMap, ResourceRef,
        Suggestion,
    },
    query::{CatalogueQuery, Sort, PAGE_SIZE},
    search,
};

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
}

/// Applies search and filters (OR within a facet, AND between facets).
pub async fn select(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
) -> Result<Selection, sqlx::Error> {
    select_with(pool, index, query, true).await
}

/// `select`, optionally bypassing the search cache (for benchmarks).
pub async fn select_with(
    pool: &SqlitePool,
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

    let (searched, ranks, highlight) = match search::analyse_query(&query.q, &index.synonyms) {
        Some(analysed) => {
            // BM25 is most of a broad search's cost: compute it only when
            // the results are ordered by relevance.
            let ranked = query.sort == Sort::Relevance;
            let key = (analysed.fts_match.clone(), ranked);
            let cached = || index.searches.get(&key).filter(|_| use_cache);
            let matches = match cached() {
                Some(hit) => hit,
                None => {
                    let flight = index.searches.flight(&key);
                    let _computing = flight.lock().await;
                    match cached() {
                        Some(hit) => hit,
                        None => {
                            let rows: Vec<(i64, f64)> = if ranked {
                                search::matching(pool, &analysed.fts_match).await?
                            } else {
                                search::matching_ids(pool, &analysed.fts_match)
                                    .await?
                                    .into_iter()
                                    .map(|id| (id, 0.0))
                                    .collect()
                            };
                            let docs: Vec<(u32, f64)> = rows
                                .into_iter()
                                .filter_map(|(id, rank)| {
                                    index.doc_of.get(&id).map(|d| (*d as u32, rank))
                                })
                                .collect();
                            let docs = std::sync::Arc::new(docs);
                            index.searches.put(key.clone(), docs.clone());
                            index.searches.done(&key);
                            docs
                        }
                    }
                }
            };
            let mut set = Bitset::empty(n);
            let mut ranks = ranked.then(|| vec![f64::INFINITY; n]);
            for &(doc, rank) in matches.iter() {
                set.insert(doc as usize);
                if let Some(ranks) = ranks.as_mut() {
                    ranks[doc as usize] = rank;
                }
            }
            (set, ranks, analysed.highlight)
        }
        None => {
            normalised.q = String::new();
            (Bitset::full(n), None, Vec::new())
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
    })
}

impl Selection {
    /// Every facet with each option's count given the other facets' filters.
    pub fn facet_counts(&self, index: &CatalogueIndex) -> Vec<FacetFilter> {
        index
            .facets
            .iter()
            .enumerate()
            .map(|(f, facet)| {
                let mut base = self.searched.clone();
                for (g, set) in self.selected.iter().enumerate() {
                    if g != f {
                        if let Some(set) = set {
                            base.and_assign(set);
                        }
                    }
                }
                FacetFilter {
                    key: facet.key.clone(),
                    label: facet.label.clone(),
                    options: facet
                        .values
                        .iter()
                        .map(|v| FacetOption {
                            key: v.key.clone(),
                            label: v.label.clone(),
                            count: base.count_and(&v.docs),
                            selected: self.query.is_selected(&facet.key, &v.key),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// The matching documents in the order the query asks for.
    pub fn ordered(&self, index: &CatalogueIndex) -> Vec<u32> {
        match (self.query.effective_sort(), &self.ranks) {
            (Sort::Relevance, Some(ranks)) => {
                let title_pos = &index.title_rank;
                let mut docs: Vec<u32> = (0..index.len() as u32)
                    .filter(|d| self.result.contains(*d as usize))
                    .collect();
                docs.sort_by(|a, b| {
                    ranks[*a as usize]
                        .total_cmp(&ranks[*b as usize])
                        .then(title_pos[*a as usize].cmp(&title_pos[*b as usize]))
                });
                docs
            }
            (Sort::Newest, _) => index
                .by_newest
                .iter()
                .copied()
                .filter(|d| self.result.contains(*d as usize))
                .collect(),
            _ => index
                .by_title
                .iter()
                .copied()
                .filter(|d| self.result.contains(*d as usize))
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

    let ordered = selection.ordered(index);
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

    Ok(CatalogueResult {
        query: normalised,
        total,
        page,
        page_count,
        hits,
        facets,
        suggestions,
    })
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
                        .map(|o| format!("{}: {}", f.label, o.label))
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
    out.sort_by(|a, b| b.count.cmp(&a.count));
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
    for &(f, v) in &index.doc_values[doc] {
        // The type, entry path and field say little about closeness alone.
        let facet = &index.facets[f as usize];
        let weight = match facet.key.as_str() {
            "type" | "inngang" | "fagfelt" => 1,
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

/// Titles for ids, in the given order.
pub async fn refs(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<ResourceRef>, sqlx::Error> {
    Ok(cards_by_id(pool, ids)
        .await?
        .into_iter()
        .map(|c| ResourceRef {
            slug: c.slug,
            title: c.title,
        })
        .collect())
}
