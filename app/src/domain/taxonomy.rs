//! The taxonomy as editors and administrators see it: the values a form
//! may offer, and the administrators' list of facets and values.

use serde::{Deserialize, Serialize};

use super::{
    catalogue::FacetValue,
    form::{FieldError, Fields, FormState},
};

/// A facet value's label, as typed: checked for adding and renaming.
pub fn check_value_label(label: &str) -> Option<FieldError> {
    let label = label.trim();
    if label.is_empty() {
        Some(FieldError::new("label", "Skriv et navn på verdien."))
    } else if label.chars().count() > 80 {
        Some(FieldError::new("label", "Navnet kan ha høyst 80 tegn."))
    } else {
        None
    }
}

/// A facet with every value an editor may choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetChoices {
    pub key: String,
    pub label: String,
    pub multiple: bool,
    pub values: Vec<FacetValue>,
}

/// One facet value as administrators manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueAdmin {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub retired: bool,
    /// Resources and organisations that carry it.
    pub uses: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetAdmin {
    pub key: String,
    pub label: String,
    pub values: Vec<ValueAdmin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub facets: Vec<FacetAdmin>,
    pub echo: Option<FormState<Fields>>,
}
