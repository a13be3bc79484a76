//! The link checker's storage (server only): which external links the
//! published content holds and where, what each check found, the rule that
//! calls a link broken, the run lock, and what the editors' page reads.
//! The HTTP side lives in the server crate (`server::jobs::links`).

use std::collections::BTreeMap;

use sqlx::SqlitePool;

mod rewrite;
pub use rewrite::replace_link_destination;

use crate::domain::links::{
    host_of, LinkRow, LinkStatus, LinkSummary, LinkUse, LinksOverview, REST_LIMIT,
};

/// The http(s) links in a Markdown text, as (link text, address), in order.
pub fn markdown_links(markdown: &str) -> Vec<(String, String)> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((String::new(), dest_url.to_string()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((label, _)) = open.as_mut() {
                    label.push_str(&text);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((label, url)) = open.take() {
                    if host_of(&url).is_some() {
                        out.push((label.trim().to_string(), url));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// What one check found, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: LinkStatus,
    pub http_code: Option<u16>,
    /// For a permanent redirect: the first permanent hop's target.
    pub final_url: Option<String>,
    pub detail: String,
}

/// A link to check: (id, url, host).
pub type Due = (i64, String, String);

/// Where a link is used: (resource id, page id, label).
type Use = (Option<i64>, Option<i64>, String);

/// Rebuilds the index of links from the content: every published resource
/// (body and link list) and every content page (body). Links to the site
/// itself (`own_host`) are left out. Links no longer used anywhere are
/// forgotten with their history. Returns how many distinct links there are.
pub async fn sync(pool: &SqlitePool, own_host: Option<&str>) -> Result<usize, sqlx::Error> {
    let mut found: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    let mut add = |url: String, resource: Option<i64>, page: Option<i64>, label: String| {
        let url = url.trim().to_string();
        match host_of(&url) {
            Some(host) if Some(host.as_str()) != own_host => {
                let uses = found.entry(url).or_default();
                if !uses.iter().any(|(r, p, _)| *r == resource && *p == page) {
                    uses.push((resource, page, label));
                }
            }
            _ => {}
        }
    };
    let resources = sqlx::query_as::<_, (i64, String)>(
        "SELECT id, body FROM resource WHERE status = 'published' ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    for (id, body) in resources {
        for (label, url) in markdown_links(&body) {
            add(url, Some(id), None, label);
        }
    }
    let listed = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT l.resource_id, l.label, l.url FROM resource_link l
           JOIN resource r ON r.id = l.resource_id
          WHERE r.status = 'published' ORDER BY l.resource_id, l.position",
    )
    .fetch_all(pool)
    .await?;
    for (id, label, url) in listed {
        add(url, Some(id), None, label);
    }
    let pages = sqlx::query_as::<_, (i64, String)>("SELECT id, body FROM page ORDER BY id")
        .fetch_all(pool)
        .await?;
    for (id, body) in pages {
        for (label, url) in markdown_links(&body) {
            add(url, None, Some(id), label);
        }
    }

    let mut tx = super::begin_write(pool).await?;
    sqlx::query("DELETE FROM link_use")
        .execute(&mut *tx)
        .await?;
    for (url, uses) in &found {
        let host = host_of(url).unwrap_or_default();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO link (url, host) VALUES (?1, ?2)
             ON CONFLICT (url) DO UPDATE SET host = excluded.host RETURNING id",
        )
        .bind(url)
        .bind(&host)
        .fetch_one(&mut *tx)
        .await?;
        for (resource, page, label) in uses {
            sqlx::query(
                "INSERT INTO link_use (link_id, resource_id, page_id, label) VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(id)
            .bind(resource)
            .bind(page)
            .bind(label)
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query("DELETE FROM link WHERE id NOT IN (SELECT link_id FROM link_use)")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(found.len())
}

/// Every link in the index, grouped so that one host's links are together.
pub async fn due(pool: &SqlitePool) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as("SELECT id, url, host FROM link ORDER BY host, id")
        .fetch_all(pool)
        .await
}

/// Stores one check at `now` (ISO 8601 UTC). A failing check extends the
/// link's streak of failures; the link is broken once the streak has at
/// least two checks and spans `min_gap_secs`. A success ends the streak.
pub async fn record(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    outcome: &Outcome,
    now: &str,
    min_gap_secs: i64,
) -> Result<(), sqlx::Error> {
    let failed = outcome.status.is_failure();
    let code = outcome.http_code.map(i64::from);
    // The link may have left the content while it was being checked (an
    // editor's "Bruk ny adresse" rebuilds the index): then nothing is stored.
    sqlx::query(
        "INSERT INTO link_check (link_id, checked_at, status, http_code, final_url, detail)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM link WHERE id = ?1)",
    )
    .bind(id)
    .bind(now)
    .bind(outcome.status.key())
    .bind(code)
    .bind(&outcome.final_url)
    .bind(&outcome.detail)
    .execute(&mut *conn)
    .await?;
    // The right-hand sides read the row as it was before this update.
    sqlx::query(
        "UPDATE link SET status = ?2, http_code = ?3, final_url = ?4, detail = ?5, last_checked_at = ?6,
                first_failure_at = CASE WHEN ?7 THEN coalesce(first_failure_at, ?6) ELSE NULL END,
                failures = CASE WHEN ?7 THEN failures + 1 ELSE 0 END,
                broken = CASE WHEN ?7 THEN (failures + 1 >= 2
                    AND (julianday(?6) - julianday(coalesce(first_failure_at, ?6))) * 86400.0 >= ?8 - 0.5)
                    ELSE 0 END
          WHERE id = ?1",
    )
    .bind(id)
    .bind(outcome.status.key())
    .bind(code)
    .bind(&outcome.final_url)
    .bind(&outcome.detail)
    .bind(now)
    .bind(failed)
    .bind(min_gap_secs as f64)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores a batch of checks, made just now, in one transaction.
pub async fn record_all(
    pool: &SqlitePool,
    batch: &[(i64, Outcome)],
    min_gap_secs: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let now: String = sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")
        .fetch_one(&mut *tx)
        .await?;
    for (id, outcome) in batch {
        record(&mut tx, *id, outcome, &now, min_gap_secs).await?;
    }
    tx.commit().await
}

/// Forgets checks older than `days` (the current streak lives on the link).
pub async fn prune_history(pool: &SqlitePool, days: u32) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM link_check WHERE checked_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1)",
    )
    .bind(format!("-{days} days"))
    .execute(pool)
    .await?
    .rows_affected())
}

/// A run left unfinished this long (a crash, a killed process) no longer
/// blocks the next one.
const STALE_RUN: &str = "-6 hours";

/// Starts a run unless one is under way; `None` when one is.
pub async fn begin_run(pool: &SqlitePool, trigger: &str) -> Result<Option<i64>, sqlx::Error> {
    // One statement, so two callers cannot both see "no run" and both start.
    sqlx::query_scalar(
        "INSERT INTO link_check_run (trigger)
         SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM link_check_run WHERE finished_at IS NULL
            AND started_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?2))
         RETURNING id",
    )
    .bind(trigger)
    .bind(STALE_RUN)
    .fetch_optional(pool)
    .await
}

