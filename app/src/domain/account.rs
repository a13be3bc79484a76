//! Accounts as administrators manage them: the form's input and checks,
//! and the list.

use serde::{Deserialize, Serialize};

use super::form::{field, FieldError, FormEcho};
use crate::auth::User;

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
        errors.extend(check_password(&self.password));
        errors
    }
}

pub fn check_password(password: &str) -> Option<FieldError> {
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
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    pub me: User,
    pub accounts: Vec<AccountRow>,
    pub echo: Option<FormEcho>,
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
}
