//! Feedback from visitors and the editors' inbox (server only).

use sqlx::SqlitePool;

use crate::{
    db::audit::{audit, AuditEntry},
    domain::account::User,
    domain::{
        audit::{AuditAction, AuditEntity},
        feedback::{FeedbackDraft, FeedbackKind},
        form::FieldError,
        inbox::{FeedbackEvent, FeedbackItem, HelpfulRow, InboxFilter},
    },
};

/// A random receipt reference like `TB-4K7Q-M2XD` (no 0/O, 1/I/L).
pub fn new_reference() -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("TB-{}-{}", &chars[..4], &chars[4..])
}

/// The live values of a facet, as (key, label) in order.
pub async fn facet_options(
    pool: &SqlitePool,
    facet: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT key, label FROM facet_value WHERE facet_key = ?1 AND retired = 0 ORDER BY position",
    )
    .bind(facet)
    .fetch_all(pool)
    .await
}

/// The kind of the submission with this reference, if there is one.
pub async fn kind_of(pool: &SqlitePool, reference: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT kind FROM feedback WHERE reference = ?1")
        .bind(reference)
        .fetch_optional(pool)
        .await
}

/// The facet value keys the suggestion step offers: (levels, audiences).
pub async fn suggestion_keys(pool: &SqlitePool) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let keys = |facet: &'static str| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT key FROM facet_value WHERE facet_key = ?1 AND retired = 0 ORDER BY position",
        )
        .bind(facet)
        .fetch_all(pool)
        .await
    };
    Ok((keys("nivaa").await?, keys("malgruppe").await?))
}

/// Stores a checked submission and returns its reference. The row is
/// committed before this returns, so a receipt always points at stored
/// feedback. An e-mail address is kept only with consent.
pub async fn submit(
    pool: &SqlitePool,
    draft: &FeedbackDraft,
    retention_days: u32,
) -> Result<String, sqlx::Error> {
    submit_once(pool, draft, retention_days, None).await
}

/// [`submit`], and with a `key` (the feedback island's, one per submission)
/// a submission already stored under that key is not stored again: its
/// reference is returned.
pub async fn submit_once(
    pool: &SqlitePool,
    draft: &FeedbackDraft,
    retention_days: u32,
    key: Option<&str>,
) -> Result<String, sqlx::Error> {
    let reference = new_reference();
    let (email, name) = if draft.consent {
        (draft.email.trim(), draft.name.trim())
    } else {
        ("", draft.name.trim())
    };
    let mut tx = super::begin_write(pool).await?;
    if let Some(key) = key {
        if let Some(stored) = reference_for_key(&mut *tx, key).await? {
            tx.commit().await?;
            return Ok(stored);
        }
    }
    sqlx::query(
        "INSERT INTO feedback (reference, kind, title, url, levels, audiences, topic, page, message,
                               contact_name, contact_email, consent, delete_after, submission_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                 strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+' || ?13 || ' days'), ?14)",
    )
    .bind(&reference)
    .bind(&draft.kind)
    .bind(draft.title.trim())
    .bind(&draft.url)
    .bind(draft.levels.join(","))
    .bind(draft.audiences.join(","))
    .bind(&draft.topic)
    .bind(&draft.page)
    .bind(draft.message.trim())
    .bind(name)
    .bind(email)
    .bind(draft.consent && !email.is_empty())
    .bind(retention_days)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(reference)
}

/// The reference of the submission stored under `key`, if any (in a write
/// transaction, or on the pool).
pub async fn reference_for_key<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT reference FROM feedback WHERE submission_key = ?1")
        .bind(key)
        .fetch_optional(executor)
        .await
}

/// Deletes feedback and comments whose retention period has run out by
/// `now` (ISO time): the one stored with each row, or the current setting
/// of `retention_days` when that is shorter (a lowered setting applies to
/// what is already stored). Returns how many rows went.
pub async fn purge_expired(
    pool: &SqlitePool,
    now: &str,
    retention_days: u32,
) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    for table in ["feedback", "page_helpful_comment"] {
        deleted += sqlx::query(&format!(
            "DELETE FROM {table} WHERE delete_after <= ?1
                OR created_at <= strftime('%Y-%m-%dT%H:%M:%SZ', ?1, '-' || ?2 || ' days')"
        ))
        .bind(now)
        .bind(retention_days)
        .execute(pool)
        .await?
        .rows_affected();
    }
    Ok(deleted)
}

