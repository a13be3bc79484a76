//! Reading the visitor statistics (server only); `stats.rs` writes them.

use sqlx::SqlitePool;

use crate::{
    api::statistics::{DayCount, Ranked, StatsReport},
    editing::is_iso_date,
};

/// Days a range may span at most.
const MAX_DAYS: i64 = 400;

/// The range to show: the given dates, or the last 30 days. A bad date or a
/// reversed or too long range is a message for the form.
pub fn range(from: Option<&str>, to: Option<&str>) -> Result<(String, String), &'static str> {
    let today = time::OffsetDateTime::now_utc().date();
    let parse = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok();
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
        time::Date::parse(from, time::macros::format_description!("[year]-[month]-[day]")),
        time::Date::parse(to, time::macros::format_description!("[year]-[month]-[day]")),
    ) else {
        return Ok(empty(from, to));
    };
    while day <= last {
        let key = day.to_string();
        let (visitors, views) = counts.iter().find(|(d, _, _)| *d == key).map(|(_, a, b)| (*a, *b)).unwrap_or((0, 0));
        days.push(DayCount { day: key, visitors, views });
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
    let titles: Vec<(String, String)> = sqlx::query_as(
        "SELECT '/ressurser/' || slug, title FROM resource UNION ALL SELECT '/' || slug, title FROM page",
    )
    .fetch_all(pool)
    .await?;
    let title_of = |path: &str| titles.iter().find(|(p, _)| p == path).map(|(_, t)| t.clone());
    let ranked = |path: &str, views: i64, visitors: i64| Ranked {
        label: title_of(path).map(|t| format!("{t} ({path})")).unwrap_or_else(|| path.to_string()),
        href: Some(path.to_string()),
        count: views,
        second: Some(visitors),
    };
    let resources = pages.iter().filter(|(p, _, _)| p.starts_with("/ressurser/")).take(20).map(|(p, a, b)| ranked(p, *a, *b)).collect();
    let entry_paths = pages.iter().filter(|(p, _, _)| p.starts_with("/inngang/") || p == "/veiviser").map(|(p, a, b)| ranked(p, *a, *b)).collect();
    let top_pages = pages.iter().take(20).map(|(p, a, b)| ranked(p, *a, *b)).collect();
    let simple = |rows: Vec<(String, i64)>| rows.into_iter().map(|(label, count)| Ranked { label, href: None, count, second: None }).collect::<Vec<_>>();
    let devices: Vec<(String, i64)> = sqlx::query_as(
        "SELECT device, sum(visitors) FROM stat_device WHERE day BETWEEN ?1 AND ?2 GROUP BY device ORDER BY sum(visitors) DESC",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let devices = devices
        .into_iter()
        .map(|(d, n)| (match d.as_str() { "phone" => "Mobil", "tablet" => "Nettbrett", _ => "Datamaskin" }.to_string(), n))
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
