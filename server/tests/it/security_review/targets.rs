//! Review 3, N13: request targets that are not paths, the `Host` rules of
//! RFC 9112 §3.2 and very long paths, sent as raw bytes over a real socket
//! to the server's own listener.

use std::sync::Mutex;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

/// The site on a loopback port; send `()` to stop it.
async fn listening(
    state: AppState,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::http::listener::run(
        listener,
        server::router(state),
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(5),
    ));
    (addr, stop, server)
}

/// Sends `raw` on a new connection and reads until the server closes it.
async fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "no answer and no close for {raw:?}");
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw HTTP/1 answer ("" when there was none).
fn status_of(answer: &str) -> &str {
    answer.split(' ').nth(1).unwrap_or("")
}

/// What the server logs at WARN and above on this thread (the test's
/// runtime runs the listener's tasks on it).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

#[tokio::test]
async fn a_target_that_is_not_a_path_is_answered_400() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, server) = listening(seeded_state(&dir).await).await;
    for raw in [
        &b"GET ressurser HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"[..],
        b"GET . HTTP/1.0\r\n\r\n",
        b"GET * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        b"POST * HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    ] {
        let answer = exchange(addr, raw).await;
        assert_eq!(
            status_of(&answer),
            "400",
            "{:?} got {answer:?}",
            String::from_utf8_lossy(raw)
        );
    }
    let answer = exchange(
        addr,
        b"OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), "204", "OPTIONS * is a fair question");
    let answer = exchange(
        addr,
        b"GET http://x/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), "200", "absolute form is a path too");
    stop.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test]
async fn http_1_1_needs_exactly_one_host() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, server) = listening(seeded_state(&dir).await).await;
    for (raw, status) in [
        (
            &b"GET /health HTTP/1.1\r\nconnection: close\r\n\r\n"[..],
            "400",
        ),
        (
            b"GET /health HTTP/1.1\r\nhost: x\r\nhost: y\r\nconnection: close\r\n\r\n",
            "400",
        ),
        (b"GET /health HTTP/1.0\r\nhost: x\r\nhost: x\r\n\r\n", "400"),
        (
            b"GET /health HTTP/1.1\r\nhost: \r\nconnection: close\r\n\r\n",
            "400",
        ),
        (
            b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
            "200",
        ),
        (
            b"GET /health HTTP/1.1\r\nhost: 127.0.0.1:3000\r\nconnection: close\r\n\r\n",
            "200",
        ),
        (b"GET /health HTTP/1.0\r\n\r\n", "200"),
    ] {
        let answer = exchange(addr, raw).await;
        assert_eq!(
            status_of(&answer),
            status,
            "{:?} got {answer:?}",
            String::from_utf8_lossy(raw)
        );
    }
    stop.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test]
async fn a_very_long_path_is_a_plain_404_or_414_and_no_error() {
    let logs = Logs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, server) = listening(seeded_state(&dir).await).await;
    let long_name = "a".repeat(300);
    for path in [
        format!("/{long_name}"),
        format!("/pkg/{long_name}.js"),
        format!("/ressurser/{long_name}"),
        "/x".repeat(3000),
    ] {
        let raw = format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        let answer = exchange(addr, raw.as_bytes()).await;
        assert!(
            ["404", "414"].contains(&status_of(&answer)),
            "{} bytes of path got {answer:?}",
            path.len()
        );
    }
    stop.send(()).unwrap();
    server.await.unwrap();
    let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        !logged.contains("ERROR"),
        "a long path is not the server's error: {logged}"
    );
}
