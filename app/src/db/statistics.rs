//! Reading the visitor statistics (server only); `stats.rs` writes them.

use std::collections::HashMap;

use sqlx::SqlitePool;

use crate::{
    db::explore::FIXED_PATHS,
    domain::{
        form::is_iso_date,
        statistics::{DayCount, PublicStats, Ranked, StatsReport},
    },
};

/// Paths a statistics row may hold at most: a path as a browser sends it
/// (percent-encoded, so only the characters RFC 3986 allows in a path), one
/// leading slash. That rules out whitespace and control characters, which
/// browsers drop, and backslashes, which they read as `/` (`/\evil.example`
/// is another site), anywhere in the path.
pub fn is_clean_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 200
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b))
}

/// Whether `path` is one of the visitors' pages: a fixed route (the
/// sitemap's), a content page, an organisation, a published resource or a
/// published round.
pub async fn is_public_page(pool: &SqlitePool, path: &str) -> Result<bool, sqlx::Error> {
    if !is_clean_path(path) {
        return Ok(false);
    }
    if FIXED_PATHS.contains(&path) {
        return Ok(true);
    }
    let (sql, slug) = if let Some(slug) = path.strip_prefix("/ressurser/") {
        (
            "SELECT count(*) FROM resource WHERE slug = ?1 AND status = 'published'",
            slug,
        )
    } else if let Some(slug) = path.strip_prefix("/innspill/") {
        (
            "SELECT count(*) FROM consultation WHERE slug = ?1 AND status = 'published'",
            slug,
        )
    } else if let Some(slug) = path.strip_prefix("/organisasjoner/") {
        ("SELECT count(*) FROM organisation WHERE slug = ?1", slug)
    } else {
        ("SELECT count(*) FROM page WHERE slug = ?1", &path[1..])
    };
    Ok(sqlx::query_scalar::<_, i64>(sql)
        .bind(slug)
        .fetch_one(pool)
        .await?
        > 0)
}

/// Every public page's path with its title where it has one: the only paths
/// a statistics table links to, and the only ones the public page shows.
async fn public_pages(pool: &SqlitePool) -> Result<HashMap<String, Option<String>>, sqlx::Error> {
    let mut known: HashMap<String, Option<String>> =
        FIXED_PATHS.iter().map(|p| (p.to_string(), None)).collect();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT '/ressurser/' || slug, title FROM resource WHERE status = 'published'
         UNION ALL SELECT '/' || slug, title FROM page
         UNION ALL SELECT '/innspill/' || slug, title FROM consultation WHERE status = 'published'
         UNION ALL SELECT '/organisasjoner/' || slug, name FROM organisation",
    )
    .fetch_all(pool)
    .await?;
    known.extend(rows.into_iter().map(|(path, title)| (path, Some(title))));
    Ok(known)
}

/// Days a range may span at most.
const MAX_DAYS: i64 = 400;

/// The range to show: the given dates, or the last 30 days. A bad date or a
/// reversed or too long range is a message for the form.
pub fn range(from: Option<&str>, to: Option<&str>) -> Result<(String, String), &'static str> {
    let today = time::OffsetDateTime::now_utc().date();
    let parse = |s: &str| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
    };
    let to = match to.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if is_iso_date(s) => parse(s).ok_or("Skriv til-datoen som ÅÅÅÅ-MM-DD.")?,
        Some(_) => return Err("Skriv til-datoen som ÅÅÅÅ-MM-DD."),
        None => today,
    };
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if is_iso_date(s) => parse(s).ok_or("Skriv fra-datoen som ÅÅÅÅ-MM-DD.")?,
        Some(_) => return Err("Skriv fra-datoen som ÅÅÅÅ-MM-DD."),
        None => to - time::Duration::days(29),
    };
    if from > to {
        return Err("Fra-datoen må være før til-datoen.");
    }
    if (to - from).whole_days() > MAX_DAYS {
        return Err("Velg en periode på høyst 400 dager.");
    }
    Ok((from.to_string(), to.to_string()))
}

/// Every figure the dashboard shows for `from..=to`.
pub async fn report(pool: &SqlitePool, from: &str, to: &str) -> Result<StatsReport, sqlx::Error> {
    build(pool, from, to, 20).await
}

