//! The one error type that crosses the wire from server functions.
//!
//! Every variant's message is a Norwegian sentence fit to show a visitor. The
//! internal cause (an SQL error, an IO error) is logged on the server where it
//! happens and never serialised, so nothing from the database or file system
//! reaches a browser.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 404: the page or record does not exist (or is not published).
    #[error("Vi fant ikke det du lette etter.")]
    NotFound,
    /// 401: the page needs a signed-in editor.
    #[error("Du må logge inn for å se denne siden.")]
    Unauthorized,
    /// 403: signed in, but the role does not allow it.
    #[error("Du har ikke tilgang til dette.")]
    Forbidden,
    /// 400: the request itself was malformed in a way the user can fix.
    #[error("{0}")]
    BadRequest(String),
    /// 500: something failed on our side; the cause is in the server log.
    #[error("Noe gikk galt hos oss. Prøv igjen om litt.")]
    Internal,
    /// The request never got a proper answer (network, decoding).
    #[error("Vi fikk ikke kontakt med serveren. Sjekk nettforbindelsen og prøv igjen.")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a page showing this error should carry.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::BadRequest(_) => 400,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}