/// Counts a "Ja" or "Nei" for a page, for today.
pub async fn count_helpful(
    pool: &SqlitePool,
    path: &str,
    helpful: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO page_helpful (path, day, yes, no) VALUES (?1, date('now'), ?2, ?3)
         ON CONFLICT (path, day) DO UPDATE SET yes = yes + excluded.yes, no = no + excluded.no",
    )
    .bind(path)
    .bind(helpful as i64)
    .bind(!helpful as i64)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn helpful_comment(
    pool: &SqlitePool,
    path: &str,
    comment: &str,
    retention_days: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO page_helpful_comment (path, comment, delete_after)
         VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+' || ?3 || ' days'))",
    )
    .bind(path)
    .bind(comment)
    .bind(retention_days)
    .execute(pool)
    .await?;
    Ok(())
}

// ── The inbox ────────────────────────────────────────────────────────────

const ITEM_COLUMNS: &str =
    "f.id, f.reference, f.kind, f.title, f.url, f.levels, f.audiences, f.topic, f.page, f.message,
    f.contact_name, f.contact_email, f.consent, f.status, r.slug AS draft_slug, f.created_at, f.delete_after";

/// The list columns hold comma-separated keys; the rest map by name.
impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for FeedbackItem {
    fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        let split = |column: &str| -> Result<Vec<String>, sqlx::Error> {
            Ok(row
                .try_get::<String, _>(column)?
                .split(',')
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect())
        };
        Ok(FeedbackItem {
            id: row.try_get("id")?,
            reference: row.try_get("reference")?,
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            url: row.try_get("url")?,
            levels: split("levels")?,
            audiences: split("audiences")?,
            topic: row.try_get("topic")?,
            page: row.try_get("page")?,
            message: row.try_get("message")?,
            contact_name: row.try_get("contact_name")?,
            contact_email: row.try_get("contact_email")?,
            consent: row.try_get("consent")?,
            status: row.try_get("status")?,
            draft_slug: row.try_get("draft_slug")?,
            created_at: row.try_get("created_at")?,
            delete_after: row.try_get("delete_after")?,
        })
    }
}

/// Feedback matching the filter, newest first (at most `limit`).
pub async fn inbox(
    pool: &SqlitePool,
    filter: &InboxFilter,
    limit: i64,
) -> Result<Vec<FeedbackItem>, sqlx::Error> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM feedback f LEFT JOIN resource r ON r.id = f.resource_id
          WHERE (?1 = '' OR f.kind = ?1) AND (?2 = '' OR f.status = ?2)
            AND (?3 = '' OR f.created_at >= ?3) AND (?4 = '' OR f.created_at < date(?4, '+1 day'))
          ORDER BY f.id DESC LIMIT ?5"
    );
    sqlx::query_as(&sql)
        .bind(&filter.kind)
        .bind(&filter.status)
        .bind(&filter.from)
        .bind(&filter.to)
        .bind(limit)
        .fetch_all(pool)
        .await
}

pub async fn by_reference(
    pool: &SqlitePool,
    reference: &str,
) -> Result<Option<(FeedbackItem, Vec<FeedbackEvent>)>, sqlx::Error> {
    let sql = format!("SELECT {ITEM_COLUMNS} FROM feedback f LEFT JOIN resource r ON r.id = f.resource_id WHERE f.reference = ?1");
    let Some(item) = sqlx::query_as::<_, FeedbackItem>(&sql)
        .bind(reference)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let events = sqlx::query_as::<_, (String, String, Option<String>, String)>(
        "SELECT at, actor, status, note FROM feedback_event WHERE feedback_id = ?1 ORDER BY id",
    )
    .bind(item.id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(at, actor, status, note)| FeedbackEvent {
        at,
        actor,
        status,
        note,
    })
    .collect();
    Ok(Some((item, events)))
}

