//! Text search (server only): one Norwegian analyser for indexing, querying
//! and highlighting, the FTS5 index it feeds, and the synonym list.
//!
//! Words are lower-cased and reduced to their Snowball (Norwegian) stem, so
//! "brukerne", "brukeren" and "bruker" meet. Every query term matches as a
//! prefix of a stem, which gives matches while the visitor is still typing
//! and also finds compounds (pårørende → pårørendeorganisasjon).

use std::{collections::HashSet, sync::LazyLock};

use rust_stemmers::{Algorithm, Stemmer};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};

use crate::domain::Segment;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Norwegian));

/// Words too common to narrow a search; dropped from queries (not from the index).
const STOP_WORDS: [&str; 22] = [
    "og", "i", "på", "for", "til", "av", "med", "en", "et", "ei", "den", "det", "de", "som", "er",
    "å", "om", "at", "hvordan", "hva", "når", "the",
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

    /// Every other term of every group that one-word `stem` belongs to.
    fn alternatives(&self, stem: &str) -> Vec<&[String]> {
        let mut out = Vec::new();
        for group in &self.groups {
            if group.iter().any(|t| t.len() == 1 && t[0] == stem) {
                out.extend(
                    group
                        .iter()
                        .filter(|t| !(t.len() == 1 && t[0] == stem))
                        .map(Vec::as_slice),
                );
            }
        }
        out
    }
}

/// Terms of a search used at most; the rest of a longer query is ignored.
pub const MAX_TERMS: usize = 8;

/// A term as a prefix (`"ab"*`) when it has two characters or more; a
/// single character matches only itself (a one-letter prefix matches most
/// of the index).
fn prefix(term: &str) -> String {
    if term.chars().count() >= 2 {
        format!("\"{term}\"*")
    } else {
        format!("\"{term}\"")
    }
}

/// A search, analysed: an FTS5 MATCH expression and the stems to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysed {
    pub fts_match: String,
    pub highlight: Vec<String>,
}

/// Turns what the visitor typed into an FTS5 query: every term must match
/// (AND), each as a stem prefix or as one of its synonyms (OR). Returns
/// `None` when nothing searchable is left.
pub fn analyse_query(text: &str, synonyms: &Synonyms) -> Option<Analysed> {
    let mut words: Vec<String> = Vec::new();
    for (_, _, word) in tokens(text) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    let meaningful: Vec<&String> = words
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect();
    let mut words: Vec<&String> = if meaningful.is_empty() {
        words.iter().collect()
    } else {
        meaningful
    };
    // Each term is a clause the index must intersect: a bounded number keeps
    // one request's cost bounded, whatever is pasted into the box.
    words.truncate(MAX_TERMS);
    if words.is_empty() {
        return None;
    }
    let mut clauses = Vec::with_capacity(words.len());
    let mut highlight = HashSet::new();
    for word in words {
        let stemmed = stem(word);
        let mut alternatives = vec![prefix(&stemmed)];
        highlight.insert(stemmed.clone());
        if stemmed != *word {
            // A half-typed word may not stem like the whole one; keep its raw prefix too.
            alternatives.push(prefix(word));
        }
        for alt in synonyms.alternatives(&stemmed) {
            if alt.len() == 1 {
                alternatives.push(prefix(&alt[0]));
                highlight.insert(alt[0].clone());
            } else {
                alternatives.push(format!("\"{}\"", alt.join(" ")));
                highlight.extend(alt.iter().cloned());
            }
        }
        clauses.push(format!("({})", alternatives.join(" OR ")));
    }
    let mut highlight: Vec<String> = highlight.into_iter().collect();
    highlight.sort();
    Some(Analysed {
        fts_match: clauses.join(" AND "),
        highlight,
    })
}

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
            let s = stem(&word);
            if stems
                .iter()
                .any(|h| s.starts_with(h.as_str()) || word.starts_with(h.as_str()))
            {
                push(&mut segments, &text[last..start], false);
                push(&mut segments, &text[start..end], true);
                last = end;
            }
        }
    }
    push(&mut segments, &text[last..], false);
    segments
}

