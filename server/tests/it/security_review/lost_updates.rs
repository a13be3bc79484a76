//! N5: two editors open the same form; the second save, made from the
//! version both opened, used to overwrite the first without a word.

use super::*;

type Pairs = Vec<(String, String)>;

fn encode(pairs: &[(String, String)]) -> String {
    let part = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", part(k), part(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The organisation form as the page sends it for `input`.
fn organisation_form(
    input: &app::domain::organisation::OrganisationInput,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = [
        ("name", &input.name),
        ("short_name", &input.short_name),
        ("slug", &input.slug),
        ("website", &input.website),
        ("description", &input.description),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    for (facet, values) in &input.facets {
        for value in values {
            pairs.push((format!("f.{facet}"), value.clone()));
        }
    }
    pairs
}

#[tokio::test]
async fn a_stale_organisation_form_is_refused_and_shows_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let uri = "/redaktor/organisasjoner/a-larm";
    let stored = app::db::organisation::organisation_form(&state.pool, "a-larm")
        .await
        .unwrap()
        .unwrap()
        .input;
    let (status, _, html) = call(&state, "GET", uri, Some(&editor), "").await;
    assert_eq!(status, StatusCode::OK);
    let version = stored.version.expect("a stored organisation has a version");
    assert!(
        html.contains(&format!(r#"name="version" value="{version}""#)),
        "the form carries the version it was opened at"
    );
    let opened = |change: &dyn Fn(&mut Pairs)| {
        let mut pairs = organisation_form(&stored);
        change(&mut pairs);
        pairs.push(("version".into(), version.to_string()));
        encode(&pairs)
    };
    let set = |name: &'static str, value: &'static str| {
        move |pairs: &mut Pairs| {
            pairs.iter_mut().find(|(k, _)| k == name).unwrap().1 = value.to_string()
        }
    };

    // A saves a new description.
    let (status, _, _) = call(
        &state,
        "POST",
        uri,
        Some(&editor),
        &opened(&set("description", "Endret av A")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // B saves a new name from the form as B opened it.
    let (status, _, html) = call(
        &state,
        "POST",
        uri,
        Some(&editor),
        &opened(&set("name", "Nytt navn fra B")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("Noen andre har lagret denne organisasjonen"));
    assert!(
        html.contains("Lagret nå: «Endret av A»."),
        "the field someone else changed shows what is stored now"
    );
    assert!(
        html.contains("Nytt navn fra B"),
        "what B typed is kept in the form"
    );
    let (name, description): (String, String) =
        sqlx::query_as("SELECT name, description FROM organisation WHERE slug = 'a-larm'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(description, "Endret av A", "A's change is kept");
    assert_eq!(name, stored.name, "B's stale save wrote nothing");
    // The form B got back carries the current version: saving it again,
    // having seen the difference, goes through.
    assert!(html.contains(&format!(r#"name="version" value="{}""#, version + 1)));
}

#[tokio::test]
async fn a_stale_texts_form_is_refused_and_shows_what_changed() {
    use app::domain::texts::{field_name, fingerprints, opened_name};
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let stored = app::db::texts::all(&state.pool).await.unwrap();
    let (status, _, html) = call(&state, "GET", "/redaktor/tekster", Some(&editor), "").await;
    assert_eq!(status, StatusCode::OK);
    let opened = fingerprints(&stored);
    let (key, fingerprint) = opened.iter().next().unwrap();
    assert!(
        html.contains(&format!(
            r#"name="{}" value="{fingerprint}""#,
            opened_name(key)
        )),
        "the form carries what it showed"
    );
    // Both editors opened the form; each changes one text.
    let form = |key: &str, text: &str| {
        let mut pairs: Pairs = stored
            .0
            .iter()
            .map(|(k, v)| (field_name(k), v.clone()))
            .collect();
        pairs
            .iter_mut()
            .find(|(k, _)| *k == field_name(key))
            .unwrap()
            .1 = text.into();
        pairs.extend(opened.iter().map(|(k, f)| (opened_name(k), f.clone())));
        encode(&pairs)
    };
    let (status, _, _) = call(
        &state,
        "POST",
        "/redaktor/tekster",
        Some(&editor),
        &form("veiviser.informere", "Endret av A"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/tekster",
        Some(&editor),
        &form("veiviser.konsultere", "Endret av B"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("Lagret nå: «Endret av A»."), "{html}");
    assert!(
        html.contains("Endret av B"),
        "what B typed is kept in the form"
    );
    let now = app::db::texts::all(&state.pool).await.unwrap();
    assert_eq!(
        now.get("veiviser.informere"),
        "Endret av A",
        "A's change is kept"
    );
    assert_eq!(
        now.get("veiviser.konsultere"),
        stored.get("veiviser.konsultere"),
        "B's stale save wrote nothing"
    );
}

#[tokio::test]
async fn a_stale_synonyms_form_is_refused_and_shows_what_changed() {
    use app::domain::synonyms::OPENED;
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "admin", Role::Admin).await;
    let stored = app::db::fts::load_synonyms(&state.pool).await.unwrap();
    let opened = app::domain::synonyms::fingerprint(&stored);
    let (status, _, html) = call(&state, "GET", "/redaktor/synonymer", Some(&admin), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"name="{OPENED}" value="{opened}""#)),
        "the form carries what it showed: {html}"
    );
    let form = |text: &str| {
        encode(&[
            ("grupper".to_string(), text.to_string()),
            (OPENED.to_string(), opened.clone()),
        ])
    };
    // Both admins opened the form; A saves first.
    let (status, _, _) = call(
        &state,
        "POST",
        "/redaktor/synonymer",
        Some(&admin),
        &form("brukerutvalg, brukerråd\nvarsling, melding"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/synonymer",
        Some(&admin),
        &form("pårørende, familie"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(
        html.contains("Lagret nå: «brukerutvalg, brukerråd / varsling, melding»."),
        "{html}"
    );
    assert!(html.contains("pårørende, familie"), "what B typed is kept");
    let now = app::db::fts::load_synonyms(&state.pool).await.unwrap();
    assert_eq!(now.len(), 2, "A's list is kept: {now:?}");
    // The form now names the stored list: saving again is a choice, and works.
    let current = app::domain::synonyms::fingerprint(&now);
    assert!(html.contains(&format!(r#"value="{current}""#)), "{html}");
    let again = encode(&[
        ("grupper".to_string(), "pårørende, familie".to_string()),
        (OPENED.to_string(), current),
    ]);
    let (status, _, _) = call(&state, "POST", "/redaktor/synonymer", Some(&admin), &again).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_stale_round_form_is_refused_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM account WHERE username = 'redaktor'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let user = app::domain::account::User {
        id,
        username: "redaktor".into(),
        display_name: "Redaktør".into(),
        role: Role::Editor,
    };
    let round = app::domain::consultation::RoundInput {
        slug: "samtidig".into(),
        title: "Samtidig redigert".into(),
        closes_on: "2199-12-31".into(),
        status: "draft".into(),
        questions: vec!["Hva virker?".into()],
        ..Default::default()
    };
    app::db::consultation::save_round(&state.pool, &user, None, &round)
        .await
        .unwrap();
    let (status, _, html) = call(
        &state,
        "GET",
        "/redaktor/innspill/samtidig",
        Some(&editor),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"name="version" value="1""#),
        "the form carries its version: {html}"
    );
    let form = |title: &str| {
        encode(&[
            ("title".to_string(), title.to_string()),
            ("slug".to_string(), "samtidig".to_string()),
            ("closes_on".to_string(), "2199-12-31".to_string()),
            ("status".to_string(), "draft".to_string()),
            ("questions".to_string(), "Hva virker?".to_string()),
            ("version".to_string(), "1".to_string()),
        ])
    };
    // Both editors opened version 1; A saves first.
    let (status, _, _) = call(
        &state,
        "POST",
        "/redaktor/innspill/samtidig",
        Some(&editor),
        &form("Endret av A"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/innspill/samtidig",
        Some(&editor),
        &form("Endret av B"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("Noen andre har lagret runden"), "{html}");
    assert!(html.contains("Endret av B"), "what B typed is kept");
    let now = app::db::consultation::round(&state.pool, "samtidig", false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.title, "Endret av A", "A's change is kept");
}

#[tokio::test]
async fn a_stale_rename_of_a_category_value_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "admin", Role::Admin).await;
    let (id, label): (i64, String) =
        sqlx::query_as("SELECT id, label FROM facet_value ORDER BY id LIMIT 1")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let (status, _, html) = call(&state, "GET", "/redaktor/kategorier", Some(&admin), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"name="gammelt" value="{label}""#)),
        "the rename form carries the name it showed"
    );
    let rename = |to: &str| {
        encode(&[
            ("handling".to_string(), "navn".to_string()),
            ("label".to_string(), to.to_string()),
            ("gammelt".to_string(), label.clone()),
        ])
    };
    let path = format!("/redaktor/kategorier/verdi/{id}");
    // Both admins saw the old name; A renames first.
    let (status, _, _) = call(&state, "POST", &path, Some(&admin), &rename("Navn fra A")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, location, _) =
        call(&state, "POST", &path, Some(&admin), &rename("Navn fra B")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location
            .as_deref()
            .unwrap_or("")
            .contains("melding=verdi-konflikt"),
        "{location:?}"
    );
    let now: String = sqlx::query_scalar("SELECT label FROM facet_value WHERE id = ?1")
        .bind(id)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(now, "Navn fra A", "A's name is kept");
}

/// Accounts need no version: each of their forms names the state it sets
/// (a role, active or not, a new password), never a change relative to what
/// the page showed. A stale form can repeat a change, not revert one unseen.
#[tokio::test]
async fn a_stale_account_form_can_repeat_a_change_but_not_revert_one() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "admin", Role::Admin).await;
    let id = app::auth::upsert_account(
        &state.pool,
        "kari",
        "Kari",
        "et langt testpassord 123",
        Role::Editor,
    )
    .await
    .unwrap();
    let path = format!("/redaktor/kontoer/{id}");
    // Both admins saw Kari as an editor, with «Gjør til administrator».
    let promote = "handling=rolle&role=admin";
    let (status, _, _) = call(&state, "POST", &path, Some(&admin), promote).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = call(&state, "POST", &path, Some(&admin), promote).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let role: String = sqlx::query_scalar("SELECT role FROM account WHERE id = ?1")
        .bind(id)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(role, "admin", "the second, stale form repeats the change");
}
