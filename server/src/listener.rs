//! The HTTP listener: hyper (HTTP/1.1 and HTTP/2) on a TCP socket, with a
//! time-out for reading a request's headers and graceful shutdown.
//!
//! `axum::serve` sets no timer, so a client that opens connections and sends
//! its headers a byte at a time ("slowloris") could hold them for ever; the
//! request time-out only starts once the headers are in. Here a connection
//! that has not sent a whole request head within [`HEADER_READ_TIMEOUT`] is
//! closed.

use std::{convert::Infallible, future::Future, net::SocketAddr, pin::pin, time::Duration};

use axum::{extract::ConnectInfo, Router};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto::Builder, graceful::GracefulShutdown},
};
use tower::ServiceExt;

/// How long a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` resolves; then stops
/// accepting, lets requests under way finish (up to the request time-out
/// and a little), and returns.
pub async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
    header_read_timeout: Duration,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(err) => {
                        // Out of file descriptors and the like: wait, do not spin.
                        tracing::error!(error = %err, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    let router = router.clone();
                    async move {
                        // No Host on HTTP/1.1, or two: 400 (RFC 9112 §3.2).
                        if let Some(refusal) = crate::requests::host_refusal(&request) {
                            return Ok::<_, Infallible>(refusal);
                        }
                        Ok(router.oneshot(request).await.unwrap_or_else(|never| match never {}))
                    }
                });
                let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // Resets, time-outs and bad requests end one connection only.
                    if let Err(err) = connection.await {
                        tracing::debug!(error = %err, %peer, "connection ended with an error");
                    }
                });
            }
            _ = shutdown.as_mut() => break,
        }
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
