//! The link checker's HTTP side: requests every external link of the
//! published content, off the request path, politely (a small global
//! concurrency, one request at a time per host, an honest User-Agent), and
//! stores what answered through `app::db::links`. Runs on a timer
//! (`BLI_LINK_CHECK_INTERVAL`), from `bli-involvert check-links`, and from
//! the editors' "Sjekk nå".

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::{
    db::links::{self as store, Outcome},
    domain::links::{host_of, CheckSettings, LinkStatus},
};
use reqwest::{header::LOCATION, Method, StatusCode, Url};
use sqlx::SqlitePool;
use tokio::sync::Semaphore;

/// HEAD answers that mean "ask me with GET": refused methods (405, 501) and
/// the codes servers that mishandle HEAD tend to give (400, 403, 406).
const HEAD_REFUSED: [u16; 5] = [400, 403, 405, 406, 501];

/// Parses an interval setting: `off`, `hourly`, `daily`, `weekly`, or a
/// number with a unit (`30m`, `6h`, `1d`, `2w`; bare numbers are seconds).
pub fn parse_interval(value: &str) -> Result<Option<Duration>, String> {
    let value = value.trim().to_ascii_lowercase();
    let seconds = match value.as_str() {
        "off" | "av" | "0" => return Ok(None),
        "hourly" => 3600,
        "daily" => 86_400,
        "weekly" => 7 * 86_400,
        _ => {
            let (number, unit) = value.split_at(
                value
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(value.len()),
            );
            let n: u64 = number
                .parse()
                .map_err(|_| format!("«{value}» is not an interval (try off, daily, 6h, 30m)"))?;
            let unit = match unit {
                "" | "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                "w" => 7 * 86_400,
                _ => return Err(format!("«{value}»: the unit must be s, m, h, d or w")),
            };
            n.checked_mul(unit)
                .filter(|s| *s > 0)
                .ok_or_else(|| format!("«{value}» is not a usable interval"))?
        }
    };
    Ok(Some(Duration::from_secs(seconds)))
}

/// One lock per host, and how many requests each host received.
#[derive(Default)]
pub struct Hosts {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    requests: Mutex<BTreeMap<String, usize>>,
}

impl Hosts {
    async fn lock(&self, host: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
            locks.entry(host.to_string()).or_default().clone()
        };
        lock.lock_owned().await
    }

    fn count(&self, host: &str) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *requests.entry(host.to_string()).or_default() += 1;
    }

    /// Requests made per host.
    pub fn requests(&self) -> BTreeMap<String, usize> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The HTTP client the checker uses: no automatic redirects (each hop is
/// requested under its own host's lock), the settings' time-out and name,
/// and names resolved by [`crate::jobs::link_guard::Guard`], which refuses
/// internal addresses and connects to the addresses it checked.
pub fn client(settings: &CheckSettings) -> reqwest::Client {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(crate::jobs::link_guard::Guard {
            allow: Arc::new(settings.allow.clone()),
        }))
        // Through a proxy from the environment the proxy would resolve the
        // names, not the guard: the checker talks to sites directly.
        .no_proxy()
        .user_agent(settings.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .pool_max_idle_per_host(1)
        .build()
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "building the link checker's client failed; using the default");
            reqwest::Client::new()
        })
}

