//! The database paths behind the forms: a bad submission is never a server error.

use super::{
    forms::{
        check_resource_errors, valid_feedback_form, valid_organisation_form, valid_resource_form,
        valid_round_form, FEEDBACK_FIELDS, ORGANISATION_ERRORS, ORGANISATION_FIELDS,
        RESOURCE_FIELDS, ROUND_ERRORS, ROUND_FIELDS,
    },
    query::raw_query,
    *,
};

// ───────────────────────────── through the database ─────────────────────────────

/// A seeded in-memory database of its own, and a runtime to drive it.
fn seeded() -> (tokio::runtime::Runtime, SqlitePool, User) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (pool, user) = rt.block_on(common::seeded("fuzz", Role::Admin));
    (rt, pool, user)
}

fn not_a_server_error<T: std::fmt::Debug>(result: &Result<T, SaveError>) -> TestCaseResult {
    if let Err(err @ (SaveError::Db(_) | SaveError::Unavailable)) = result {
        prop_assert!(false, "server error (a 500): {err:?}");
    }
    if let Err(err) = result {
        check_message(&err.message())?;
    }
    Ok(())
}

/// Any search and filters: a result, never a database error (FTS5 syntax
/// errors from the search text would be a 500).
#[test]
fn catalogue_select_never_fails() {
    let (rt, pool, _) = seeded();
    let cache = CatalogueCache::new();
    let index = rt.block_on(cache.get(&pool)).unwrap();
    let search_text = prop_oneof![
        text(),
        select(
            &[
                "\"",
                "\"\"",
                "*",
                "a*",
                "NEAR(a b)",
                "a OR",
                "AND",
                "NOT x",
                "^a",
                "a:b",
                "(",
                ")",
                "{a b}",
                "-a",
                "+a",
                "a - b",
                "\u{0}",
                "å",
                "rus\"",
                "col:*",
                "bruker* \"pår"
            ][..]
        )
        .prop_map(String::from),
        vec(prop_oneof!["[a-zæøå]{1,10}", "[\"*()^:{}+-]"], 0..10).prop_map(|v| v.join(" ")),
    ];
    let strategy = prop_oneof![
        raw_query(),
        (raw_query(), search_text).prop_map(|(raw, q)| format!("q={}&{raw}", encode(&q)))
    ];
    run(slow_config(), strategy, |raw| {
        let query = CatalogueQuery::parse(&raw);
        let index: Arc<_> = index.clone();
        let selection = rt.block_on(app::catalogue::browse::select(&pool, &index, &query));
        prop_assert!(
            selection.is_ok(),
            "query {:?}: {:?}",
            query,
            selection.err()
        );
        Ok(())
    });
}

#[test]
fn resource_save_never_fails_with_a_server_error() {
    let (rt, pool, user) = seeded();
    let strategy = (
        prop_oneof![2 => form_or_body(RESOURCE_FIELDS), 1 => valid_resource_form(), 1 => (valid_resource_form(), vec(("org|related|f\\.[a-z]{1,8}", prop_oneof![select(&["napha", "a-larm", "et-bedre-liv", "individ", "system", "lov"][..]).prop_map(String::from), text()]), 0..5)).prop_map(|(mut a, b)| { a.extend(b); a })],
        prop_oneof![4 => Just(None), 1 => (1i64..40).prop_map(Some), 1 => Just(Some(i64::MAX))],
    );
    run(slow_config(), strategy, |(pairs, id)| {
        let valid = input_from_form(&pairs).normalised().check().is_empty();
        let result = rt.block_on(db::editing::save(&pool, &user, id, input_from_form(&pairs)));
        not_a_server_error(&result)?;
        if let Err(SaveError::Invalid(errors)) = &result {
            check_resource_errors(errors, true)?;
        }
        if valid && id.is_none() {
            // Only what needs the database can stop a new valid resource.
            if let Err(SaveError::Invalid(errors)) = &result {
                for e in errors {
                    prop_assert!(
                        e.field.starts_with("facets.")
                            || ["slug", "organisations", "related"].contains(&e.field.as_str()),
                        "{e:?}"
                    );
                }
            } else {
                prop_assert!(result.is_ok(), "{:?}", result);
            }
        }
        Ok(())
    });
}

#[test]
fn organisation_save_never_fails_with_a_server_error() {
    let (rt, pool, user) = seeded();
    let extra = vec(
        (
            "f\\.(orgtype|region|fagfelt|nivaa|[a-z]{1,6})",
            prop_oneof![
                select(&["kompetansesenter", "nasjonal", "rus", "individ", "x"][..])
                    .prop_map(String::from),
                text()
            ],
        ),
        0..4,
    );
    let strategy = (
        prop_oneof![
            form_or_body(ORGANISATION_FIELDS),
            (valid_organisation_form(), extra).prop_map(|(mut a, b)| {
                a.extend(b);
                a
            })
        ],
        prop_oneof![3 => Just(None), 1 => (1i64..40).prop_map(Some)],
    );
    run(slow_config(), strategy, |(pairs, id)| {
        let result = rt.block_on(db::organisation::save_organisation(
            &pool,
            &user,
            id,
            OrganisationInput::from_form(&pairs),
        ));
        not_a_server_error(&result)?;
        if let Err(SaveError::Invalid(errors)) = &result {
            check_errors(errors, ORGANISATION_ERRORS, &["facets."])?;
        }
        Ok(())
    });
}

