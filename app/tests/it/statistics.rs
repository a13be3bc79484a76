//! Visitor statistics: a scripted set of visits through the recorder and the
//! writer, then the aggregates, and a scan of the database for anything that
//! could identify a visitor.

use app::{
    db::statistics,
    stats::{self, Recorder},
};
use axum::http::HeaderMap;

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

fn headers(ua: &str, extra: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("user-agent", ua.parse().unwrap());
    h.insert("host", "bli.example.no".parse().unwrap());
    for (k, v) in extra {
        h.insert(*k, v.parse().unwrap());
    }
    h
}

#[tokio::test]
async fn scripted_visits_give_the_right_aggregates_and_leave_no_trace_of_who() {
    // A database file, so the scan at the end reads what is really on disk.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.db");
    let pool = app::db::connect(&file).await.unwrap();
    app::db::migrate(&pool).await.unwrap();
    let content_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    app::content::import(&pool, &app::content::load_dir(&content_dir).unwrap())
        .await
        .unwrap();
    let (recorder, mut rx) = Recorder::new("https://bli.example.no");

    // Visitor A (desktop, from a search engine) reads three pages, one twice.
    let a = headers(FIREFOX, &[]);
    recorder.view(
        &a,
        "203.0.113.7",
        "/",
        Some("https://www.google.no/search?q=brukerinvolvering"),
    );
    recorder.view(
        &a,
        "203.0.113.7",
        "/ressurser",
        Some("https://bli.example.no/"),
    );
    recorder.view(
        &a,
        "203.0.113.7",
        "/ressurser/feedbackinformerte-tjenester-fit",
        Some("https://bli.example.no/ressurser"),
    );
    recorder.view(&a, "203.0.113.7", "/ressurser", None);
    // Visitor B (phone) reads one page.
    recorder.view(&headers(IPHONE, &[]), "198.51.100.23", "/ressurser", None);
    // Not counted: a bot, Do Not Track, Global Privacy Control.
    recorder.view(
        &headers(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            &[],
        ),
        "66.249.66.1",
        "/",
        None,
    );
    recorder.view(&headers(FIREFOX, &[("dnt", "1")]), "192.0.2.55", "/", None);
    recorder.view(
        &headers(FIREFOX, &[("sec-gpc", "1")]),
        "192.0.2.56",
        "/",
        None,
    );
    // The catalogue: two filters, one search that found nothing, one too short to count.
    let filters = vec![(
        "nivaa".to_string(),
        vec!["individ".to_string(), "system".to_string()],
    )];
    recorder.catalogue(&a, &filters, "", 12);
    recorder.catalogue(&a, &[], "Rusfritt arbeidsliv", 0);
    recorder.catalogue(&a, &[], "ru", 0);
    recorder.catalogue(&headers(FIREFOX, &[("dnt", "1")]), &filters, "hemmelig", 0);

    let mut events = Vec::new();
    while let Ok(event) = rx.try_recv() {
        events.push(event);
    }
    assert_eq!(
        events.len(),
        5 + 2 + 1,
        "five views, two filter values and one empty search"
    );
    stats::write_batch(&pool, &events).await.unwrap();

    let today = stats::today();
    let report = statistics::report(&pool, &today, &today).await.unwrap();
    assert_eq!(
        (report.visitors, report.views),
        (2, 5),
        "two visitors, five views"
    );
    let list = report
        .pages
        .iter()
        .find(|r| r.href.as_deref() == Some("/ressurser"))
        .unwrap();
    assert_eq!(
        (list.count, list.second),
        (3, Some(2)),
        "the list: three views by two visitors"
    );
    let devices: Vec<_> = report
        .devices
        .iter()
        .map(|r| (r.label.as_str(), r.count))
        .collect();
    assert!(
        devices.contains(&("Datamaskin", 1)) && devices.contains(&("Mobil", 1)),
        "{devices:?}"
    );
    assert_eq!(
        report
            .referrers
            .iter()
            .map(|r| (r.label.as_str(), r.count))
            .collect::<Vec<_>>(),
        [("google.no", 1)]
    );
    assert_eq!(report.filters.len(), 2);
    assert!(
        report
            .filters
            .iter()
            .all(|f| f.label.starts_with("Nivå: ") && f.count == 1),
        "{:?}",
        report.filters
    );
    assert_eq!(
        report
            .empty_searches
            .iter()
            .map(|r| (r.label.as_str(), r.count))
            .collect::<Vec<_>>(),
        [("rusfritt arbeidsliv", 1)]
    );
    let resource = report.resources.first().unwrap();
    assert!(
        resource
            .label
            .starts_with("Feedbackinformerte tjenester (FIT)"),
        "{}",
        resource.label
    );

    // The same batch applied again (say, after a crash and retry) counts views
    // again but never makes a returning visitor new.
    stats::write_batch(&pool, &events[..1]).await.unwrap();
    let report = statistics::report(&pool, &today, &today).await.unwrap();
    assert_eq!((report.visitors, report.views), (2, 6));

    // No IP address or user agent anywhere in the database: scan a copy of its file, byte by byte.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend(std::fs::read(dir.path().join("site.db-wal")).unwrap_or_default());
    assert!(bytes.len() > 10_000);
    for secret in [
        "203.0.113.7",
        "198.51.100.23",
        "66.249.66.1",
        "192.0.2.55",
        "Firefox",
        "iPhone",
        "Googlebot",
        "hemmelig",
    ] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} found in the database"
        );
    }
    // The check can fail: what was counted is in the file.
    assert!(bytes.windows(9).any(|w| w == b"google.no"));

    // A finished day's visitor ids are deleted; its counts stay.
    sqlx::query("UPDATE stat_seen SET day = '2000-01-01'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE stat_page SET day = '2000-01-01'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(stats::purge_seen(&pool, &today).await.unwrap(), 6);
    let old = statistics::report(&pool, "2000-01-01", "2000-01-01")
        .await
        .unwrap();
    assert_eq!(old.visitors, 2);
}

