//! Every form's validation: clear rejections, valid input accepted.

use super::*;

// ───────────────────────────── forms ─────────────────────────────

pub(super) const RESOURCE_FIELDS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "body",
    "status",
    "last_reviewed",
    "reviewed_source_label",
    "reviewed_source_url",
    "version",
    "org",
    "related",
    "f.type",
    "f.nivaa",
    "f.malgruppe",
    "f.metode",
    "f.grad",
    "f.orgtype",
    "f.ukjent",
    "link_label_0",
    "link_url_0",
    "link_label_1",
    "link_url_1",
    "link_label_2",
    "link_url_2",
    "link_label_19",
    "link_url_19",
    "link_label_20",
    "link_url_20",
];

fn resource_error_fields() -> Vec<String> {
    let mut fields: Vec<String> = [
        "title",
        "slug",
        "summary",
        "body",
        "status",
        "last_reviewed",
        "reviewed_source_label",
        "reviewed_source_url",
        "links",
        "facets.type",
        "facets.nivaa",
    ]
    .map(String::from)
    .to_vec();
    for i in 0..20 {
        fields.push(format!("links.{i}.label"));
        fields.push(format!("links.{i}.url"));
    }
    fields
}

pub(super) fn check_resource_errors(errors: &[FieldError], db: bool) -> TestCaseResult {
    let owned = resource_error_fields();
    let mut allowed: Vec<&str> = owned.iter().map(String::as_str).collect();
    let prefixes: &[&str] = if db {
        allowed.extend(["organisations", "related"]);
        &["facets."]
    } else {
        &[]
    };
    check_errors(errors, &allowed, prefixes)
}

/// A resource form that passes every check that needs no database.
pub(super) fn valid_resource_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        prop_oneof![slugable_title(), nonblank(200)],
        prop_oneof![Just(String::new()), valid_slug()],
        nonblank(500),
        prop_oneof![Just(String::new()), "\\PC{0,300}"],
        select(&["draft", "published"][..]),
        prop_oneof![Just(String::new()), valid_date()],
        select(&["veileder", "lov", "kurs", "praksiseksempel"][..]),
        vec(select(&["individ", "tjeneste", "system"][..]), 1..4),
        vec((nonblank(80), valid_url()), 0..5),
    )
        .prop_map(
            |(title, slug, summary, body, status, date, kind, levels, links)| {
                // A slug derived from a long or symbol-only title may not be valid; give one then.
                let slug =
                    if slug.is_empty() && !title.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        "fra-tittel".into()
                    } else {
                        slug
                    };
                let slug = if slug.is_empty() && title.len() > 50 {
                    "lang-tittel".into()
                } else {
                    slug
                };
                let mut pairs: Vec<(String, String)> = vec![
                    ("title".into(), format!(" {title} ")),
                    ("slug".into(), slug),
                    ("summary".into(), summary),
                    ("body".into(), body),
                    ("status".into(), status.into()),
                    ("last_reviewed".into(), date.clone()),
                    ("f.type".into(), kind.into()),
                ];
                // A review date comes with the source it was checked against.
                if !date.is_empty() {
                    pairs.push(("reviewed_source_label".into(), "Lovdata".into()));
                    pairs.push(("reviewed_source_url".into(), "https://lovdata.no/".into()));
                }
                pairs.extend(
                    levels
                        .into_iter()
                        .map(|l| ("f.nivaa".to_string(), l.to_string())),
                );
                for (i, (label, url)) in links.into_iter().enumerate() {
                    pairs.push((format!("link_label_{i}"), label));
                    pairs.push((format!("link_url_{i}"), url));
                }
                pairs
            },
        )
        .boxed()
}

pub(super) const ORGANISATION_FIELDS: &[&str] = &[
    "slug",
    "name",
    "short_name",
    "website",
    "description",
    "f.orgtype",
    "f.region",
    "f.fagfelt",
    "f.nivaa",
    "f.ukjent",
];
pub(super) const ORGANISATION_ERRORS: &[&str] =
    &["slug", "name", "short_name", "website", "description"];

