//! Feedback in the database: storing, retention, the inbox workflow and a
//! suggestion becoming a draft.

use crate::common;

use app::{
    db::feedback,
    domain::account::{Role, User},
    domain::{feedback::FeedbackDraft, inbox::InboxFilter},
};
use sqlx::SqlitePool;

async fn setup() -> (SqlitePool, User) {
    common::seeded("kari", Role::Editor).await
}

fn suggestion() -> FeedbackDraft {
    FeedbackDraft {
        kind: "forslag".into(),
        title: "Brukerråd på sykehjem".into(),
        url: "https://eksempel.no/brukerrad".into(),
        levels: vec!["tjeneste".into()],
        audiences: vec!["parorende".into()],
        message: "Et godt eksempel fra en kommune.".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_address_is_kept_only_with_consent() {
    let (pool, _) = setup().await;
    let without = FeedbackDraft {
        kind: "annet".into(),
        message: "Hei".into(),
        email: "kari@eksempel.no".into(),
        ..Default::default()
    };
    let with = FeedbackDraft {
        consent: true,
        ..without.clone()
    };
    let a = feedback::submit(&pool, &without, 30).await.unwrap();
    let b = feedback::submit(&pool, &with, 30).await.unwrap();
    assert_ne!(a, b);
    assert!(a.starts_with("TB-") && a.len() == 12, "{a}");
    let email = |r: String| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT contact_email FROM feedback WHERE reference = ?1",
            )
            .bind(r)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(email(a).await, "");
    assert_eq!(email(b).await, "kari@eksempel.no");
}

/// L8: `delete_after` was fixed when a row was written, so lowering the
/// retention setting never shortened what was already stored.
#[tokio::test]
async fn a_lowered_retention_setting_applies_to_what_is_stored() {
    let (pool, _) = setup().await;
    let kept_a_year = feedback::submit(&pool, &suggestion(), 365).await.unwrap();
    feedback::helpful_comment(
        &pool,
        "/ressurser/erfaringsbasert-kvalitetssikring",
        "Mer om honorar",
        365,
    )
    .await
    .unwrap();
    let in_31_days: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+31 days')")
            .fetch_one(&pool)
            .await
            .unwrap();

    assert_eq!(
        feedback::purge_expired(&pool, &in_31_days, 365)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        feedback::purge_expired(&pool, &in_31_days, 30)
            .await
            .unwrap(),
        2,
        "the setting is now 30 days"
    );
    assert!(feedback::by_reference(&pool, &kept_a_year)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn feedback_is_deleted_when_its_retention_period_ends() {
    let (pool, user) = setup().await;
    let short = feedback::submit(&pool, &suggestion(), 30).await.unwrap();
    let long = feedback::submit(&pool, &suggestion(), 365).await.unwrap();
    feedback::handle(&pool, &user, &short, Some("under-arbeid"), "Ser på den")
        .await
        .unwrap();
    feedback::helpful_comment(
        &pool,
        "/ressurser/erfaringsbasert-kvalitetssikring",
        "Mer om honorar",
        30,
    )
    .await
    .unwrap();

    // Nothing has expired yet.
    let today: String = sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        feedback::purge_expired(&pool, &today, 365).await.unwrap(),
        0
    );

    // 31 days on: the 30-day items go, with their history; the 365-day one stays.
    let later: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+31 days')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        feedback::purge_expired(&pool, &later, 365).await.unwrap(),
        2
    );
    assert!(feedback::by_reference(&pool, &short)
        .await
        .unwrap()
        .is_none());
    assert!(feedback::by_reference(&pool, &long)
        .await
        .unwrap()
        .is_some());
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM feedback_event")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 0, "notes go with their feedback");
    let comments: i64 = sqlx::query_scalar("SELECT count(*) FROM page_helpful_comment")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(comments, 0);
}

#[tokio::test]
async fn the_inbox_filters_and_records_who_did_what() {
    let (pool, user) = setup().await;
    let a = feedback::submit(&pool, &suggestion(), 30).await.unwrap();
    let b = feedback::submit(
        &pool,
        &FeedbackDraft {
            kind: "feil".into(),
            message: "Død lenke".into(),
            ..Default::default()
        },
        30,
    )
    .await
    .unwrap();

    let all = feedback::inbox(&pool, &InboxFilter::default(), 100)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|i| i.reference.as_str()).collect::<Vec<_>>(),
        [b.as_str(), a.as_str()],
        "newest first"
    );
    let errors = feedback::inbox(
        &pool,
        &InboxFilter::parse(Some("feil".into()), None, None, None),
        100,
    )
    .await
    .unwrap();
    assert_eq!(errors.len(), 1);
    let future = feedback::inbox(
        &pool,
        &InboxFilter::parse(None, None, Some("2999-01-01".into()), None),
        100,
    )
    .await
    .unwrap();
    assert!(future.is_empty());

    assert!(
        feedback::handle(&pool, &user, &b, Some("arkivert"), "")
            .await
            .is_err(),
        "unknown status"
    );
    assert!(
        feedback::handle(&pool, &user, &b, None, "  ")
            .await
            .is_err(),
        "nothing to record"
    );
    feedback::handle(&pool, &user, &b, Some("under-arbeid"), "")
        .await
        .unwrap();
    feedback::handle(&pool, &user, &b, None, "Sendt til fagansvarlig")
        .await
        .unwrap();
    feedback::handle(&pool, &user, &b, Some("ferdig"), "Lenken er rettet")
        .await
        .unwrap();
    let (item, events) = feedback::by_reference(&pool, &b).await.unwrap().unwrap();
    assert_eq!(item.status, "ferdig");
    assert_eq!(
        events
            .iter()
            .map(|e| (e.actor.as_str(), e.status.as_deref(), e.note.as_str()))
            .collect::<Vec<_>>(),
        [
            ("kari", Some("under-arbeid"), ""),
            ("kari", None, "Sendt til fagansvarlig"),
            ("kari", Some("ferdig"), "Lenken er rettet")
        ]
    );
    let done = feedback::inbox(
        &pool,
        &InboxFilter::parse(None, Some("ferdig".into()), None, None),
        100,
    )
    .await
    .unwrap();
    assert_eq!(done.len(), 1);
}

