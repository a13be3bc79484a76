//! Management outside the resource form: publishing, deleting, restoring,
//! organisations, categories and accounts, each with its audit entry.

use app::{
    auth::{self},
    db::{account, audit, editing, editing::SaveError, organisation, taxonomy},
    domain::account::{Role, User},
    domain::{account::AccountInput, organisation::OrganisationInput},
};
use sqlx::SqlitePool;

async fn setup() -> (SqlitePool, User) {
    common::seeded("admin", Role::Admin).await
}

async fn id_of(pool: &SqlitePool, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM resource WHERE slug = ?1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn version_of(pool: &SqlitePool, id: i64) -> i64 {
    sqlx::query_scalar("SELECT version FROM resource WHERE id = ?1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn last_audit(pool: &SqlitePool) -> (String, String, String, String) {
    sqlx::query_as("SELECT actor, action, entity, summary FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap()
}

use crate::common::{self, public_ids};

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn unpublishing_hides_a_resource_and_publishing_brings_it_back() {
    let (pool, user) = setup().await;
    let id = id_of(&pool, "brukerutvalg-slik-organiserer-dere-det").await;
    let version = version_of(&pool, id).await;
    assert!(public_ids(&pool, "").await.contains(&id));

    let saved = editing::set_status(
        &pool,
        &user,
        id,
        app::domain::resource::ResourceStatus::Draft,
        Some(version),
    )
    .await
    .unwrap();
    assert_eq!(saved.version, version + 1);
    assert!(!public_ids(&pool, "").await.contains(&id));
    assert_eq!(last_audit(&pool).await.1, "update");

    // A second click from the same, now old, page is a conflict, not a change.
    assert_eq!(
        editing::set_status(
            &pool,
            &user,
            id,
            app::domain::resource::ResourceStatus::Published,
            Some(version)
        )
        .await,
        Err(SaveError::Conflict {
            current_version: version + 1
        })
    );
    editing::set_status(
        &pool,
        &user,
        id,
        app::domain::resource::ResourceStatus::Published,
        Some(version + 1),
    )
    .await
    .unwrap();
    assert!(public_ids(&pool, "").await.contains(&id));
}

#[tokio::test]
async fn deleting_a_resource_removes_it_everywhere_and_is_logged() {
    let (pool, user) = setup().await;
    let id = id_of(&pool, "brukerutvalg-slik-organiserer-dere-det").await;
    let version = version_of(&pool, id).await;
    let relations_before = count(&pool, "SELECT count(*) FROM resource_relation").await;
    let pointing_at_it: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM resource_relation WHERE related_id = ?1 OR resource_id = ?1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();

    assert!(matches!(
        editing::delete_resource(&pool, &user, id, Some(version - 1)).await,
        Err(SaveError::Conflict { .. })
    ));
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM resource WHERE id = {id}")
        )
        .await,
        1,
        "a conflict deletes nothing"
    );

    let title = editing::delete_resource(&pool, &user, id, Some(version))
        .await
        .unwrap();
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM resource WHERE id = {id}")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM resource_fts WHERE rowid = {id}")
        )
        .await,
        0
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM resource_relation").await,
        relations_before - pointing_at_it
    );
    assert!(!public_ids(&pool, "q=brukerutvalg").await.contains(&id));
    assert_eq!(
        last_audit(&pool).await,
        (
            "admin".into(),
            "delete".into(),
            "resource".into(),
            format!("«{title}»")
        )
    );
}

#[tokio::test]
async fn restoring_an_earlier_version_brings_back_its_content() {
    let (pool, user) = setup().await;
    let id = id_of(&pool, "brukerutvalg-slik-organiserer-dere-det").await;
    let mut conn = pool.acquire().await.unwrap();
    let original = editing::load_input(&mut conn, id).await.unwrap().unwrap();
    drop(conn);
    // Imported resources have no snapshot yet: the first save makes one.
    let first = editing::save(&pool, &user, Some(id), original.clone())
        .await
        .unwrap();
    let mut changed = original.clone();
    changed.title = "Et nytt navn".into();
    changed.version = Some(first.version);
    editing::save(&pool, &user, Some(id), changed)
        .await
        .unwrap();

    let restored = editing::restore(&pool, &user, id, first.version)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let now = editing::load_input(&mut conn, id).await.unwrap().unwrap();
    drop(conn);
    assert_eq!(now.title, original.title);
    assert_eq!(now.version, Some(restored.version));
    assert_eq!(editing::versions(&pool, id).await.unwrap().len(), 3);
}

