//! Accounts as administrators manage them: the form's input and checks,
//! and the list.

use serde::{Deserialize, Serialize};

use super::form::{field, FieldError, Fields, FormState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Manages content, accounts and the taxonomy.
    Admin,
    /// Manages content.
    Editor,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Editor => "Redaktør",
        }
    }

    /// Whether this role includes everything `needed` allows.
    pub fn allows(self, needed: Role) -> bool {
        matches!(
            (self, needed),
            (Role::Admin, _) | (Role::Editor, Role::Editor)
        )
    }
}

/// The signed-in user, as the pages know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// What a browser the account does not know is told once the account's
/// budget is spent.
pub const UNKNOWN_DEVICE_MESSAGE: &str = "Det har vært for mange mislykkede innlogginger på denne kontoen den siste timen. Derfor slipper vi nå bare inn nettlesere som har vært logget inn på kontoen før. Prøv igjen om en time fra en nettleser du har logget inn med før, eller be en administrator om hjelp.";

pub const PASSWORD_MIN: usize = 12;

/// A new account (or a new password for one), as an administrator types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

impl AccountInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        AccountInput {
            username: field(pairs, "username").trim().to_string(),
            display_name: field(pairs, "display_name").trim().to_string(),
            role: field(pairs, "role"),
            password: field(pairs, "password"),
        }
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name_ok = |s: &str| {
            (2..=60).contains(&s.chars().count())
                && s.chars().all(|c| c.is_alphanumeric() || "-_.@".contains(c))
        };
        if !name_ok(&self.username) {
            errors.push(FieldError::new("username", "Brukernavnet må ha 2–60 tegn: bokstaver, tall, punktum, bindestrek, understrek eller @."));
        }
        if self.display_name.is_empty() || self.display_name.chars().count() > 100 {
            errors.push(FieldError::new(
                "display_name",
                "Skriv et navn på høyst 100 tegn.",
            ));
        }
        if self.role != "admin" && self.role != "editor" {
            errors.push(FieldError::new("role", "Velg en rolle."));
        }
        errors.extend(check_password(
            &self.password,
            &[&self.username, &self.display_name],
        ));
        errors
    }
}

/// The one password rule, wherever a password is set (the accounts form,
/// an administrator's new password for someone, the CLI): 12–200
/// characters, and not easy to guess (zxcvbn score 3 or more, with the
/// user name, the name and this site's words counted as known; review 3,
/// N11). `user_inputs` are the account's user name and name.
pub fn check_password(password: &str, user_inputs: &[&str]) -> Option<FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Some(FieldError::new(
            "password",
            format!("Passordet må ha minst {PASSWORD_MIN} tegn."),
        ))
    } else if n > 200 {
        Some(FieldError::new(
            "password",
            "Passordet kan ha høyst 200 tegn.",
        ))
    } else {
        guessable(password, user_inputs).map(|why| {
            FieldError::new(
                "password",
                format!(
                    "Passordet er for lett å gjette: {why} Bruk gjerne tre eller fire vanlige ord som ikke hører sammen."
                ),
            )
        })
    }
}

/// Words anyone guessing at this site would try first.
#[cfg(feature = "ssr")]
const SITE_WORDS: [&str; 10] = [
    "passord",
    "bli involvert",
    "bliinvolvert",
    "brukerinvolvering",
    "redaktør",
    "redaktor",
    "administrator",
    "hemmelig",
    "sommer",
    "vinter",
];

/// Why `password` is easy to guess, in Norwegian, or `None`. Only the
/// server judges (zxcvbn is not in the browser bundles).
#[cfg(feature = "ssr")]
fn guessable(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    use zxcvbn::feedback::Warning;
    let mut known: Vec<&str> = user_inputs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    known.extend(SITE_WORDS);
    let estimate = zxcvbn::zxcvbn(password, &known);
    if estimate.score() >= zxcvbn::Score::Three {
        return None;
    }
    let warning = estimate.feedback().and_then(|f| f.warning());
    Some(match warning {
        Some(
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword,
        ) => "det er blant de vanligste passordene.",
        Some(Warning::ThisIsSimilarToACommonlyUsedPassword) => {
            "det ligner et av de vanligste passordene."
        }
        Some(
            Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess,
        ) => "taster som ligger etter hverandre på tastaturet, er lette å gjette.",
        Some(
            Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "gjentakelser som «aaa» eller «abcabc» er lette å gjette.",
        Some(Warning::SequencesLikeAbcAreEasyToGuess) => {
            "rekker som «abc» eller «12345» er lette å gjette."
        }
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
            "årstall og datoer er lette å gjette."
        }
        Some(Warning::AWordByItselfIsEasyToGuess) => "ett ord alene er lett å gjette.",
        Some(
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
            | Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "navn er lette å gjette.",
        None => "det ligner for mye på vanlige passord, på brukernavnet eller på navnet.",
    })
}

#[cfg(not(feature = "ssr"))]
fn guessable(_password: &str, _user_inputs: &[&str]) -> Option<&'static str> {
    None
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
    /// Has a second factor (review 3, N11).
    pub factor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    pub me: User,
    pub accounts: Vec<AccountRow>,
    pub echo: Option<FormState<Fields>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{organisation::OrganisationInput, taxonomy::check_value_label};

    #[test]
    fn organisation_and_account_checks() {
        let org = OrganisationInput::from_form(&[
            ("name".into(), "Rådet for psykisk helse".into()),
            ("website".into(), "radet.no".into()),
        ]);
        assert_eq!(org.slug, "radet-for-psykisk-helse");
        assert_eq!(
            org.check()
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["website"]
        );
        let account = AccountInput {
            username: "kari".into(),
            display_name: "Kari".into(),
            role: "editor".into(),
            password: "kort".into(),
        };
        assert_eq!(
            account
                .check()
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["password"]
        );
        assert!(check_value_label("  ").is_some() && check_value_label("Ungdom").is_none());
    }

    /// Review 3, N11: a common password with digits is refused, by the
    /// field, in Norwegian; a long phrase passes.
    #[test]
    fn guessable_passwords_are_refused() {
        let refused = check_password("Passord12345", &["kari", "Kari Nordmann"]).unwrap();
        assert_eq!(refused.field, "password");
        assert!(
            refused
                .message
                .starts_with("Passordet er for lett å gjette: "),
            "{}",
            refused.message
        );
        for weak in ["kari.nordmann", "qwertyuiop123", "Kari.Nordmann1"] {
            assert!(
                check_password(weak, &["kari.nordmann", "Kari Nordmann"]).is_some(),
                "{weak}"
            );
        }
        assert_eq!(check_password("et langt testpassord 123", &["kari"]), None);
        assert_eq!(check_password("riktig hest batteri stift", &["kari"]), None);
    }
}
