//! The link checker's benchmark (`bli-involvert bench-links`, used by
//! `scripts/bench-links.sh`): a synthetic catalogue of published resources
//! whose links point at a few fake hosts, each a server on its own loopback
//! port, so no request leaves the machine. Prints links checked, time taken,
//! requests per host and the most requests one host saw at once.

use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use sqlx::SqlitePool;

/// What to run.
#[derive(Debug, Clone)]
pub struct LinkBench {
    pub resources: usize,
    pub hosts: usize,
    pub concurrency: usize,
    /// How long each fake server takes to answer.
    pub latency: Duration,
}

/// One fake host's counters.
#[derive(Default)]
pub struct HostCounters {
    pub requests: AtomicUsize,
    in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
}

#[derive(Clone)]
struct Fake {
    counters: Arc<HostCounters>,
    latency: Duration,
}

/// Answers by the path's ending: `-borte` 410, `-flyttet` 301, `-feil` 500,
/// anything else 200; and counts requests in flight.
async fn answer(State(fake): State<Fake>, request: Request) -> Response {
    let now = fake.counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    fake.counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
    fake.counters.requests.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(fake.latency).await;
    let path = request.uri().path().to_string();
    let response = if path.ends_with("-borte") {
        StatusCode::GONE.into_response()
    } else if path.ends_with("-flyttet") {
        (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, "/ny-adresse")],
        )
            .into_response()
    } else if path.ends_with("-feil") {
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    } else {
        StatusCode::OK.into_response()
    };
    fake.counters.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

/// Starts a fake host on a loopback port: its address and counters.
pub async fn fake_host(
    latency: Duration,
) -> std::io::Result<(std::net::SocketAddr, Arc<HostCounters>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let counters = Arc::new(HostCounters::default());
    let app = Router::new().fallback(answer).with_state(Fake {
        counters: counters.clone(),
        latency,
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, counters))
}

/// Adds `resources` published resources, each with a link in its body and
/// two in its link list, spread over `hosts`. One link in fifty answers
/// 410, one in a hundred 301, one in two hundred 500.
pub async fn generate(
    pool: &SqlitePool,
    resources: usize,
    hosts: &[std::net::SocketAddr],
) -> Result<(), sqlx::Error> {
    let mut tx = app::db::begin_write(pool).await?;
    let mut n = 0usize;
    let mut next_url = || {
        n += 1;
        let host = hosts[n % hosts.len()];
        let ending = if n.is_multiple_of(50) {
            "-borte"
        } else if n % 100 == 1 {
            "-flyttet"
        } else if n % 200 == 3 {
            "-feil"
        } else {
            ""
        };
        format!("http://{host}/side/{n}{ending}")
    };
    for i in 0..resources {
        let body = format!(
            "Ressurs nummer {i}. Les mer i [veilederen]({}).",
            next_url()
        );
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resource (slug, title, summary, body, status)
             VALUES (?1, ?2, 'Syntetisk ressurs for lenkesjekken.', ?3, 'published') RETURNING id",
        )
        .bind(format!("lenkesjekk-{i}"))
        .bind(format!("Lenkesjekk {i}"))
        .bind(body)
        .fetch_one(&mut *tx)
        .await?;
        for position in 0..2 {
            sqlx::query(
                "INSERT INTO resource_link (resource_id, position, label, url) VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(id)
            .bind(position)
            .bind(format!("Lenke {position}"))
            .bind(next_url())
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// Runs the benchmark and prints its figures.
pub async fn run(bench: LinkBench) -> Result<(), String> {
    let hosts = bench.hosts.max(1);
    let mut addrs = Vec::new();
    let mut counters = Vec::new();
    for _ in 0..hosts {
        let (addr, c) = fake_host(bench.latency).await.map_err(|e| e.to_string())?;
        addrs.push(addr);
        counters.push(c);
    }
    let dir = tempfile_dir()?;
    let pool = crate::open_database(&dir.join("bench-links.db"))
        .await
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    generate(&pool, bench.resources, &addrs)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "generated {} resources in {:.1} s",
        bench.resources,
        started.elapsed().as_secs_f64()
    );
    let mut settings = app::domain::links::CheckSettings::for_site("http://127.0.0.1:1");
    settings.concurrency = bench.concurrency;
    settings.per_host_pause = Duration::ZERO;
    settings.timeout = Duration::from_secs(10);
    // The benchmark's sites are on loopback: an operator's allow-list.
    settings.allow = vec!["127.0.0.1".into()];
    let report = crate::jobs::links::run(&pool, &settings, "cli")
        .await
        .map_err(|e| e.to_string())?;
    let statuses: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, count(*) FROM link GROUP BY status ORDER BY status")
            .fetch_all(&pool)
            .await
            .map_err(|e| e.to_string())?;
    println!(
        "links: {} distinct, {} checked in {:.2} s ({:.0} links/s); concurrency {}, {} hosts, {} ms per answer",
        report.links,
        report.checked,
        report.elapsed.as_secs_f64(),
        report.checked as f64 / report.elapsed.as_secs_f64().max(1e-9),
        bench.concurrency,
        hosts,
        bench.latency.as_millis()
    );
    let statuses: BTreeMap<_, _> = statuses.into_iter().collect();
    println!("statuses: {statuses:?}");
    let mut worst = 0;
    for (addr, c) in addrs.iter().zip(&counters) {
        let max = c.max_in_flight.load(Ordering::SeqCst);
        worst = worst.max(max);
        println!(
            "  host {addr}: {} requests (checker counted {}), at most {max} at once",
            c.requests.load(Ordering::SeqCst),
            report
                .requests_per_host
                .get(&addr.to_string())
                .copied()
                .unwrap_or(0)
        );
    }
    println!("max concurrent requests per host observed: {worst}");
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if worst > 1 {
        return Err(format!("a host saw {worst} requests at once"));
    }
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("bli-bench-links-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}
