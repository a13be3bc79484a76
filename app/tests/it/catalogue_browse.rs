//! Faceted browsing and search against the seed content on the real
//! migrations: filter semantics and counts checked against brute-force SQL.

use std::{collections::BTreeSet, path::Path};

use app::{
    catalogue::browse,
    content,
    db::index_cache::CatalogueCache,
    db::{self},
    domain::norwegian_sort_key,
    query::CatalogueQuery,
};
use sqlx::SqlitePool;

async fn seeded() -> (SqlitePool, CatalogueCache) {
    let pool = db::connect_in_memory().await.unwrap();
    db::migrate(&pool).await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    content::import(&pool, &content::load_dir(&dir).unwrap())
        .await
        .unwrap();
    // Re-read the version on every call: these tests change the database directly.
    (
        pool,
        CatalogueCache::with_recheck(std::time::Duration::ZERO),
    )
}

/// Published resource ids that have `value` of `facet` (when given) and, for
/// every facet in `filters`, at least one of its values: plain SQL, no index.
async fn brute_force(
    pool: &SqlitePool,
    filters: &[(String, Vec<String>)],
    extra: Option<(&str, &str)>,
) -> BTreeSet<i64> {
    let all: Vec<i64> = sqlx::query_scalar("SELECT id FROM resource WHERE status = 'published'")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut out = BTreeSet::new();
    'resource: for id in all {
        let has = |facet: String, value: String| async move {
            // How many values of `facet` the resource has itself.
            let own = |facet: String| async move {
                sqlx::query_scalar::<_, i64>("SELECT count(*) FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id WHERE rf.resource_id = ?1 AND v.facet_key = ?2")
                    .bind(id).bind(facet).fetch_one(pool).await.unwrap()
            };
            let n: i64 = if facet == "organisasjon" {
                sqlx::query_scalar("SELECT count(*) FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id WHERE ro.resource_id = ?1 AND o.slug = ?2")
                    .bind(id).bind(&value).fetch_one(pool).await.unwrap()
            } else if facet == "fagfelt" && own(facet.clone()).await == 0 {
                // No fagfelt: meant for every fagfelt (issue 27).
                1
            } else if facet == "region" && own(facet.clone()).await == 0 {
                // No region of its own: the owners' regions.
                sqlx::query_scalar("SELECT count(*) FROM resource_organisation ro JOIN organisation_facet ofv ON ofv.organisation_id = ro.organisation_id JOIN facet_value v ON v.id = ofv.facet_value_id WHERE ro.resource_id = ?1 AND v.facet_key = 'region' AND v.key = ?2")
                    .bind(id).bind(&value).fetch_one(pool).await.unwrap()
            } else {
                sqlx::query_scalar("SELECT count(*) FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id WHERE rf.resource_id = ?1 AND v.facet_key = ?2 AND v.key = ?3")
                    .bind(id).bind(&facet).bind(&value).fetch_one(pool).await.unwrap()
            };
            n > 0
        };
        for (facet, values) in filters {
            let mut any = false;
            for value in values {
                any |= has(facet.clone(), value.clone()).await;
            }
            if !any {
                continue 'resource;
            }
        }
        if let Some((facet, value)) = extra {
            if !has(facet.to_string(), value.to_string()).await {
                continue;
            }
        }
        out.insert(id);
    }
    out
}

async fn result_ids(
    pool: &SqlitePool,
    cache: &CatalogueCache,
    query: &CatalogueQuery,
) -> BTreeSet<i64> {
    let index = cache.get(pool).await.unwrap();
    let selection = browse::select(pool, &index, query).await.unwrap();
    selection
        .ordered(&index)
        .into_iter()
        .map(|d| index.ids[d as usize])
        .collect()
}

