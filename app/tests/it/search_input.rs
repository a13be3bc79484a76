//! Search input (issue 19): odd input keeps a normal answer with a plain
//! message, and a typo gets a "Mente du …?" that says what was searched.

use app::{catalogue::browse, db::index_cache::CatalogueCache, query::CatalogueQuery};
use sqlx::SqlitePool;

use crate::common;

async fn seeded() -> (SqlitePool, CatalogueCache) {
    (common::catalogue().await, CatalogueCache::new())
}

#[tokio::test]
async fn odd_input_gives_a_normal_result_and_a_plain_message() {
    let (pool, cache) = seeded().await;
    let index = cache.get(&pool).await.unwrap();
    let all = browse::browse(&pool, &index, &CatalogueQuery::parse(""))
        .await
        .unwrap();
    assert!(all.notice.is_none(), "no search, no message");

    let long = "brukermedvirkning ".repeat(400);
    let many_words = "bruker pårørende tjeneste kommune rus psykisk helse kurs fagdag mandat";
    for (q, message) in [
        ("\"", Some("ingen bokstaver")),
        ("*", Some("ingen bokstaver")),
        ("-", Some("ingen bokstaver")),
        ("^", Some("ingen bokstaver")),
        ("\"*^-()!?.,;:", Some("ingen bokstaver")),
        ("NEAR(", None),
        ("NEAR(bruker pårørende, 3)", None),
        ("\"brukerutvalg\"", None),
        ("bruker*", None),
        ("-bruker ^mandat", None),
        ("bruker OR pårørende AND NOT rus", None),
        (long.as_str(), None),
        (many_words, Some("8 første ordene")),
    ] {
        let query = CatalogueQuery::from_pairs([("q", q)]);
        let result = browse::browse(&pool, &index, &query)
            .await
            .unwrap_or_else(|e| panic!("«{q}» failed: {e}"));
        match message {
            Some(expected) => {
                let notice = result.notice.unwrap_or_default();
                assert!(notice.contains(expected), "«{q}»: {notice:?}");
            }
            None => assert!(result.notice.is_none(), "«{q}»: {:?}", result.notice),
        }
        if message == Some("ingen bokstaver") {
            assert_eq!(result.total, all.total, "«{q}» shows every resource");
        }
    }
    // Quotes and operators are only punctuation: the words still search.
    let quoted = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::from_pairs([("q", "\"brukerutvalg\"")]),
    )
    .await
    .unwrap();
    let plain = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::from_pairs([("q", "brukerutvalg")]),
    )
    .await
    .unwrap();
    assert!(plain.total > 0);
    assert_eq!(quoted.total, plain.total);
}

#[tokio::test]
async fn a_typo_is_offered_its_correction_as_a_link() {
    let (pool, cache) = seeded().await;
    let index = cache.get(&pool).await.unwrap();
    let typo = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::from_pairs([("q", "erfaringskonsulnet")]),
    )
    .await
    .unwrap();
    let offer = typo.did_you_mean.expect("a correction is offered");
    assert!(offer.label.starts_with("erfaringskonsulent"), "{offer:?}");
    assert!(
        offer.href.starts_with("/ressurser?") && offer.href.contains("q=erfaringskonsulent"),
        "{offer:?}"
    );
    assert!(offer.count > 0);
    assert!(typo.total > 0, "the corrected matches are shown already");

    let right = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::from_pairs([("q", "erfaringskonsulent")]),
    )
    .await
    .unwrap();
    assert!(right.did_you_mean.is_none(), "nothing to correct");

    // Filters are kept in the offered link.
    let filtered = browse::browse(
        &pool,
        &index,
        &CatalogueQuery::parse("q=erfaringskonsulnet&nivaa=tjeneste"),
    )
    .await
    .unwrap();
    if let Some(offer) = filtered.did_you_mean {
        assert!(offer.href.contains("nivaa=tjeneste"), "{offer:?}");
    }
}