/// Checks one address: HEAD (GET where HEAD is refused), following
/// redirects up to the limit, each request under its host's lock.
pub async fn check_url(
    client: &reqwest::Client,
    hosts: &Hosts,
    settings: &CheckSettings,
    address: &str,
) -> Outcome {
    let fail = |status, http_code, detail: &str| Outcome {
        status,
        http_code,
        final_url: None,
        detail: detail.to_string(),
    };
    let Ok(mut url) = Url::parse(address.trim()) else {
        return fail(LinkStatus::ClientError, None, "ugyldig adresse");
    };
    // The first permanent hop: its code and target.
    let mut permanent: Option<(u16, String)> = None;
    for _ in 0..=settings.max_redirects {
        if !matches!(url.scheme(), "http" | "https") {
            return fail(
                LinkStatus::ClientError,
                None,
                "videresender til en adresse som ikke er http(s)",
            );
        }
        // No credentials in a request, and no internal address or other
        // port on any hop (review 3, N1); names are checked as they resolve.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        if let Some(why) = crate::jobs::link_guard::refusal(&url, &settings.allow) {
            return Outcome {
                final_url: permanent.map(|(_, target)| target),
                ..fail(LinkStatus::Network, None, why)
            };
        }
        let host = host_of(url.as_str()).unwrap_or_default();
        let answer = {
            let _turn = hosts.lock(&host).await;
            hosts.count(&host);
            let mut answer = client.request(Method::HEAD, url.clone()).send().await;
            if matches!(&answer, Ok(r) if HEAD_REFUSED.contains(&r.status().as_u16())) {
                hosts.count(&host);
                answer = client.request(Method::GET, url.clone()).send().await;
            }
            if !settings.per_host_pause.is_zero() {
                tokio::time::sleep(settings.per_host_pause).await;
            }
            answer
        };
        let response = match answer {
            Ok(response) => response,
            Err(err) => {
                let (status, detail) = classify_error(&err);
                return Outcome {
                    final_url: permanent.map(|(_, target)| target),
                    ..fail(status, None, &detail)
                };
            }
        };
        let code = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| url.join(v).ok());
        // The body is not needed: dropping the answer closes it.
        drop(response);
        if code.is_redirection() {
            if let Some(next) = location {
                if matches!(
                    code,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                ) && permanent.is_none()
                {
                    permanent = Some((code.as_u16(), next.to_string()));
                }
                url = next;
                continue;
            }
        }
        let words = format!(
            "{} {}",
            code.as_u16(),
            code.canonical_reason().unwrap_or("")
        )
        .trim()
        .to_string();
        return match (code.as_u16(), permanent) {
            (400..=499, permanent) => Outcome {
                final_url: permanent.map(|(_, t)| t),
                ..fail(LinkStatus::ClientError, Some(code.as_u16()), &words)
            },
            (500..=599, permanent) => Outcome {
                final_url: permanent.map(|(_, t)| t),
                ..fail(LinkStatus::ServerError, Some(code.as_u16()), &words)
            },
            (_, Some((first, target))) => Outcome {
                status: LinkStatus::Redirect,
                http_code: Some(first),
                detail: format!("{first} til {target}, som svarer {words}"),
                final_url: Some(target),
            },
            (_, None) => fail(LinkStatus::Ok, Some(code.as_u16()), &words),
        };
    }
    Outcome {
        final_url: permanent.map(|(_, t)| t),
        ..fail(
            LinkStatus::ClientError,
            None,
            &format!("mer enn {} videresendinger", settings.max_redirects),
        )
    }
}

/// A failed request's class and a few words on what happened.
fn classify_error(err: &reqwest::Error) -> (LinkStatus, String) {
    if err.is_timeout() {
        return (LinkStatus::Timeout, "svarte ikke i tide".into());
    }
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        chain.push_str(&e.to_string().to_ascii_lowercase());
        chain.push(' ');
        source = e.source();
    }
    let detail = if chain.contains(crate::jobs::link_guard::INTERNAL) {
        crate::jobs::link_guard::INTERNAL
    } else if chain.contains("dns") || chain.contains("resolve") {
        "fant ikke navnet (DNS)"
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake")
    {
        "TLS-feil (sertifikat eller kryptering)"
    } else if chain.contains("refused") {
        "tilkoblingen ble avvist"
    } else if chain.contains("closed") || chain.contains("incomplete") || chain.contains("reset") {
        "forbindelsen ble lukket uten svar"
    } else {
        "tilkoblingsfeil"
    };
    if chain.contains("timed out") {
        return (LinkStatus::Timeout, "svarte ikke i tide".into());
    }
    (LinkStatus::Network, detail.into())
}

/// What one run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Distinct links in the content.
    pub links: usize,
    /// Links checked and stored.
    pub checked: usize,
    pub elapsed: Duration,
    /// Requests made per host (HEAD and GET, every redirect hop).
    pub requests_per_host: BTreeMap<String, usize>,
    /// Broken links after the run.
    pub broken: i64,
}

/// Why a run did not happen or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("a link check is already under way")]
    Busy,
    #[error("the database failed during the link check: {0}")]
    Db(#[from] sqlx::Error),
}

/// A whole run: claims the run lock, checks every link, releases the lock.
pub async fn run(
    pool: &SqlitePool,
    settings: &CheckSettings,
    trigger: &str,
) -> Result<Report, RunError> {
    let id = store::begin_run(pool, trigger)
        .await?
        .ok_or(RunError::Busy)?;
    run_claimed(pool, settings, id).await
}

