//! Review 3, I-2 and I-4: server functions refuse with 401 or 403 (not
//! 500), and an odd byte in another cookie does not sign an editor out.

use super::*;

#[tokio::test]
async fn server_functions_refuse_with_401_or_403_not_500() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let _ = server::router(state.clone());
    let (mut unauthorized, mut forbidden) = (0, 0);
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        for cookie in [None, Some(editor.as_str())] {
            let (status, _, body) = call(&state, method.as_str(), path, cookie, "").await;
            if body.contains("\"Unauthorized\"") {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
                unauthorized += 1;
            }
            if body.contains("\"Forbidden\"") {
                assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
                forbidden += 1;
            }
        }
    }
    assert!(
        unauthorized > 10 && forbidden > 0,
        "{unauthorized} refused for want of a session, {forbidden} for the role"
    );
}

#[tokio::test]
async fn an_odd_byte_in_another_cookie_keeps_the_editor_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let session = session_cookie(&state, "redaktor", Role::Editor).await;
    let mut raw = b"a=\xff; ".to_vec();
    raw.extend_from_slice(session.as_bytes());
    let cookie = axum::http::HeaderValue::from_bytes(&raw).unwrap();
    let request = Request::builder()
        .uri("/redaktor")
        .header("accept", "text/html")
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    let (response, body) = send(&state, request).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(body.contains("Redaktør"));
}