#[test]
fn a_range_must_be_dates_in_order_and_not_too_long() {
    assert!(statistics::range(None, None).is_ok());
    assert_eq!(
        statistics::range(Some("2026-11-01"), Some("2026-11-23")).unwrap(),
        ("2026-11-01".into(), "2026-11-23".into())
    );
    assert_eq!(
        statistics::range(Some("i går"), None).unwrap_err(),
        "Skriv fra-datoen som ÅÅÅÅ-MM-DD."
    );
    assert_eq!(
        statistics::range(Some("2026-11-23"), Some("2026-11-01")).unwrap_err(),
        "Fra-datoen må være før til-datoen."
    );
    assert!(statistics::range(Some("2020-01-01"), Some("2026-01-01")).is_err());
}

/// Review 3, N9: every distinct user agent was a new visitor id row and
/// every distinct `Referer` domain a new row, with no limit, so scripted
/// GETs could fill the disk; referrer domains were kept for ever.
#[tokio::test]
async fn a_day_adds_a_bounded_number_of_rows_whatever_the_requests() {
    let dir = tempfile::tempdir().unwrap();
    let pool = app::db::connect(&dir.path().join("site.db")).await.unwrap();
    app::db::migrate(&pool).await.unwrap();
    let day = "2026-12-01";
    let visitors = (stats::MAX_SEEN_PER_DAY / 2 + 1_000) as usize;
    let events: Vec<stats::Event> = (0..visitors)
        .map(|i| stats::Event::View {
            day: day.into(),
            path: "/ressurser".into(),
            visitor: format!("{i:032x}"),
            referrer: Some(format!("x{i}.example")),
            device: "desktop",
        })
        .chain((0..1_500).map(|i| stats::Event::EmptySearch {
            day: day.into(),
            query: format!("søk {i}"),
        }))
        .collect();
    for batch in events.chunks(1_000) {
        stats::write_batch(&pool, batch).await.unwrap();
    }
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(day)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let seen = count("SELECT count(*) FROM stat_seen WHERE day = ?1").await;
    assert!(seen <= stats::MAX_SEEN_PER_DAY, "{seen} visitor ids");
    assert_eq!(
        seen,
        stats::MAX_SEEN_PER_DAY,
        "the cap, not fewer, was kept"
    );
    let referrers = count("SELECT count(*) FROM stat_referrer WHERE day = ?1").await;
    assert_eq!(
        referrers,
        stats::MAX_REFERRERS_PER_DAY + 1,
        "the cap and «andre»"
    );
    let others: i64 =
        sqlx::query_scalar("SELECT visits FROM stat_referrer WHERE day = ?1 AND domain = ?2")
            .bind(day)
            .bind(stats::OTHER_REFERRERS)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(others, visitors as i64 - stats::MAX_REFERRERS_PER_DAY);
    let searches = count("SELECT count(*) FROM stat_empty_search WHERE day = ?1").await;
    assert_eq!(searches, stats::MAX_EMPTY_SEARCHES_PER_DAY);
    // Every view still counts; visitors past the cap are not counted as new.
    let (views, counted): (i64, i64) =
        sqlx::query_as("SELECT views, visitors FROM stat_page WHERE day = ?1 AND path = '*'")
            .bind(day)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(views, visitors as i64);
    assert_eq!(counted, stats::MAX_SEEN_PER_DAY / 2);

    // Referrer domains go once the longest period the editors can look at
    // is over: the day above and one more, not one just inside it.
    let today = "2028-06-01";
    for (ago, domain) in [
        (stats::REFERRER_RETENTION_DAYS + 1, "gammel.example"),
        (stats::REFERRER_RETENTION_DAYS - 1, "nyere.example"),
    ] {
        sqlx::query("INSERT INTO stat_referrer (day, domain, visits) VALUES (date(?1, '-' || ?2 || ' days'), ?3, 1)")
            .bind(today)
            .bind(ago)
            .bind(domain)
            .execute(&pool)
            .await
            .unwrap();
    }
    assert_eq!(
        stats::purge_referrers(&pool, today).await.unwrap(),
        referrers as u64 + 1
    );
    let left: Vec<String> = sqlx::query_scalar("SELECT domain FROM stat_referrer")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, ["nyere.example"]);
}
