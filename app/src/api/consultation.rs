//! Consultation rounds: the public list and answer page, and the editors'
//! pages (`auth::require` first).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::consultation::RoundInput;
use crate::{
    domain::consultation::{RoundEditor, RoundPage, RoundRow},
    error::AppError,
};

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
        echo: super::came_back(),
    })
}

#[server]
pub async fn get_rounds_admin() -> Result<Vec<RoundRow>, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    Ok(crate::db::consultation::rounds(&state.pool, false).await?)
}

#[server]
pub async fn get_round_editor(slug: Option<String>) -> Result<RoundEditor, AppError> {
    let (state, _) = crate::auth::require(crate::domain::account::Role::Editor).await?;
    let (id, stored, answers) = match slug {
        Some(slug) => {
            let round = crate::db::consultation::round(&state.pool, &slug, false)
                .await?
                .ok_or(AppError::NotFound)?;
            let answers = crate::db::consultation::answers(&state.pool, round.id).await?;
            let version = crate::db::consultation::version(&state.pool, round.id).await?;
            let input = RoundInput {
                slug: round.slug,
                title: round.title,
                intro: round.intro,
                closes_on: round.closes_on,
                status: round.status.key().into(),
                questions: round.questions.into_iter().map(|(_, q)| q).collect(),
                version,
            };
            (Some(round.id), input, answers)
        }
        None => (
            None,
            RoundInput {
                status: crate::domain::resource::ResourceStatus::Draft.key().into(),
                ..Default::default()
            },
            Vec::new(),
        ),
    };
    Ok(RoundEditor {
        id,
        form: super::form_or(|| stored),
        answers,
    })
}
