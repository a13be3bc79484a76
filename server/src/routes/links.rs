//! The editors' link forms: "Sjekk nå", "Bruk ny adresse" and the e-mail
//! digest opt-in. Each handler checks the session itself (`gate`) and
//! answers with a redirect carrying a `?melding=` code, so the forms work
//! without JavaScript.

use app::{
    db::links as store,
    domain::{
        form::{field, form_pairs},
        links::NewAddressToConfirm,
        notice::Notice,
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use crate::routes::forms::{failed, notify, FormError, SignedIn};

const PAGE: &str = "/redaktor/lenker";

fn back(notice: Notice) -> Response {
    notify(PAGE, notice)
}

/// `POST /redaktor/lenker/sjekk`: starts a run in the background, unless one
/// is under way.
pub async fn check_now(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, FormError> {
    Ok(match store::begin_run(&state.pool, "editor").await {
        Ok(Some(run_id)) => {
            tracing::info!(user = %user.username, "link check started by an editor");
            let pool = state.pool.clone();
            let settings = (*state.link_check).clone();
            tokio::spawn(async move {
                let _ = crate::jobs::links::run_claimed(&pool, &settings, run_id).await;
            });
            back(Notice::CheckStarted)
        }
        Ok(None) => back(Notice::CheckRunning),
        Err(err) => {
            tracing::error!(error = %err, "starting a link check failed");
            back(Notice::Technical)
        }
    })
}

/// `POST /redaktor/lenker/{id}/ny-adresse`: replaces a permanently moved
/// address by its new one in every resource and page that uses it, each
/// through its normal save (a new version and an audit entry). Only a
/// target [`crate::jobs::link_guard::new_address`] accepts; the first post shows
/// the editor the exact address, and only a second with `bekreft=ja` and
/// that address saves it. In texts only Markdown link destinations change
/// (review 3, N8).
pub async fn use_new_address(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let moved = match store::redirect_target(&state.pool, id).await {
        Ok(Some(moved)) => moved,
        Ok(None) => return Ok(back(Notice::Gone)),
        Err(err) => {
            tracing::error!(error = %err, "loading a moved link failed");
            return Ok(back(Notice::Technical));
        }
    };
    let Some(target) = crate::jobs::link_guard::new_address(&moved.target, &state.link_check.allow)
    else {
        return Ok(back(Notice::AddressRefused));
    };
    let pairs = form_pairs(&body);
    if field(&pairs, "bekreft") != "ja" {
        let confirm = NewAddressToConfirm {
            id,
            old: moved.url.clone(),
            new: target,
            uses: moved.resources.len() + moved.pages.len(),
        };
        // Not a form that came back: the address to confirm.
        return Ok(crate::routes::forms::render_with(
            state,
            PAGE,
            headers,
            confirm,
            StatusCode::OK,
        )
        .await);
    }
    if field(&pairs, "adresse") != target {
        return Ok(back(Notice::AddressChanged));
    }
    let moved = store::Moved { target, ..moved };
    let mut problem: Option<Notice> = None;
    let mut changed = 0usize;
    for resource in &moved.resources {
        match update_resource(&state, &user, *resource, &moved.url, &moved.target).await {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(code) => problem = problem.or(Some(code)),
        }
    }
    for slug in &moved.pages {
        match update_page(&state, &user, slug, &moved.url, &moved.target).await {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(code) => problem = problem.or(Some(code)),
        }
    }
    if changed > 0 {
        state.catalogue.invalidate();
        // The index follows the content at once: the old address is gone
        // from the list, the new one waits for its first check.
        if let Err(err) = store::sync(&state.pool, state.link_check.own_host.as_deref()).await {
            tracing::error!(error = %err, "re-reading the links after a change failed");
        }
    }
    Ok(back(problem.unwrap_or(if changed > 0 {
        Notice::NewAddress
    } else {
        Notice::AddressUnused
    })))
}

async fn update_resource(
    state: &AppState,
    user: &app::domain::account::User,
    id: i64,
    old: &str,
    new: &str,
) -> Result<bool, Notice> {
    let input = {
        let mut conn = state.pool.acquire().await.map_err(|err| {
            tracing::error!(error = %err, "no database connection");
            Notice::Technical
        })?;
        match app::db::editing::load_input(&mut conn, id).await {
            Ok(Some(input)) => input,
            Ok(None) => return Ok(false),
            Err(err) => {
                tracing::error!(error = %err, "loading a resource to update its link failed");
                return Err(Notice::Technical);
            }
        }
    };
    let mut updated = input.clone();
    updated.body = store::replace_link_destination(&input.body, old, new);
    for (_, url) in updated.links.iter_mut() {
        if url.trim() == old {
            *url = new.to_string();
        }
    }
    if updated == input {
        return Ok(false);
    }
    match app::db::editing::save(&state.pool, user, Some(id), updated).await {
        Ok(_) => Ok(true),
        Err(err) => {
            tracing::warn!(resource = id, error = ?err, "updating a moved link failed");
            Err(failed(&err))
        }
    }
}

async fn update_page(
    state: &AppState,
    user: &app::domain::account::User,
    slug: &str,
    old: &str,
    new: &str,
) -> Result<bool, Notice> {
    let input = match app::db::pages::input(&state.pool, slug, None).await {
        Ok(Some(input)) => input,
        Ok(None) => return Ok(false),
        Err(err) => {
            tracing::error!(error = %err, "loading a page to update its link failed");
            return Err(Notice::Technical);
        }
    };
    let mut updated = input.clone();
    updated.body = store::replace_link_destination(&input.body, old, new);
    if updated.body == input.body {
        return Ok(false);
    }
    match app::db::pages::save(&state.pool, user, slug, &updated).await {
        Ok(_) => Ok(true),
        Err(err) => {
            tracing::warn!(page = slug, error = ?err, "updating a moved link failed");
            Err(failed(&err))
        }
    }
}

/// `POST /redaktor/sammendrag`: the signed-in editor's own digest opt-in
/// (`digest=ja` and an address) or opt-out.
pub async fn digest_opt_in(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    let wanted = field(&pairs, "digest") == "ja";
    let email = field(&pairs, "epost").trim().to_string();
    if wanted && !crate::jobs::digest::plausible_address(&email) {
        return Ok(notify("/redaktor", Notice::EmailInvalid));
    }
    let address = wanted.then_some(email);
    Ok(
        match crate::jobs::digest::set_opt_in(&state.pool, &user, address.as_deref()).await {
            Ok(waiting) => notify(
                "/redaktor",
                match (wanted, waiting) {
                    (true, true) => Notice::DigestConfirm,
                    (true, false) => Notice::DigestOn,
                    (false, _) => Notice::DigestOff,
                },
            ),
            Err(err) => {
                tracing::error!(error = %err, "saving the digest choice failed");
                notify("/redaktor", Notice::Technical)
            }
        },
    )
}

/// `GET /redaktor/sammendrag/bekreft?kode=…`: the link in the confirmation
/// e-mail. Only the signed-in editor who asked can confirm their own
/// address, and only with the code sent to it (review 3, I-3).
pub async fn confirm_digest_address(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Response, FormError> {
    let pairs = form_pairs(query.unwrap_or_default().as_bytes());
    let code = field(&pairs, "kode");
    let hash = app::auth::sha256_hex(code.trim());
    Ok(
        match app::db::digest::confirm(&state.pool, user.id, &hash).await {
            Ok(true) => notify("/redaktor", Notice::DigestConfirmed),
            Ok(false) => notify("/redaktor", Notice::DigestLinkInvalid),
            Err(err) => {
                tracing::error!(error = %err, "confirming a digest address failed");
                notify("/redaktor", Notice::Technical)
            }
        },
    )
}
