//! The contract between the Rust views and the visitors' JavaScript
//! (`app::components::enhance`): the scripts read exactly the listed names,
//! and the pages carry them.

use std::collections::BTreeSet;

use app::components::enhance::{HookKind, HOOKS, SCRIPT_OWN};

use super::*;

/// The scripts as they are in the repository (the build minifies these).
fn scripts() -> Vec<(&'static str, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/js");
    ["navigator.js", "suggest.js"]
        .into_iter()
        .map(|name| (name, std::fs::read_to_string(dir.join(name)).unwrap()))
        .collect()
}

/// Every `data-*` name a script mentions (also as `dataset.someName`), and
/// every id it names as a string constant (`const FIELD = 'sok'`).
fn names_in(script: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let bytes = script.as_bytes();
    let word = |from: usize, ok: fn(u8) -> bool| {
        let end = bytes[from..]
            .iter()
            .position(|b| !ok(*b))
            .map_or(bytes.len(), |n| from + n);
        &script[from..end]
    };
    for (at, _) in script.match_indices("data-") {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-') {
            continue;
        }
        let name = word(at + 5, |b| b.is_ascii_lowercase() || b == b'-');
        if !name.is_empty() {
            names.insert(format!("data-{}", name.trim_end_matches('-')));
        }
    }
    for (at, _) in script.match_indices("dataset.") {
        let camel = word(at + 8, |b| b.is_ascii_alphanumeric());
        let mut kebab = String::from("data-");
        for ch in camel.chars() {
            if ch.is_ascii_uppercase() {
                kebab.push('-');
            }
            kebab.push(ch.to_ascii_lowercase());
        }
        names.insert(kebab);
    }
    for line in script.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("const ") else {
            continue;
        };
        let Some((constant, value)) = rest.split_once(" = '") else {
            continue;
        };
        if constant
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'_')
        {
            // An id-like value; the bundle's paths (`/pkg/…`, filled in by
            // the build) are not read from the page.
            if let Some(value) = value.strip_suffix("';").filter(|v| {
                v.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }) {
                names.insert(value.to_string());
            }
        }
    }
    names
}

#[test]
fn the_scripts_read_exactly_the_names_the_contract_lists() {
    let read: BTreeSet<String> = scripts()
        .iter()
        .flat_map(|(_, text)| names_in(text))
        .collect();
    let listed: BTreeSet<String> = HOOKS
        .iter()
        .map(|hook| hook.name.to_string())
        .chain(SCRIPT_OWN.iter().map(|name| name.to_string()))
        .collect();
    let unlisted: Vec<_> = read.difference(&listed).collect();
    let unread: Vec<_> = listed.difference(&read).collect();
    assert!(
        unlisted.is_empty(),
        "the scripts read names app::components::enhance does not list: {unlisted:?}"
    );
    assert!(
        unread.is_empty(),
        "app::components::enhance lists names no script reads any more: {unread:?}"
    );
}

#[test]
fn the_name_reader_finds_attributes_datasets_and_ids() {
    let names = names_in(
        "// data-focus: the step\nconst FIELD = 'sok';\nif (a.dataset.navigatorState) x('[data-live]');",
    );
    let expected: BTreeSet<String> = ["data-focus", "sok", "data-navigator-state", "data-live"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(names, expected);
}

/// Whether `html` has an element with this attribute (`name=` or a bare
/// `name`) or this id.
fn carries(html: &str, kind: HookKind, name: &str) -> bool {
    match kind {
        HookKind::Attribute => [" ", "=", ">", "/"]
            .iter()
            .any(|after| html.contains(&format!(" {name}{after}"))),
        HookKind::Id => html.contains(&format!(r#" id="{name}""#)),
    }
}

#[tokio::test]
async fn every_page_in_the_contract_carries_its_hook() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let mut missing = Vec::new();
    for hook in HOOKS {
        let Some(page) = hook.page else { continue };
        let (status, html) = get(&state, page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        if !carries(&html, hook.kind, hook.name) {
            missing.push(format!("{} on {page} ({})", hook.name, hook.meaning));
        }
    }
    assert!(
        missing.is_empty(),
        "hooks the scripts need are missing: {missing:#?}"
    );
}

/// The navigator's list of paths it leaves to the browser is the server's
/// own (`domain::area`), on every visitor's page, and none on an editor's.
#[tokio::test]
async fn the_navigator_learns_its_native_paths_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (_, home) = get(&state, "/").await;
    let list = app::domain::area::navigator_native();
    assert!(
        home.contains(&format!(r#"data-native="{list}""#)),
        "the navigator's script tag carries the list"
    );
    for path in list.split(' ').filter(|p| p.starts_with('/')) {
        assert!(
            app::domain::area::Area::of(path).left_to_browser(),
            "{path}"
        );
    }
}
