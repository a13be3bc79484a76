//! The contract between the Rust views and the visitors' JavaScript
//! (`frontend/js/navigator.js`, `frontend/js/suggest.js`): every attribute
//! and id the scripts read from a page, what it means, and a page that
//! carries it. The views write these names, the scripts read them, and
//! `server/tests/it/router/contract.rs` ties the two: it reads the scripts
//! and fails on a name that is not listed here (or listed and no longer
//! read), and it renders each page below and fails when a hook is missing.
//! Renaming one side without the other fails a Rust test, not only a
//! browser test.

/// How a script finds the thing it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookKind {
    /// An attribute (`data-live`), on some element.
    Attribute,
    /// An element's `id`.
    Id,
}

/// One name a script reads from a page the server wrote.
#[derive(Clone, Copy, Debug)]
pub struct Hook {
    pub kind: HookKind,
    pub name: &'static str,
    /// What the script does with it.
    pub meaning: &'static str,
    /// A page whose server-rendered HTML carries it; `None` when the page
    /// gets it only in the browser (an island writes it).
    pub page: Option<&'static str>,
}

/// The catalogue's search field, which the suggestions enhance.
pub const SEARCH_FIELD: &str = "sok";

/// Every name the visitors' scripts read from the server's pages.
pub const HOOKS: &[Hook] = &[
    Hook {
        kind: HookKind::Attribute,
        name: "data-native",
        meaning: "on the navigator's <script>: the paths it leaves to the browser (domain::area)",
        page: Some("/"),
    },
    Hook {
        kind: HookKind::Attribute,
        name: "data-live",
        meaning: "a form the navigator submits on every change, keeping focus on the control",
        page: Some("/ressurser"),
    },
    Hook {
        kind: HookKind::Attribute,
        name: "data-announce",
        meaning: "the live region that says a live form's new state (the count), kept across swaps",
        page: Some("/ressurser"),
    },
    Hook {
        kind: HookKind::Attribute,
        name: crate::islands::filter::SAID,
        meaning: "set by the filter island on the live region: these words were said already",
        page: None,
    },
    Hook {
        kind: HookKind::Attribute,
        name: "data-toggle",
        meaning: "a link that opens and closes the panel it controls (aria-controls) in place",
        page: Some("/ressurser"),
    },
    Hook {
        kind: HookKind::Attribute,
        name: "data-focus",
        meaning: "the element that takes focus after a swap (a form's next step, an answer)",
        page: Some("/brukerorganisasjoner?orgtype=kompetansesenter"),
    },
    Hook {
        kind: HookKind::Attribute,
        name: "data-inplace",
        meaning: "a form answered in place: the element with this id is replaced by the answer's",
        page: Some("/ressurser/feedbackinformerte-tjenester-fit"),
    },
    Hook {
        kind: HookKind::Attribute,
        name: "data-component",
        meaning: "an island's hydrate function in the visitors' bundle (written by #[island])",
        page: Some("/ressurser"),
    },
    Hook {
        kind: HookKind::Id,
        name: SEARCH_FIELD,
        meaning: "the search field the suggestions turn into a combobox",
        page: Some("/ressurser"),
    },
];

/// Names the scripts write and read themselves; no page needs to carry them.
pub const SCRIPT_OWN: &[&str] = &[
    // The navigator marks a form or link it gave up on.
    "data-navigator",
    // The suggestions' options carry their address.
    "data-url",
    // The suggestions' list and its status line, created by the script.
    "sok-forslag",
    "sok-forslag-status",
];
