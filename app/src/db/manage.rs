//! Changes editors and administrators make outside the resource form:
//! publishing, deleting, organisations, the taxonomy and accounts. Every
//! change writes its audit entry in the same transaction.

use std::collections::HashMap;

use sqlx::SqlitePool;

use super::editing::{load_input, save, SaveError, Saved};
use crate::{
    auth::{audit, hash_password_off_thread, Role, User},
    domain::{
        account::{check_password, AccountInput, AccountRow},
        audit::{AuditAction, AuditPage, AUDIT_PAGE_SIZE},
        catalogue::FacetValue,
        form::FieldError,
        organisation::{OrganisationInput, OrganisationRow, StoredOrganisation},
        slugify,
        taxonomy::{check_value_label, FacetAdmin, FacetChoices, ValueAdmin},
    },
};

fn invalid(field: &str, message: impl Into<String>) -> SaveError {
    SaveError::Invalid(vec![FieldError::new(field, message)])
}

// ── Resources ────────────────────────────────────────────────────────────

/// Publishes or unpublishes a resource, as a new version. `version` is the
/// one the editor saw; an older one is a conflict.
pub async fn set_status(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    status: &str,
    version: Option<i64>,
) -> Result<Saved, SaveError> {
    let mut conn = pool.acquire().await?;
    let mut input = load_input(&mut conn, id)
        .await?
        .ok_or(SaveError::NotFound)?;
    drop(conn);
    input.status = status.to_string();
    input.version = version;
    save(pool, user, Some(id), input).await
}

/// Deletes a resource with its links and versions. Resources that named it
/// as related or as their successor simply lose that link.
pub async fn delete_resource(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    version: Option<i64>,
) -> Result<String, SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let (title, current): (String, i64) =
        sqlx::query_as("SELECT title, version FROM resource WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(SaveError::NotFound)?;
    if version != Some(current) {
        return Err(SaveError::Conflict {
            current_version: current,
        });
    }
    sqlx::query("DELETE FROM resource WHERE id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM resource_fts WHERE rowid = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        AuditAction::Delete,
        "resource",
        Some(id),
        &format!("«{title}»"),
    )
    .await?;
    tx.commit().await?;
    Ok(title)
}

// ── Organisations ────────────────────────────────────────────────────────

pub async fn organisations(pool: &SqlitePool) -> Result<Vec<OrganisationRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT o.slug, o.name, (SELECT count(*) FROM resource_organisation ro WHERE ro.organisation_id = o.id)
           FROM organisation o",
    )
    .fetch_all(pool)
    .await?;
    let mut rows: Vec<OrganisationRow> = rows
        .into_iter()
        .map(|(slug, name, uses)| OrganisationRow { slug, name, uses })
        .collect();
    rows.sort_by_cached_key(|r| crate::domain::norwegian_sort_key(&r.name));
    Ok(rows)
}

/// Facets (with their live values) that apply to `target` ("resource" or "organisation").
pub async fn facet_choices(
    pool: &SqlitePool,
    target: &str,
) -> Result<Vec<FacetChoices>, sqlx::Error> {
    let mut facets: Vec<FacetChoices> = Vec::new();
    for (key, label, multiple, value_key, value_label) in sqlx::query_as::<_, (String, String, bool, String, String)>(
        "SELECT f.key, f.label, f.multiple, v.key, v.label FROM facet f JOIN facet_value v ON v.facet_key = f.key
          WHERE f.applies_to IN (?1, 'both') AND v.retired = 0 ORDER BY f.position, v.position",
    )
    .bind(target)
    .fetch_all(pool)
    .await?
    {
        let value = FacetValue { key: value_key, label: value_label };
        match facets.last_mut() {
            Some(f) if f.key == key => f.values.push(value),
            _ => facets.push(FacetChoices { key, label, multiple, values: vec![value] }),
        }
    }
    Ok(facets)
}

