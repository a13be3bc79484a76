//! Saving resources as an editor: validation, the public catalogue
//! following, optimistic concurrency, audit entries, versions and restore.

use app::{
    db::editing,
    domain::account::{Role, User},
    domain::resource::ResourceInput,
};
use sqlx::SqlitePool;

async fn setup() -> (SqlitePool, User) {
    common::seeded("kari", Role::Editor).await
}

fn input() -> ResourceInput {
    ResourceInput {
        title: "Brukerråd på sykehjem".into(),
        summary: "Hvordan et sykehjem kan få i gang et brukerråd med beboere og pårørende.".into(),
        body: "## Slik starter dere\n\nInviter beboere og pårørende.".into(),
        status: "published".into(),
        last_reviewed: "2026-11-01".into(),
        reviewed_source_label: "NAPHA: Brukermedvirkning".into(),
        reviewed_source_url: "https://www.napha.no/".into(),
        facets: vec![
            ("type".into(), vec!["praksiseksempel".into()]),
            ("nivaa".into(), vec!["tjeneste".into()]),
            (
                "malgruppe".into(),
                vec!["parorende".into(), "kommunale-tjenester".into()],
            ),
        ],
        organisations: vec!["napha".into()],
        links: vec![("Om brukerråd".into(), "https://www.napha.no/".into())],
        related: vec!["brukerutvalg-slik-organiserer-dere-det".into()],
        ..Default::default()
    }
}

use crate::common::{self, public_ids};

