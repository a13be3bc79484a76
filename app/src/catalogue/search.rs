//! Text search (server only): one Norwegian analyser for indexing, querying
//! and highlighting, the FTS5 table it feeds, the synonym list, and the
//! in-memory term index (`terms`) every search runs on.
//!
//! # Analysis
//! Words are lower-cased and reduced to their Snowball (Norwegian) stem, so
//! "brukerne", "brukeren" and "bruker" meet. `resource_fts` stores each
//! resource's text analysed this way; the term index is loaded from it.
//!
//! # What a query word matches (`terms::TermIndex::plan`)
//! Each word of the query (stop words dropped, at most `MAX_TERMS`) becomes
//! a clause; a resource matches when every clause matches (AND). A clause is
//! the set of indexed terms that can stand for the word, each with a weight:
//! - the stem itself, 1.0; a longer term starting with it (a compound, or a
//!   word still being typed: pårørende → pårørendeorganisasjon), × 0.8;
//! - the same with æ/ø/å folded (æ → ae, ø and oe → o, å and aa → a, on both
//!   the query and the index side, so "parorende" and "paaroerende" find
//!   "pårørende" and the other way round), × 0.9;
//! - its bokmål reading from the reviewed nynorsk list
//!   (`content/nynorsk.toml`), when it has one, 0.95;
//! - when it is still not found, typo corrections as Meilisearch does them:
//!   one edit (a swap counts as one) for words of 5+ characters, two for 9+,
//!   never for shorter words or anything with a digit (law references such
//!   as `§ 3-10` match exactly), same first letter, at most ten: 0.5 for one
//!   edit, 0.35 for two;
//! - synonyms of any of these from the editable synonym groups, × 0.8.
//!
//! # How a match is scored (`terms::TermIndex::score`)
//! A clause's score in a resource is the best of its terms' `weight × idf ×
//! field weight`, field weights summed over the fields the term occurs in
//! (title 10, summary 4, organisation names 3, body 1; idf as in BM25). The
//! resource's score is the sum over clauses, so exact beats folded beats
//! corrected, and rare words count more than common ones. On top of that
//! score, tiers decide first (a higher tier always ranks above a lower one):
//! 4. the title is the query (stop words aside, each word whole);
//! 3. the query's words appear as a phrase, in order, in the title;
//! 2. every query word appears in the title;
//! 1. the words appear as a phrase in the summary;
//! 0. the words are scattered.
//!
//! Ties go to title order. Only the documents that can reach the requested
//! page are sorted (top-k, `catalogue::browse`); the rest are only counted.

pub mod nynorsk;
pub mod terms;

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::domain::catalogue::Segment;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Norwegian));

/// Words too common to narrow a search; dropped from queries (not from the index).
/// Nynorsk's own forms of them are listed too (ein, eit, korleis, kva, frå).
pub const STOP_WORDS: [&str; 27] = [
    "og", "i", "på", "for", "til", "av", "med", "en", "et", "ei", "den", "det", "de", "som", "er",
    "å", "om", "at", "hvordan", "hva", "når", "the", "ein", "eit", "korleis", "kva", "frå",
];

/// Splits text into lower-case word tokens with their byte ranges.
pub fn tokens(text: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = iter.peek() {
            if c.is_alphanumeric() {
                break;
            }
            iter.next();
        }
        let (start, _) = *iter.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = iter.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            iter.next();
        }
        Some((start, end, text[start..end].to_lowercase()))
    })
}

/// The stem of one lower-case word.
///
/// Snowball's Norwegian stemmer removes one suffix only, so the agent noun
/// "-er" survives in inflected forms: "bruker" → "bruk" but "brukeren" →
/// "bruker" and "brukerne" → "brukern". We finish the job so all meet.
pub fn stem(word: &str) -> String {
    let long = word.chars().count() > 6;
    let stemmed = match word.strip_suffix("erne") {
        Some(base) if long => STEMMER.stem(&format!("{base}er")).into_owned(),
        _ => STEMMER.stem(word).into_owned(),
    };
    match stemmed.strip_suffix("er") {
        Some(base) if base.chars().count() >= 3 && stemmed.len() < word.len() => base.to_string(),
        _ => stemmed,
    }
}

/// A word with the Norwegian letters folded, for comparing text typed with
/// and without them: æ → ae, ø and oe → o, å and aa → a (and é, ü, ö, ä as
/// their plain letters). Applied to both sides, so either way round meets.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'å' | 'á' | 'à' | 'â' => out.push('a'),
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ô' => out.push('o'),
            'é' | 'è' | 'ê' => out.push('e'),
            'ü' => out.push('u'),
            c => out.push(c),
        }
    }
    out.replace("aa", "a").replace("oe", "o")
}

/// Text as the index stores it: stems separated by single spaces.
pub fn analyse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (_, _, word) in tokens(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stem(&word));
    }
    out
}

/// Synonym groups, each analysed into stem sequences (one per term).
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    pub fn new(groups: &[Vec<String>]) -> Self {
        Synonyms {
            groups: groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|term| tokens(term).map(|(_, _, w)| stem(&w)).collect::<Vec<_>>())
                        .filter(|stems| !stems.is_empty())
                        .collect()
                })
                .collect(),
        }
    }

    /// Every other term of every group that a one-word term belongs to,
    /// compared folded (`fold`): `folded` is the folded stem.
    pub fn alternatives_folded(&self, folded: &str) -> Vec<&[String]> {
        let is = |t: &Vec<String>| t.len() == 1 && fold(&t[0]) == folded;
        let mut out = Vec::new();
        for group in &self.groups {
            if group.iter().any(is) {
                out.extend(group.iter().filter(|t| !is(t)).map(Vec::as_slice));
            }
        }
        out
    }
}

