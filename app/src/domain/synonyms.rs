//! The synonym groups' form as the page shows it.

use serde::{Deserialize, Serialize};

use super::form::{FieldError, FormState};

/// The form's fields: the groups, one per line with commas between the
/// words, and a fingerprint of the list the form was opened with, so a save
/// made from an older list is refused (review 3, N5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymsInput {
    pub text: String,
    pub opened: String,
}

pub type SynonymsEditor = FormState<SynonymsInput>;

/// The hidden field with the fingerprint of the list the form showed.
pub const OPENED: &str = "apnet";

/// Longest word or phrase in a synonym group, in bytes.
pub const MAX_SYNONYM_CHARS: usize = 80;

/// The rule for one synonym group, for the file import and the admin form
/// alike: at least two words or phrases, none empty or longer than
/// `MAX_SYNONYM_CHARS`.
pub fn check_synonym_group(group: &[String]) -> Result<(), &'static str> {
    if group.len() < 2
        || group
            .iter()
            .any(|t| t.trim().is_empty() || t.len() > MAX_SYNONYM_CHARS)
    {
        return Err("en gruppe trenger minst to ord, og hvert ord høyst 80 tegn");
    }
    Ok(())
}

/// The form's one field.
pub const FIELD: &str = "grupper";

/// Groups from the form's text: one per line, words separated by commas,
/// blank lines and empty words skipped.
pub fn parse_form(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            line.split(',')
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect::<Vec<String>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// The groups as the form shows them.
pub fn to_form(groups: &[Vec<String>]) -> String {
    groups
        .iter()
        .map(|g| g.join(", "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A fingerprint of a list as the form shows it: the form carries the one
/// it was opened with, and a save checks it against what is stored.
pub fn fingerprint(groups: &[Vec<String>]) -> String {
    super::texts::fingerprint(&to_form(groups))
}

/// The first broken group, as an error on the field (line numbers count
/// non-blank lines, as the editor sees groups).
pub fn check(groups: &[Vec<String>]) -> Vec<FieldError> {
    groups
        .iter()
        .enumerate()
        .find_map(|(i, g)| {
            check_synonym_group(g).err().map(|message| FieldError {
                field: FIELD.into(),
                message: format!(
                    "Gruppe {} («{}»): {message}. Skriv ordene på én linje, med komma mellom.",
                    i + 1,
                    g.join(", ")
                ),
            })
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_text_round_trips_and_lonely_words_are_refused() {
        let groups = parse_form("bruker, pasient\n\n  pårørende ,familie, \n");
        assert_eq!(
            groups,
            vec![
                vec!["bruker".to_string(), "pasient".into()],
                vec!["pårørende".into(), "familie".into()]
            ]
        );
        assert_eq!(parse_form(&to_form(&groups)), groups);
        assert!(check(&groups).is_empty());
        let errors = check(&parse_form("bruker, pasient\nensom"));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.starts_with("Gruppe 2"), "{errors:?}");
    }
}