pub async fn finish_run(pool: &SqlitePool, id: i64, checked: usize) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE link_check_run SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                links_checked = ?2 WHERE id = ?1",
    )
    .bind(id)
    .bind(checked as i64)
    .execute(pool)
    .await?;
    Ok(())
}

/// When the last finished run started (the timer waits a whole interval
/// after it, across restarts).
pub async fn last_run_started(pool: &SqlitePool) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT max(started_at) FROM link_check_run WHERE finished_at IS NOT NULL")
        .fetch_one(pool)
        .await
}

/// The counts for the link page, the dashboard and the digest.
pub async fn summary(pool: &SqlitePool) -> Result<LinkSummary, sqlx::Error> {
    let (total, broken, redirects): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(broken), 0),
                coalesce(sum(status = 'redirect'), 0) FROM link",
    )
    .fetch_one(pool)
    .await?;
    let last_run = sqlx::query_scalar(
        "SELECT max(finished_at) FROM link_check_run WHERE finished_at IS NOT NULL",
    )
    .fetch_one(pool)
    .await?;
    let running = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM link_check_run WHERE finished_at IS NULL
            AND started_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1))",
    )
    .bind(STALE_RUN)
    .fetch_one(pool)
    .await?;
    Ok(LinkSummary {
        total,
        broken,
        redirects,
        last_run,
        running,
    })
}

type Row = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    bool,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str =
    "id, url, status, http_code, final_url, detail, broken, first_failure_at, last_checked_at";

/// The editors' page: broken links (longest broken first), then permanent
/// redirects, then the rest (up to [`REST_LIMIT`]); `status` filters all
/// three to one [`LinkStatus`].
pub async fn overview(
    pool: &SqlitePool,
    status: Option<LinkStatus>,
) -> Result<LinksOverview, sqlx::Error> {
    let filter = status.map(|s| s.key());
    let broken: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM link WHERE broken = 1 AND (?1 IS NULL OR status = ?1)
          ORDER BY first_failure_at, url"
    ))
    .bind(filter)
    .fetch_all(pool)
    .await?;
    let redirects: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM link WHERE broken = 0 AND status = 'redirect'
            AND (?1 IS NULL OR status = ?1) ORDER BY url"
    ))
    .bind(filter)
    .fetch_all(pool)
    .await?;
    let rest: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM link WHERE broken = 0 AND status <> 'redirect'
            AND (?1 IS NULL OR status = ?1)
          ORDER BY status = 'ok', status, url LIMIT ?2"
    ))
    .bind(filter)
    .bind(REST_LIMIT)
    .fetch_all(pool)
    .await?;
    let matching: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM link WHERE broken = 0 AND status <> 'redirect'
            AND (?1 IS NULL OR status = ?1)",
    )
    .bind(filter)
    .fetch_one(pool)
    .await?;
    let shown: Vec<i64> = broken
        .iter()
        .chain(&redirects)
        .chain(&rest)
        .map(|r| r.0)
        .collect();
    let mut uses = uses_of(pool, &shown).await?;
    let mut reports = reports_naming(pool).await?;
    let mut rows = |list: Vec<Row>| -> Vec<LinkRow> {
        list.into_iter()
            .map(
                |(
                    id,
                    url,
                    status,
                    http_code,
                    final_url,
                    detail,
                    broken,
                    first_failure_at,
                    last_checked_at,
                )| LinkRow {
                    id,
                    url,
                    status,
                    http_code,
                    final_url,
                    detail,
                    broken,
                    first_failure_at,
                    last_checked_at,
                    uses: uses.remove(&id).unwrap_or_default(),
                    reports: reports.remove(&id).unwrap_or_default(),
                },
            )
            .collect()
    };
    let more = (matching - rest.len() as i64).max(0);
    Ok(LinksOverview {
        summary: summary(pool).await?,
        broken: rows(broken),
        redirects: rows(redirects),
        rest: rows(rest),
        more,
    })
}