#[tokio::test]
async fn organisations_are_created_checked_renamed_and_deleted_only_when_unused() {
    let (pool, user) = setup().await;
    let form = |pairs: &[(&str, &str)]| {
        OrganisationInput::from_form(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>(),
        )
    };

    let bad = form(&[
        ("name", ""),
        ("website", "ikke en adresse"),
        ("f.orgtype", "finnes-ikke"),
    ]);
    let Err(SaveError::Invalid(errors)) =
        organisation::save_organisation(&pool, &user, None, bad).await
    else {
        panic!("must be refused")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"name")
            && fields.contains(&"website")
            && fields.contains(&"facets.orgtype"),
        "{fields:?}"
    );

    let taken = form(&[("name", "Noe annet"), ("slug", "napha")]);
    let Err(SaveError::Invalid(errors)) =
        organisation::save_organisation(&pool, &user, None, taken).await
    else {
        panic!("slug is taken")
    };
    assert_eq!(errors[0].field, "slug");

    let new = form(&[
        ("name", "Pårørendesenteret i Nordvik"),
        ("website", "https://example.org/"),
        ("f.orgtype", "brukerorganisasjon"),
        ("f.region", "nord"),
        ("f.fagfelt", "rus"),
        ("f.fagfelt", "psykisk-helse"),
    ]);
    let slug = organisation::save_organisation(&pool, &user, None, new)
        .await
        .unwrap();
    assert_eq!(slug, "parorendesenteret-i-nordvik");
    let editor = organisation::organisation_form(&pool, &slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        editor
            .input
            .facets
            .iter()
            .find(|(f, _)| f == "fagfelt")
            .unwrap()
            .1
            .len(),
        2
    );
    assert_eq!(last_audit(&pool).await.1, "create");

    // Renaming an organisation that resources name updates search.
    let napha: i64 = sqlx::query_scalar("SELECT id FROM organisation WHERE slug = 'napha'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut input = organisation::organisation_form(&pool, "napha")
        .await
        .unwrap()
        .unwrap()
        .input;
    input.short_name = "Zyxwoorg".into();
    organisation::save_organisation(&pool, &user, Some(napha), input)
        .await
        .unwrap();
    assert!(
        !public_ids(&pool, "q=zyxwoorg").await.is_empty(),
        "search follows the new name"
    );

    let Err(SaveError::Invalid(errors)) =
        organisation::delete_organisation(&pool, &user, napha).await
    else {
        panic!("napha is in use")
    };
    assert!(
        errors[0].message.contains("ressurs"),
        "{}",
        errors[0].message
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM organisation WHERE slug = ?1")
        .bind(&slug)
        .fetch_one(&pool)
        .await
        .unwrap();
    organisation::delete_organisation(&pool, &user, id)
        .await
        .unwrap();
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM organisation_facet WHERE organisation_id = {id}")
        )
        .await,
        0
    );
}

