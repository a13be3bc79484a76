use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{components::ErrorView, error::AppError};

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Siden finnes ikke – Bli involvert"/>
        <Meta name="robots" content="noindex"/>
        <div class="wrap page">
            <ErrorView error=AppError::NotFound/>
        </div>
    }
}
