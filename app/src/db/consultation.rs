//! Consultation rounds in the database (server only).

use sqlx::SqlitePool;

use crate::{
    db::audit::{audit, AuditEntry},
    db::editing::SaveError,
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        consultation::{check_answers, QuestionAnswers, Round, RoundInput, RoundRow},
        form::FieldError,
    },
};

/// Rounds for the public list (published only) or for editors (all), newest closing date first.
pub async fn rounds(pool: &SqlitePool, published_only: bool) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, (String, String, String, String, bool, i64)>(
        "SELECT c.slug, c.title, c.closes_on, c.status, c.closes_on >= date('now'),
                (SELECT count(*) FROM consultation_response r WHERE r.consultation_id = c.id)
           FROM consultation c WHERE (?1 = 0 OR c.status = 'published') ORDER BY c.closes_on DESC, c.id DESC",
    )
    .bind(published_only)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(slug, title, closes_on, status, open, responses)| {
        Ok(RoundRow {
            slug,
            title,
            closes_on,
            status: status.try_into().map_err(super::decode)?,
            open,
            responses,
        })
    })
    .collect()
}

/// One round with its questions; `None` if missing (or a draft, for the public).
pub async fn round(
    pool: &SqlitePool,
    slug: &str,
    published_only: bool,
) -> Result<Option<Round>, sqlx::Error> {
    let Some((id, title, intro, closes_on, status, open)): Option<(
        i64,
        String,
        String,
        String,
        String,
        bool,
    )> = sqlx::query_as(
        "SELECT id, title, intro, closes_on, status, closes_on >= date('now') FROM consultation
          WHERE slug = ?1 AND (?2 = 0 OR status = 'published')",
    )
    .bind(slug)
    .bind(published_only)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let questions = sqlx::query_as(
        "SELECT id, text FROM consultation_question WHERE consultation_id = ?1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let intro_html = crate::markdown::render_kept(&intro).to_string();
    Ok(Some(Round {
        id,
        slug: slug.to_string(),
        title,
        intro,
        intro_html,
        closes_on,
        status: status.try_into().map_err(super::decode)?,
        open,
        questions,
    }))
}

/// Creates (`id` None) or updates a round. Questions are matched by
/// position; one that already has answers cannot be removed.
/// A round's version (what its form carries), if the round exists.
pub async fn version(pool: &SqlitePool, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM consultation WHERE id = ?1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn save_round(
    pool: &SqlitePool,
    user: &User,
    id: Option<i64>,
    input: &RoundInput,
) -> Result<String, SaveError> {
    let mut errors = input.check();
    let mut tx = super::begin_write(pool).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM consultation WHERE slug = ?1")
        .bind(&input.slug)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() && taken != id {
        errors.push(FieldError::new(
            "slug",
            "Denne adressen er allerede i bruk. Velg en annen.",
        ));
    }
    if let Some(id) = id {
        let current: Option<i64> =
            sqlx::query_scalar("SELECT version FROM consultation WHERE id = ?1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(current) = current else {
            return Err(SaveError::NotFound);
        };
        // Checked in the write transaction: nobody saved between (N5).
        if input.version.is_some_and(|opened| opened != current) {
            return Err(SaveError::Conflict {
                current_version: current,
            });
        }
    }
    let existing: Vec<(i64, i64)> = match id {
        Some(id) => sqlx::query_as(
            "SELECT q.id, (SELECT count(*) FROM consultation_answer a WHERE a.question_id = q.id)
               FROM consultation_question q WHERE q.consultation_id = ?1 ORDER BY q.position",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?,
        None => Vec::new(),
    };
    if existing
        .iter()
        .skip(input.questions.len())
        .any(|(_, answers)| *answers > 0)
    {
        errors.push(FieldError::new("questions", "Spørsmål som har fått svar, kan ikke fjernes. Endre teksten i stedet, eller lag en ny runde."));
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let (id, action) = match id {
        None => {
            let id: i64 = sqlx::query_scalar("INSERT INTO consultation (slug, title, intro, closes_on, status) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id")
                .bind(&input.slug)
                .bind(&input.title)
                .bind(&input.intro)
                .bind(&input.closes_on)
                .bind(&input.status)
                .fetch_one(&mut *tx)
                .await?;
            (id, AuditAction::Create)
        }
        Some(id) => {
            sqlx::query(
                "UPDATE consultation SET slug = ?2, title = ?3, intro = ?4, closes_on = ?5, status = ?6,
                        version = version + 1,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            )
            .bind(id)
            .bind(&input.slug)
            .bind(&input.title)
            .bind(&input.intro)
            .bind(&input.closes_on)
            .bind(&input.status)
            .execute(&mut *tx)
            .await?;
            (id, AuditAction::Update)
        }
    };
    for (position, text) in input.questions.iter().enumerate() {
        match existing.get(position) {
            Some((qid, _)) => {
                sqlx::query("UPDATE consultation_question SET text = ?2 WHERE id = ?1")
                    .bind(qid)
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query("INSERT INTO consultation_question (consultation_id, position, text) VALUES (?1, ?2, ?3)")
                    .bind(id)
                    .bind(position as i64)
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    for (qid, _) in existing.iter().skip(input.questions.len()) {
        sqlx::query("DELETE FROM consultation_question WHERE id = ?1")
            .bind(qid)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action,
            entity: AuditEntity::Consultation,
            entity_id: Some(id),
            summary: &format!("«{}»", input.title),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(input.slug.clone())
}

#[derive(Debug, PartialEq)]
pub enum AnswerError {
    Invalid(Vec<FieldError>),
    /// The round is closed (or not published).
    Closed,
    Db,
    /// The storage refused the write (disk full, read-only).
    Unavailable,
}

/// Stores one visitor's answers to an open, published round.
pub async fn answer(
    pool: &SqlitePool,
    slug: &str,
    answers: &[(i64, String)],
    retention_days: u32,
) -> Result<(), AnswerError> {
    let errors = check_answers(answers);
    if !errors.is_empty() {
        return Err(AnswerError::Invalid(errors));
    }
    let result: Result<Result<(), AnswerError>, sqlx::Error> = async {
        let mut tx = super::begin_write(pool).await?;
        let Some(id): Option<i64> = sqlx::query_scalar(
            "SELECT id FROM consultation WHERE slug = ?1 AND status = 'published' AND closes_on >= date('now')",
        )
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Err(AnswerError::Closed));
        };
        let questions: Vec<i64> = sqlx::query_scalar("SELECT id FROM consultation_question WHERE consultation_id = ?1").bind(id).fetch_all(&mut *tx).await?;
        if answers.iter().any(|(q, _)| !questions.contains(q)) {
            return Ok(Err(AnswerError::Invalid(vec![FieldError::new("answers", "Svarene passer ikke til spørsmålene. Last siden på nytt.")])));
        }
        let response: i64 = sqlx::query_scalar(
            "INSERT INTO consultation_response (consultation_id, delete_after)
             VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+' || ?2 || ' days')) RETURNING id",
        )
        .bind(id)
        .bind(retention_days)
        .fetch_one(&mut *tx)
        .await?;
        for (question, text) in answers {
            sqlx::query("INSERT OR REPLACE INTO consultation_answer (response_id, question_id, answer) VALUES (?1, ?2, ?3)")
                .bind(response)
                .bind(question)
                .bind(text)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }
    .await;
    result.unwrap_or_else(|err| {
        if crate::error::storage_failure(&err).is_some() {
            return Err(AnswerError::Unavailable);
        }
        tracing::error!(error = %err, "storing consultation answers failed");
        Err(AnswerError::Db)
    })
}

/// The answers, question by question (for editors and the CSV export).
pub async fn answers(
    pool: &SqlitePool,
    round_id: i64,
) -> Result<Vec<QuestionAnswers>, sqlx::Error> {
    let questions: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, text FROM consultation_question WHERE consultation_id = ?1 ORDER BY position",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for (id, question) in questions {
        let answers = sqlx::query_as(
            "SELECT r.created_at, a.answer FROM consultation_answer a JOIN consultation_response r ON r.id = a.response_id
              WHERE a.question_id = ?1 ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        out.push(QuestionAnswers { question, answers });
    }
    Ok(out)
}

/// Deletes responses past their retention period.
pub async fn purge_expired(
    pool: &SqlitePool,
    now: &str,
    retention_days: u32,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM consultation_response WHERE delete_after <= ?1
            OR created_at <= strftime('%Y-%m-%dT%H:%M:%SZ', ?1, '-' || ?2 || ' days')",
    )
    .bind(now)
    .bind(retention_days)
    .execute(pool)
    .await?
    .rows_affected())
}
