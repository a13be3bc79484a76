//! The second factor's set-up page. Its server function checks the session
//! itself: a full session of any role, or an administrator's set-up session
//! (past the password, without a factor); a session still waiting for its
//! code, or none, is refused.

use leptos::prelude::*;

use crate::{domain::factor::FactorSetup, error::AppError};

#[server]
pub async fn get_factor_setup(next: Option<String>) -> Result<FactorSetup, AppError> {
    use crate::{
        auth::{factor, totp},
        domain::factor::{FactorOffer, NewRecoveryCodes},
    };
    let state = crate::state::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let Some(token) = crate::auth::session_token(&headers, state.secure_cookies) else {
        return Err(AppError::Unauthorized);
    };
    let (user, stage) = match factor::session_stage(&state.pool, &token).await? {
        Some((user, stage)) if stage != factor::Stage::Code => (user, stage),
        _ => return Err(AppError::Unauthorized),
    };
    let (enabled, codes_left) = factor::status(&state.pool, user.id).await?;
    let echo = crate::api::came_back::<crate::domain::form::Fields>();
    let offer = if enabled {
        None
    } else {
        // A code that came back wrong keeps the secret the app has already.
        let secret = echo
            .as_ref()
            .map(|e| e.value("secret"))
            .filter(|s| totp::decode_secret(s).is_some())
            .unwrap_or_else(|| totp::encode_secret(&totp::new_secret()));
        let qr_svg = totp::qr_svg(&totp::otpauth_uri(&user.username, &secret)).unwrap_or_default();
        Some(FactorOffer {
            grouped: totp::grouped(&secret),
            secret,
            qr_svg,
        })
    };
    Ok(FactorSetup {
        forced: stage == factor::Stage::Setup,
        user,
        enabled,
        codes_left,
        offer,
        new_codes: use_context::<NewRecoveryCodes>()
            .map(|c| c.0)
            .unwrap_or_default(),
        echo,
        next: crate::query::safe_next(next),
    })
}
