//! The site's content pages: which there are, what an editor submits and
//! its checks, and what the public page and the editors' pages show.

use serde::{Deserialize, Serialize};

use super::{
    form::{field, FieldError, FormState, Previewed},
    resource::{check_title, BODY_MAX},
    version::VersionRow,
};

/// The site's content pages, by slug; each is shown at `/<slug>`. The set is
/// fixed by the routes, so editors change pages but do not add or remove them.
pub const CONTENT_PAGES: [(&str, &str); 6] = [
    ("hvorfor-brukerinvolvering", "Hvorfor brukerinvolvering?"),
    ("veiledere-og-foringer", "Veiledere og føringer"),
    (
        "brukerorganisasjoner",
        "Brukerorganisasjoner og brukerstyrte sentre",
    ),
    ("om-nettstedet", "Om nettstedet"),
    ("personvern", "Personvern"),
    ("tilgjengelighet", "Tilgjengelighetserklæring"),
];

/// The most a page description (the search result snippet) may hold.
pub const PAGE_DESCRIPTION_MAX: usize = 200;

/// Whether the page at `path` (no query) shows the content page `slug`:
/// what a save of that page forgets from the page cache. A content page is
/// at `/{slug}`, and no other page shows its title or text (checked by the
/// server test `content_pages_and_rounds_show_only_where_their_save_forgets`).
pub fn shows_page(slug: &str, path: &str) -> bool {
    path.strip_prefix('/') == Some(slug)
}

/// A content page as an editor submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInput {
    pub title: String,
    pub description: String,
    pub body: String,
    /// The version the editor opened; a save is refused if it has moved on.
    pub version: i64,
}

impl PageInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        PageInput {
            title: field(pairs, "title").trim().to_string(),
            description: field(pairs, "description")
                .trim()
                .replace(['\r', '\n'], " "),
            body: field(pairs, "body").trim().replace("\r\n", "\n"),
            version: field(pairs, "version").trim().parse().unwrap_or(0),
        }
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = check_title(&self.title).into_iter().collect();
        let len = |s: &str| s.chars().count();
        if self.description.is_empty() {
            errors.push(FieldError::new(
                "description",
                "Skriv en kort beskrivelse. Den vises i søkemotorer og når siden deles.",
            ));
        } else if len(&self.description) > PAGE_DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                format!("Beskrivelsen kan ha høyst {PAGE_DESCRIPTION_MAX} tegn."),
            ));
        }
        if self.body.is_empty() {
            errors.push(FieldError::new("body", "Siden trenger en tekst."));
        } else if len(&self.body) > BODY_MAX {
            errors.push(FieldError::new(
                "body",
                format!("Teksten kan ha høyst {BODY_MAX} tegn."),
            ));
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentPage {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The body rendered through the sanitiser.
    pub html: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub slug: String,
    pub title: String,
    pub updated_at: String,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageEditor {
    pub slug: String,
    /// The fields, and the body rendered when the editor asked for a preview.
    pub form: FormState<Previewed<PageInput>>,
    /// The version shown, when it is an older one.
    pub viewing: Option<i64>,
    /// Newest first.
    pub versions: Vec<VersionRow>,
}

/// A content page as its file in `content/pages/` defines it, for seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDef {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub body: String,
}
