//! Consultation rounds: the public list and answer page, and the editors'
//! pages (`auth::require` first).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{consultation::RoundInput, editing::FieldError, error::AppError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRow {
    pub slug: String,
    pub title: String,
    pub closes_on: String,
    pub status: String,
    /// Still taking answers (closing date today or later).
    pub open: bool,
    pub responses: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub intro: String,
    /// The introduction rendered (sanitised Markdown).
    pub intro_html: String,
    pub closes_on: String,
    pub status: String,
    pub open: bool,
    /// (id, text)
    pub questions: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionAnswers {
    pub question: String,
    /// (when, answer)
    pub answers: Vec<(String, String)>,
}

/// Answers that came back from the form handler with problems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerEcho {
    pub answers: Vec<(i64, String)>,
    pub errors: Vec<FieldError>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundPage {
    pub round: Round,
    pub echo: Option<AnswerEcho>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundEditor {
    pub id: Option<i64>,
    pub input: RoundInput,
    pub errors: Vec<FieldError>,
    pub answers: Vec<QuestionAnswers>,
}

/// A round form that came back with problems (server only).
#[derive(Debug, Clone)]
pub struct RoundEcho(pub RoundInput, pub Vec<FieldError>);

#[server]
pub async fn get_rounds() -> Result<Vec<RoundRow>, AppError> {
    let state = crate::state::state()?;
    Ok(crate::db::consultation::rounds(&state.pool, true).await?)
}

#[server]
pub async fn get_round(slug: String) -> Result<RoundPage, AppError> {
    let state = crate::state::state()?;
    let round = crate::db::consultation::round(&state.pool, &slug, true)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(RoundPage {
        round,
        echo: use_context::<AnswerEcho>(),
    })
}

#[server]
pub async fn get_rounds_admin() -> Result<Vec<RoundRow>, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    Ok(crate::db::consultation::rounds(&state.pool, false).await?)
}

#[server]
pub async fn get_round_editor(slug: Option<String>) -> Result<RoundEditor, AppError> {
    let (state, _) = crate::auth::require(crate::auth::Role::Editor).await?;
    let (id, stored, answers) = match slug {
        Some(slug) => {
            let round = crate::db::consultation::round(&state.pool, &slug, false)
                .await?
                .ok_or(AppError::NotFound)?;
            let answers = crate::db::consultation::answers(&state.pool, round.id).await?;
            let input = RoundInput {
                slug: round.slug,
                title: round.title,
                intro: round.intro,
                closes_on: round.closes_on,
                status: round.status,
                questions: round.questions.into_iter().map(|(_, q)| q).collect(),
            };
            (Some(round.id), input, answers)
        }
        None => (
            None,
            RoundInput {
                status: "draft".into(),
                ..Default::default()
            },
            Vec::new(),
        ),
    };
    let (input, errors) = match use_context::<RoundEcho>() {
        Some(RoundEcho(input, errors)) => (input, errors),
        None => (stored, Vec::new()),
    };
    Ok(RoundEditor {
        id,
        input,
        errors,
        answers,
    })
}
