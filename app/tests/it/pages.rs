//! Content pages and the pages built from the catalogue, against the seed content.

use crate::common;

use std::path::Path;

use app::{
    content,
    db::index_cache::CatalogueCache,
    db::{explore, pages},
    domain::account::Role,
    domain::page::{PageInput, CONTENT_PAGES},
};

#[tokio::test]
async fn seeding_fills_in_missing_pages_and_never_overwrites_an_edited_one() {
    let (pool, user) = common::seeded("redaktor", Role::Editor).await;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM page")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        count as usize,
        CONTENT_PAGES.len(),
        "every page the site shows has a seed file"
    );

    let input = PageInput {
        title: "Personvern hos oss".into(),
        description: "Kort.".into(),
        body: "Endret.".into(),
        version: 1,
    };
    assert_eq!(
        pages::save(&pool, &user, "personvern", &input)
            .await
            .unwrap(),
        2
    );
    sqlx::query("DELETE FROM page WHERE slug = 'om-nettstedet'")
        .execute(&pool)
        .await
        .unwrap();

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    assert_eq!(
        content::seed_pages(&pool, &dir).await.unwrap(),
        1,
        "only the missing page is added"
    );
    let page = pages::page(&pool, "personvern").await.unwrap().unwrap();
    assert_eq!(page.title, "Personvern hos oss");
    assert_eq!(pages::versions(&pool, "personvern").await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_bad_page_file_names_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pages")).unwrap();
    std::fs::write(
        dir.path().join("pages/ukjent.md"),
        "+++\ntitle = \"X\"\ndescription = \"Y\"\n+++\nTekst",
    )
    .unwrap();
    let err = content::load_pages(dir.path()).unwrap_err().to_string();
    assert!(err.contains("ukjent.md") && err.contains("slug"), "{err}");

    std::fs::remove_file(dir.path().join("pages/ukjent.md")).unwrap();
    std::fs::write(
        dir.path().join("pages/personvern.md"),
        "+++\ntitle = \"Personvern\"\ndescription = \"\"\n+++\nTekst",
    )
    .unwrap();
    let err = content::load_pages(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("personvern.md") && err.contains("description"),
        "{err}"
    );
}

#[tokio::test]
async fn the_directory_filters_with_or_inside_a_facet_and_and_between_them() {
    let (pool, _) = common::seeded("r", Role::Editor).await;
    let all = explore::directory(&pool, "").await.unwrap();
    assert!(all.total > 5);
    let centres = explore::directory(&pool, "orgtype=kompetansesenter")
        .await
        .unwrap();
    assert!(centres.total > 0 && centres.total < all.total);
    assert!(centres
        .entries
        .iter()
        .all(|e| e.kind.as_deref() == Some("Kompetansesenter")));
    let both = explore::directory(&pool, "orgtype=kompetansesenter&orgtype=brukerorganisasjon")
        .await
        .unwrap();
    let users = explore::directory(&pool, "orgtype=brukerorganisasjon")
        .await
        .unwrap();
    assert_eq!(both.total, centres.total + users.total, "OR within a facet");
    let west = explore::directory(&pool, "orgtype=kompetansesenter&region=vest")
        .await
        .unwrap();
    assert!(
        west.total > 0 && west.total < centres.total,
        "AND between facets"
    );
    // The count beside an option is what ticking it would show.
    let region = centres.filters.iter().find(|f| f.key == "region").unwrap();
    let vest = region.options.iter().find(|o| o.key == "vest").unwrap();
    assert_eq!(vest.count, west.total);
}

#[tokio::test]
async fn entry_paths_have_their_sections_with_matching_resources() {
    let (pool, _) = common::seeded("r", Role::Editor).await;
    let cache = CatalogueCache::with_recheck(std::time::Duration::ZERO);
    let index = cache.get(&pool).await.unwrap();
    let centre = explore::entry_path(&pool, &index, "kompetansesenter")
        .await
        .unwrap()
        .unwrap();
    let keys: Vec<_> = centre.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "informere",
            "konsultere",
            "involvere",
            "samarbeide",
            "bemyndiggjore",
            "strukturere"
        ]
    );
    for section in &centre.sections {
        let listed =
            common::public_ids(&pool, section.href.trim_start_matches("/ressurser?")).await;
        assert_eq!(
            section.total as usize,
            listed.len(),
            "{}: the count is the list's",
            section.key
        );
        assert!(section.total > 0, "{} has resources", section.key);
    }
    let services = explore::entry_path(&pool, &index, "tjenestene")
        .await
        .unwrap()
        .unwrap();
    let keys: Vec<_> = services.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["individ", "tjeneste", "system"]);
    assert!(explore::entry_path(&pool, &index, "finnes-ikke")
        .await
        .unwrap()
        .is_none());
}

#[test]
fn every_site_text_has_a_seed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let texts = content::load_texts(&dir).unwrap();
    for def in app::domain::texts::SITE_TEXTS {
        assert!(
            !texts.get(def.key).is_empty(),
            "{} has no text in content/texts.toml",
            def.key
        );
    }
}

#[tokio::test]
async fn the_guide_gives_its_reasons_and_checklist_in_the_editors_words() {
    // Only the texts are seeded: the catalogue plays no part here.
    let pool = app::db::connect_in_memory().await.unwrap();
    app::db::migrate(&pool).await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    content::seed_pages(&pool, &dir).await.unwrap();
    let cache = CatalogueCache::with_recheck(std::time::Duration::ZERO);
    let index = cache.get(&pool).await.unwrap();
    let raw = "plan=forskning&nivaa=tjeneste&innflytelse=lite&tid=lang&honorar=nei";
    let texts = |result: &app::domain::explore::GuideResult| {
        let rec = result.recommendation.as_ref().unwrap();
        let checklist: Vec<String> = rec.checklist.iter().map(|i| i.text.clone()).collect();
        (rec.reasons.clone(), checklist)
    };

    let seeded = explore::guide(&pool, &index, raw).await.unwrap();
    let (reasons, checklist) = texts(&seeded);
    assert!(reasons[1].starts_with("Forskning om brukernes situasjon"));
    assert!(checklist[0].starts_with("Skriv et mandat"));
    assert!(checklist
        .iter()
        .any(|t| t.starts_with("Avklar honorar før dere inviterer.")));

    for (key, text) in [
        ("veiviser.grunn.forskning", "Forskere trenger brukerne."),
        ("veiviser.sjekk.forskning", "Budsjetter med brukerne."),
        ("veiviser.sjekk.mandat", ""),
    ] {
        sqlx::query("UPDATE site_text SET text = ?2 WHERE key = ?1")
            .bind(key)
            .bind(text)
            .execute(&pool)
            .await
            .unwrap();
    }
    let edited = explore::guide(&pool, &index, raw).await.unwrap();
    let (reasons, checklist) = texts(&edited);
    assert_eq!(reasons[1], "Forskere trenger brukerne.");
    assert!(checklist.contains(&"Budsjetter med brukerne.".to_string()));
    assert_eq!(
        edited.recommendation.as_ref().unwrap().checklist[..]
            .iter()
            .find(|i| i.text == "Budsjetter med brukerne.")
            .and_then(|i| i.resource.as_deref()),
        Some("brukerinvolvering-i-forskning"),
        "the resource stays with the item"
    );
    assert!(
        !checklist
            .iter()
            .any(|t| t.is_empty() || t.starts_with("Skriv et mandat")),
        "an emptied text gives no bullet"
    );
    assert_eq!(checklist.len(), texts(&seeded).1.len() - 1);
}
