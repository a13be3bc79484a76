//! The site texts' form (editors) on the form kit: check every text, save
//! those that changed, and on a conflict mark each text someone else saved
//! since the form was opened.

use crate::{api::form::EditForm, domain::account::Role, domain::texts::TextsInput};
#[cfg(feature = "ssr")]
use crate::{
    api::form::Refused,
    domain::{
        account::User,
        form::{FieldError, FormState, SaveError},
        notice::Notice,
        texts::{field_name, fingerprints, opened_from_form},
    },
    error::AppError,
    state::AppState,
};

impl EditForm for TextsInput {
    const PATH: &'static str = "/redaktor/tekster";
    const ROLE: Role = Role::Editor;

    #[cfg(feature = "ssr")]
    fn read(pairs: &[(String, String)]) -> Self {
        TextsInput {
            texts: crate::domain::texts::from_form(pairs),
            opened: opened_from_form(pairs),
        }
    }

    #[cfg(feature = "ssr")]
    async fn load(state: &AppState, _: &User) -> Result<Self, AppError> {
        let texts = crate::db::texts::all(&state.pool).await?;
        Ok(TextsInput {
            opened: fingerprints(&texts),
            texts,
        })
    }

    #[cfg(feature = "ssr")]
    async fn save(&self, state: &AppState, user: &User) -> Result<Notice, Refused<Self>> {
        use crate::db::texts;
        match texts::save(&state.pool, user, &self.texts, &self.opened).await {
            Ok(0) => Ok(Notice::TextsUnchanged),
            Ok(_) => {
                // Only the entry paths and the guide show them.
                let shown_on = crate::domain::texts::SHOWN_ON;
                state.forget_pages(|path| shown_on.iter().any(|p| path.starts_with(p)));
                Ok(Notice::Saved)
            }
            // Someone saved texts after this form was opened (review 3,
            // N5): mark each text changed since with what is stored now,
            // and take the current texts as the new starting point, so
            // saving again is a deliberate choice.
            Err(err @ SaveError::Conflict { .. }) => {
                let changed = texts::changed_since(&state.pool, &self.opened).await?;
                let errors = changed
                    .iter()
                    .map(|(key, text)| {
                        FieldError::new(
                            field_name(key),
                            format!("Endret av noen andre etter at du åpnet skjemaet. Lagret nå: «{text}»."),
                        )
                    })
                    .collect();
                let input = TextsInput {
                    texts: self.texts.clone(),
                    opened: fingerprints(&texts::all(&state.pool).await?),
                };
                let message = format!(
                    "Noen andre har lagret {} av tekstene etter at du åpnet skjemaet, og endringene dine er ikke lagret. \
                     De er merket med det som er lagret nå. Lagre på nytt hvis du vil erstatte dem.",
                    changed.len()
                );
                Err(Refused::Form(
                    FormState {
                        input,
                        errors,
                        message: Some(message),
                    },
                    err,
                ))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// What was typed wins; a text the form did not send shows as stored.
    #[cfg(feature = "ssr")]
    async fn again(
        mut form: FormState<Self>,
        state: &AppState,
        user: &User,
    ) -> Result<FormState<Self>, AppError> {
        let mut stored = Self::load(state, user).await?;
        stored.opened.extend(std::mem::take(&mut form.input.opened));
        stored
            .texts
            .0
            .extend(std::mem::take(&mut form.input.texts.0));
        form.input = stored;
        Ok(form)
    }
}