#[tokio::test]
async fn or_within_a_facet_and_between_facets() {
    let (pool, cache) = seeded().await;
    let individ = CatalogueQuery::parse("nivaa=individ");
    let system = CatalogueQuery::parse("nivaa=system");
    let both = CatalogueQuery::parse("nivaa=individ&nivaa=system");
    let both_and_rus = CatalogueQuery::parse("nivaa=individ&nivaa=system&malgruppe=parorende");

    let (a, b) = (
        result_ids(&pool, &cache, &individ).await,
        result_ids(&pool, &cache, &system).await,
    );
    let union: BTreeSet<i64> = a.union(&b).copied().collect();
    assert_eq!(
        result_ids(&pool, &cache, &both).await,
        union,
        "OR within a facet"
    );

    let narrowed = result_ids(&pool, &cache, &both_and_rus).await;
    assert_eq!(
        narrowed,
        brute_force(&pool, &both_and_rus.filters, None).await,
        "AND between facets"
    );
    assert!(
        !narrowed.is_empty() && narrowed.len() < union.len(),
        "the test data must discriminate"
    );
}

#[tokio::test]
async fn counts_match_a_brute_force_count() {
    let (pool, cache) = seeded().await;
    let queries = [
        "",
        "nivaa=individ",
        "nivaa=tjeneste&nivaa=system&type=metode-verktoy",
        "malgruppe=kommunale-tjenester&grad=involvere&grad=samarbeide",
        "fagfelt=rus&inngang=kompetansesenter&metode=brukerutvalg",
        "organisasjon=korus-bergen&nivaa=system",
        "fagfelt=rus&metode=brukerutvalg",
        "region=vest&type=praksiseksempel",
        "praksisstatus=avsluttet&region=nasjonal",
    ];
    let index = cache.get(&pool).await.unwrap();
    for raw in queries {
        let query = CatalogueQuery::parse(raw);
        let result = browse::browse(&pool, &index, &query).await.unwrap();
        let expected_total = brute_force(&pool, &query.filters, None).await.len() as u32;
        assert_eq!(result.total, expected_total, "total for {raw:?}");
        for facet in &result.facets {
            let others: Vec<(String, Vec<String>)> = query
                .filters
                .iter()
                .filter(|(f, _)| f != &facet.key)
                .cloned()
                .collect();
            for option in &facet.options {
                let expected = brute_force(&pool, &others, Some((&facet.key, &option.key)))
                    .await
                    .len() as u32;
                assert_eq!(
                    option.count, expected,
                    "{raw:?}: {}={}",
                    facet.key, option.key
                );
                assert_eq!(option.selected, query.is_selected(&facet.key, &option.key));
            }
        }
    }
}

#[tokio::test]
async fn unknown_and_malformed_parameters_leave_the_rest_of_the_view() {
    let (pool, cache) = seeded().await;
    let index = cache.get(&pool).await.unwrap();
    let clean = browse::browse(&pool, &index, &CatalogueQuery::parse("nivaa=individ"))
        .await
        .unwrap();
    let noisy = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::parse(
            "nivaa=individ&finnes=ikke&nivaa=ukjent&sort=feil&side=999&q=%00%01",
        ),
    )
    .await
    .unwrap();
    assert_eq!(noisy.total, clean.total);
    // A page past the end shows the last page, and says so in its address.
    let last = match noisy.page_count {
        1 => String::new(),
        n => format!("&side={n}"),
    };
    assert_eq!(
        noisy.query.to_query_string(),
        format!("nivaa=individ{last}"),
        "unknown facets and values are dropped"
    );
    assert_eq!(
        noisy.page, noisy.page_count,
        "a page past the end shows the last page"
    );
}