/// The report with the `top` most visited pages.
async fn build(
    pool: &SqlitePool,
    from: &str,
    to: &str,
    top: usize,
) -> Result<StatsReport, sqlx::Error> {
    let counts: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT day, visitors, views FROM stat_page WHERE path = '*' AND day BETWEEN ?1 AND ?2 ORDER BY day",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    // Every day of the range, zeros included, so the chart has no gaps.
    let mut days = Vec::new();
    let (Ok(mut day), Ok(last)) = (
        time::Date::parse(
            from,
            time::macros::format_description!("[year]-[month]-[day]"),
        ),
        time::Date::parse(
            to,
            time::macros::format_description!("[year]-[month]-[day]"),
        ),
    ) else {
        return Ok(empty(from, to));
    };
    while day <= last {
        let key = day.to_string();
        let (visitors, views) = counts
            .iter()
            .find(|(d, _, _)| *d == key)
            .map(|(_, a, b)| (*a, *b))
            .unwrap_or((0, 0));
        days.push(DayCount {
            day: key,
            visitors,
            views,
        });
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    let pages: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT path, sum(views), sum(visitors) FROM stat_page WHERE path <> '*' AND day BETWEEN ?1 AND ?2
          GROUP BY path ORDER BY sum(views) DESC, path LIMIT 200",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    // Titles of published things only; a link only to a page that exists.
    let known = public_pages(pool).await?;
    let ranked = |path: &str, views: i64, visitors: i64| {
        let page = known.get(path);
        Ranked {
            label: match page {
                Some(Some(title)) => format!("{title} ({path})"),
                _ => path.to_string(),
            },
            href: page.map(|_| path.to_string()),
            count: views,
            second: Some(visitors),
        }
    };
    let resources = pages
        .iter()
        .filter(|(p, _, _)| p.starts_with("/ressurser/"))
        .take(20)
        .map(|(p, a, b)| ranked(p, *a, *b))
        .collect();
    let entry_paths = pages
        .iter()
        .filter(|(p, _, _)| p.starts_with("/inngang/") || p == "/veiviser")
        .map(|(p, a, b)| ranked(p, *a, *b))
        .collect();
    let top_pages = pages
        .iter()
        .take(top)
        .map(|(p, a, b)| ranked(p, *a, *b))
        .collect();
    let simple = |rows: Vec<(String, i64)>| {
        rows.into_iter()
            .map(|(label, count)| Ranked {
                label,
                href: None,
                count,
                second: None,
            })
            .collect::<Vec<_>>()
    };
    let devices: Vec<(String, i64)> = sqlx::query_as(
        "SELECT device, sum(visitors) FROM stat_device WHERE day BETWEEN ?1 AND ?2 GROUP BY device ORDER BY sum(visitors) DESC",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let devices = devices
        .into_iter()
        .map(|(d, n)| {
            (
                match d.as_str() {
                    "phone" => "Mobil",
                    "tablet" => "Nettbrett",
                    _ => "Datamaskin",
                }
                .to_string(),
                n,
            )
        })
        .collect();
    let referrers: Vec<(String, i64)> = sqlx::query_as(
        "SELECT domain, sum(visits) FROM stat_referrer WHERE day BETWEEN ?1 AND ?2 GROUP BY domain ORDER BY sum(visits) DESC, domain LIMIT 20",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let filters: Vec<(String, i64)> = sqlx::query_as(
        "SELECT coalesce(f.label, s.facet) || ': ' || coalesce(v.label, s.value), sum(s.uses)
           FROM stat_filter s
           LEFT JOIN facet f ON f.key = s.facet
           LEFT JOIN facet_value v ON v.facet_key = s.facet AND v.key = s.value
          WHERE s.day BETWEEN ?1 AND ?2
          GROUP BY s.facet, s.value ORDER BY sum(s.uses) DESC LIMIT 20",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let empty_searches: Vec<(String, i64)> = sqlx::query_as(
        "SELECT query, sum(searches) FROM stat_empty_search WHERE day BETWEEN ?1 AND ?2
          GROUP BY query ORDER BY sum(searches) DESC, query LIMIT 30",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    Ok(StatsReport {
        from: from.to_string(),
        to: to.to_string(),
        visitors: days.iter().map(|d| d.visitors).sum(),
        views: days.iter().map(|d| d.views).sum(),
        days,
        pages: top_pages,
        resources,
        entry_paths,
        devices: simple(devices),
        referrers: simple(referrers),
        filters: simple(filters),
        empty_searches: simple(empty_searches),
        helpfulness: Vec::new(),
    })
}

/// The public page's figures for `from..=to`: the days, the ten most visited
/// public pages (nothing else: unpublished and unknown paths are left out)
/// and the devices. Nothing the page does not show leaves the server.
pub async fn public_report(
    pool: &SqlitePool,
    from: &str,
    to: &str,
) -> Result<PublicStats, sqlx::Error> {
    let full = build(pool, from, to, 200).await?;
    Ok(PublicStats {
        from: full.from,
        to: full.to,
        visitors: full.visitors,
        views: full.views,
        days: full.days,
        pages: full
            .pages
            .into_iter()
            .filter(|row| row.href.is_some())
            .take(10)
            .collect(),
        devices: full.devices,
    })
}

fn empty(from: &str, to: &str) -> StatsReport {
    StatsReport {
        from: from.into(),
        to: to.into(),
        days: Vec::new(),
        visitors: 0,
        views: 0,
        pages: Vec::new(),
        resources: Vec::new(),
        entry_paths: Vec::new(),
        devices: Vec::new(),
        referrers: Vec::new(),
        filters: Vec::new(),
        empty_searches: Vec::new(),
        helpfulness: Vec::new(),
    }
}
