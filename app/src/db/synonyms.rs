//! The synonym groups as admins edit them in the app (server only). The
//! form shows one group per line, words separated by commas; the rule for a
//! group is the file import's (`content::check_synonym_group`).

use sqlx::SqlitePool;

use crate::{
    db::audit::{audit, AuditEntry},
    db::editing::SaveError,
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        form::FieldError,
    },
};

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
    crate::domain::texts::fingerprint(&to_form(groups))
}

/// The first broken group, as an error on the field (line numbers count
/// non-blank lines, as the editor sees groups).
pub fn check(groups: &[Vec<String>]) -> Vec<FieldError> {
    groups
        .iter()
        .enumerate()
        .find_map(|(i, g)| {
            crate::content::check_synonym_group(g)
                .err()
                .map(|message| FieldError {
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

/// Replaces the whole list (as the file import does) in one transaction,
/// with one audit entry. Returns whether anything changed. The triggers
/// bump `catalogue_version`, so searches use the new list at once. With
/// `opened` (the fingerprint of the list the form showed), a list changed
/// since is not overwritten: `SaveError::Conflict` (review 3, N5).
pub async fn save(
    pool: &SqlitePool,
    user: &User,
    groups: &[Vec<String>],
    opened: Option<&str>,
) -> Result<bool, SaveError> {
    let errors = check(groups);
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let wanted: Vec<String> = groups
        .iter()
        .map(|g| serde_json::to_string(g).expect("strings serialise"))
        .collect();
    let mut tx = super::begin_write(pool).await?;
    let current: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
    if current == wanted {
        return Ok(false);
    }
    if let Some(opened) = opened {
        let stored: Vec<Vec<String>> = current
            .iter()
            .filter_map(|terms| serde_json::from_str(terms).ok())
            .collect();
        if fingerprint(&stored) != opened {
            return Err(SaveError::Conflict { current_version: 0 });
        }
    }
    sqlx::query("DELETE FROM synonym_group")
        .execute(&mut *tx)
        .await?;
    for (position, terms) in wanted.iter().enumerate() {
        sqlx::query("INSERT INTO synonym_group (position, terms) VALUES (?1, ?2)")
            .bind(position as i64)
            .bind(terms)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Update,
            entity: AuditEntity::SynonymGroup,
            entity_id: None,
            summary: &format!("{} synonymgrupper", groups.len()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
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
