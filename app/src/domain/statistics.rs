//! Visitor statistics as the editors' dashboard and the public page show them.

use serde::{Deserialize, Serialize};

use super::inbox::HelpfulRow;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: String,
    pub visitors: i64,
    pub views: i64,
}

/// A row of a top list: what, how many, and a link where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub label: String,
    pub href: Option<String>,
    pub count: i64,
    /// A second figure (unique visitors beside views), if any.
    pub second: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsReport {
    pub from: String,
    pub to: String,
    pub days: Vec<DayCount>,
    /// Sum of each day's unique visitors (a visitor on two days counts twice).
    pub visitors: i64,
    pub views: i64,
    pub pages: Vec<Ranked>,
    pub resources: Vec<Ranked>,
    pub entry_paths: Vec<Ranked>,
    pub devices: Vec<Ranked>,
    pub referrers: Vec<Ranked>,
    pub filters: Vec<Ranked>,
    pub empty_searches: Vec<Ranked>,
    pub helpfulness: Vec<HelpfulRow>,
}

/// What the public page shows, and nothing more: the last 30 days, the ten
/// most visited public pages and the devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStats {
    pub from: String,
    pub to: String,
    pub days: Vec<DayCount>,
    pub visitors: i64,
    pub views: i64,
    pub pages: Vec<Ranked>,
    pub devices: Vec<Ranked>,
}

/// One thing to count (the statistics counter makes them, `db::visits` writes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    View {
        day: String,
        path: String,
        visitor: String,
        referrer: Option<String>,
        device: &'static str,
    },
    Filter {
        day: String,
        facet: String,
        value: String,
    },
    EmptySearch {
        day: String,
        query: String,
    },
}
