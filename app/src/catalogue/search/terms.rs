//! The in-memory term index: every indexed stem of the published catalogue
//! with the documents (and fields) it occurs in, the vocabulary a query is
//! expanded against, and the scoring of a query plan.
//!
//! Built from `resource_fts` (text already analysed, so no stemming at load)
//! together with the facet index, and rebuilt with it when the catalogue
//! changes. See the parent module's docs for how a score is made.

use std::collections::HashMap;

use super::{fold, nynorsk, stem, Synonyms, MAX_TERMS, STOP_WORDS};
use crate::catalogue::index::Bitset;

mod expand;
mod update;

/// Title, summary, organisation names, body.
pub const FIELDS: usize = 4;
/// How much a match in each field counts (the old BM25 column weights).
const FIELD_WEIGHT: [f32; FIELDS] = [10.0, 4.0, 3.0, 1.0];

/// Weights of the kinds of match, exact highest (see the module docs).
const W_EXACT: f32 = 1.0;
const W_NYNORSK: f32 = 0.95;
const W_FOLDED: f32 = 0.9;
/// A longer word that starts with the query word (a compound, or a word
/// still being typed), relative to the word itself.
const W_PREFIX: f32 = 0.8;
/// A synonym, relative to the word it stands for.
const W_SYNONYM: f32 = 0.8;
/// A compound the catalogue holds only as its parts ("brukerrådsmandat":
/// brukerråd + mandat), relative to the word itself.
const W_SPLIT: f32 = 0.7;
const W_TYPO_1: f32 = 0.5;
const W_TYPO_2: f32 = 0.35;
/// Corrections offered per word at most, best first.
const MAX_CORRECTIONS: usize = 10;
/// Score tiers: a document in a higher tier always ranks above a lower one.
const TIER: f64 = 1e6;

/// Documents of one term in one field: a sorted list, or a bitset when the
/// term is common enough that the bitset is smaller.
#[derive(Debug, Clone)]
enum Postings {
    List(Vec<u32>),
    Bits(Bitset),
}

impl Postings {
    fn for_each(&self, mut f: impl FnMut(usize)) {
        match self {
            Postings::List(docs) => docs.iter().for_each(|d| f(*d as usize)),
            Postings::Bits(bits) => for_each_bit(bits, f),
        }
    }

    fn first(&self, limit: usize) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each(|d| {
            if out.len() < limit {
                out.push(d as u32)
            }
        });
        out
    }
}

fn for_each_bit(bits: &Bitset, mut f: impl FnMut(usize)) {
    for (w, word) in bits.words().iter().enumerate() {
        let mut b = *word;
        while b != 0 {
            f(w * 64 + b.trailing_zeros() as usize);
            b &= b - 1;
        }
    }
}

/// One way a query word can match: a term (or, for a multi-word synonym,
/// all of its terms) with the weight of that kind of match.
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    pub terms: Vec<u32>,
    pub weight: f32,
    /// A typo correction (ranks below exact matches; "Mente du …?").
    pub corrected: bool,
    /// The term is the query word itself (exact, folded or nynorsk), not a
    /// longer word starting with it.
    pub whole: bool,
}

/// One query word and every term that can stand for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub word: String,
    pub alts: Vec<Alt>,
}

impl Clause {
    /// The best typo correction, when the word matched only by correction.
    pub fn correction(&self) -> Option<u32> {
        if self.alts.iter().any(|a| !a.corrected) {
            return None;
        }
        self.alts
            .iter()
            .filter(|a| a.terms.len() == 1)
            .max_by(|a, b| a.weight.total_cmp(&b.weight))
            .map(|a| a.terms[0])
    }
}

/// A query as the index understands it: every clause must match (AND).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub clauses: Vec<Clause>,
    /// Stems to mark in titles and summaries.
    pub highlight: Vec<String>,
    /// Words beyond `MAX_TERMS` were ignored.
    pub truncated: bool,
}

/// The matches of a plan: (document, rank; lower is better).
#[derive(Debug, Clone, Default)]
pub struct Scored {
    pub docs: Vec<(u32, f64)>,
    /// Documents matching without any typo correction.
    pub exact: u32,
}

/// Documents ranked `TITLE_TIER` or better have every query word in the title.
pub const TITLE_TIER: f64 = 2.0 * TIER;