pub(super) fn valid_organisation_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        slugable_title(),
        prop_oneof![Just(String::new()), "[A-Za-z][A-Za-z0-9 ]{0,20}"],
        prop_oneof![Just(String::new()), valid_url()],
        "\\PC{0,300}",
        prop_oneof![Just(String::new()), valid_slug()],
    )
        .prop_map(|(name, short, website, description, slug)| {
            vec![
                ("name".into(), name),
                ("short_name".into(), short),
                ("website".into(), website),
                ("description".into(), description),
                ("slug".into(), slug),
            ]
        })
        .boxed()
}

const ACCOUNT_FIELDS: &[&str] = &["username", "display_name", "role", "password"];

fn valid_account_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        "[A-Za-z0-9._@-]{2,60}",
        nonblank(100),
        select(&["admin", "editor"][..]),
        "\\PC{12,60}",
    )
        .prop_map(|(u, d, r, p)| {
            vec![
                ("username".into(), u),
                ("display_name".into(), d),
                ("role".into(), r.into()),
                ("password".into(), p),
            ]
        })
        .boxed()
}

const PAGE_FIELDS: &[&str] = &["title", "description", "body", "version"];

fn valid_page_form() -> BoxedStrategy<Vec<(String, String)>> {
    (nonblank(200), nonblank(200), nonblank(2000), any::<i64>())
        .prop_map(|(t, d, b, v)| {
            vec![
                ("title".into(), t),
                ("description".into(), d),
                ("body".into(), b),
                ("version".into(), v.to_string()),
            ]
        })
        .boxed()
}

pub(super) const ROUND_FIELDS: &[&str] =
    &["slug", "title", "intro", "closes_on", "status", "questions"];
pub(super) const ROUND_ERRORS: &[&str] =
    &["slug", "title", "intro", "closes_on", "status", "questions"];

pub(super) fn valid_round_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        slugable_title(),
        "\\PC{0,300}",
        valid_date(),
        select(&["draft", "published"][..]),
        vec(nonblank(500), 1..=12),
        select(&["\n", "\r\n", "\n\n  "][..]),
    )
        .prop_map(|(title, intro, date, status, questions, nl)| {
            vec![
                ("title".into(), title),
                ("intro".into(), intro),
                ("closes_on".into(), date),
                ("status".into(), status.into()),
                ("questions".into(), questions.join(nl)),
            ]
        })
        .boxed()
}

pub(super) const FEEDBACK_FIELDS: &[&str] = &[
    "steg", "kind", "title", "url", "level", "audience", "topic", "page", "message", "name",
    "email", "consent", "nettsted", "handling",
];
const FEEDBACK_ERRORS: &[&str] = &[
    "kind", "title", "url", "level", "audience", "topic", "message", "name", "email", "consent",
];
const LEVELS: &[&str] = &["individ", "tjeneste", "system"];
const AUDIENCES: &[&str] = &["brukere", "parorende", "ungdom"];

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