async fn uses_of(
    pool: &SqlitePool,
    ids: &[i64],
) -> Result<BTreeMap<i64, Vec<LinkUse>>, sqlx::Error> {
    let mut out: BTreeMap<i64, Vec<LinkUse>> = BTreeMap::new();
    // In chunks: SQLite limits the bound parameters of one statement.
    for chunk in ids.chunks(400) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT u.link_id, coalesce(r.title, p.title, ''),
                    CASE WHEN r.id IS NOT NULL THEN '/redaktor/ressurser/' || r.slug
                         ELSE '/redaktor/sider/' || p.slug END,
                    u.label, r.id IS NOT NULL
               FROM link_use u
               LEFT JOIN resource r ON r.id = u.resource_id
               LEFT JOIN page p ON p.id = u.page_id
              WHERE u.link_id IN ({marks}) ORDER BY u.link_id, 2"
        );
        let mut query = sqlx::query_as::<_, (i64, String, String, String, bool)>(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        for (link, title, editor_href, label, is_resource) in query.fetch_all(pool).await? {
            out.entry(link).or_default().push(LinkUse {
                title,
                editor_href,
                label,
                is_resource,
            });
        }
    }
    Ok(out)
}

/// Open error reports ("feil") whose message names a link, by link: the
/// address with or without its scheme and trailing slash counts.
pub async fn reports_naming(pool: &SqlitePool) -> Result<BTreeMap<i64, Vec<String>>, sqlx::Error> {
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let rows = sqlx::query_as::<_, (i64, String)>(
        "SELECT l.id, f.reference FROM feedback f
           JOIN link l ON instr(f.message, rtrim(substr(l.url, instr(l.url, '://') + 3), '/')) > 0
          WHERE f.kind = 'feil' AND f.status IN ('ny', 'under-arbeid')
          ORDER BY l.id, f.created_at",
    )
    .fetch_all(pool)
    .await?;
    for (link, reference) in rows {
        out.entry(link).or_default().push(reference);
    }
    Ok(out)
}

/// A permanently redirected link and where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub url: String,
    pub target: String,
    pub resources: Vec<i64>,
    pub pages: Vec<String>,
}

/// The link `id` if its last check found a permanent redirect.
pub async fn redirect_target(pool: &SqlitePool, id: i64) -> Result<Option<Moved>, sqlx::Error> {
    let Some((url, target)) = sqlx::query_as::<_, (String, Option<String>)>(
        "SELECT url, final_url FROM link WHERE id = ?1 AND status = 'redirect'",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let Some(target) = target.filter(|t| host_of(t).is_some()) else {
        return Ok(None);
    };
    let resources = sqlx::query_scalar(
        "SELECT resource_id FROM link_use WHERE link_id = ?1 AND resource_id IS NOT NULL ORDER BY resource_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let pages = sqlx::query_scalar(
        "SELECT p.slug FROM link_use u JOIN page p ON p.id = u.page_id WHERE u.link_id = ?1 ORDER BY p.slug",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(Some(Moved {
        url,
        target,
        resources,
        pages,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_http_links_of_a_text() {
        let body = "Les [veilederen](https://www.helsedirektoratet.no/veiledere/x) og \
                    <https://lovdata.no/lov>.\n\n[intern](/ressurser/a) [post](mailto:a@b.no) \
                    [**fet** `kode`](http://a.no)";
        assert_eq!(
            markdown_links(body),
            vec![
                (
                    "veilederen".to_string(),
                    "https://www.helsedirektoratet.no/veiledere/x".to_string()
                ),
                (
                    "https://lovdata.no/lov".to_string(),
                    "https://lovdata.no/lov".to_string()
                ),
                ("fet kode".to_string(), "http://a.no".to_string()),
            ]
        );
    }
}