/// (Re)writes one resource's row in the search index.
pub async fn index_resource(conn: &mut SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    let row = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT r.title, r.summary, r.body,
                coalesce((SELECT group_concat(o.name || ' ' || coalesce(o.short_name, ''), ' ')
                            FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
                           WHERE ro.resource_id = r.id), '')
           FROM resource r WHERE r.id = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM resource_fts WHERE rowid = ?1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some((title, summary, body, orgs)) = row {
        sqlx::query("INSERT INTO resource_fts (rowid, title, summary, body, organisations) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(id)
            .bind(analyse(&title))
            .bind(analyse(&summary))
            .bind(analyse(&crate::markdown::plain_text(&body)))
            .bind(analyse(&orgs))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rebuilds the whole search index in one transaction.
pub async fn reindex_all(pool: &SqlitePool) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM resource_fts")
        .execute(&mut *tx)
        .await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM resource")
        .fetch_all(&mut *tx)
        .await?;
    for id in &ids {
        index_resource(&mut tx, *id).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// Rebuilds the search index when it does not cover every resource (a new
/// database, or rows written by something other than this application).
pub async fn ensure_indexed(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let (resources, indexed): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM resource), (SELECT count(*) FROM resource_fts)",
    )
    .fetch_one(pool)
    .await?;
    if resources != indexed {
        let n = reindex_all(pool).await?;
        tracing::info!(resources = n, "rebuilt the search index");
    }
    Ok(())
}

/// Matching resource ids with their BM25 rank (lower is better). Title
/// matches weigh most, then summary, organisation names and body.
pub async fn matching<'e, E>(executor: E, fts_match: &str) -> Result<Vec<(i64, f64)>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    sqlx::query_as::<_, (i64, f64)>(
        "SELECT rowid, bm25(resource_fts, 10.0, 4.0, 1.0, 3.0) FROM resource_fts WHERE resource_fts MATCH ?1",
    )
    .bind(fts_match)
    .fetch_all(executor)
    .await
}

/// Matching resource ids only, for when the order is not by relevance:
/// skipping BM25 makes a broad search about five times cheaper.
pub async fn matching_ids<'e, E>(executor: E, fts_match: &str) -> Result<Vec<i64>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    sqlx::query_scalar::<_, i64>("SELECT rowid FROM resource_fts WHERE resource_fts MATCH ?1")
        .bind(fts_match)
        .fetch_all(executor)
        .await
}

/// Loads the synonym list.
pub async fn load_synonyms(pool: &SqlitePool) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .iter()
        .filter_map(|json| serde_json::from_str::<Vec<String>>(json).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// L2: every term, however short or repeated, became its own prefix clause.
    #[test]
    fn a_query_has_a_bounded_number_of_terms_and_no_one_letter_prefixes() {
        let letters = "a b c d e f g h j k l m n o p r s t u v y ".repeat(5);
        let q = analyse_query(&letters, &Synonyms::default()).unwrap();
        assert_eq!(
            q.fts_match.matches(" AND ").count() + 1,
            MAX_TERMS,
            "{}",
            q.fts_match
        );
        assert!(
            !q.fts_match.contains("\"*"),
            "a one-letter term is not a prefix: {}",
            q.fts_match
        );
        let repeated = analyse_query(
            "tiltak tiltak tiltak tiltak tiltak tiltak tiltak tiltak tiltak bruker",
            &Synonyms::default(),
        )
        .unwrap();
        assert_eq!(
            repeated.fts_match.matches(" AND ").count(),
            1,
            "repeats count once: {}",
            repeated.fts_match
        );
        assert!(repeated.fts_match.contains("\"tiltak\"*"));
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
    fn queries_expand_synonyms_and_match_prefixes() {
        let synonyms =
            Synonyms::new(&[vec!["brukermedvirkning".into(), "brukerinvolvering".into()]]);
        let q = analyse_query("Brukermedvirkning i kommunen", &synonyms).unwrap();
        let medv = stem("brukermedvirkning");
        let inv = stem("brukerinvolvering");
        assert!(
            q.fts_match.contains(&format!("\"{medv}\"*")),
            "{}",
            q.fts_match
        );
        assert!(
            q.fts_match.contains(&format!("\"{inv}\"*")),
            "{}",
            q.fts_match
        );
        assert!(
            !q.fts_match.contains("\"i\""),
            "stop words are dropped: {}",
            q.fts_match
        );
        assert!(q.fts_match.contains(" AND "), "{}", q.fts_match);
        assert!(q.highlight.contains(&inv));
    }

    #[test]
    fn a_query_of_only_stop_words_still_searches() {
        assert!(analyse_query("og", &Synonyms::default()).is_some());
        assert!(analyse_query("  ...  ", &Synonyms::default()).is_none());
    }

    #[test]
    fn fts_syntax_in_queries_is_neutralised() {
        let q = analyse_query("NEAR(\"x\" OR y*) -z ^a", &Synonyms::default()).unwrap();
        // Every word is quoted; nothing the visitor typed is FTS syntax.
        assert_eq!(
            q.fts_match.matches('(').count(),
            q.fts_match.matches(')').count()
        );
        // (A one-letter term is matched whole, not as a prefix: see MAX_TERMS' test.)
        assert!(q.fts_match.contains("(\"x\")"), "{}", q.fts_match);
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
