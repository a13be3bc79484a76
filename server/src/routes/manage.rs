//! POST handlers for everything editors change outside the resource form:
//! publishing, restoring and deleting resources; organisations; categories
//! and accounts (administrators only). Each checks the session and role
//! itself (`gate`), then either redirects (303) with a `?melding=` code the
//! page turns into a sentence, or renders the page again with what was typed
//! and a message by the field (422).

use app::{
    db::{
        account::{self, AccountChange},
        editing::{self, SaveError},
        lookup, organisation, taxonomy,
    },
    domain::account::{Role, User},
    domain::{
        account::AccountInput,
        form::{field, form_pairs, Fields, FormState},
        notice::Notice,
        organisation::OrganisationInput,
        resource::ResourceStatus,
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use crate::routes::forms::{failed, found, notify, rerender, see, FormError, SignedIn};

fn version_of(pairs: &[(String, String)]) -> Option<i64> {
    field(pairs, "version").trim().parse().ok()
}

// ── Resources ────────────────────────────────────────────────────────────

/// `POST /redaktor/ressurser/{slug}/status`: publish or unpublish.
pub async fn resource_status(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, FormError> {
    let id = found(lookup::resource_id(&state.pool, &slug).await?)?;
    let pairs = form_pairs(&body);
    let Some(status) = ResourceStatus::parse(&field(&pairs, "status")) else {
        return Err(FormError::BadRequest("Ukjent status."));
    };
    Ok(
        match editing::set_status(&state.pool, &user, id, status, version_of(&pairs)).await {
            Ok(saved) => {
                state.catalogue.invalidate();
                let notice = if status == ResourceStatus::Published {
                    Notice::Published
                } else {
                    Notice::Unpublished
                };
                notify(format!("/redaktor/ressurser/{}", saved.slug), notice)
            }
            Err(err) => notify(format!("/redaktor/ressurser/{slug}"), failed(&err)),
        },
    )
}

/// `POST /redaktor/ressurser/{slug}/gjenopprett`: an earlier version becomes the newest.
pub async fn resource_restore(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, FormError> {
    let id = found(lookup::resource_id(&state.pool, &slug).await?)?;
    let Some(version) = version_of(&form_pairs(&body)) else {
        return Err(FormError::BadRequest("Velg en versjon."));
    };
    Ok(
        match app::db::editing::restore(&state.pool, &user, id, version).await {
            Ok(saved) => {
                state.catalogue.invalidate();
                notify(
                    format!("/redaktor/ressurser/{}", saved.slug),
                    Notice::Restored,
                )
            }
            Err(err) => notify(format!("/redaktor/ressurser/{slug}"), failed(&err)),
        },
    )
}

/// `POST /redaktor/ressurser/{slug}/slett`
pub async fn resource_delete(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, FormError> {
    let id = found(lookup::resource_id(&state.pool, &slug).await?)?;
    Ok(
        match editing::delete_resource(&state.pool, &user, id, version_of(&form_pairs(&body))).await
        {
            Ok(_) => {
                state.catalogue.invalidate();
                notify("/redaktor", Notice::ResourceDeleted)
            }
            Err(err) => notify(format!("/redaktor/ressurser/{slug}"), failed(&err)),
        },
    )
}

// ── Organisations ────────────────────────────────────────────────────────

/// `POST /redaktor/organisasjoner/ny`
pub async fn organisation_new(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    organisation_save(state, user, None, headers, body).await
}

/// `POST /redaktor/organisasjoner/{slug}`
pub async fn organisation_existing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    organisation_save(state, user, Some(slug), headers, body).await
}

async fn organisation_save(
    state: AppState,
    user: User,
    slug: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let page = match &slug {
        Some(slug) => format!("/redaktor/organisasjoner/{slug}"),
        None => "/redaktor/organisasjoner/ny".to_string(),
    };
    let id = match &slug {
        Some(slug) => Some(found(lookup::organisation_id(&state.pool, slug).await?)?),
        None => None,
    };
    let mut pairs = form_pairs(&body);
    let input = OrganisationInput::from_form(&pairs);
    Ok(
        match organisation::save_organisation(&state.pool, &user, id, input.clone()).await {
            Ok(saved) => {
                state.catalogue.invalidate();
                notify(
                    format!("/redaktor/organisasjoner/{saved}"),
                    Notice::OrganisationSaved,
                )
            }
            Err(SaveError::NotFound) => return Err(FormError::NotFound),
            Err(err) => {
                let status = crate::routes::forms::save_status(&err);
                let (errors, message) = match err {
                    SaveError::Invalid(errors) => {
                        let message = format!("Rett opp {} felt før du lagrer.", errors.len());
                        (errors, message)
                    }
                    SaveError::Conflict { current_version } => {
                        conflict(&state, slug.as_deref(), &input, &mut pairs, current_version)
                            .await?
                    }
                    other => (Vec::new(), other.message()),
                };
                rerender(
                    state,
                    &page,
                    headers,
                    FormState {
                        input: Fields {
                            form: "organisation".into(),
                            values: pairs,
                        },
                        errors,
                        message: Some(message),
                    },
                    status,
                )
                .await
            }
        },
    )
}

/// Someone saved the organisation after this form was opened (review 3,
/// N5): nothing was written. The form comes back with what was typed, each
/// field that differs from what is stored now marked with the stored value,
/// and the current version, so that saving again is a deliberate choice.
async fn conflict(
    state: &AppState,
    slug: Option<&str>,
    input: &OrganisationInput,
    pairs: &mut Vec<(String, String)>,
    current_version: i64,
) -> Result<(Vec<app::domain::form::FieldError>, String), FormError> {
    let stored = match slug {
        Some(slug) => organisation::organisation_form(&state.pool, slug).await?,
        None => None,
    };
    let changed = stored
        .map(|stored| input.changed_since(&stored.input))
        .unwrap_or_default();
    pairs.retain(|(k, _)| k != "version");
    pairs.push(("version".into(), current_version.to_string()));
    let message = format!(
        "Noen andre har lagret denne organisasjonen etter at du åpnet den, og endringene dine er ikke lagret. \
         {} Lagre på nytt hvis du vil erstatte det som er lagret nå.",
        if changed.is_empty() {
            "Det som er lagret nå, er likt det du sendte.".to_string()
        } else {
            format!("{} felt er ulike det som er lagret nå; de er merket med det som er lagret.", changed.len())
        }
    );
    Ok((changed, message))
}

/// `POST /redaktor/organisasjoner/{slug}/slett`
pub async fn organisation_delete(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, FormError> {
    let page = format!("/redaktor/organisasjoner/{slug}");
    let id = found(lookup::organisation_id(&state.pool, &slug).await?)?;
    Ok(
        match organisation::delete_organisation(&state.pool, &user, id).await {
            Ok(_) => {
                state.catalogue.invalidate();
                notify("/redaktor/organisasjoner", Notice::OrganisationDeleted)
            }
            Err(SaveError::Invalid(errors)) => {
                let message = errors
                    .first()
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                rerender(
                    state,
                    &page,
                    headers,
                    FormState {
                        input: Fields {
                            form: "delete".into(),
                            values: Vec::new(),
                        },
                        errors,
                        message: Some(message),
                    },
                    StatusCode::CONFLICT,
                )
                .await
            }
            Err(err) => notify(&page, failed(&err)),
        },
    )
}

// ── Categories ───────────────────────────────────────────────────────────

const TAXONOMY: &str = "/redaktor/kategorier";

/// `POST /redaktor/kategorier/{facet}/ny`
pub async fn value_add(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(facet): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    Ok(
        match taxonomy::add_value(&state.pool, &user, &facet, &field(&pairs, "label")).await {
            Ok(id) => {
                state.catalogue.invalidate();
                notify(format!("{TAXONOMY}#verdi-{id}"), Notice::ValueAdded)
            }
            Err(SaveError::Invalid(errors)) => {
                let echo = FormState {
                    input: Fields {
                        form: format!("add-{facet}"),
                        values: pairs,
                    },
                    errors,
                    message: Some("Verdien ble ikke lagt til.".into()),
                };
                rerender(
                    state,
                    TAXONOMY,
                    headers,
                    echo,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(SaveError::NotFound) => return Err(FormError::NotFound),
            Err(err) => notify(TAXONOMY, failed(&err)),
        },
    )
}

/// `POST /redaktor/kategorier/verdi/{id}`: rename, move, retire or reinstate.
pub async fn value_change(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    let (result, code) = match field(&pairs, "handling").as_str() {
        "navn" => (
            taxonomy::rename_value(
                &state.pool,
                &user,
                id,
                &field(&pairs, "label"),
                // The name the form showed (a form without it is saved as before).
                Some(field(&pairs, "gammelt"))
                    .filter(|o| !o.is_empty())
                    .as_deref(),
            )
            .await,
            Notice::ValueRenamed,
        ),
        "opp" => (
            taxonomy::move_value(&state.pool, &user, id, true).await,
            Notice::ValueMoved,
        ),
        "ned" => (
            taxonomy::move_value(&state.pool, &user, id, false).await,
            Notice::ValueMoved,
        ),
        "trekk" => {
            let confirmed = field(&pairs, "bekreft") == "ja";
            (
                taxonomy::set_retired(&state.pool, &user, id, true, confirmed).await,
                Notice::ValueRetired,
            )
        }
        "gjeninnsett" => (
            taxonomy::set_retired(&state.pool, &user, id, false, false).await,
            Notice::ValueReinstated,
        ),
        _ => return Err(FormError::BadRequest("Ukjent handling.")),
    };
    Ok(match result {
        Ok(()) => {
            state.catalogue.invalidate();
            notify(format!("{TAXONOMY}#verdi-{id}"), code)
        }
        // Renamed by someone else since the page was opened (N5).
        Err(SaveError::Conflict { .. }) => {
            notify(format!("{TAXONOMY}#verdi-{id}"), Notice::ValueConflict)
        }
        // In use: say how much, and ask again.
        Err(SaveError::Invalid(errors)) if errors.iter().any(|e| e.field == "confirm") => {
            see(format!("{TAXONOMY}?bekreft={id}#verdi-{id}"))
        }
        Err(SaveError::Invalid(errors)) => {
            let echo = FormState {
                input: Fields {
                    form: format!("value-{id}"),
                    values: pairs,
                },
                errors,
                message: Some("Navnet ble ikke endret.".into()),
            };
            rerender(
                state,
                TAXONOMY,
                headers,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SaveError::NotFound) => return Err(FormError::NotFound),
        Err(err) => notify(TAXONOMY, failed(&err)),
    })
}

// ── Accounts ─────────────────────────────────────────────────────────────

const ACCOUNTS: &str = "/redaktor/kontoer";

/// The form's fields without any password, for showing them again.
fn without_password(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.into_iter().filter(|(k, _)| k != "password").collect()
}

/// `POST /redaktor/kontoer/ny`
pub async fn account_new(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    Ok(
        match account::create_account(&state.pool, &user, &AccountInput::from_form(&pairs)).await {
            Ok(_) => notify(ACCOUNTS, Notice::AccountCreated),
            Err(SaveError::Invalid(errors)) => {
                let message = format!("Rett opp {} felt før du oppretter kontoen.", errors.len());
                let echo = FormState {
                    input: Fields {
                        form: "new".into(),
                        values: without_password(pairs),
                    },
                    errors,
                    message: Some(message),
                };
                rerender(
                    state,
                    ACCOUNTS,
                    headers,
                    echo,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(err) => notify(ACCOUNTS, failed(&err)),
        },
    )
}

/// `POST /redaktor/kontoer/{id}`: role, disable/enable, new password.
pub async fn account_change(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FormError> {
    let pairs = form_pairs(&body);
    let change = match field(&pairs, "handling").as_str() {
        "rolle" => match Role::parse(&field(&pairs, "role")) {
            Some(role) => AccountChange::Role(role),
            None => return Err(FormError::BadRequest("Ukjent rolle.")),
        },
        "deaktiver" => AccountChange::Disabled(true),
        "aktiver" => AccountChange::Disabled(false),
        "passord" => AccountChange::Password(field(&pairs, "password")),
        "nullstill-totp" => AccountChange::ResetFactor,
        _ => return Err(FormError::BadRequest("Ukjent handling.")),
    };
    let done = match change {
        AccountChange::ResetFactor => Notice::FactorReset,
        _ => Notice::AccountChanged,
    };
    Ok(
        match account::change_account(&state.pool, &user, id, change).await {
            Ok(_) => notify(ACCOUNTS, done),
            Err(SaveError::Invalid(errors)) => {
                let form = if errors.iter().any(|e| e.field == "password") {
                    format!("password-{id}")
                } else {
                    "account".into()
                };
                let message = errors
                    .first()
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                let echo = FormState {
                    input: Fields {
                        form,
                        values: Vec::new(),
                    },
                    errors,
                    message: Some(message),
                };
                rerender(
                    state,
                    ACCOUNTS,
                    headers,
                    echo,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(SaveError::NotFound) => return Err(FormError::NotFound),
            Err(err) => notify(ACCOUNTS, failed(&err)),
        },
    )
}