#[tokio::test]
async fn search_understands_word_forms_prefixes_and_synonyms() {
    let (pool, cache) = seeded().await;
    let ids = |q: &str| CatalogueQuery::parse(&format!("q={}", app::query::encode(q)));

    let brukerne = result_ids(&pool, &cache, &ids("brukerne")).await;
    let brukeren = result_ids(&pool, &cache, &ids("brukeren")).await;
    assert!(!brukerne.is_empty());
    assert_eq!(brukerne, brukeren, "inflected forms meet at their stem");

    let full = result_ids(&pool, &cache, &ids("pårørende")).await;
    let typing = result_ids(&pool, &cache, &ids("pårør")).await;
    assert!(
        !full.is_empty() && full.is_subset(&typing),
        "a prefix finds what the whole word finds"
    );
    let ascii = result_ids(&pool, &cache, &ids("parorende")).await;
    // Issue 19 reverses the old rule that å and ø are letters of their own:
    // typed on a foreign keyboard, "parorende" means "pårørende".
    assert_eq!(ascii, full, "without å and ø, the same resources");

    let medvirkning = result_ids(&pool, &cache, &ids("brukermedvirkning")).await;
    let involvering = result_ids(&pool, &cache, &ids("brukerinvolvering")).await;
    assert_eq!(medvirkning, involvering, "synonyms find the same resources");
    sqlx::query("DELETE FROM synonym_group")
        .execute(&pool)
        .await
        .unwrap();
    let without_synonyms = result_ids(&pool, &cache, &ids("brukerinvolvering")).await;
    assert!(
        without_synonyms.len() < involvering.len(),
        "the synonym list is what widened the search"
    );
}

#[tokio::test]
async fn results_rank_title_matches_first_and_highlight_them() {
    let (pool, cache) = seeded().await;
    let index = cache.get(&pool).await.unwrap();
    let result = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::parse("q=feedbackinformerte"),
    )
    .await
    .unwrap();
    let in_title: Vec<bool> = result
        .hits
        .iter()
        .map(|h| h.card.title.to_lowercase().contains("feedbackinformerte"))
        .collect();
    assert!(in_title.len() > 2 && in_title[0], "{in_title:?}");
    let first_without = in_title.iter().position(|t| !t).unwrap_or(in_title.len());
    assert!(
        in_title[first_without..].iter().all(|t| !t),
        "title matches come first: {in_title:?}"
    );
    let first = &result.hits[0];
    assert!(
        first
            .title
            .iter()
            .any(|s| s.mark && s.text.to_lowercase() == "feedbackinformerte"),
        "{:?}",
        first.title
    );
}

#[tokio::test]
async fn title_sort_follows_the_norwegian_alphabet() {
    let (pool, cache) = seeded().await;
    sqlx::query(
        "UPDATE resource SET title = 'Åpen dør' WHERE slug = 'erfaringsbasert-kvalitetssikring'",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE resource SET title = 'Ærlig tale' WHERE slug = 'et-bedre-liv'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE resource SET title = 'Økt innflytelse' WHERE slug = 'helseomsorg21'")
        .execute(&pool)
        .await
        .unwrap();
    let index = cache.get(&pool).await.unwrap();
    let selection = browse::select(&pool, &index, &CatalogueQuery::parse("sort=tittel"))
        .await
        .unwrap();
    let ids = selection
        .ordered(&index)
        .into_iter()
        .map(|d| index.ids[d as usize])
        .collect::<Vec<_>>();
    let cards = db::catalogue::cards_by_id(&pool, &ids).await.unwrap();
    let titles: Vec<&str> = cards.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        &titles[titles.len() - 3..],
        ["Ærlig tale", "Økt innflytelse", "Åpen dør"]
    );
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| norwegian_sort_key(t));
    assert_eq!(titles, sorted);
}