#[tokio::test]
async fn a_new_resource_appears_under_its_filters_and_in_search() {
    let (pool, user) = setup().await;

    let saved = editing::save(&pool, &user, None, input()).await.unwrap();

    assert_eq!(saved.slug, "brukerrad-pa-sykehjem");
    assert_eq!(saved.version, 1);
    assert!(public_ids(&pool, "malgruppe=parorende&nivaa=tjeneste")
        .await
        .contains(&saved.id));
    assert!(!public_ids(&pool, "nivaa=individ").await.contains(&saved.id));
    assert!(
        public_ids(&pool, "q=sykehjem").await.contains(&saved.id),
        "the search index follows"
    );
    let audit: (String, String) = sqlx::query_as(
        "SELECT actor, action FROM audit_log WHERE entity = 'resource' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audit, ("kari".into(), "create".into()));
}

#[tokio::test]
async fn invalid_input_names_each_field_and_writes_nothing() {
    let (pool, user) = setup().await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM resource")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut bad = input();
    bad.slug = "feedbackinformerte-tjenester-fit".into(); // taken
    bad.facets = vec![
        ("nivaa".into(), vec!["planet".into()]),
        ("type".into(), vec!["lov".into(), "kurs".into()]),
    ];
    bad.organisations = vec!["finnes-ikke".into()];
    bad.links = vec![("Lenke".into(), "ikke en adresse".into())];

    let Err(editing::SaveError::Invalid(errors)) = editing::save(&pool, &user, None, bad).await
    else {
        panic!("expected field errors");
    };

    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "slug",
        "facets.nivaa",
        "facets.type",
        "organisations",
        "links.0.url",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM resource")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, before);
}

#[tokio::test]
async fn an_edit_from_an_old_version_is_refused_not_overwritten() {
    let (pool, user) = setup().await;
    let saved = editing::save(&pool, &user, None, input()).await.unwrap();
    let mut first = input();
    first.version = Some(saved.version);
    first.title = "Første redaktør sin tittel".into();
    first.slug = saved.slug.clone();
    let mut second = first.clone();
    second.title = "Andre redaktør sin tittel".into();

    let won = editing::save(&pool, &user, Some(saved.id), first)
        .await
        .unwrap();
    let lost = editing::save(&pool, &user, Some(saved.id), second).await;

    assert_eq!(won.version, 2);
    assert_eq!(
        lost,
        Err(editing::SaveError::Conflict { current_version: 2 })
    );
    let title: String = sqlx::query_scalar("SELECT title FROM resource WHERE id = ?1")
        .bind(saved.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Første redaktør sin tittel");
}

#[tokio::test]
async fn unpublishing_hides_it_and_an_earlier_version_can_be_restored() {
    let (pool, user) = setup().await;
    let saved = editing::save(&pool, &user, None, input()).await.unwrap();
    let mut draft = input();
    draft.status = "draft".into();
    draft.title = "Endret tittel".into();
    draft.slug = saved.slug.clone();
    draft.version = Some(1);
    editing::save(&pool, &user, Some(saved.id), draft)
        .await
        .unwrap();
    assert!(
        !public_ids(&pool, "").await.contains(&saved.id),
        "a draft is not public"
    );

    let restored = editing::restore(&pool, &user, saved.id, 1).await.unwrap();

    assert_eq!(restored.version, 3);
    assert!(public_ids(&pool, "").await.contains(&saved.id));
    let title: String = sqlx::query_scalar("SELECT title FROM resource WHERE id = ?1")
        .bind(saved.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Brukerråd på sykehjem");
    let versions = editing::versions(&pool, saved.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [3, 2, 1]
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'resource' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(actions, ["create", "update", "update"]);
}

/// "Sist kontrollert" is a fact only with the public source it was checked
/// against: a date without one, or a source without a date, is refused by
/// the field it concerns; neither is fine ("Ikke kontrollert ennå").
#[test]
fn a_review_date_needs_the_source_it_was_checked_against() {
    let fields = |input: ResourceInput| -> Vec<String> {
        input
            .normalised()
            .check()
            .into_iter()
            .map(|e| e.field)
            .collect()
    };
    let unsourced = ResourceInput {
        reviewed_source_label: String::new(),
        reviewed_source_url: String::new(),
        ..input()
    };
    assert_eq!(
        fields(unsourced),
        ["reviewed_source_label", "reviewed_source_url"]
    );
    let undated = ResourceInput {
        last_reviewed: String::new(),
        ..input()
    };
    assert_eq!(fields(undated), ["last_reviewed"]);
    let bad_url = ResourceInput {
        reviewed_source_url: "lovdata".into(),
        ..input()
    };
    assert_eq!(fields(bad_url), ["reviewed_source_url"]);
    let neither = ResourceInput {
        last_reviewed: String::new(),
        reviewed_source_label: String::new(),
        reviewed_source_url: String::new(),
        ..input()
    };
    assert!(fields(neither).is_empty());
    assert!(fields(input()).is_empty());
}

/// Issue 27: a practice example's period and status are saved, shown on
/// its card and page, filterable, and come back in the form.
#[tokio::test]
async fn a_practice_examples_period_and_status_are_facts_visitors_see() {
    let (pool, user) = setup().await;
    let mut example = input();
    example.started = "2014".into();
    example.ended = "2018".into();
    example
        .facets
        .push(("praksisstatus".into(), vec!["avsluttet".into()]));
    let saved = editing::save(&pool, &user, None, example).await.unwrap();

    assert!(public_ids(&pool, "praksisstatus=avsluttet")
        .await
        .contains(&saved.id));
    assert!(!public_ids(&pool, "praksisstatus=pagaende")
        .await
        .contains(&saved.id));
    let cards = app::db::catalogue::cards_by_id(&pool, &[saved.id])
        .await
        .unwrap();
    assert_eq!(cards[0].practice.as_deref(), Some("2014–2018, avsluttet"));
    let index = app::db::index_cache::CatalogueCache::new()
        .get(&pool)
        .await
        .unwrap();
    assert_eq!(
        index.card(index.doc_of[&saved.id]).practice.as_deref(),
        Some("2014–2018, avsluttet"),
        "the in-memory card says the same"
    );
    let detail = app::db::catalogue::published_detail(&pool, &index, &saved.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail.period.as_deref(), Some("2014–2018"));

    let back = {
        let mut conn = pool.acquire().await.unwrap();
        editing::load_input(&mut conn, saved.id)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        (back.started.as_str(), back.ended.as_str()),
        ("2014", "2018")
    );

    // A backwards period is refused by the field, nothing saved.
    let mut backwards = back.clone();
    backwards.started = "2019".into();
    let refused = editing::save(&pool, &user, Some(saved.id), backwards).await;
    assert!(
        matches!(&refused, Err(editing::SaveError::Invalid(errors)) if errors.iter().any(|e| e.field == "ended")),
        "{refused:?}"
    );
    let stored: (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT started, ended FROM resource WHERE id = ?1")
            .bind(saved.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, (Some(2014), Some(2018)));
}