pub(super) fn valid_feedback_form() -> BoxedStrategy<Vec<(String, String)>> {
    (
        select(FeedbackKind::ALL.map(|k| k.key()).to_vec()),
        nonblank(200),
        prop_oneof![Just(String::new()), valid_url()],
        vec(select(LEVELS), 0..3),
        vec(select(AUDIENCES), 0..3),
        prop_oneof![Just(""), select(TOPICS.map(|t| t.0).to_vec())],
        nonblank(4000),
        "\\PC{0,100}",
        prop_oneof![
            Just(None),
            "[a-z0-9.]{1,10}@[a-z]{1,10}\\.no".prop_map(Some)
        ],
        prop_oneof![Just(String::new()), "/[a-z0-9/-]{0,40}"],
    )
        .prop_map(
            |(kind, title, url, levels, audiences, topic, message, name, email, page)| {
                let mut pairs: Vec<(String, String)> = vec![
                    ("steg".into(), "4".into()),
                    ("kind".into(), kind.into()),
                    ("title".into(), title),
                    ("url".into(), url),
                    ("topic".into(), topic.into()),
                    ("message".into(), message),
                    ("name".into(), name),
                    ("page".into(), page),
                ];
                pairs.extend(
                    levels
                        .into_iter()
                        .map(|l| ("level".to_string(), l.to_string())),
                );
                pairs.extend(
                    audiences
                        .into_iter()
                        .map(|a| ("audience".to_string(), a.to_string())),
                );
                if let Some(email) = email {
                    pairs.push(("email".into(), email));
                    pairs.push(("consent".into(), "ja".into()));
                }
                pairs
            },
        )
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn resource_form_rejections_are_clear(pairs in form_or_body(RESOURCE_FIELDS)) {
        let input = input_from_form(&pairs).normalised();
        check_resource_errors(&input.check(), false)?;
        // Normalising is stable: checking twice gives the same answer.
        prop_assert_eq!(input.clone().normalised().check(), input.check());
    }

    #[test]
    fn resource_form_accepts_valid_input(pairs in valid_resource_form()) {
        let input = input_from_form(&pairs).normalised();
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    /// A field that breaks exactly one rule gets exactly that field's message.
    #[test]
    fn resource_form_names_the_broken_field(pairs in valid_resource_form(), broken in 0usize..6, n in 0usize..3) {
        let mut input = input_from_form(&pairs).normalised();
        let expected = match broken {
            0 => { input.title = ["", "x"][n.min(1)].repeat(if n == 0 { 0 } else { 201 }); "title" }
            1 => { input.summary = "y".repeat(if n == 0 { 0 } else { 501 }); "summary" }
            2 => { input.status = ["", "arkiv", "Draft"][n].into(); "status" }
            3 => { input.last_reviewed = ["2026-02-30", "26-01-01", "i går"][n].into(); "last_reviewed" }
            4 => { input.slug = ["-a", "A", "a--b"][n].into(); "slug" }
            _ => { input.facets.retain(|(f, _)| f != "type"); "facets.type" }
        };
        let errors = input.check();
        prop_assert_eq!(fields_of(&errors), vec![expected]);
    }

    #[test]
    fn organisation_form_rejections_are_clear(pairs in form_or_body(ORGANISATION_FIELDS)) {
        let input = OrganisationInput::from_form(&pairs);
        check_errors(&input.check(), ORGANISATION_ERRORS, &[])?;
    }

    #[test]
    fn organisation_form_accepts_valid_input(pairs in valid_organisation_form()) {
        let input = OrganisationInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn account_form_rejections_are_clear(pairs in form_or_body(ACCOUNT_FIELDS)) {
        let input = AccountInput::from_form(&pairs);
        check_errors(&input.check(), &["username", "display_name", "role", "password"], &[])?;
    }

    #[test]
    fn account_form_accepts_valid_input(pairs in valid_account_form()) {
        let input = AccountInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn password_and_value_label_checks(s in text()) {
        let n = s.chars().count();
        match check_password(&s, &[]) {
            // Too short, too long, or (review 3, N11) too easy to guess.
            Some(e) => {
                prop_assert!(!(12..=200).contains(&n) || e.message.starts_with("Passordet er for lett å gjette: "));
                check_errors(&[e], &["password"], &[])?;
            }
            None => prop_assert!((12..=200).contains(&n)),
        }
        let trimmed = s.trim().chars().count();
        match check_value_label(&s) {
            Some(e) => { prop_assert!(trimmed == 0 || trimmed > 80); check_errors(&[e], &["label"], &[])?; }
            None => prop_assert!((1..=80).contains(&trimmed)),
        }
    }

    #[test]
    fn page_form_rejections_are_clear(pairs in form_or_body(PAGE_FIELDS)) {
        let input = PageInput::from_form(&pairs);
        prop_assert!(!input.description.contains(['\r', '\n']));
        check_errors(&input.check(), &["title", "description", "body"], &[])?;
    }

    #[test]
    fn page_form_accepts_valid_input(pairs in valid_page_form()) {
        let input = PageInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn round_form_rejections_are_clear(pairs in form_or_body(ROUND_FIELDS)) {
        let input = RoundInput::from_form(&pairs);
        check_errors(&input.check(), ROUND_ERRORS, &[])?;
        prop_assert!(input.questions.iter().all(|q| !q.is_empty() && q.trim() == q));
    }

    #[test]
    fn round_form_accepts_valid_input(pairs in valid_round_form()) {
        let input = RoundInput::from_form(&pairs);
        prop_assert_eq!(input.check(), vec![], "input {:?}", input);
    }

    #[test]
    fn answers_form_rejections_are_clear(pairs in prop_oneof![
        3 => vec(("q[0-9]{1,3}", text()), 0..20),
        1 => form_or_body(&["q1", "q2", "q3", "q", "q-1", "q+2", "q99999999999999999999", "annet"]),
    ]) {
        let answers = answers_from_form(&pairs);
        prop_assert!(answers.iter().all(|(_, a)| !a.is_empty() && a.trim() == a));
        let errors = check_answers(&answers);
        let allowed: Vec<String> = answers.iter().map(|(id, _)| format!("q{id}")).chain(["answers".to_string()]).collect();
        check_errors(&errors, &allowed.iter().map(String::as_str).collect::<Vec<_>>(), &[])?;
        prop_assert_eq!(errors.is_empty(), !answers.is_empty() && answers.iter().all(|(_, a)| a.chars().count() <= 4000));
    }

    #[test]
    fn feedback_form_rejections_are_clear(pairs in form_or_body(FEEDBACK_FIELDS), step in 0u8..6) {
        let draft = FeedbackDraft::from_pairs(&pairs);
        let (levels, audiences) = (owned(LEVELS), owned(AUDIENCES));
        check_errors(&draft.check_step(step, &levels, &audiences), FEEDBACK_ERRORS, &[])?;
        check_errors(&draft.check_all(&levels, &audiences), FEEDBACK_ERRORS, &[])?;
        // Only a local path is remembered as the page the visitor came from.
        prop_assert!(draft.page.is_empty() || (draft.page.starts_with('/') && !draft.page.starts_with("//")));
        prop_assert_eq!(safe_page(&draft.page), draft.page.clone());
        prop_assert!(draft.email.trim() == draft.email && draft.kind.trim() == draft.kind);
    }

    #[test]
    fn feedback_form_accepts_valid_input(pairs in valid_feedback_form()) {
        let draft = FeedbackDraft::from_pairs(&pairs);
        prop_assert_eq!(draft.check_all(&owned(LEVELS), &owned(AUDIENCES)), vec![], "draft {:?}", draft);
    }

    /// Any button value is some action; moving through the flow keeps the
    /// step in 1–4, never loses input, and stays put on errors.
    #[test]
    fn feedback_flow_actions(action in prop_oneof![
        select(&["tilbake", "send", "neste", "endre-0", "endre-1", "endre-2", "endre-3", "endre-4", "endre-255", "endre-256", "endre--1", "endre-+2", "endre-"][..]).prop_map(String::from),
        "endre-[0-9+-]{0,4}",
        text(),
    ], pairs in prop_oneof![form_or_body(FEEDBACK_FIELDS), valid_feedback_form()], step in select(&["0", "1", "2", "3", "4", "5", "255", "x", ""][..])) {
        let parsed = FlowAction::parse(&action);
        match parsed {
            FlowAction::Back => prop_assert_eq!(action.as_str(), "tilbake"),
            FlowAction::Send => prop_assert_eq!(action.as_str(), "send"),
            FlowAction::Edit(n) => prop_assert!((1..=3).contains(&n) && action.starts_with("endre-")),
            FlowAction::Next => {}
        }
        let mut pairs = pairs;
        pairs.insert(0, ("steg".into(), step.into()));
        let draft = FeedbackDraft::from_pairs(&pairs);
        let (levels, audiences) = (owned(LEVELS), owned(AUDIENCES));
        let (next, errors) = draft.clone().apply(parsed, &levels, &audiences);
        prop_assert_eq!(FeedbackDraft { step: 0, ..next.clone() }, FeedbackDraft { step: 0, ..draft.clone() }, "input lost");
        check_errors(&errors, FEEDBACK_ERRORS, &[])?;
        if parsed == FlowAction::Send && errors.is_empty() {
            // Stored; the caller shows the receipt, whatever the step said.
            prop_assert_eq!(next.step, draft.step);
        } else {
            prop_assert!((1..=4).contains(&next.step), "step {} after {:?}", next.step, parsed);
        }
        if parsed == FlowAction::Next && !errors.is_empty() {
            prop_assert_eq!(next.step, draft.step());
        }
        if parsed == FlowAction::Send && !errors.is_empty() {
            prop_assert!(!next.check_step(next.step, &levels, &audiences).is_empty(), "send shows a step without problems");
        }
    }

    /// The state carried in hidden fields comes back the same. (Browsers
    /// send line breaks as CRLF, and a lone CR is not something a person
    /// types, so values here have none.)
    #[test]
    fn feedback_hidden_fields_round_trip(pairs in prop_oneof![form(FEEDBACK_FIELDS), valid_feedback_form()]) {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k, v.replace('\r', ""))).collect();
        let draft = FeedbackDraft { trap: String::new(), ..FeedbackDraft::from_pairs(&pairs) };
        let mut form = draft.hidden_pairs(0);
        form.push(("steg".into(), draft.step.to_string()));
        prop_assert_eq!(FeedbackDraft::from_pairs(&form), draft);
    }

    /// The inbox filter drops what it does not know.
    #[test]
    fn inbox_filter_parse(kind in proptest::option::of(text()), status in proptest::option::of(text()), from in proptest::option::of(date_like()), to in proptest::option::of(date_like())) {
        let filter = app::domain::inbox::InboxFilter::parse(kind, status, from.clone(), to.clone());
        prop_assert!(filter.kind.is_empty() || FeedbackKind::parse(&filter.kind).is_some());
        prop_assert!(filter.status.is_empty() || app::domain::feedback::FeedbackStatus::parse(&filter.status).is_some());
        for (given, kept) in [(&from, &filter.from), (&to, &filter.to)] {
            prop_assert!(kept.is_empty() || Some(kept) == given.as_ref());
            if given.as_deref().is_some_and(is_real_date) {
                prop_assert_eq!(Some(kept), given.as_ref(), "a real date was dropped");
            }
        }
        let qs = filter.query_string();
        prop_assert!(!qs.contains(char::is_whitespace));
    }

    /// The statistics range: a checked (from, to) pair, or a clear message.
    #[test]
    fn statistics_range(from in proptest::option::of(date_like()), to in proptest::option::of(date_like())) {
        match db::statistics::range(from.as_deref(), to.as_deref()) {
            Ok((f, t)) => {
                prop_assert!(is_real_date(&f) && is_real_date(&t), "range ({f}, {t})");
                prop_assert!(f <= t);
                let parse = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
                prop_assert!((parse(&t) - parse(&f)).whole_days() <= 400);
            }
            Err(message) => check_message(message)?,
        }
    }

    #[test]
    fn statistics_range_accepts_valid_ranges(from in valid_date(), days in 0i64..=400) {
        let parse = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
        let Some(to) = parse(&from).checked_add(time::Duration::days(days)) else { return Ok(()) };
        let to = to.to_string();
        prop_assume!(is_iso_date(&to));
        prop_assert_eq!(db::statistics::range(Some(&from), Some(&to)), Ok((from.clone(), to.clone())));
    }
}

/// The date fields of the forms accept only a real `YYYY-MM-DD` date: the
/// resource's `last_reviewed` and a round's `closes_on` (both `is_iso_date`).
#[test]
fn date_fields_accept_only_real_dates() {
    run(config(), date_like(), |s| {
        // Forms take real dates in 1900-2200 only (a typo like 0900 is refused).
        let in_range = is_real_date(&s)
            && s[..4]
                .parse::<u32>()
                .is_ok_and(|y| (1900..=2200).contains(&y));
        prop_assert_eq!(is_iso_date(&s), in_range, "editing::is_iso_date({:?})", s);
        let resource = ResourceInput {
            last_reviewed: s.clone(),
            ..Default::default()
        }
        .normalised();
        let accepted = !resource.check().iter().any(|e| e.field == "last_reviewed");
        prop_assert!(
            !accepted || s.trim().is_empty() || is_real_date(s.trim()),
            "last_reviewed {:?} accepted",
            s
        );
        let round = RoundInput {
            closes_on: s.clone(),
            ..Default::default()
        };
        let accepted = !round.check().iter().any(|e| e.field == "closes_on");
        prop_assert!(!accepted || is_real_date(&s), "closes_on {:?} accepted", s);
        Ok(())
    });
}

/// The inbox filter keeps only real dates ("dropping anything malformed").
#[test]
fn inbox_filter_keeps_only_real_dates() {
    run(config(), date_like(), |s| {
        let filter =
            app::domain::inbox::InboxFilter::parse(None, None, Some(s.clone()), Some(s.clone()));
        prop_assert!(
            filter.from.is_empty() || is_real_date(&filter.from),
            "inbox filter kept the date {:?}",
            filter.from
        );
        Ok(())
    });
}