#[tokio::test]
async fn a_suggestion_becomes_a_draft_in_one_step() {
    let (pool, user) = setup().await;
    let reference = feedback::submit(&pool, &suggestion(), 30).await.unwrap();
    let slug = feedback::suggestion_to_draft(&pool, &user, &reference)
        .await
        .unwrap();
    assert_eq!(slug, "brukerrad-pa-sykehjem");
    let (status, title): (String, String) =
        sqlx::query_as("SELECT status, title FROM resource WHERE slug = ?1")
            .bind(&slug)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), title.as_str()),
        ("draft", "Brukerråd på sykehjem")
    );
    let facets: Vec<String> = sqlx::query_scalar(
        "SELECT v.facet_key || '=' || v.key FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id
           JOIN resource r ON r.id = rf.resource_id WHERE r.slug = ?1 ORDER BY 1",
    )
    .bind(&slug)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(facets, ["malgruppe=parorende", "nivaa=tjeneste"]);
    let (item, events) = feedback::by_reference(&pool, &reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (item.status.as_str(), item.draft_slug.as_deref()),
        ("under-arbeid", Some(slug.as_str()))
    );
    assert!(events[0].note.contains(&slug));
    // A second click opens the same draft instead of making another.
    assert_eq!(
        feedback::suggestion_to_draft(&pool, &user, &reference)
            .await
            .unwrap(),
        slug
    );
    let drafts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM resource WHERE slug LIKE 'brukerrad-pa-sykehjem%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(drafts, 1);
}
