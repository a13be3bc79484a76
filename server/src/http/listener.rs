//! The HTTP listener: hyper (HTTP/1.1) on a TCP socket, with a time-out for
//! every request head, caps on open connections, and graceful shutdown.
//!
//! `axum::serve` sets no timer, so a client that opens connections and sends
//! nothing, or its headers a byte at a time ("slowloris"), could hold them
//! for ever; the request time-out only starts once the headers are in. Here
//! a connection that has not sent a whole request head within
//! [`HEADER_READ_TIMEOUT`] of opening (or of its previous answer, when kept
//! alive) is closed, whether it sent part of one or nothing at all.
//!
//! Only HTTP/1.1 is served (review 3, N3). Browsers speak HTTP/2 only over
//! TLS, which the proxy in front terminates, and nginx speaks HTTP/1.1 to
//! its upstream; cleartext HTTP/2 (h2c) was used by no client we serve, and
//! hyper's version detection read its preface with no timer at all, so a
//! silent connection, a partial preface or an idle h2c connection stayed
//! open for ever. An HTTP/2 preface is now a bad HTTP/1 request, closed.
//!
//! At most [`Limits::max_connections`] connections are open at once (the
//! listener stops accepting until one closes, so the kernel queues the
//! rest), and at most [`Limits::max_per_client`] from one address (IPv6 by
//! /64; more are closed at once). The reverse proxies in
//! `BLI_TRUSTED_PROXIES` carry everyone's requests, so only the overall cap
//! applies to them.

use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    net::{IpAddr, Ipv6Addr, SocketAddr},
    pin::pin,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::client::TrustedProxies;
use axum::{extract::ConnectInfo, Router};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections open at once, over all clients (`BLI_MAX_CONNECTIONS`).
/// The service unit allows 8,192 open files.
pub const MAX_CONNECTIONS: usize = 4096;
/// Connections open at once from one client (`BLI_MAX_CONNECTIONS_PER_CLIENT`):
/// a browser opens six.
pub const MAX_CONNECTIONS_PER_CLIENT: usize = 64;

/// What the listener allows.
#[derive(Clone, Debug)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub max_connections: usize,
    pub max_per_client: usize,
    /// Peers the per-client cap does not apply to (the reverse proxies).
    pub proxies: Arc<TrustedProxies>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            max_per_client: MAX_CONNECTIONS_PER_CLIENT,
            proxies: Arc::new(TrustedProxies::none()),
        }
    }
}

/// The default limits with another header time-out (tests use a short one).
impl From<Duration> for Limits {
    fn from(header_read_timeout: Duration) -> Self {
        Limits {
            header_read_timeout,
            ..Limits::default()
        }
    }
}

/// Open connections per client address.
#[derive(Debug, Default)]
struct PerClient {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection of a client; counted until dropped.
struct Slot {
    table: Arc<PerClient>,
    client: IpAddr,
}

impl PerClient {
    /// A client is an IPv4 address or an IPv6 /64, as for every other limit.
    fn client(peer: IpAddr) -> IpAddr {
        match peer.to_canonical() {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            v4 => v4,
        }
    }

    fn take(self: &Arc<Self>, peer: IpAddr, max: usize) -> Option<Slot> {
        let client = Self::client(peer);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(client).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            table: self.clone(),
            client,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.table.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves; then stops
/// accepting, lets requests under way finish (up to the request time-out
/// and a little), and returns.
pub async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
    limits: impl Into<Limits>,
) {
    let limits = limits.into();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_client = Arc::new(PerClient::default());
    let mut warned: Option<Instant> = None;
    let mut shutdown = pin!(shutdown);
    loop {
        if connections.available_permits() == 0
            && warned.is_none_or(|at| at.elapsed() > Duration::from_secs(60))
        {
            tracing::warn!(
                max = limits.max_connections,
                "every connection is in use: new ones wait (BLI_MAX_CONNECTIONS)"
            );
            warned = Some(Instant::now());
        }
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = shutdown.as_mut() => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::error!(error = %err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = shutdown.as_mut() => break,
        };
        let slot = if limits.proxies.trusts(peer.ip()) {
            None
        } else {
            match per_client.take(peer.ip(), limits.max_per_client) {
                Some(slot) => Some(slot),
                None => {
                    tracing::debug!(%peer, "too many connections from one client: closed");
                    continue;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            let router = router.clone();
            async move {
                // No Host on HTTP/1.1, or two: 400 (RFC 9112 §3.2).
                if let Some(refusal) = crate::http::requests::host_refusal(&request) {
                    return Ok::<_, Infallible>(refusal);
                }
                Ok(router
                    .oneshot(request)
                    .await
                    .unwrap_or_else(|never| match never {}))
            }
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _held = (permit, slot);
            // Resets, time-outs and bad requests end one connection only.
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(
        crate::REQUEST_TIMEOUT + Duration::from_secs(5),
        graceful.shutdown(),
    )
    .await
    .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period: closing them");
    }
}
