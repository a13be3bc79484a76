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
    /// 503: the database cannot be written (disk full, read-only file) or
    /// is busy; reading still works, and nothing was saved.
    #[error("Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Ingenting ble lagret. Prøv igjen senere.")]
    Unavailable,
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
            AppError::Unavailable => 503,
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
            other if storage_failure(&other).is_some() => AppError::Unavailable,
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// Why the database refused a write, when the cause is the storage itself
/// (SQLite's primary result codes: disk full, read-only, I/O error, cannot
/// open, busy past the timeout). Logs one clear line for the operator, with
/// what to do; `None` for every other error.
#[cfg(feature = "ssr")]
pub fn storage_failure(err: &sqlx::Error) -> Option<&'static str> {
    let sqlx::Error::Database(db) = err else {
        return None;
    };
    let code: i32 = db.code()?.parse().ok()?;
    let cause = match code & 0xff {
        13 => "the disk is full: free space, then the site saves again by itself",
        8 => "the database is read-only: make the file and its folder writable, then the site saves again by itself",
        10 => "an I/O error on the database file: check the disk",
        14 => "the database file cannot be opened: check the path and permissions",
        5 | 6 => "the database stayed locked past the busy timeout",
        _ => return None,
    };
    tracing::error!(error = %db, "database storage failure: {cause}");
    Some(cause)
}

/// The message for a failed save, in Norwegian, and whether the storage
/// refused it (503) rather than something else failing (500). Logs the cause.
#[cfg(feature = "ssr")]
pub fn save_failed(err: &sqlx::Error) -> (bool, &'static str) {
    if storage_failure(err).is_some() {
        (true, "Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Ingenting ble lagret. Prøv igjen senere.")
    } else {
        tracing::error!(error = %err, "database error");
        (
            false,
            "Noe gikk galt hos oss, og ingenting ble lagret. Prøv igjen om litt.",
        )
    }
}