/// An organisation as stored, for its form: `None` when `slug` names none.
pub async fn organisation_form(
    pool: &SqlitePool,
    slug: &str,
) -> Result<Option<StoredOrganisation>, sqlx::Error> {
    let Some((id, name, short_name, website, description)) =
        sqlx::query_as::<_, (i64, String, Option<String>, Option<String>, String)>(
            "SELECT id, name, short_name, website, description FROM organisation WHERE slug = ?1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let mut chosen: Vec<(String, Vec<String>)> = Vec::new();
    for (facet, value) in sqlx::query_as::<_, (String, String)>(
        "SELECT v.facet_key, v.key FROM organisation_facet of JOIN facet_value v ON v.id = of.facet_value_id
           JOIN facet f ON f.key = v.facet_key WHERE of.organisation_id = ?1 ORDER BY f.position, v.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        match chosen.last_mut() {
            Some((f, values)) if *f == facet => values.push(value),
            _ => chosen.push((facet, vec![value])),
        }
    }
    let uses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM resource_organisation WHERE organisation_id = ?1")
            .bind(id)
            .fetch_one(pool)
            .await?;
    let input = OrganisationInput {
        slug: slug.to_string(),
        name,
        short_name: short_name.unwrap_or_default(),
        website: website.unwrap_or_default(),
        description,
        facets: chosen,
    };
    Ok(Some(StoredOrganisation { id, input, uses }))
}

/// Creates (`id` = None) or updates an organisation.
pub async fn save_organisation(
    pool: &SqlitePool,
    user: &User,
    id: Option<i64>,
    input: OrganisationInput,
) -> Result<String, SaveError> {
    let input = input.normalised();
    let mut errors = input.check();
    let mut tx = super::begin_write(pool).await?;
    let facets: HashMap<String, (bool, String, String)> =
        sqlx::query_as::<_, (String, bool, String, String)>(
            "SELECT key, multiple, applies_to, label FROM facet",
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(k, m, a, l)| (k, (m, a, l)))
        .collect();
    let value_ids: HashMap<(String, String), i64> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT facet_key, key, id FROM facet_value WHERE retired = 0",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(f, k, id)| ((f, k), id))
    .collect();
    let mut chosen = Vec::new();
    for (facet, values) in &input.facets {
        let field = format!("facets.{facet}");
        match facets.get(facet) {
            Some((multiple, applies, _)) if applies != "resource" => {
                if !multiple && values.len() > 1 {
                    errors.push(FieldError::new(field.clone(), "Velg bare én."));
                }
                for value in values {
                    match value_ids.get(&(facet.clone(), value.clone())) {
                        Some(id) => chosen.push(*id),
                        None => errors.push(FieldError::new(
                            field.clone(),
                            format!("Ukjent valg «{value}»."),
                        )),
                    }
                }
            }
            _ => errors.push(FieldError::new(
                field,
                "Denne egenskapen gjelder ikke organisasjoner.",
            )),
        }
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM organisation WHERE slug = ?1")
        .bind(&input.slug)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() && taken != id {
        errors.push(FieldError::new(
            "slug",
            "Denne adressen er allerede i bruk. Velg en annen.",
        ));
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let short = (!input.short_name.is_empty()).then_some(&input.short_name);
    let website = (!input.website.is_empty()).then_some(&input.website);
    let (id, action) = match id {
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisation (slug, name, short_name, website, description) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            )
            .bind(&input.slug)
            .bind(&input.name)
            .bind(short)
            .bind(website)
            .bind(&input.description)
            .fetch_one(&mut *tx)
            .await?;
            (id, AuditAction::Create)
        }
        Some(id) => {
            let done = sqlx::query(
                "UPDATE organisation SET slug = ?2, name = ?3, short_name = ?4, website = ?5, description = ?6,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            )
            .bind(id)
            .bind(&input.slug)
            .bind(&input.name)
            .bind(short)
            .bind(website)
            .bind(&input.description)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(SaveError::NotFound);
            }
            (id, AuditAction::Update)
        }
    };
    sqlx::query("DELETE FROM organisation_facet WHERE organisation_id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for value in chosen {
        sqlx::query("INSERT OR IGNORE INTO organisation_facet (organisation_id, facet_value_id) VALUES (?1, ?2)")
            .bind(id)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    // Search finds resources by their organisations' names.
    let linked: Vec<i64> = sqlx::query_scalar(
        "SELECT resource_id FROM resource_organisation WHERE organisation_id = ?1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for resource in linked {
        crate::search::index_resource(&mut tx, resource).await?;
    }
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        action,
        "organisation",
        Some(id),
        &format!("«{}»", input.name),
    )
    .await?;
    tx.commit().await?;
    Ok(input.slug)
}

/// Deletes an organisation no resource names.
pub async fn delete_organisation(
    pool: &SqlitePool,
    user: &User,
    id: i64,
) -> Result<String, SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let name: String = sqlx::query_scalar("SELECT name FROM organisation WHERE id = ?1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)?;
    let uses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM resource_organisation WHERE organisation_id = ?1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if uses > 0 {
        return Err(invalid(
            "delete",
            format!(
                "«{name}» er ansvarlig for {uses} ressurs{}. Fjern organisasjonen fra dem først.",
                if uses == 1 { "" } else { "er" }
            ),
        ));
    }
    sqlx::query("DELETE FROM organisation WHERE id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        AuditAction::Delete,
        "organisation",
        Some(id),
        &format!("«{name}»"),
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}

// ── The taxonomy ─────────────────────────────────────────────────────────

pub async fn taxonomy(pool: &SqlitePool) -> Result<Vec<FacetAdmin>, sqlx::Error> {
    let mut facets: Vec<FacetAdmin> =
        sqlx::query_as::<_, (String, String)>("SELECT key, label FROM facet ORDER BY position")
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(key, label)| FacetAdmin {
                key,
                label,
                values: Vec::new(),
            })
            .collect();
    for (facet, id, key, label, retired, uses) in
        sqlx::query_as::<_, (String, i64, String, String, bool, i64)>(
            "SELECT v.facet_key, v.id, v.key, v.label, v.retired,
                (SELECT count(*) FROM resource_facet rf WHERE rf.facet_value_id = v.id)
                + (SELECT count(*) FROM organisation_facet of WHERE of.facet_value_id = v.id)
           FROM facet_value v ORDER BY v.position, v.id",
        )
        .fetch_all(pool)
        .await?
    {
        if let Some(f) = facets.iter_mut().find(|f| f.key == facet) {
            f.values.push(ValueAdmin {
                id,
                key,
                label,
                retired,
                uses,
            });
        }
    }
    Ok(facets)
}

/// Adds a value at the end of a facet. The key is made from the label.
pub async fn add_value(
    pool: &SqlitePool,
    user: &User,
    facet: &str,
    label: &str,
) -> Result<i64, SaveError> {
    let label = label.trim();
    if let Some(error) = check_value_label(label) {
        return Err(SaveError::Invalid(vec![error]));
    }
    let key = slugify(label);
    if key.is_empty() {
        return Err(invalid(
            "label",
            "Navnet må ha minst én bokstav eller ett tall.",
        ));
    }
    let mut tx = super::begin_write(pool).await?;
    let facet_label: String = sqlx::query_scalar("SELECT label FROM facet WHERE key = ?1")
        .bind(facet)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)?;
    let exists: Option<String> = sqlx::query_scalar("SELECT label FROM facet_value WHERE facet_key = ?1 AND (key = ?2 OR lower(label) = lower(?3))")
        .bind(facet)
        .bind(&key)
        .bind(label)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(existing) = exists {
        return Err(invalid(
            "label",
            format!("«{existing}» finnes allerede under {facet_label}."),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO facet_value (facet_key, key, label, position)
         VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM facet_value WHERE facet_key = ?1)) RETURNING id",
    )
    .bind(facet)
    .bind(&key)
    .bind(label)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        AuditAction::Create,
        "facet_value",
        Some(id),
        &format!("{facet_label}: «{label}»"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn value_row(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
) -> Result<(String, String), SaveError> {
    sqlx::query_as("SELECT facet_key, label FROM facet_value WHERE id = ?1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(SaveError::NotFound)
}

/// Renames a value; its key (used in links) stays, so shared URLs keep working.
pub async fn rename_value(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    label: &str,
) -> Result<(), SaveError> {
    let label = label.trim();
    if let Some(error) = check_value_label(label) {
        return Err(SaveError::Invalid(vec![error]));
    }
    let mut tx = super::begin_write(pool).await?;
    let (facet, old) = value_row(&mut tx, id).await?;
    let clash: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM facet_value WHERE facet_key = ?1 AND lower(label) = lower(?2) AND id <> ?3",
    )
    .bind(&facet)
    .bind(label)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if clash.is_some() {
        return Err(invalid("label", format!("«{label}» finnes allerede.")));
    }
    sqlx::query("UPDATE facet_value SET label = ?2 WHERE id = ?1")
        .bind(id)
        .bind(label)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        AuditAction::Rename,
        "facet_value",
        Some(id),
        &format!("«{old}» → «{label}»"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a value one place up or down within its facet.
pub async fn move_value(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    up: bool,
) -> Result<(), SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let (facet, label) = value_row(&mut tx, id).await?;
    let mut ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM facet_value WHERE facet_key = ?1 ORDER BY position, id")
            .bind(&facet)
            .fetch_all(&mut *tx)
            .await?;
    let Some(at) = ids.iter().position(|v| *v == id) else {
        return Err(SaveError::NotFound);
    };
    let to = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|t| *t < ids.len())
    };
    let Some(to) = to else { return Ok(()) };
    ids.swap(at, to);
    for (position, value) in ids.iter().enumerate() {
        sqlx::query("UPDATE facet_value SET position = ?2 WHERE id = ?1")
            .bind(value)
            .bind(position as i64 + 1)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        if up {
            AuditAction::MoveUp
        } else {
            AuditAction::MoveDown
        },
        "facet_value",
        Some(id),
        &format!("«{label}»"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How many resources and organisations carry a value.
pub async fn value_uses(pool: &SqlitePool, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM resource_facet WHERE facet_value_id = ?1)
              + (SELECT count(*) FROM organisation_facet WHERE facet_value_id = ?1)",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

/// Retires (or brings back) a value. A retired value stays on what already
/// carries it but is offered nowhere. Retiring one in use needs `confirmed`,
/// given after the editor has been told how many use it.
pub async fn set_retired(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    retired: bool,
    confirmed: bool,
) -> Result<(), SaveError> {
    let uses = value_uses(pool, id).await?;
    let mut tx = super::begin_write(pool).await?;
    let (_, label) = value_row(&mut tx, id).await?;
    if retired && uses > 0 && !confirmed {
        return Err(SaveError::Invalid(vec![FieldError::new(
            "confirm",
            format!("«{label}» brukes av {uses}."),
        )]));
    }
    sqlx::query("UPDATE facet_value SET retired = ?2 WHERE id = ?1")
        .bind(id)
        .bind(retired)
        .execute(&mut *tx)
        .await?;
    let summary = format!("«{label}» (brukt av {uses})");
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        if retired {
            AuditAction::Retire
        } else {
            AuditAction::Reinstate
        },
        "facet_value",
        Some(id),
        &summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ── Accounts ─────────────────────────────────────────────────────────────

pub async fn accounts(pool: &SqlitePool) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, display_name, role, disabled FROM account ORDER BY disabled, username",
    )
    .fetch_all(pool)
    .await
}

pub async fn create_account(
    pool: &SqlitePool,
    user: &User,
    input: &AccountInput,
) -> Result<i64, SaveError> {
    let username_taken = || FieldError::new("username", "Brukernavnet er i bruk. Velg et annet.");
    let mut errors = input.check();
    // The friendly check; the UNIQUE constraint below catches a race with
    // another administrator creating the same name meanwhile.
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE username = ?1")
        .bind(&input.username)
        .fetch_optional(pool)
        .await?;
    if taken.is_some() {
        errors.push(username_taken());
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let hash = hash_password_off_thread(&input.password)
        .await
        .map_err(|_| SaveError::Db("hashing".into()))?;
    let mut tx = super::begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO account (username, display_name, password_hash, role) VALUES (?1, ?2, ?3, ?4) RETURNING id")
        .bind(&input.username)
        .bind(&input.display_name)
        .bind(&hash)
        .bind(&input.role)
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            if super::is_unique_violation(&err, "account.username") {
                SaveError::Invalid(vec![username_taken()])
            } else {
                SaveError::from(err)
            }
        })?;
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        AuditAction::Create,
        "account",
        Some(id),
        &format!("{} ({})", input.username, input.role),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What an administrator can change about an account.
pub enum AccountChange {
    Role(Role),
    Disabled(bool),
    Password(String),
}

/// Changes an account. The last active administrator can be neither demoted
/// nor disabled, so the site always has someone who can manage it.
pub async fn change_account(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    change: AccountChange,
) -> Result<String, SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let (username, role, disabled): (String, String, bool) =
        sqlx::query_as("SELECT username, role, disabled FROM account WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(SaveError::NotFound)?;
    let removes_admin = role == "admin"
        && !disabled
        && matches!(
            change,
            AccountChange::Role(Role::Editor) | AccountChange::Disabled(true)
        );
    if removes_admin {
        let admins: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0",
        )
        .fetch_one(&mut *tx)
        .await?;
        if admins <= 1 {
            return Err(invalid(
                "account",
                "Nettstedet må ha minst én aktiv administrator.",
            ));
        }
    }
    let summary = match &change {
        AccountChange::Role(role) => {
            sqlx::query("UPDATE account SET role = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
                .bind(id)
                .bind(role.key())
                .execute(&mut *tx)
                .await?;
            format!("{username}: rolle {}", role.key())
        }
        AccountChange::Disabled(off) => {
            sqlx::query("UPDATE account SET disabled = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
                .bind(id)
                .bind(off)
                .execute(&mut *tx)
                .await?;
            if *off {
                sqlx::query("DELETE FROM session WHERE account_id = ?1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            format!(
                "{username}: {}",
                if *off { "deaktivert" } else { "aktivert" }
            )
        }
        AccountChange::Password(password) => {
            if let Some(error) = check_password(password) {
                return Err(SaveError::Invalid(vec![error]));
            }
            let hash = hash_password_off_thread(password)
                .await
                .map_err(|_| SaveError::Db("hashing".into()))?;
            sqlx::query("UPDATE account SET password_hash = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
                .bind(id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            // A new password ends the account's open sessions (but not the
            // administrator's own, when they set someone else's).
            sqlx::query("DELETE FROM session WHERE account_id = ?1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            format!("{username}: nytt passord")
        }
    };
    audit(
        &mut *tx,
        Some(user.id),
        &user.username,
        AuditAction::Update,
        "account",
        Some(id),
        &summary,
    )
    .await?;
    tx.commit().await?;
    Ok(username)
}

// ── The audit log ────────────────────────────────────────────────────────

pub async fn audit_page(pool: &SqlitePool, page: u32) -> Result<AuditPage, sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(pool)
        .await?;
    let pages = ((total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE).max(1) as u32;
    let page = page.min(pages);
    let entries = sqlx::query_as(
        "SELECT at, actor, action, entity, summary FROM audit_log ORDER BY id DESC LIMIT ?1 OFFSET ?2",
    )
    .bind(AUDIT_PAGE_SIZE)
    .bind((page as i64 - 1) * AUDIT_PAGE_SIZE)
    .fetch_all(pool)
    .await?;
    Ok(AuditPage {
        entries,
        page,
        pages,
        total,
    })
}
