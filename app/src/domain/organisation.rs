//! Organisations as editors handle them: the form's input and checks, the
//! editors' list and the form's data.

use serde::{Deserialize, Serialize};

use super::{
    form::{facet_fields, field, is_valid_url, FieldError, Fields, FormState},
    is_valid_slug, slugify,
    taxonomy::FacetChoices,
};

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2_000;

/// An organisation as an editor submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub website: String,
    pub description: String,
    /// Facet key → value keys.
    pub facets: Vec<(String, Vec<String>)>,
    /// The version the editor started from (`None` for a new organisation).
    #[serde(default)]
    pub version: Option<i64>,
}

impl OrganisationInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        OrganisationInput {
            slug: field(pairs, "slug"),
            name: field(pairs, "name"),
            short_name: field(pairs, "short_name"),
            website: field(pairs, "website"),
            description: field(pairs, "description"),
            facets: facet_fields(pairs),
            version: field(pairs, "version").trim().parse().ok(),
        }
        .normalised()
    }

    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_string();
        self.short_name = self.short_name.trim().to_string();
        self.website = self.website.trim().to_string();
        self.description = self.description.trim().replace("\r\n", "\n");
        self.slug = self.slug.trim().to_lowercase();
        if self.slug.is_empty() {
            self.slug = slugify(if self.short_name.is_empty() {
                &self.name
            } else {
                &self.short_name
            });
        }
        self
    }

    /// The fields where `stored` differs from this input, with the stored
    /// value in words for the editor: what someone else changed since the
    /// form was opened, shown when a save from an old version is refused.
    pub fn changed_since(&self, stored: &OrganisationInput) -> Vec<FieldError> {
        let shown = |v: &str| {
            if v.is_empty() {
                "Lagret nå: tomt.".to_string()
            } else {
                format!("Lagret nå: «{v}».")
            }
        };
        let mut changed: Vec<FieldError> = [
            ("name", &self.name, &stored.name),
            ("short_name", &self.short_name, &stored.short_name),
            ("slug", &self.slug, &stored.slug),
            ("website", &self.website, &stored.website),
            ("description", &self.description, &stored.description),
        ]
        .into_iter()
        .filter(|(_, mine, theirs)| mine != theirs)
        .map(|(field, _, theirs)| FieldError::new(field, shown(theirs)))
        .collect();
        let values = |input: &OrganisationInput, facet: &str| -> Vec<String> {
            let mut values: Vec<String> = input
                .facets
                .iter()
                .filter(|(f, _)| f == facet)
                .flat_map(|(_, v)| v.iter().cloned())
                .collect();
            values.sort();
            values
        };
        let mut facets: Vec<&str> = self
            .facets
            .iter()
            .chain(&stored.facets)
            .map(|(f, _)| f.as_str())
            .collect();
        facets.sort();
        facets.dedup();
        for facet in facets {
            let theirs = values(stored, facet);
            if values(self, facet) != theirs {
                changed.push(FieldError::new(
                    format!("facets.{facet}"),
                    shown(&theirs.join(", ")),
                ));
            }
        }
        changed
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let len = |s: &str| s.chars().count();
        if self.name.is_empty() {
            errors.push(FieldError::new("name", "Skriv navnet på organisasjonen."));
        } else if len(&self.name) > NAME_MAX {
            errors.push(FieldError::new(
                "name",
                format!("Navnet kan ha høyst {NAME_MAX} tegn."),
            ));
        }
        if len(&self.short_name) > 60 {
            errors.push(FieldError::new(
                "short_name",
                "Kortnavnet kan ha høyst 60 tegn.",
            ));
        }
        if !is_valid_slug(&self.slug) {
            errors.push(FieldError::new(
                "slug",
                "Adressen kan bare ha små bokstaver a–z, tall og enkle bindestreker.",
            ));
        }
        if !self.website.is_empty() && !is_valid_url(&self.website) {
            errors.push(FieldError::new(
                "website",
                "Skriv en hel nettadresse som begynner med https://",
            ));
        }
        if len(&self.description) > DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                format!("Beskrivelsen kan ha høyst {DESCRIPTION_MAX} tegn."),
            ));
        }
        errors
    }
}

/// An organisation in the editors' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub slug: String,
    pub name: String,
    /// How many resources name it.
    pub uses: i64,
}

/// Everything the organisation form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationEditor {
    /// `None` for a new organisation.
    pub id: Option<i64>,
    pub input: OrganisationInput,
    pub facets: Vec<FacetChoices>,
    pub uses: i64,
    pub echo: Option<FormState<Fields>>,
}

/// An organisation as stored, for its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrganisation {
    pub id: i64,
    pub input: OrganisationInput,
    /// How many resources name it.
    pub uses: i64,
}
