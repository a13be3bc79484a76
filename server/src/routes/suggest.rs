//! `GET /api/forslag?q=`: titles matching what is typed in the search field,
//! for `frontend/js/suggest.js`. Plain JSON, no session, nothing stored.

use app::{catalogue::browse, query::CatalogueQuery, state::AppState};
use axum::{
    extract::{RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

/// Suggestions at most: a short list is quicker to hear and to scan.
const LIMIT: usize = 8;
/// Fewer characters than this suggest nothing (one letter matches most).
const MIN_CHARS: usize = 2;

/// `GET /api/forslag?q=…` → `{"q": "…", "items": [{"title": "…", "url": "/ressurser/…"}]}`
pub async fn suggest(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    // The catalogue's own parser: the same length cap and clean-up.
    let q = CatalogueQuery::parse(raw.as_deref().unwrap_or("")).q;
    let mut items = Vec::new();
    if q.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_CHARS {
        match state.catalogue.get(&state.pool).await {
            Ok(index) => {
                for (title, slug) in browse::suggest(&index, &q, LIMIT).await {
                    items.push(serde_json::json!({
                        "title": title,
                        "url": format!("/ressurser/{slug}"),
                    }));
                }
            }
            Err(err) => {
                tracing::error!(error = %err, "suggestions failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"items":[]}"#,
                )
                    .into_response();
            }
        }
    }
    // No Cache-Control of its own: like every `/api/` answer it goes out
    // `private, no-store` (`security::caching`). Each answer is a lookup in
    // the in-memory index, so caching would save little (review 3, I-6).
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "q": q, "items": items }).to_string(),
    )
        .into_response()
}
