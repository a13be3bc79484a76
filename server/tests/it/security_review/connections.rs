//! Review 3, N3: the slowloris guard covered only HTTP/1 heads that had
//! begun. A connection that sent nothing, part of the HTTP/2 preface, or
//! the whole h2c preface and then nothing was held for ever, and nothing
//! capped how many connections were open. (Slow headers:
//! `records.rs`, `a_client_that_sends_its_headers_slowly_is_cut_off`.)

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use super::*;

/// The server on a socket with `limits`; send on the sender to stop it.
async fn listening(
    dir: &tempfile::TempDir,
    limits: server::http::listener::Limits,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let state = seeded_state(dir).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::http::listener::run(
        listener,
        server::router(state),
        async {
            let _ = stopped.await;
        },
        limits,
    ));
    (addr, stop, server)
}

/// Whether the server closes `stream` within `within` (what it sent first
/// does not matter).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut rest = Vec::new();
    matches!(
        tokio::time::timeout(within, stream.read_to_end(&mut rest)).await,
        Ok(Ok(_)) | Ok(Err(_))
    )
}

async fn health(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn silent_connections_and_http2_prefaces_are_closed_after_the_header_time_out() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, server) = listening(&dir, Duration::from_secs(1).into()).await;
    let prefaces: [&[u8]; 4] = [
        b"",
        b"PRI * HTTP/2.0\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        // The whole h2c preface and an empty SETTINGS frame, then nothing.
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0",
    ];
    let mut open = Vec::new();
    for first in prefaces {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(first).await.unwrap();
        open.push((first, stream));
    }
    for (first, stream) in &mut open {
        assert!(
            closed_within(stream, Duration::from_secs(5)).await,
            "a connection that sent {first:?} and then nothing must be closed"
        );
    }
    // A connection kept alive after an answer has the same time to send the next.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_within(&mut kept, Duration::from_secs(5)).await);
    let mut quick = TcpStream::connect(addr).await.unwrap();
    assert!(health(&mut quick).await.starts_with("HTTP/1.1 200"));
    stop.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test]
async fn one_client_has_a_bounded_number_of_connections() {
    let dir = tempfile::tempdir().unwrap();
    let limits = server::http::listener::Limits {
        header_read_timeout: Duration::from_secs(20),
        max_per_client: 3,
        ..Default::default()
    };
    let (addr, stop, server) = listening(&dir, limits).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut fourth = TcpStream::connect(addr).await.unwrap();
    assert!(
        closed_within(&mut fourth, Duration::from_secs(2)).await,
        "the fourth connection from one address is closed at once"
    );
    assert!(
        !closed_within(&mut held[0], Duration::from_millis(300)).await,
        "the first three stay open"
    );
    held.pop();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = TcpStream::connect(addr).await.unwrap();
    assert!(
        health(&mut again).await.starts_with("HTTP/1.1 200"),
        "once one closes, the client is served again"
    );
    stop.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test]
async fn the_server_holds_a_bounded_number_of_connections_and_queues_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let limits = server::http::listener::Limits {
        header_read_timeout: Duration::from_secs(20),
        max_connections: 2,
        ..Default::default()
    };
    let (addr, stop, server) = listening(&dir, limits).await;
    let mut held = vec![
        TcpStream::connect(addr).await.unwrap(),
        TcpStream::connect(addr).await.unwrap(),
    ];
    let mut waiting = TcpStream::connect(addr).await.unwrap();
    waiting
        .write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    assert!(
        tokio::time::timeout(Duration::from_millis(500), waiting.read_to_end(&mut answer))
            .await
            .is_err(),
        "a third connection is not served while two are open"
    );
    held.pop();
    tokio::time::timeout(Duration::from_secs(10), waiting.read_to_end(&mut answer))
        .await
        .expect("served once one closes")
        .unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    drop(held);
    stop.send(()).unwrap();
    server.await.unwrap();
}
