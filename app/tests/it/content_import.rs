//! The importer against the real migrations and the real content folder.

use std::{
    fs,
    path::{Path, PathBuf},
};

use app::{
    content::{self, ContentError},
    db,
};
use sqlx::SqlitePool;

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

async fn fresh_db() -> SqlitePool {
    let pool = db::connect_in_memory().await.expect("in-memory database");
    db::migrate(&pool).await.expect("migrations run");
    pool
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Copies the content folder to a temporary directory the test may break.
fn copy_content() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("resources")).unwrap();
    for name in ["taxonomy.toml", "organisations.toml"] {
        fs::copy(content_dir().join(name), tmp.path().join(name)).unwrap();
    }
    for entry in fs::read_dir(content_dir().join("resources")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            tmp.path().join("resources").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    tmp
}

fn resource_files() -> usize {
    fs::read_dir(content_dir().join("resources"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count()
}

#[tokio::test]
async fn imports_the_seed_content_with_every_facet_value_used() {
    let pool = fresh_db().await;
    let set = content::load_dir(&content_dir()).expect("seed content is valid");

    let report = content::import(&pool, &set).await.expect("import succeeds");

    let files = resource_files();
    assert!(files >= 30, "at least 30 seed resources, found {files}");
    assert_eq!(report.resources_created, files);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM resource").await,
        files as i64
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM facet").await,
        set.facets.len() as i64
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM organisation").await,
        set.organisations.len() as i64
    );
    // Every value of a resource facet is used by some resource, every value of
    // an organisation facet by some organisation, and every value of a facet
    // for both by one or the other (a resource takes its owners' region).
    let unused: Vec<String> = sqlx::query_scalar(
        "SELECT v.facet_key || '=' || v.key FROM facet_value v JOIN facet f ON f.key = v.facet_key
          WHERE (f.applies_to IN ('resource', 'both')
                 AND NOT EXISTS (SELECT 1 FROM resource_facet rf WHERE rf.facet_value_id = v.id)
                 AND (f.applies_to = 'resource'
                      OR NOT EXISTS (SELECT 1 FROM organisation_facet o WHERE o.facet_value_id = v.id)))
             OR (f.applies_to = 'organisation'
                 AND NOT EXISTS (SELECT 1 FROM organisation_facet o WHERE o.facet_value_id = v.id))",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(unused.is_empty(), "unused facet values: {unused:?}");
    // Each resource has exactly one type and at least one level.
    let wrong_type = count(
        &pool,
        "SELECT count(*) FROM resource r WHERE (SELECT count(*) FROM resource_facet rf
           JOIN facet_value v ON v.id = rf.facet_value_id
          WHERE rf.resource_id = r.id AND v.facet_key = 'type') <> 1",
    )
    .await;
    assert_eq!(wrong_type, 0);
    let fit_links: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM resource_facet rf JOIN facet_value v ON v.id = rf.facet_value_id
          WHERE v.facet_key = 'metode' AND v.key = 'fit'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let expected_fit = set
        .resources
        .iter()
        .filter(|r| {
            r.front
                .facets
                .get("metode")
                .is_some_and(|m| m.iter().any(|v| v == "fit"))
        })
        .count() as i64;
    assert_eq!(fit_links, expected_fit);
}

#[tokio::test]
async fn reimport_is_idempotent() {
    let pool = fresh_db().await;
    let set = content::load_dir(&content_dir()).unwrap();
    content::import(&pool, &set).await.unwrap();
    let tables = [
        "resource",
        "resource_facet",
        "resource_organisation",
        "resource_link",
        "resource_relation",
        "organisation_facet",
        "facet_value",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&pool, &format!("SELECT count(*) FROM {t}")).await);
    }
    let versions_before = count(&pool, "SELECT sum(version) FROM resource").await;

    let report = content::import(&pool, &set).await.unwrap();

    assert_eq!(report.resources_created, 0);
    assert_eq!(report.resources_updated, 0);
    assert_eq!(report.resources_unchanged, set.resources.len());
    for (t, b) in tables.iter().zip(before) {
        assert_eq!(
            count(&pool, &format!("SELECT count(*) FROM {t}")).await,
            b,
            "{t}"
        );
    }
    assert_eq!(
        count(&pool, "SELECT sum(version) FROM resource").await,
        versions_before
    );
}