#[test]
fn consultation_save_and_answer_never_fail_with_a_server_error() {
    let (rt, pool, user) = seeded();
    // One open round to answer.
    let round = RoundInput {
        slug: "apen-runde".into(),
        title: "Åpen runde".into(),
        closes_on: "2199-12-31".into(),
        status: "published".into(),
        questions: vec!["Hva virker?".into(), "Hva mangler?".into()],
        ..Default::default()
    };
    rt.block_on(db::consultation::save_round(&pool, &user, None, &round))
        .unwrap();
    // And one the property may rewrite.
    let draft = RoundInput {
        slug: "redigerbar".into(),
        status: "draft".into(),
        ..round.clone()
    };
    rt.block_on(db::consultation::save_round(&pool, &user, None, &draft))
        .unwrap();
    let editable = rt
        .block_on(db::consultation::round(&pool, "redigerbar", false))
        .unwrap()
        .unwrap()
        .id;
    let ids: Vec<i64> = rt
        .block_on(db::consultation::round(&pool, "apen-runde", true))
        .unwrap()
        .unwrap()
        .questions
        .iter()
        .map(|q| q.0)
        .collect();
    let answer_key = prop_oneof![
        select(ids.iter().map(|id| format!("q{id}")).collect::<Vec<_>>()),
        "q[0-9]{1,3}",
        "q-?[0-9]{1,20}",
        text()
    ];
    let answers = vec((answer_key, text()), 0..8);
    let round_form = prop_oneof![
        form_or_body(ROUND_FIELDS),
        valid_round_form(),
        (valid_round_form(), future_date()).prop_map(|(mut f, d)| {
            f.push(("closes_on".into(), d));
            f
        })
    ];
    let strategy = (
        round_form,
        prop_oneof![2 => Just(None), 1 => Just(Some(editable))],
        answers,
        select(&["apen-runde", "finnes-ikke", ""][..]),
    );
    run(slow_config(), strategy, |(form, id, answers, slug)| {
        let result = rt.block_on(db::consultation::save_round(
            &pool,
            &user,
            id,
            &RoundInput::from_form(&form),
        ));
        not_a_server_error(&result)?;
        if let Err(SaveError::Invalid(errors)) = &result {
            check_errors(errors, ROUND_ERRORS, &[])?;
        }
        let answers = answers_from_form(&answers);
        match rt.block_on(db::consultation::answer(&pool, slug, &answers, 30)) {
            Err(
                e
                @ (db::consultation::AnswerError::Db | db::consultation::AnswerError::Unavailable),
            ) => prop_assert!(false, "{:?} (a server error) for answers {:?}", e, answers),
            Err(db::consultation::AnswerError::Invalid(errors)) => {
                let allowed: Vec<String> = answers
                    .iter()
                    .map(|(id, _)| format!("q{id}"))
                    .chain(["answers".to_string()])
                    .collect();
                check_errors(
                    &errors,
                    &allowed.iter().map(String::as_str).collect::<Vec<_>>(),
                    &[],
                )?;
            }
            Err(db::consultation::AnswerError::Closed) => {
                prop_assert!(slug != "apen-runde", "the open round was closed")
            }
            Ok(()) => {}
        }
        Ok(())
    });
}

#[test]
fn feedback_submit_inbox_and_handling_never_fail_with_a_server_error() {
    let (rt, pool, user) = seeded();
    let (levels, audiences) = rt.block_on(db::feedback::suggestion_keys(&pool)).unwrap();
    let filter = (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(date_like()),
        proptest::option::of(date_like()),
    );
    let strategy = (
        prop_oneof![form_or_body(FEEDBACK_FIELDS), valid_feedback_form()],
        filter,
        proptest::option::of(text()),
        text(),
    );
    run(
        slow_config(),
        strategy,
        |(pairs, (kind, status, from, to), new_status, note)| {
            let draft = FeedbackDraft::from_pairs(&pairs);
            let reference = if draft.check_all(&levels, &audiences).is_empty() {
                let submitted = rt.block_on(db::feedback::submit(&pool, &draft, 30));
                prop_assert!(
                    submitted.is_ok(),
                    "checked feedback not stored: {:?}",
                    submitted.err()
                );
                submitted.unwrap()
            } else {
                field(&pairs, "reference")
            };
            let filter = app::domain::inbox::InboxFilter::parse(kind, status, from, to);
            let inbox = rt.block_on(db::feedback::inbox(&pool, &filter, 50));
            prop_assert!(inbox.is_ok(), "inbox {:?}: {:?}", filter, inbox.err());
            if let Err(errors) = rt.block_on(db::feedback::handle(
                &pool,
                &user,
                &reference,
                new_status.as_deref(),
                &note,
            )) {
                check_errors(&errors, &["status", "note", "reference"], &[])?;
                prop_assert!(
                    !errors
                        .iter()
                        .any(|e| e.message.starts_with("Noe gikk galt")),
                    "database error (a 500): {errors:?}"
                );
            }
            Ok(())
        },
    );
}

/// Saving a round under an id that does not exist (deleted meanwhile) is
/// "not found", like resources and organisations, not a database error.
#[test]
fn round_save_with_a_missing_id_is_not_a_server_error() {
    let (rt, pool, user) = seeded();
    let round = RoundInput {
        slug: "borte".into(),
        title: "Borte".into(),
        closes_on: "2199-12-31".into(),
        status: "draft".into(),
        questions: vec!["Hva nå?".into()],
        ..Default::default()
    };
    let result = rt.block_on(db::consultation::save_round(
        &pool,
        &user,
        Some(987_654),
        &round,
    ));
    assert!(
        !matches!(result, Err(SaveError::Db(_) | SaveError::Unavailable)),
        "{result:?}"
    );
}
