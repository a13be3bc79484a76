//! One module per route.

/// The usual frame of an editors' page: loading, sign-in and errors.
/// The caller imports `Meta`, `Loading`, `AppError`, `SignInFirst` and `ErrorView`.
macro_rules! admin_page {
    ($data:expr, $ok:expr) => {
        view! {
            <Meta name="robots" content="noindex"/>
            <div class="wrap page">
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match $data.await {
                            Ok(data) => ($ok)(data).into_any(),
                            Err(AppError::Unauthorized) => view! { <SignInFirst/> }.into_any(),
                            Err(error) => view! { <ErrorView error/> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        }
    };
}

pub mod admin;
pub mod consultation;
pub mod content;
pub mod editor;
pub mod entry;
pub mod factor;
pub mod feedback;
pub mod guide;
pub mod home;
pub mod illustrations;
pub mod inbox;
pub mod links;
pub mod manage;
pub mod map;
pub mod media;
pub mod not_found;
pub mod organisation;
pub mod recent;
pub mod resource;
pub mod resources;
pub mod site_pages;
pub mod statistics;
pub mod synonyms;
pub mod texts;
