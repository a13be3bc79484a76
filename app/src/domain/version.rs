//! One saved version of something editors change (a resource, a content
//! page), as the version lists show it.

use serde::{Deserialize, Serialize};

/// A saved version: its number, who saved it and when (ISO 8601).
/// Named fields, because resources and pages store the two strings in
/// different orders and a tuple would let them swap unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VersionRow {
    pub version: i64,
    pub by: String,
    pub at: String,
}
