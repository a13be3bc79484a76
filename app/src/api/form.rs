//! An editor form as one type: [`EditForm`] says where the form lives, who
//! may use it, how its fields are read, what is stored and how a save is
//! made. The kit does the rest on both sides:
//!
//! - the page loads its form with [`shown`]: the role checked, and either
//!   what the editor typed (when this render answers a refused save) or
//!   what is stored;
//! - the server mounts every form listed in `crate::edit_forms` at its
//!   `PATH` behind the role layer, with one handler (`server::routes::forms::
//!   submit`): read the fields, [`EditForm::save`], then 303 to the page
//!   with the save's [`Notice`], or the page again with what was typed and
//!   what is wrong ([`Submitted::Again`]).
//!
//! A new form is then its page module (the input type, this trait, the
//! view), its `db` function, and one line each in `pages/mod.rs` and
//! `lib.rs` (its `<Route>` and its entry in `edit_forms`).

use serde::{de::DeserializeOwned, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::{account::User, form::SaveError, notice::Notice};
use crate::{
    domain::{account::Role, form::FormState},
    error::AppError,
};

/// An editor form: its fields as a type (the form state's `input`).
pub trait EditForm: Clone + Default + Send + Sync + Serialize + DeserializeOwned + 'static {
    /// The page the form is on, and the address it posts to.
    const PATH: &'static str;
    /// The smallest role that may open and send it.
    const ROLE: Role;

    /// The fields as the browser sent them (`form_pairs` of the body).
    #[cfg(feature = "ssr")]
    fn read(pairs: &[(String, String)]) -> Self;

    /// The form as stored, for a page opened afresh.
    #[cfg(feature = "ssr")]
    fn load(
        state: &crate::state::AppState,
        user: &User,
    ) -> impl std::future::Future<Output = Result<Self, AppError>> + Send;

    /// Saves what was sent: the notice for the page on success.
    #[cfg(feature = "ssr")]
    fn save(
        &self,
        state: &crate::state::AppState,
        user: &User,
    ) -> impl std::future::Future<Output = Result<Notice, Refused<Self>>> + Send;

    /// What the page shows when a save came back refused: by default the
    /// form as typed. A form that sends only part of what it shows merges
    /// the stored rest in here.
    #[cfg(feature = "ssr")]
    fn again(
        form: FormState<Self>,
        _state: &crate::state::AppState,
        _user: &User,
    ) -> impl std::future::Future<Output = Result<FormState<Self>, AppError>> + Send {
        async move { Ok(form) }
    }
}

/// Why a save did not happen.
#[cfg(feature = "ssr")]
#[derive(Debug)]
pub enum Refused<F> {
    /// The save's own refusal: the kit shows the form again as typed, with
    /// the fields' problems (422) or the error's sentence at the top.
    Save(SaveError),
    /// The form to show instead of what was typed, answered with `err`'s
    /// status (a conflict that shows what is stored now).
    Form(FormState<F>, SaveError),
    /// A read the save needed failed: 503 or 500, nothing saved.
    Failed(AppError),
}

#[cfg(feature = "ssr")]
impl<F> From<SaveError> for Refused<F> {
    fn from(err: SaveError) -> Self {
        Refused::Save(err)
    }
}

#[cfg(feature = "ssr")]
impl<F> From<sqlx::Error> for Refused<F> {
    fn from(err: sqlx::Error) -> Self {
        Refused::Failed(AppError::from(err))
    }
}

/// The form a page shows: the role checked (401 and 403 as `AppError`, which
/// the editors' pages turn into sign-in or the refusal), then the state a
/// refused save came back with, or the stored form.
///
/// Not a server function: the editors' pages render on the server only (the
/// islands architecture), so the form is read in the render itself and no
/// endpoint is opened for it. In the browser build it is never called.
pub async fn shown<F: EditForm>() -> Result<FormState<F>, AppError> {
    #[cfg(feature = "ssr")]
    {
        let (state, user) = crate::auth::require(F::ROLE).await?;
        match super::came_back::<F>() {
            Some(form) => F::again(form, &state, &user).await,
            None => Ok(FormState::stored(F::load(&state, &user).await?)),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::Internal)
    }
}

/// What the server does with a sent form.
#[cfg(feature = "ssr")]
pub enum Submitted {
    /// Saved (or nothing to save): 303 to the form's page with this notice.
    Done(Notice),
    /// The page again: `provide` puts the form state in the render's
    /// context for [`shown`] to find; `err` decides the status.
    Again {
        err: SaveError,
        provide: std::sync::Arc<dyn Fn() + Send + Sync>,
    },
    /// A read failed (503 or 500).
    Failed(AppError),
}

/// One form's route, for the server to mount: its path, its role, and its
/// submission with the form's type erased.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
pub struct FormRoute {
    pub path: &'static str,
    pub role: Role,
    pub submit: fn(crate::state::AppState, User, Vec<(String, String)>) -> Submission,
}

/// A form's submission under way.
#[cfg(feature = "ssr")]
pub type Submission = std::pin::Pin<Box<dyn std::future::Future<Output = Submitted> + Send>>;

#[cfg(feature = "ssr")]
impl FormRoute {
    /// The route of the form `F`.
    pub fn of<F: EditForm>() -> FormRoute {
        FormRoute {
            path: F::PATH,
            role: F::ROLE,
            submit: |state, user, pairs| Box::pin(submit::<F>(state, user, pairs)),
        }
    }
}

/// Reads and saves one sent form `F`.
#[cfg(feature = "ssr")]
async fn submit<F: EditForm>(
    state: crate::state::AppState,
    user: User,
    pairs: Vec<(String, String)>,
) -> Submitted {
    let input = F::read(&pairs);
    let (form, err) = match input.save(&state, &user).await {
        Ok(notice) => return Submitted::Done(notice),
        Err(Refused::Failed(err)) => return Submitted::Failed(err),
        Err(Refused::Form(form, err)) => (form, err),
        Err(Refused::Save(err)) => (FormState::refused(input, &err), err),
    };
    Submitted::Again {
        err,
        provide: std::sync::Arc::new(move || leptos::prelude::provide_context(form.clone())),
    }
}
