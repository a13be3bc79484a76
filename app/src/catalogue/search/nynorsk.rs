//! Nynorsk query words rewritten to bokmål, from the reviewed word list in
//! `content/nynorsk.toml` (compiled in: the list changes with a release,
//! after review, not from the admin pages).

use std::{collections::HashMap, sync::LazyLock};

#[derive(serde::Deserialize)]
struct File {
    words: HashMap<String, String>,
}

/// (nynorsk form, bokmål form), longest nynorsk form first.
static WORDS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let file: File = toml::from_str(include_str!("../../../../content/nynorsk.toml"))
        .expect("content/nynorsk.toml is valid (checked by a unit test)");
    let mut words: Vec<(String, String)> = file
        .words
        .into_iter()
        .map(|(n, b)| (n.to_lowercase(), b.to_lowercase()))
        .collect();
    words.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    words
});

/// The bokmål reading of a lower-case word, part by part: at each position
/// the longest nynorsk form that starts there is replaced, so compounds are
/// rewritten too. `None` when no part of the word is a listed form.
pub fn to_bokmal(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len() + 4);
    let mut rest = word;
    let mut changed = false;
    while !rest.is_empty() {
        match WORDS.iter().find(|(n, _)| rest.starts_with(n.as_str())) {
            Some((n, b)) => {
                out.push_str(b);
                rest = &rest[n.len()..];
                changed = true;
            }
            None => {
                let c = rest.chars().next().expect("not empty");
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::to_bokmal;

    #[test]
    fn the_list_parses_and_maps_words_and_compounds() {
        assert_eq!(to_bokmal("brukar").as_deref(), Some("bruker"));
        assert_eq!(
            to_bokmal("brukarmedverknad").as_deref(),
            Some("brukermedvirkning")
        );
        assert_eq!(
            to_bokmal("spesialisthelsetenesta").as_deref(),
            Some("spesialisthelsetjenesten")
        );
        assert_eq!(to_bokmal("tenester").as_deref(), Some("tjenester"));
        assert_eq!(to_bokmal("kompetansesenter"), None);
    }
}