/// Records a status change and/or a note, with who and when.
pub async fn handle(
    pool: &SqlitePool,
    user: &User,
    reference: &str,
    status: Option<&str>,
    note: &str,
) -> Result<(), Vec<FieldError>> {
    let note = note.trim();
    let errors = crate::domain::inbox::check_handling(status, note);
    if !errors.is_empty() {
        return Err(errors);
    }
    let result: Result<bool, sqlx::Error> = async {
        let mut tx = super::begin_write(pool).await?;
        let Some((id, current)): Option<(i64, String)> =
            sqlx::query_as("SELECT id, status FROM feedback WHERE reference = ?1").bind(reference).fetch_optional(&mut *tx).await?
        else {
            return Ok(false);
        };
        let changed = status.filter(|s| *s != current);
        if let Some(status) = changed {
            sqlx::query("UPDATE feedback SET status = ?2 WHERE id = ?1").bind(id).bind(status).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO feedback_event (feedback_id, account_id, actor, status, note) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(id)
            .bind(user.id)
            .bind(&user.username)
            .bind(changed)
            .bind(note)
            .execute(&mut *tx)
            .await?;
        audit(&mut *tx, AuditEntry { by: user.into(), action: AuditAction::Update, entity: AuditEntity::Feedback, entity_id: Some(id), summary: &format!("{reference}{}", changed.map(|s| format!(": {s}")).unwrap_or_default()) })
            .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(vec![FieldError::new(
            "reference",
            "Tilbakemeldingen finnes ikke lenger (den kan ha blitt slettet etter lagringstiden).",
        )]),
        Err(err) => Err(vec![FieldError::new(
            "note",
            crate::error::save_failed(&err).1,
        )]),
    }
}

/// Turns a suggested resource into a draft in one step: title, link, levels
/// and audiences come along; the editor adds the rest in the form. Returns
/// the draft's slug (an existing draft's, if it was made before).
pub async fn suggestion_to_draft(
    pool: &SqlitePool,
    user: &User,
    reference: &str,
) -> Result<String, sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let (id, kind, title, url, levels, audiences, message, existing): (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT f.id, f.kind, f.title, f.url, f.levels, f.audiences, f.message, r.slug
           FROM feedback f LEFT JOIN resource r ON r.id = f.resource_id WHERE f.reference = ?1",
    )
    .bind(reference)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(sqlx::Error::RowNotFound)?;
    if let Some(slug) = existing {
        return Ok(slug);
    }
    if FeedbackKind::parse(&kind) != Some(FeedbackKind::Suggestion) {
        return Err(sqlx::Error::RowNotFound);
    }
    let title = if title.trim().is_empty() {
        format!("Forslag {reference}")
    } else {
        title
            .chars()
            .take(crate::domain::resource::TITLE_MAX)
            .collect()
    };
    let base = crate::domain::slugify(&title);
    let base = if base.is_empty() {
        "forslag".to_string()
    } else {
        base
    };
    let mut slug = base.clone();
    let mut n = 2;
    while sqlx::query_scalar::<_, i64>("SELECT id FROM resource WHERE slug = ?1")
        .bind(&slug)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let summary: String = if message.trim().is_empty() {
        format!("Foreslått av en besøkende ({reference}).")
    } else {
        message
            .trim()
            .chars()
            .take(crate::domain::resource::SUMMARY_MAX)
            .collect()
    };
    let resource: i64 = sqlx::query_scalar("INSERT INTO resource (slug, title, summary, status) VALUES (?1, ?2, ?3, 'draft') RETURNING id")
        .bind(&slug)
        .bind(&title)
        .bind(&summary)
        .fetch_one(&mut *tx)
        .await?;
    for (facet, keys) in [("nivaa", levels), ("malgruppe", audiences)] {
        for key in keys.split(',').filter(|k| !k.is_empty()) {
            sqlx::query(
                "INSERT OR IGNORE INTO resource_facet (resource_id, facet_value_id)
                 SELECT ?1, id FROM facet_value WHERE facet_key = ?2 AND key = ?3",
            )
            .bind(resource)
            .bind(facet)
            .bind(key)
            .execute(&mut *tx)
            .await?;
        }
    }
    if crate::domain::form::is_valid_url(&url) {
        sqlx::query(
            "INSERT INTO resource_link (resource_id, position, label, url) VALUES (?1, 0, ?2, ?3)",
        )
        .bind(resource)
        .bind(&title)
        .bind(&url)
        .execute(&mut *tx)
        .await?;
    }
    crate::db::fts::index_resource(&mut tx, resource).await?;
    sqlx::query("UPDATE feedback SET resource_id = ?2, status = CASE WHEN status = 'ny' THEN 'under-arbeid' ELSE status END WHERE id = ?1")
        .bind(id)
        .bind(resource)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO feedback_event (feedback_id, account_id, actor, status, note) VALUES (?1, ?2, ?3, 'under-arbeid', ?4)")
        .bind(id)
        .bind(user.id)
        .bind(&user.username)
        .bind(format!("Utkast laget: {slug}"))
        .execute(&mut *tx)
        .await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Create,
            entity: AuditEntity::Resource,
            entity_id: Some(resource),
            summary: &format!("«{title}» (utkast fra {reference})"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(slug)
}

/// Helpfulness per page over all days, weakest first (most "Nei" share).
pub async fn helpfulness(pool: &SqlitePool) -> Result<Vec<HelpfulRow>, sqlx::Error> {
    Ok(sqlx::query_as::<_, (String, i64, i64, i64)>(
        "SELECT h.path, sum(h.yes), sum(h.no), (SELECT count(*) FROM page_helpful_comment c WHERE c.path = h.path)
           FROM page_helpful h GROUP BY h.path
          ORDER BY CAST(sum(h.no) AS REAL) / (sum(h.yes) + sum(h.no)) DESC, sum(h.no) DESC, h.path",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(path, yes, no, comments)| HelpfulRow { path, yes, no, comments })
    .collect())
}