#[derive(Debug, Default, Clone)]
pub struct TermIndex {
    n: usize,
    /// Sorted; a term's id is its position.
    terms: Vec<Box<str>>,
    /// (folded term, id), sorted by folded term.
    folded: Vec<(Box<str>, u32)>,
    df: Vec<u32>,
    postings: Vec<[Postings; FIELDS]>,
    /// Per document, the title's and summary's terms in order, stop words
    /// left out: for phrase and whole-title matches.
    titles: Vec<Box<[u32]>>,
    summaries: Vec<Box<[u32]>>,
}

/// Collects analysed documents, then `finish`es into a `TermIndex`.
pub struct Builder {
    n: usize,
    ids: HashMap<String, u32>,
    names: Vec<String>,
    lists: Vec<[Vec<u32>; FIELDS]>,
    titles: Vec<Vec<u32>>,
    summaries: Vec<Vec<u32>>,
    stop: Vec<String>,
}

impl Builder {
    pub fn new(n: usize) -> Self {
        Builder {
            n,
            ids: HashMap::new(),
            names: Vec::new(),
            lists: Vec::new(),
            titles: vec![Vec::new(); n],
            summaries: vec![Vec::new(); n],
            stop: STOP_WORDS.iter().map(|w| stem(w)).collect(),
        }
    }

    /// Adds one document's analysed fields (stems separated by spaces).
    pub fn add(&mut self, doc: usize, fields: [&str; FIELDS]) {
        for (f, text) in fields.iter().enumerate() {
            for word in text.split(' ').filter(|w| !w.is_empty()) {
                let id = match self.ids.get(word) {
                    Some(id) => *id,
                    None => {
                        let id = self.names.len() as u32;
                        self.ids.insert(word.to_string(), id);
                        self.names.push(word.to_string());
                        self.lists.push(Default::default());
                        id
                    }
                };
                let list = &mut self.lists[id as usize][f];
                if list.last() != Some(&(doc as u32)) {
                    list.push(doc as u32);
                }
                if f < 2 && !self.stop.iter().any(|s| s == word) {
                    let seq = if f == 0 {
                        &mut self.titles[doc]
                    } else {
                        &mut self.summaries[doc]
                    };
                    seq.push(id);
                }
            }
        }
    }

    pub fn finish(self) -> TermIndex {
        let n = self.n;
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
        let mut new_id = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            new_id[*old as usize] = new as u32;
        }
        let mut lists: Vec<Option<[Vec<u32>; FIELDS]>> = self.lists.into_iter().map(Some).collect();
        let mut terms = Vec::with_capacity(order.len());
        let mut df = Vec::with_capacity(order.len());
        let mut postings = Vec::with_capacity(order.len());
        for old in &order {
            terms.push(self.names[*old as usize].clone().into_boxed_str());
            let fields = lists[*old as usize].take().expect("each term once");
            let mut any: Vec<u32> = fields.iter().flatten().copied().collect();
            any.sort_unstable();
            any.dedup();
            df.push(any.len() as u32);
            postings.push(fields.map(|mut docs| {
                docs.sort_unstable();
                docs.dedup();
                if docs.len() * 32 > n {
                    let mut bits = Bitset::empty(n);
                    docs.iter().for_each(|d| bits.insert(*d as usize));
                    Postings::Bits(bits)
                } else {
                    Postings::List(docs)
                }
            }));
        }
        let mut folded: Vec<(Box<str>, u32)> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (fold(t).into_boxed_str(), i as u32))
            .collect();
        folded.sort();
        let remap = |seqs: Vec<Vec<u32>>| {
            seqs.into_iter()
                .map(|s| s.into_iter().map(|t| new_id[t as usize]).collect())
                .collect()
        };
        TermIndex {
            n,
            terms,
            folded,
            df,
            postings,
            titles: remap(self.titles),
            summaries: remap(self.summaries),
        }
    }
}

