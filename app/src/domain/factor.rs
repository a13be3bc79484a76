//! The second factor as the pages see it (review 3, N11): the set-up page's
//! data and the sign-in's second step. The arithmetic and the storage are
//! server only, in `auth::totp` and `auth::factor`.

use serde::{Deserialize, Serialize};

use super::form::{Fields, FormState};
use crate::domain::account::User;

/// The set-up page: `/redaktor/konto/totp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorSetup {
    pub user: User,
    /// An administrator without a factor, just past the password: nothing
    /// else is open to them until this is done.
    pub forced: bool,
    pub enabled: bool,
    /// Unused recovery codes.
    pub codes_left: i64,
    /// While the factor is off: the secret offered.
    pub offer: Option<FactorOffer>,
    /// Right after set-up: the recovery codes, shown this once.
    pub new_codes: Vec<String>,
    /// The set-up form as it came back (the secret offered, the code's problem).
    pub echo: Option<FormState<Fields>>,
    /// Where to go on after set-up (a local path).
    pub next: String,
}

/// A new secret, offered until a code confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorOffer {
    /// Base32, as the form posts it back.
    pub secret: String,
    /// The same in groups of four, for typing by hand.
    pub grouped: String,
    /// The `otpauth://` address as an inline SVG QR code.
    pub qr_svg: String,
}

/// The recovery codes made by a set-up, for the page that shows them once
/// (context of the answer to the set-up form; never in a URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecoveryCodes(pub Vec<String>);

/// The sign-in's second step as posted (it comes back as a
/// `FormState<CodeInput>` with the problem's sentence, [`code_problem`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeInput {
    pub next: String,
    /// The form asked for a recovery code.
    pub recovery: bool,
}

/// What a second-step problem code says.
pub fn code_problem(code: &str) -> &'static str {
    match code {
        "feil" => "Koden stemmer ikke, eller den er brukt før. Vent til appen viser en ny kode, og prøv igjen.",
        "sperret" => "For mange feil koder. Vent et kvarter og prøv igjen.",
        "tom" => "Skriv inn koden.",
        _ => "Noe gikk galt hos oss. Prøv igjen om litt.",
    }
}

/// What a set-up problem says, by the code field.
pub fn setup_problem(code: &str) -> &'static str {
    match code {
        "feil" => "Koden stemmer ikke. Sjekk at appen viser «Bli involvert» med brukernavnet ditt, og skriv inn koden den viser nå (seks siffer).",
        "allerede" => "Totrinnsinnlogging er allerede slått på for kontoen din.",
        "nokkel" => "Nøkkelen i skjemaet er ødelagt. Last siden på nytt og begynn igjen.",
        _ => "Noe gikk galt hos oss, og ingenting ble endret. Prøv igjen om litt.",
    }
}
