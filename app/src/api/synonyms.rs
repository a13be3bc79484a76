//! The synonym groups' form (admins) on the form kit: check the groups,
//! replace the list; on a conflict show what is stored now.

use crate::{api::form::EditForm, domain::account::Role, domain::synonyms::SynonymsInput};
#[cfg(feature = "ssr")]
use crate::{
    api::form::Refused,
    domain::{
        account::User,
        form::{field, FieldError, FormState, SaveError},
        notice::Notice,
        synonyms::{fingerprint, parse_form, to_form, FIELD, OPENED},
    },
    error::AppError,
    state::AppState,
};

impl EditForm for SynonymsInput {
    const PATH: &'static str = "/redaktor/synonymer";
    const ROLE: Role = Role::Admin;

    #[cfg(feature = "ssr")]
    fn read(pairs: &[(String, String)]) -> Self {
        SynonymsInput {
            text: field(pairs, FIELD),
            opened: field(pairs, OPENED),
        }
    }

    #[cfg(feature = "ssr")]
    async fn load(state: &AppState, _: &User) -> Result<Self, AppError> {
        let stored = crate::db::fts::load_synonyms(&state.pool).await?;
        Ok(SynonymsInput {
            text: to_form(&stored),
            opened: fingerprint(&stored),
        })
    }

    #[cfg(feature = "ssr")]
    async fn save(&self, state: &AppState, user: &User) -> Result<Notice, Refused<Self>> {
        let groups = parse_form(&self.text);
        // A form without the fingerprint (an old page) is saved as before.
        let opened = Some(self.opened.as_str()).filter(|o| !o.is_empty());
        match crate::db::synonyms::save(&state.pool, user, &groups, opened).await {
            Ok(false) => Ok(Notice::SynonymsUnchanged),
            Ok(true) => {
                // This process's searches see the new list on their next request.
                state.catalogue.invalidate();
                Ok(Notice::Saved)
            }
            // Someone saved the list after this form was opened (review 3,
            // N5): keep what was typed, show what is stored now, and take
            // the stored list as the new starting point, so saving again is
            // a choice.
            Err(err @ SaveError::Conflict { .. }) => {
                let stored = crate::db::fts::load_synonyms(&state.pool).await?;
                let form = FormState {
                    input: SynonymsInput {
                        opened: fingerprint(&stored),
                        ..self.clone()
                    },
                    errors: vec![FieldError::new(
                        FIELD,
                        format!("Lagret nå: «{}».", to_form(&stored).replace('\n', " / ")),
                    )],
                    message: Some(
                        "Noen andre har lagret synonymene etter at du åpnet skjemaet, og endringene dine er ikke lagret. \
                         Det som er lagret nå, står ved feltet. Lagre på nytt hvis du vil erstatte det."
                            .into(),
                    ),
                };
                Err(Refused::Form(form, err))
            }
            Err(err) => Err(err.into()),
        }
    }
}
