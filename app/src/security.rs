//! The Content-Security-Policy's nonce, from the server's middleware to the
//! inline scripts Leptos writes (the boot script and the serialised data the
//! page hydrates from).
//!
//! The server makes a fresh nonce per request, puts it in the request header
//! [`NONCE_HEADER`] (after removing any value a client sent) and in the
//! response's CSP; [`provide_request_nonce`] hands the same value to Leptos,
//! which adds it to every inline `<script>` it renders. Re-rendered forms
//! (the no-JavaScript paths) copy the request headers, so they carry it too.

use leptos::prelude::*;

/// The internal request header carrying this response's nonce.
pub const NONCE_HEADER: &str = "x-bli-csp-nonce";

/// 128 random bits, hex-encoded.
pub fn new_nonce() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes Leptos use the nonce the middleware chose, if it chose one. Called
/// first thing in the shell, in the render's root owner.
pub fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(NONCE_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| is_nonce(v))
            .map(str::to_string)
    });
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// The path of the request being rendered (server only).
pub fn request_path() -> Option<String> {
    use_context::<axum::http::request::Parts>().map(|parts| parts.uri.path().to_string())
}

fn is_nonce(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The policy: our own files only, the wasm compiled with
/// `'wasm-unsafe-eval'`, inline scripts only with this response's nonce, no
/// inline styles, no plugins, no framing, forms posting only to us.
pub fn content_security_policy(nonce: &str, https: bool) -> String {
    let mut policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if https {
        policy.push_str("; upgrade-insecure-requests");
    }
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_fresh_and_well_formed() {
        let (a, b) = (new_nonce(), new_nonce());
        assert!(is_nonce(&a) && is_nonce(&b));
        assert_ne!(a, b);
        assert!(
            !is_nonce("\" onload=\"x"),
            "a header value must not become markup"
        );
    }

    #[test]
    fn the_policy_names_the_nonce_and_forbids_framing() {
        let policy = content_security_policy("abc", false);
        assert!(policy.contains("'nonce-abc'") && policy.contains("'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"));
        assert!(content_security_policy("abc", true).ends_with("upgrade-insecure-requests"));
    }
}