#[tokio::test]
async fn a_changed_file_updates_only_that_resource() {
    let dir = copy_content();
    let pool = fresh_db().await;
    content::import(&pool, &content::load_dir(dir.path()).unwrap())
        .await
        .unwrap();
    let path = dir
        .path()
        .join("resources/feedbackinformerte-tjenester-fit.md");
    let text = fs::read_to_string(&path).expect("the FIT resource exists");
    fs::write(&path, format!("{}\n\nEt nytt avsnitt.\n", text.trim_end())).unwrap();

    let report = content::import(&pool, &content::load_dir(dir.path()).unwrap())
        .await
        .unwrap();

    assert_eq!(report.resources_updated, 1);
    let version: i64 = sqlx::query_scalar(
        "SELECT version FROM resource WHERE slug = 'feedbackinformerte-tjenester-fit'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(version, 2);
}

fn expect_invalid(result: Result<content::ContentSet, ContentError>, file_part: &str, field: &str) {
    match result {
        Err(ContentError::Invalid {
            file,
            field: f,
            message,
        }) => {
            assert!(
                file.to_string_lossy().contains(file_part),
                "file {file:?} should name {file_part}"
            );
            assert_eq!(f, field, "message was: {message}");
        }
        other => panic!("expected an Invalid error for {file_part}/{field}, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_files_name_the_file_and_field() {
    let dir = copy_content();
    let path = dir
        .path()
        .join("resources/feedbackinformerte-tjenester-fit.md");
    let original = fs::read_to_string(&path).unwrap();

    // An unknown facet value.
    fs::write(
        &path,
        original.replacen("[facets]\n", "[facets]\nfagfelt = [\"astrologi\"]\n", 1),
    )
    .unwrap();
    // (a duplicate key is a TOML error too; make sure we changed the right one)
    let result = content::load_dir(dir.path());
    assert!(
        result.is_err(),
        "an unknown or duplicated facet must be rejected"
    );

    // A missing title.
    let without_title: String = original
        .lines()
        .filter(|l| !l.starts_with("title ="))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&path, without_title).unwrap();
    expect_invalid(
        content::load_dir(dir.path()),
        "feedbackinformerte-tjenester-fit.md",
        "title",
    );

    // A bad date.
    let bad_date: String = original
        .lines()
        .map(|l| {
            if l.starts_with("last_reviewed") {
                "last_reviewed = \"2025-02-30\"\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(&path, bad_date).unwrap();
    expect_invalid(
        content::load_dir(dir.path()),
        "feedbackinformerte-tjenester-fit.md",
        "last_reviewed",
    );

    // A review date without the source it was checked against.
    let unsourced: String = original
        .lines()
        .filter(|l| !l.starts_with("reviewed_source"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&path, unsourced).unwrap();
    expect_invalid(
        content::load_dir(dir.path()),
        "feedbackinformerte-tjenester-fit.md",
        "reviewed_source",
    );

    // An unknown organisation.
    let bad_org: String = original
        .lines()
        .map(|l| {
            if l.starts_with("organisations =") {
                "organisations = [\"finnes-ikke\"]\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(&path, bad_org).unwrap();
    expect_invalid(
        content::load_dir(dir.path()),
        "feedbackinformerte-tjenester-fit.md",
        "organisations",
    );

    // No front matter at all.
    fs::write(&path, "Bare tekst.\n").unwrap();
    expect_invalid(
        content::load_dir(dir.path()),
        "feedbackinformerte-tjenester-fit.md",
        "front matter",
    );

    // And the error message itself names file and field for the CLI.
    let message = content::load_dir(dir.path()).unwrap_err().to_string();
    assert!(
        message.contains("feedbackinformerte-tjenester-fit.md") && message.contains("front matter"),
        "{message}"
    );
}

#[tokio::test]
async fn a_failing_import_writes_nothing() {
    let pool = fresh_db().await;
    let mut set = content::load_dir(&content_dir()).unwrap();
    // Break the last resource in a way only the database notices, so the
    // failure happens after everything before it was written.
    set.resources.last_mut().unwrap().front.status = "arkivert".into();

    let result = content::import(&pool, &set).await;

    assert!(matches!(result, Err(ContentError::Db(_))), "{result:?}");
    for table in [
        "facet",
        "facet_value",
        "organisation",
        "resource",
        "resource_facet",
    ] {
        assert_eq!(
            count(&pool, &format!("SELECT count(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
}

#[tokio::test]
async fn export_then_import_round_trips() {
    let pool = fresh_db().await;
    let set = content::load_dir(&content_dir()).unwrap();
    content::import(&pool, &set).await.unwrap();
    let out = tempfile::tempdir().unwrap();

    let exported = content::export_dir(&pool, out.path()).await.unwrap();
    let reread = content::load_dir(out.path()).expect("exported content is valid");
    let report = content::import(&pool, &reread).await.unwrap();

    assert_eq!(exported.resources, set.resources.len());
    assert_eq!(
        report.resources_unchanged,
        set.resources.len(),
        "{report:?}"
    );
    // Facet values are a set (pages order them by the taxonomy), and an empty
    // list means the same as no list.
    let by_slug = |s: &content::ContentSet| {
        let mut v: Vec<_> = s
            .resources
            .iter()
            .map(|r| {
                let mut front = r.front.clone();
                front.facets.retain(|_, values| !values.is_empty());
                front.facets.values_mut().for_each(|values| values.sort());
                (r.slug.clone(), front, r.body.clone())
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(by_slug(&reread), by_slug(&set));
}

#[tokio::test]
async fn import_if_empty_runs_once() {
    let pool = fresh_db().await;
    let first = content::import_dir_if_empty(&pool, &content_dir())
        .await
        .unwrap();
    let second = content::import_dir_if_empty(&pool, &content_dir())
        .await
        .unwrap();
    assert!(first.is_some());
    assert!(second.is_none());
}
