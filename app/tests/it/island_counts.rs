//! The visitors' filter island counts what the server counts: on the seed
//! catalogue, for every value ticked alone and for 200 random filter states
//! (with and without a search), the counts the island computes from the
//! page's `data-bits` (`domain::facets::count` over the decoded bits) equal
//! the counts the server renders for that state.

use app::{
    catalogue::browse,
    db::index_cache::CatalogueCache,
    domain::{
        catalogue::CatalogueResult,
        facets::{count, Bitset, FacetSets},
    },
    query::CatalogueQuery,
};

use crate::common;

/// What the island computes on the page `shown` when `ticked` (facet key,
/// value key) are the boxes ticked: every option's count and the total.
fn island_counts(shown: &CatalogueResult, ticked: &[(String, String)]) -> (Vec<Vec<u32>>, u32) {
    let n = shown.counted as usize;
    let bits: Vec<Vec<Bitset>> = shown
        .facets
        .iter()
        .map(|f| {
            f.options
                .iter()
                .map(|o| {
                    let hex = o.bits.as_deref().expect("every option carries its bits");
                    Bitset::from_hex(hex, n).expect("the bits decode")
                })
                .collect()
        })
        .collect();
    let sets: Vec<FacetSets<'_>> = shown
        .facets
        .iter()
        .zip(&bits)
        .map(|(f, docs)| FacetSets {
            values: docs.iter().collect(),
            ticked: f
                .options
                .iter()
                .map(|o| ticked.contains(&(f.key.clone(), o.key.clone())))
                .collect(),
        })
        .collect();
    let counts = count(&Bitset::full(n), &sets);
    (counts.options, counts.total)
}

fn query_for(search: &str, ticked: &[(String, String)]) -> CatalogueQuery {
    let mut raw: Vec<String> = ticked
        .iter()
        .map(|(f, v)| format!("{f}={}", app::query::encode(v)))
        .collect();
    if !search.is_empty() {
        raw.push(format!("q={}", app::query::encode(search)));
    }
    CatalogueQuery::parse(&raw.join("&"))
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[tokio::test]
async fn the_islands_counts_equal_the_servers_for_every_value_and_200_random_states() {
    let pool = common::catalogue().await;
    let cache = CatalogueCache::new();
    let index = cache.get(&pool).await.unwrap();
    let mut rng = Rng(0x05ee_db11_1a7e);
    let mut states = 0;
    for search in ["", "pårørende"] {
        // The page the visitor has open: the search, nothing ticked.
        let shown = browse::browse(&pool, &index, &query_for(search, &[]))
            .await
            .unwrap();
        assert!(
            shown.counted > 0,
            "the search {search:?} must find something"
        );
        let values: Vec<(String, String)> = shown
            .facets
            .iter()
            .flat_map(|f| f.options.iter().map(|o| (f.key.clone(), o.key.clone())))
            .collect();
        assert!(values.len() > 50, "the seed has its facets");

        let singles = values.iter().map(|v| vec![v.clone()]);
        let random: Vec<Vec<(String, String)>> = (0..100)
            .map(|_| {
                let mut state: Vec<(String, String)> = Vec::new();
                for _ in 0..1 + rng.below(4) {
                    let v = values[rng.below(values.len())].clone();
                    if !state.contains(&v) {
                        state.push(v);
                    }
                }
                state
            })
            .collect();
        for ticked in singles.chain(random) {
            let server = browse::browse(&pool, &index, &query_for(search, &ticked))
                .await
                .unwrap();
            let (options, total) = island_counts(&shown, &ticked);
            assert_eq!(total, server.total, "total for {search:?} {ticked:?}");
            let expected: Vec<Vec<u32>> = server
                .facets
                .iter()
                .map(|f| f.options.iter().map(|o| o.count).collect())
                .collect();
            assert_eq!(options, expected, "counts for {search:?} {ticked:?}");
            states += 1;
        }
    }
    assert!(states >= 200 + 2 * 50, "{states} states compared");
}