/// Terms of a search used at most; the rest of a longer query is ignored.
pub const MAX_TERMS: usize = 8;

/// Splits `text` into segments, marking words whose stem begins with one of
/// the highlighted stems.
pub fn highlight(text: &str, stems: &[String]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut last = 0;
    let push = |segments: &mut Vec<Segment>, text: &str, mark: bool| {
        if text.is_empty() {
            return;
        }
        match segments.last_mut() {
            Some(prev) if prev.mark == mark => prev.text.push_str(text),
            _ => segments.push(Segment {
                text: text.to_string(),
                mark,
            }),
        }
    };
    if !stems.is_empty() {
        for (start, end, word) in tokens(text) {
            // A word's stem is a prefix of the word (Snowball's Norwegian
            // steps and [`stem`]'s own only cut endings: tested below), so
            // a stem that starts with a query's stem means the word does:
            // no word needs stemming here (it was 6 % of a search page).
            if stems.iter().any(|h| word.starts_with(h.as_str())) {
                push(&mut segments, &text[last..start], false);
                push(&mut segments, &text[start..end], true);
                last = end;
            }
        }
    }
    push(&mut segments, &text[last..], false);
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    /// L2 (second review): the number of terms a query can cost is bounded,
    /// and a one-letter word matches only itself, not every word it starts.
    #[test]
    fn a_query_has_a_bounded_number_of_terms_and_no_one_letter_prefixes() {
        let mut builder = terms::Builder::new(3);
        for (doc, text) in [
            "rusbehandling og rehabilitering",
            "r som bokstav, og ruspolitikk",
            "arbeid med recovery",
        ]
        .into_iter()
        .enumerate()
        {
            let analysed = analyse(text);
            builder.add(doc, [&analysed, "", "", ""]);
        }
        let index = builder.finish();
        let synonyms = Synonyms::default();
        let words_of = |plan: &terms::Plan, clause: usize| -> Vec<String> {
            plan.clauses[clause]
                .alts
                .iter()
                .flat_map(|alt| alt.terms.iter().map(|id| index.term(*id).to_string()))
                .collect()
        };

        let one_letter = index.plan("r", &synonyms).unwrap();
        assert_eq!(words_of(&one_letter, 0), ["r"], "no prefixes of one letter");
        // Two letters are a prefix: the rule above is what keeps "r" exact.
        let two_letters = words_of(&index.plan("ru", &synonyms).unwrap(), 0);
        assert!(two_letters.len() > 1, "{two_letters:?}");
        assert!(two_letters.iter().all(|t| t.starts_with("ru")));

        let many: Vec<String> = (0..3 * MAX_TERMS).map(|i| format!("ord{i}x")).collect();
        let plan = index.plan(&many.join(" "), &synonyms).unwrap();
        assert_eq!(plan.clauses.len(), MAX_TERMS);
        assert!(plan.truncated);
        let repeated = index.plan(&["rus"; 50].join(" "), &synonyms).unwrap();
        assert_eq!(repeated.clauses.len(), 1, "a repeated word is one term");
        assert!(!repeated.truncated);
    }

    #[test]
    fn word_forms_share_a_stem() {
        assert_eq!(stem("brukerne"), stem("brukeren"));
        assert_eq!(stem("tjenestene"), stem("tjenesten"));
        assert_eq!(stem("undersøkelsen"), stem("undersøkelser"));
    }

    #[test]
    fn tokens_keep_norwegian_letters() {
        let words: Vec<String> = tokens("Pårørende, ærlig & økt (§ 3-10)")
            .map(|t| t.2)
            .collect();
        assert_eq!(words, ["pårørende", "ærlig", "økt", "3", "10"]);
    }

    #[test]
    fn folding_meets_both_ways() {
        assert_eq!(fold("pårørende"), fold("parorende"));
        assert_eq!(fold("pårørende"), fold("paaroerende"));
        assert_eq!(fold("ærlig"), fold("aerlig"));
        assert_eq!(fold("brukerråd"), "brukerrad");
    }

    proptest::proptest! {
        /// What `highlight` relies on: stemming only cuts a word's ending.
        #[test]
        fn a_stem_is_a_prefix_of_its_word(word in "[a-zæøåé]{1,24}") {
            let stemmed = stem(&word);
            proptest::prop_assert!(word.starts_with(&stemmed), "{word} -> {stemmed}");
        }
    }

    #[test]
    fn the_seeds_words_stem_to_prefixes_of_themselves() {
        for word in [
            "brukerne",
            "brukeren",
            "brukernes",
            "konstatert",
            "konstaterte",
            "erfaringskonsulentene",
            "tjenestene",
            "pårørende",
            "involvert",
            "kompetansesentrenes",
            "medvirkningen",
            "levd",
            "bedt",
            "ledelsen",
            "arbeidet",
            "samarbeidet",
            "sentrene",
        ] {
            assert!(word.starts_with(&stem(word)), "{word} -> {}", stem(word));
        }
    }

    #[test]
    fn highlighting_marks_word_forms() {
        let segments = highlight("Brukerne og brukeren møtes", &[stem("bruker")]);
        let marked: Vec<&str> = segments
            .iter()
            .filter(|s| s.mark)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["Brukerne", "brukeren"]);
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Brukerne og brukeren møtes");
    }
}
