//! Consultation rounds: answering, closing, editing questions, reading answers.

use app::{
    auth::{self},
    db::{
        self,
        consultation::{self, AnswerError},
        editing::SaveError,
    },
    domain::account::{Role, User},
    domain::consultation::RoundInput,
};
use sqlx::SqlitePool;

async fn setup() -> (SqlitePool, User) {
    let pool = db::connect_in_memory().await.unwrap();
    db::migrate(&pool).await.unwrap();
    auth::upsert_account(
        &pool,
        "kari",
        "Kari",
        "et langt og godt passord",
        Role::Editor,
    )
    .await
    .unwrap();
    let (_, user) = auth::sign_in(
        &pool,
        &app::auth::Throttle::new(),
        "kari",
        "et langt og godt passord",
        &app::client::Client::unknown(),
    )
    .await
    .unwrap();
    (pool, user)
}

fn round(closes_on: &str) -> RoundInput {
    RoundInput {
        slug: "utfordringer".into(),
        title: "Utfordringer og tiltak".into(),
        intro: "Vi vil høre om **dine** erfaringer.".into(),
        closes_on: closes_on.into(),
        status: "published".into(),
        questions: vec![
            "Hva er utfordringene på individnivå?".into(),
            "Hvilke tiltak virker på systemnivå?".into(),
        ],
        version: None,
    }
}

async fn question_ids(pool: &SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM consultation_question ORDER BY position")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn visitors_answer_some_questions_and_editors_read_them_question_by_question() {
    let (pool, user) = setup().await;
    consultation::save_round(&pool, &user, None, &round("2199-12-31"))
        .await
        .unwrap();
    let q = question_ids(&pool).await;
    consultation::answer(
        &pool,
        "utfordringer",
        &[(q[1], "Faste brukerråd med honorar.".into())],
        30,
    )
    .await
    .unwrap();
    consultation::answer(
        &pool,
        "utfordringer",
        &[(q[0], "Lite tid.".into()), (q[1], "Opplæring.".into())],
        30,
    )
    .await
    .unwrap();
    assert_eq!(
        consultation::answer(&pool, "utfordringer", &[], 30).await,
        Err(AnswerError::Invalid(vec![
            app::domain::form::FieldError::new("answers", "Svar på minst ett av spørsmålene.")
        ]))
    );
    assert!(matches!(
        consultation::answer(&pool, "utfordringer", &[(9999, "x".into())], 30).await,
        Err(AnswerError::Invalid(_))
    ));

    let round = consultation::round(&pool, "utfordringer", true)
        .await
        .unwrap()
        .unwrap();
    assert!(round.open && round.intro_html.contains("<strong>dine</strong>"));
    let answers = consultation::answers(&pool, round.id).await.unwrap();
    assert_eq!(
        answers[0]
            .answers
            .iter()
            .map(|(_, a)| a.as_str())
            .collect::<Vec<_>>(),
        ["Lite tid."]
    );
    assert_eq!(
        answers[1]
            .answers
            .iter()
            .map(|(_, a)| a.as_str())
            .collect::<Vec<_>>(),
        ["Faste brukerråd med honorar.", "Opplæring."]
    );
    assert_eq!(
        consultation::rounds(&pool, true).await.unwrap()[0].responses,
        2
    );
}

#[tokio::test]
async fn a_round_closes_after_its_last_day_and_drafts_are_not_public() {
    let (pool, user) = setup().await;
    consultation::save_round(&pool, &user, None, &round("2020-01-31"))
        .await
        .unwrap();
    let q = question_ids(&pool).await;
    let closed = consultation::round(&pool, "utfordringer", true)
        .await
        .unwrap()
        .unwrap();
    assert!(!closed.open);
    assert_eq!(
        consultation::answer(&pool, "utfordringer", &[(q[0], "For sent".into())], 30).await,
        Err(AnswerError::Closed)
    );

    let id: i64 = sqlx::query_scalar("SELECT id FROM consultation")
        .fetch_one(&pool)
        .await
        .unwrap();
    let today: String = sqlx::query_scalar("SELECT date('now')")
        .fetch_one(&pool)
        .await
        .unwrap();
    consultation::save_round(
        &pool,
        &user,
        Some(id),
        &RoundInput {
            closes_on: today,
            ..round("")
        },
    )
    .await
    .unwrap();
    assert!(
        consultation::round(&pool, "utfordringer", true)
            .await
            .unwrap()
            .unwrap()
            .open,
        "open through its last day"
    );

    consultation::save_round(
        &pool,
        &user,
        Some(id),
        &RoundInput {
            status: "draft".into(),
            ..round("2199-01-01")
        },
    )
    .await
    .unwrap();
    assert!(consultation::round(&pool, "utfordringer", true)
        .await
        .unwrap()
        .is_none());
    assert!(consultation::rounds(&pool, true).await.unwrap().is_empty());
    assert_eq!(
        consultation::answer(&pool, "utfordringer", &[(q[0], "Utkast".into())], 30).await,
        Err(AnswerError::Closed)
    );
}

#[tokio::test]
async fn questions_with_answers_can_be_reworded_but_not_removed() {
    let (pool, user) = setup().await;
    consultation::save_round(&pool, &user, None, &round("2199-12-31"))
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM consultation")
        .fetch_one(&pool)
        .await
        .unwrap();
    let q = question_ids(&pool).await;
    consultation::answer(&pool, "utfordringer", &[(q[1], "Svar".into())], 30)
        .await
        .unwrap();

    let fewer = RoundInput {
        questions: vec!["Bare ett spørsmål".into()],
        ..round("2199-12-31")
    };
    let Err(SaveError::Invalid(errors)) =
        consultation::save_round(&pool, &user, Some(id), &fewer).await
    else {
        panic!("must refuse")
    };
    assert_eq!(errors[0].field, "questions");

    let reworded = RoundInput {
        questions: vec![
            "Ny ordlyd?".into(),
            "Hvilke tiltak virker best?".into(),
            "Noe mer?".into(),
        ],
        ..round("2199-12-31")
    };
    consultation::save_round(&pool, &user, Some(id), &reworded)
        .await
        .unwrap();
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT text FROM consultation_question ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        texts,
        ["Ny ordlyd?", "Hvilke tiltak virker best?", "Noe mer?"]
    );
    assert_eq!(
        question_ids(&pool).await[..2],
        q[..],
        "the answered question keeps its answers"
    );

    let later: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+31 days')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        consultation::purge_expired(&pool, &later, 365)
            .await
            .unwrap(),
        1
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM consultation_answer")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        left, 0,
        "answers go with their response after the retention period"
    );
}