#[tokio::test]
async fn the_index_follows_changes_to_the_database() {
    let (pool, cache) = seeded().await;
    let before = result_ids(&pool, &cache, &CatalogueQuery::parse(""))
        .await
        .len();
    sqlx::query(
        "UPDATE resource SET status = 'draft' WHERE slug = 'erfaringsbasert-kvalitetssikring'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let after = result_ids(&pool, &cache, &CatalogueQuery::parse(""))
        .await
        .len();
    assert_eq!(after, before - 1);
}

#[tokio::test]
async fn the_map_counts_level_and_degree_pairs() {
    let (pool, cache) = seeded().await;
    let index = cache.get(&pool).await.unwrap();
    let map = browse::involvement_map(&index);
    assert_eq!(map.levels.len(), 3);
    assert_eq!(map.degrees.len(), 5);
    for (l, level) in map.levels.iter().enumerate() {
        for (d, degree) in map.degrees.iter().enumerate() {
            let filters = vec![
                ("nivaa".to_string(), vec![level.key.clone()]),
                ("grad".to_string(), vec![degree.key.clone()]),
            ];
            assert_eq!(
                map.counts[l][d] as usize,
                brute_force(&pool, &filters, None).await.len()
            );
        }
    }
}

/// Issue 27: a resource with no fagfelt is meant for every fagfelt, so
/// `fagfelt=rus` + `metode=brukerutvalg` finds the general brukerutvalg
/// pages too (the review found 1 of 9).
#[tokio::test]
async fn a_resource_for_every_fagfelt_counts_for_each() {
    let (pool, cache) = seeded().await;
    let all = result_ids(&pool, &cache, &CatalogueQuery::parse("metode=brukerutvalg")).await;
    let rus = result_ids(
        &pool,
        &cache,
        &CatalogueQuery::parse("fagfelt=rus&metode=brukerutvalg"),
    )
    .await;
    let untagged: BTreeSet<i64> = sqlx::query_scalar(
        "SELECT id FROM resource r WHERE status = 'published'
            AND NOT EXISTS (SELECT 1 FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id
                             WHERE rf.resource_id = r.id AND v.facet_key = 'fagfelt')",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let general: BTreeSet<i64> = all.intersection(&untagged).copied().collect();
    assert!(
        general.len() >= 3,
        "the seed has general brukerutvalg pages: {general:?}"
    );
    assert!(
        general.is_subset(&rus),
        "every general page is found under rus"
    );
    assert!(rus.len() > general.len(), "and the rus ones too");
    // A resource tagged only psykisk helse is not.
    let psychiatric_only: BTreeSet<i64> = sqlx::query_scalar(
        "SELECT rf.resource_id FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id
          WHERE v.facet_key = 'fagfelt' GROUP BY rf.resource_id
         HAVING sum(v.key = 'psykisk-helse') = count(*)",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert!(rus.is_disjoint(&psychiatric_only));
}

/// Issue 27: a resource's region is its owners' unless an editor set one,
/// and the card says it.
#[tokio::test]
async fn a_region_comes_from_the_owners_unless_set() {
    let (pool, cache) = seeded().await;
    let vest = result_ids(&pool, &cache, &CatalogueQuery::parse("region=vest")).await;
    let id_of = |slug: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM resource WHERE slug = ?1")
                .bind(slug)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // Owned by Helse Vest (region vest in organisations.toml), no region of its own.
    let helse_vest = id_of("brukarutval-i-helse-vest").await;
    assert!(vest.contains(&helse_vest), "Helse Vest's page is in Vest");
    let index = cache.get(&pool).await.unwrap();
    let card = index.card(index.doc_of[&helse_vest]);
    assert_eq!(card.region.as_deref(), Some("Vest"));

    // An editor's own region wins over the owners'.
    let nord: i64 = sqlx::query_scalar(
        "SELECT id FROM facet_value WHERE facet_key = 'region' AND key = 'nord'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO resource_facet (resource_id, facet_value_id) VALUES (?1, ?2)")
        .bind(helse_vest)
        .bind(nord)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE catalogue_version SET version = version + 1")
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        !result_ids(&pool, &cache, &CatalogueQuery::parse("region=vest"))
            .await
            .contains(&helse_vest)
    );
    assert!(
        result_ids(&pool, &cache, &CatalogueQuery::parse("region=nord"))
            .await
            .contains(&helse_vest)
    );
}