impl TermIndex {
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.terms
            .binary_search_by(|t| t.as_ref().cmp(term))
            .ok()
            .map(|i| i as u32)
    }

    /// Some documents containing `term`, in document order.
    pub fn sample_docs(&self, term: u32, limit: usize) -> Vec<u32> {
        let mut out: Vec<u32> = self.postings[term as usize]
            .iter()
            .flat_map(|p| p.first(limit))
            .collect();
        out.sort_unstable();
        out.dedup();
        out.truncate(limit);
        out
    }

    fn idf(&self, term: u32) -> f32 {
        let df = self.df[term as usize] as f32;
        (1.0 + (self.n as f32 - df + 0.5) / (df + 0.5)).ln()
    }

    /// Every document matching every clause, with its rank. Cost is linear
    /// in the postings of the plan's terms, not in the catalogue's size.
    pub fn score(&self, plan: &Plan) -> Scored {
        let n = self.n;
        if plan.clauses.is_empty() || n == 0 {
            return Scored::default();
        }
        let mut acc = vec![0f32; n];
        let mut clause_score = vec![0f32; n];
        let mut alt_score = vec![0f32; n];
        let mut matched = Bitset::full(n);
        let mut exact = Bitset::full(n);
        let mut in_title = Bitset::full(n);
        let mut touched_alt: Vec<u32> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        for clause in &plan.clauses {
            let mut set = Bitset::empty(n);
            let mut set_exact = Bitset::empty(n);
            let mut set_title = Bitset::empty(n);
            for alt in &clause.alts {
                if let [t] = alt.terms[..] {
                    let base = alt.weight * self.idf(t);
                    for (f, postings) in self.postings[t as usize].iter().enumerate() {
                        let v = base * FIELD_WEIGHT[f];
                        postings.for_each(|d| {
                            if alt_score[d] == 0.0 {
                                touched_alt.push(d as u32);
                            }
                            alt_score[d] += v;
                            if f == 0 {
                                set_title.insert(d);
                            }
                        });
                    }
                } else {
                    // A multi-word synonym or a split compound: all its words
                    // in the document, and counted in each field that holds
                    // them all as a single term is (so a law's name in a
                    // title ranks as a title match).
                    let mut all = Bitset::full(n);
                    let mut per_field: [Bitset; FIELDS] = std::array::from_fn(|_| Bitset::full(n));
                    let mut idf = 0.0;
                    for t in &alt.terms {
                        let mut any = Bitset::empty(n);
                        for (f, p) in self.postings[*t as usize].iter().enumerate() {
                            let mut in_field = Bitset::empty(n);
                            p.for_each(|d| {
                                any.insert(d);
                                in_field.insert(d);
                            });
                            per_field[f].and_assign(&in_field);
                        }
                        all.and_assign(&any);
                        idf += self.idf(*t);
                    }
                    let v = alt.weight * idf;
                    for_each_bit(&all, |d| {
                        if alt_score[d] == 0.0 {
                            touched_alt.push(d as u32);
                        }
                        alt_score[d] += v;
                    });
                    for (f, bits) in per_field.iter().enumerate() {
                        let fv = v * FIELD_WEIGHT[f];
                        for_each_bit(bits, |d| {
                            alt_score[d] += fv;
                            if f == 0 {
                                set_title.insert(d);
                            }
                        });
                    }
                }
                for d in touched_alt.drain(..) {
                    let d = d as usize;
                    let v = std::mem::take(&mut alt_score[d]);
                    if clause_score[d] == 0.0 {
                        touched.push(d as u32);
                        set.insert(d);
                    }
                    if !alt.corrected {
                        set_exact.insert(d);
                    }
                    clause_score[d] = clause_score[d].max(v);
                }
            }
            for d in touched.drain(..) {
                acc[d as usize] += std::mem::take(&mut clause_score[d as usize]);
            }
            matched.and_assign(&set);
            exact.and_assign(&set_exact);
            in_title.and_assign(&set_title);
        }
        // Per clause, the single terms that stand for it (for phrases), and
        // those that are the word itself (for a whole-title match).
        let mut any_sets: Vec<Vec<u32>> = Vec::new();
        let mut whole_sets: Vec<Vec<u32>> = Vec::new();
        for clause in &plan.clauses {
            let mut any: Vec<u32> = Vec::new();
            let mut whole: Vec<u32> = Vec::new();
            for alt in clause.alts.iter().filter(|a| a.terms.len() == 1) {
                any.push(alt.terms[0]);
                if alt.whole {
                    whole.push(alt.terms[0]);
                }
            }
            any.sort_unstable();
            whole.sort_unstable();
            any_sets.push(any);
            whole_sets.push(whole);
        }
        let phrase_at = |seq: &[u32], j: usize, sets: &[Vec<u32>]| {
            sets.iter()
                .enumerate()
                .all(|(i, set)| seq.get(j + i).is_some_and(|t| set.binary_search(t).is_ok()))
        };
        let has_phrase = |seq: &[u32]| {
            seq.len() >= any_sets.len()
                && (0..=seq.len() - any_sets.len()).any(|j| phrase_at(seq, j, &any_sets))
        };
        let multi = plan.clauses.len() >= 2;
        let mut docs = Vec::with_capacity(matched.count() as usize);
        for_each_bit(&matched, |d| {
            let title = &self.titles[d];
            let tier = if title.len() == plan.clauses.len() && phrase_at(title, 0, &whole_sets) {
                4
            } else if multi && in_title.contains(d) && has_phrase(title) {
                3
            } else if in_title.contains(d) {
                2
            } else if multi && has_phrase(&self.summaries[d]) {
                1
            } else {
                0
            };
            docs.push((d as u32, -(tier as f64 * TIER + acc[d] as f64)));
        });
        Scored {
            docs,
            exact: exact.count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{expand::distances, *};
    use crate::catalogue::search::analyse;

    fn index(docs: &[(&str, &str)]) -> TermIndex {
        let mut b = Builder::new(docs.len());
        for (i, (title, body)) in docs.iter().enumerate() {
            let (t, s) = (analyse(title), analyse(body));
            b.add(i, [&t, "", "", &s]);
        }
        b.finish()
    }

    fn top(index: &TermIndex, q: &str) -> Vec<u32> {
        let plan = index.plan(q, &Synonyms::default()).unwrap();
        let mut docs = index.score(&plan).docs;
        docs.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        docs.into_iter().map(|(d, _)| d).collect()
    }

    #[test]
    fn edit_distances_count_swaps_once_and_know_prefixes() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(distances(&c("brukre"), &c("bruker"), 1), Some((1, 1)));
        assert_eq!(distances(&c("tjenste"), &c("tjeneste"), 1), Some((1, 1)));
        assert_eq!(
            distances(&c("brukermedv"), &c("brukermedvirkning"), 1).map(|d| d.1),
            Some(0)
        );
        assert_eq!(distances(&c("abcdef"), &c("uvwxyz"), 2), None);
    }

    #[test]
    fn typos_folding_and_nynorsk_find_the_word_exact_ranks_first() {
        let idx = index(&[
            ("Brukermedvirkning i kommunen", "tekst"),
            ("Pårørende og tjenestene", "tekst"),
            ("Brukerutvalg", "brukermedvirkningen er viktig"),
            ("Medvirking", "et annet ord"),
        ]);
        assert_eq!(top(&idx, "brukermedvirknig")[0], 0, "one typo");
        assert_eq!(top(&idx, "parorende")[0], 1, "without å and ø");
        assert_eq!(top(&idx, "paaroerende")[0], 1, "aa and oe");
        assert_eq!(top(&idx, "tenestene")[0], 1, "nynorsk");
        assert_eq!(top(&idx, "brukarutval")[0], 2, "nynorsk compound");
        // Short words are not corrected.
        assert!(idx.plan("rus", &Synonyms::default()).unwrap().clauses[0]
            .alts
            .is_empty());
        // A word the index knows is not corrected into others.
        let plan = idx.plan("medvirking", &Synonyms::default()).unwrap();
        assert!(plan.clauses[0].alts.iter().all(|a| !a.corrected));
    }

    #[test]
    fn law_references_are_not_corrected_or_prefixed() {
        let idx = index(&[
            ("Loven § 3-10", "x"),
            ("Loven § 3-1", "x"),
            ("Tall 310", "x"),
        ]);
        assert_eq!(top(&idx, "§ 3-10"), vec![0]);
        assert_eq!(top(&idx, "§ 3-1")[0], 1);
    }

    #[test]
    fn a_title_phrase_beats_scattered_words() {
        let idx = index(&[
            ("Forskning om kurs", "brukerinvolvering her og der"),
            ("Brukerinvolvering i forskning", "kort"),
            ("Noe annet", "brukerinvolvering i forskning står i teksten"),
        ]);
        assert_eq!(top(&idx, "brukerinvolvering i forskning"), vec![1, 0, 2]);
    }
}