/// The rest of a run whose lock `run_id` the caller holds (as "Sjekk nå"
/// does, so it can tell the editor at once whether a run started).
pub async fn run_claimed(
    pool: &SqlitePool,
    settings: &CheckSettings,
    run_id: i64,
) -> Result<Report, RunError> {
    let result = check_all(pool, settings).await;
    let checked = result.as_ref().map(|r| r.checked).unwrap_or(0);
    if let Err(err) = store::finish_run(pool, run_id, checked).await {
        tracing::error!(error = %err, "could not mark the link check as finished");
    }
    match &result {
        Ok(report) => tracing::info!(
            links = report.links,
            checked = report.checked,
            broken = report.broken,
            seconds = report.elapsed.as_secs_f64(),
            "link check finished"
        ),
        Err(err) => tracing::error!(error = %err, "link check failed"),
    }
    result
}

async fn check_all(pool: &SqlitePool, settings: &CheckSettings) -> Result<Report, RunError> {
    let started = Instant::now();
    let links = store::sync(pool, settings.own_host.as_deref()).await?;
    let mut by_host: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (id, url, host) in store::due(pool).await? {
        by_host.entry(host).or_default().push((id, url));
    }
    let client = client(settings);
    let hosts = Arc::new(Hosts::default());
    let permits = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let (results, mut incoming) = tokio::sync::mpsc::channel::<(i64, Outcome)>(1024);

    // One writer stores the outcomes in batches, one transaction each.
    let writer = {
        let pool = pool.clone();
        let gap = settings.min_broken_gap.as_secs() as i64;
        tokio::spawn(async move {
            let mut stored = 0usize;
            let mut batch = Vec::with_capacity(256);
            while incoming.recv_many(&mut batch, 256).await > 0 {
                store::record_all(&pool, &batch, gap).await?;
                stored += batch.len();
                batch.clear();
            }
            Ok::<usize, sqlx::Error>(stored)
        })
    };

    // One task per host walks its links in turn: never two at once to a host.
    let mut tasks = tokio::task::JoinSet::new();
    for (_, list) in by_host {
        let (client, hosts, permits, results) = (
            client.clone(),
            hosts.clone(),
            permits.clone(),
            results.clone(),
        );
        let settings = settings.clone();
        tasks.spawn(async move {
            for (id, url) in list {
                let Ok(_permit) = permits.acquire().await else {
                    return;
                };
                let outcome = check_url(&client, &hosts, &settings, &url).await;
                if results.send((id, outcome)).await.is_err() {
                    return;
                }
            }
        });
    }
    drop(results);
    while tasks.join_next().await.is_some() {}
    let checked = match writer.await {
        Ok(result) => result?,
        Err(err) => {
            tracing::error!(error = %err, "the link check's writer stopped");
            0
        }
    };
    if let Err(err) = store::prune_history(pool, settings.history_days).await {
        tracing::error!(error = %err, "pruning the link check history failed");
    }
    let broken = store::summary(pool).await?.broken;
    Ok(Report {
        links,
        checked,
        elapsed: started.elapsed(),
        requests_per_host: hosts.requests(),
        broken,
    })
}

/// Runs the checker every `interval`, counted from the last run's start (so
/// a restart does not check again at once), until the task is aborted. The
/// first run of a new site waits a few minutes, out of the start's way.
pub async fn every(pool: SqlitePool, settings: CheckSettings, interval: Duration) {
    loop {
        let since: Option<f64> = sqlx::query_scalar(
            "SELECT (julianday('now') - julianday(max(started_at))) * 86400.0
               FROM link_check_run WHERE finished_at IS NOT NULL",
        )
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "link check timer: the database does not answer");
            None
        });
        let wait = match since {
            Some(seconds) => interval.saturating_sub(Duration::from_secs_f64(seconds.max(0.0))),
            None => Duration::from_secs(300),
        };
        tokio::time::sleep(wait.max(Duration::from_secs(60))).await;
        match run(&pool, &settings, "timer").await {
            Ok(_) => {}
            Err(RunError::Busy) => tracing::info!("link check skipped: one is under way"),
            Err(err) => tracing::error!(error = %err, "link check failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_interval;
    use std::time::Duration;

    #[test]
    fn intervals_parse_like_other_settings() {
        assert_eq!(parse_interval("off"), Ok(None));
        assert_eq!(
            parse_interval("daily"),
            Ok(Some(Duration::from_secs(86_400)))
        );
        assert_eq!(
            parse_interval(" Weekly "),
            Ok(Some(Duration::from_secs(604_800)))
        );
        assert_eq!(parse_interval("6h"), Ok(Some(Duration::from_secs(21_600))));
        assert_eq!(parse_interval("30m"), Ok(Some(Duration::from_secs(1_800))));
        assert_eq!(parse_interval("90"), Ok(Some(Duration::from_secs(90))));
        assert!(parse_interval("daglig").is_err());
        assert!(parse_interval("5y").is_err());
        assert!(parse_interval("").is_err());
    }
}