#[tokio::test]
async fn category_values_are_added_renamed_reordered_and_retired_after_a_warning() {
    let (pool, user) = setup().await;
    let id = taxonomy::add_value(&pool, &user, "malgruppe", "Ungdomsråd")
        .await
        .unwrap();
    let (key, position): (String, i64) =
        sqlx::query_as("SELECT key, position FROM facet_value WHERE id = ?1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(key, "ungdomsrad");
    let max: i64 = count(
        &pool,
        "SELECT max(position) FROM facet_value WHERE facet_key = 'malgruppe'",
    )
    .await;
    assert_eq!(position, max, "a new value goes last");
    assert!(
        matches!(
            taxonomy::add_value(&pool, &user, "malgruppe", "ungdomsråd").await,
            Err(SaveError::Invalid(_))
        ),
        "no duplicates"
    );
    assert!(matches!(
        taxonomy::add_value(&pool, &user, "malgruppe", "  ").await,
        Err(SaveError::Invalid(_))
    ));
    assert_eq!(
        taxonomy::add_value(&pool, &user, "finnes-ikke", "X").await,
        Err(SaveError::NotFound)
    );

    taxonomy::rename_value(&pool, &user, id, "Ungdomsråd og elevråd", None)
        .await
        .unwrap();
    let (key, label): (String, String) =
        sqlx::query_as("SELECT key, label FROM facet_value WHERE id = ?1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (key.as_str(), label.as_str()),
        ("ungdomsrad", "Ungdomsråd og elevråd"),
        "the key in shared links stays"
    );

    let order = |pool: SqlitePool| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM facet_value WHERE facet_key = 'malgruppe' ORDER BY position",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let before = order(pool.clone()).await;
    taxonomy::move_value(&pool, &user, id, true).await.unwrap();
    let after = order(pool.clone()).await;
    assert_eq!(after[after.len() - 2], id);
    assert_eq!(after.len(), before.len());

    // A value in use is retired only after the editor has seen how many use it.
    let used: (i64, String) = sqlx::query_as(
        "SELECT v.id, v.key FROM facet_value v JOIN resource_facet rf ON rf.facet_value_id = v.id
          WHERE v.facet_key = 'metode' GROUP BY v.id ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let uses = taxonomy::value_uses(&pool, used.0).await.unwrap();
    assert!(uses > 0);
    let Err(SaveError::Invalid(errors)) =
        taxonomy::set_retired(&pool, &user, used.0, true, false).await
    else {
        panic!("needs a confirmation")
    };
    assert!(
        errors[0].message.contains(&uses.to_string()),
        "{}",
        errors[0].message
    );
    assert_eq!(
        count(
            &pool,
            &format!("SELECT retired FROM facet_value WHERE id = {}", used.0)
        )
        .await,
        0
    );
    taxonomy::set_retired(&pool, &user, used.0, true, true)
        .await
        .unwrap();
    assert_eq!(
        count(
            &pool,
            &format!("SELECT retired FROM facet_value WHERE id = {}", used.0)
        )
        .await,
        1
    );
    assert!(last_audit(&pool).await.3.contains(&uses.to_string()));
    // Still on the resources that have it, but no longer offered in the form.
    assert_eq!(taxonomy::value_uses(&pool, used.0).await.unwrap(), uses);
    let choices = taxonomy::facet_choices(&pool, "resource").await.unwrap();
    let metode = choices.iter().find(|f| f.key == "metode").unwrap();
    assert!(
        metode.values.iter().all(|v| v.key != used.1),
        "a retired value is not offered"
    );
    assert_eq!(
        metode.values.len() as i64,
        count(
            &pool,
            "SELECT count(*) FROM facet_value WHERE facet_key = 'metode' AND retired = 0"
        )
        .await
    );
}

#[tokio::test]
async fn accounts_are_created_and_the_last_admin_is_protected() {
    let (pool, admin) = setup().await;
    let input = |username: &str, password: &str| AccountInput {
        username: username.into(),
        display_name: "Kari Nordmann".into(),
        role: "editor".into(),
        password: password.into(),
    };
    let Err(SaveError::Invalid(errors)) =
        account::create_account(&pool, &admin, &input("kari", "kort")).await
    else {
        panic!()
    };
    assert_eq!(errors[0].field, "password");
    let Err(SaveError::Invalid(errors)) =
        account::create_account(&pool, &admin, &input("ADMIN", "et langt og godt passord")).await
    else {
        panic!()
    };
    assert_eq!(
        errors[0].field, "username",
        "user names are unique regardless of case"
    );

    let kari = account::create_account(&pool, &admin, &input("kari", "et langt og godt passord"))
        .await
        .unwrap();
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM account WHERE id = ?1")
        .bind(kari)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    auth::sign_in(
        &pool,
        &app::auth::Throttle::new(),
        "kari",
        "et langt og godt passord",
        &app::client::Client::unknown(),
    )
    .await
    .unwrap();

    // Disabling ends her sessions and stops sign-in.
    account::change_account(&pool, &admin, kari, account::AccountChange::Disabled(true))
        .await
        .unwrap();
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM session WHERE account_id = {kari}")
        )
        .await,
        0
    );
    assert!(auth::sign_in(
        &pool,
        &app::auth::Throttle::new(),
        "kari",
        "et langt og godt passord",
        &app::client::Client::unknown()
    )
    .await
    .is_err());

    // The only active administrator can be neither demoted nor disabled.
    for change in [
        account::AccountChange::Role(Role::Editor),
        account::AccountChange::Disabled(true),
    ] {
        let Err(SaveError::Invalid(errors)) =
            account::change_account(&pool, &admin, admin.id, change).await
        else {
            panic!()
        };
        assert!(errors[0].message.contains("administrator"));
    }
    account::change_account(&pool, &admin, kari, account::AccountChange::Disabled(false))
        .await
        .unwrap();
    account::change_account(
        &pool,
        &admin,
        kari,
        account::AccountChange::Role(Role::Admin),
    )
    .await
    .unwrap();
    account::change_account(
        &pool,
        &admin,
        admin.id,
        account::AccountChange::Role(Role::Editor),
    )
    .await
    .unwrap();

    let Err(SaveError::Invalid(_)) = account::change_account(
        &pool,
        &admin,
        kari,
        account::AccountChange::Password("kort".into()),
    )
    .await
    else {
        panic!()
    };
    account::change_account(
        &pool,
        &admin,
        kari,
        account::AccountChange::Password("et helt nytt passord".into()),
    )
    .await
    .unwrap();
    auth::sign_in(
        &pool,
        &app::auth::Throttle::new(),
        "kari",
        "et helt nytt passord",
        &app::client::Client::unknown(),
    )
    .await
    .unwrap();

    let page = audit::audit_page(&pool, 1).await.unwrap();
    assert!(page
        .entries
        .iter()
        .any(|e| e.entity == "account" && e.summary.contains("nytt passord")));
    assert!(
        page.entries
            .iter()
            .all(|e| !e.summary.contains("et helt nytt passord")),
        "passwords never reach the log"
    );
}
