//! From a query word to the terms that can stand for it: the exact term,
//! its folded and nynorsk forms, longer words it starts, synonyms and typo
//! corrections, each with the weight of that kind of match (see the parent
//! module and `search`'s docs).

use super::*;

impl TermIndex {
    /// Term ids starting with `prefix` (or equal to it only, when `whole`).
    fn with_prefix(&self, prefix: &str, whole: bool) -> Vec<u32> {
        let start = self.terms.partition_point(|t| t.as_ref() < prefix);
        self.terms[start..]
            .iter()
            .take_while(|t| t.starts_with(prefix) && (!whole || t.as_ref() == prefix))
            .enumerate()
            .map(|(i, _)| (start + i) as u32)
            .collect()
    }

    /// Term ids whose folded form starts with `folded` (or equals it).
    fn with_folded_prefix(&self, folded: &str, whole: bool) -> Vec<(u32, bool)> {
        let start = self.folded.partition_point(|(f, _)| f.as_ref() < folded);
        self.folded[start..]
            .iter()
            .take_while(|(f, _)| f.starts_with(folded) && (!whole || f.as_ref() == folded))
            .map(|(f, id)| (*id, f.as_ref() == folded))
            .collect()
    }

    /// Turns what the visitor typed into a plan: stop words dropped (unless
    /// nothing else is left), at most `MAX_TERMS` words, each expanded into
    /// the terms that can stand for it. `None` when nothing searchable is left.
    pub fn plan(&self, text: &str, synonyms: &Synonyms) -> Option<Plan> {
        let mut words: Vec<String> = Vec::new();
        for (_, _, word) in crate::catalogue::search::tokens(text) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        let meaningful: Vec<String> = words
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        if !meaningful.is_empty() {
            words = meaningful;
        }
        // Each word is a clause every match must satisfy: a bounded number
        // keeps one request's cost bounded, whatever is pasted into the box.
        let truncated = words.len() > MAX_TERMS;
        words.truncate(MAX_TERMS);
        if words.is_empty() {
            return None;
        }
        let mut highlight: Vec<String> = Vec::new();
        let clauses = words
            .into_iter()
            .map(|word| self.expand(word, synonyms, &mut highlight))
            .collect();
        highlight.sort();
        highlight.dedup();
        Some(Plan {
            clauses,
            highlight,
            truncated,
        })
    }

    fn expand(&self, word: String, synonyms: &Synonyms, highlight: &mut Vec<String>) -> Clause {
        let mut alts: Vec<Alt> = Vec::new();
        let add =
            |alts: &mut Vec<Alt>, id: u32, weight: f32, corrected: bool, whole: bool| match alts
                .iter_mut()
                .find(|a| a.terms == [id])
            {
                Some(a) if a.weight >= weight => {}
                Some(a) => {
                    a.weight = weight;
                    a.corrected = corrected;
                    a.whole = whole;
                }
                None => alts.push(Alt {
                    terms: vec![id],
                    weight,
                    corrected,
                    whole,
                }),
            };
        // Numbers (law sections, years) match only themselves: "3" is not
        // "30", and "3-10" is not "3-1" corrected.
        let numeric = word.chars().any(|c| c.is_ascii_digit());
        let short = word.chars().count() < 2;
        let exact_only = numeric || short;
        let stemmed = stem(&word);
        // Forms the word is searched as, with their weights.
        let mut bases: Vec<(String, f32)> = vec![(stemmed.clone(), W_EXACT)];
        if stemmed != word {
            // A half-typed word may not stem like the whole one.
            bases.push((word.clone(), W_EXACT));
        }
        let lookup = |alts: &mut Vec<Alt>, bases: &[(String, f32)]| {
            for (base, weight) in bases {
                for id in self.with_prefix(base, exact_only) {
                    let whole = self.term(id) == base;
                    let w = if whole { *weight } else { weight * W_PREFIX };
                    add(alts, id, w, false, whole);
                }
                if !numeric {
                    for (id, whole) in self.with_folded_prefix(&fold(base), exact_only) {
                        let w = weight * W_FOLDED * if whole { 1.0 } else { W_PREFIX };
                        add(alts, id, w, false, whole);
                    }
                }
            }
        };
        lookup(&mut alts, &bases);
        // The nynorsk reading is searched too (not instead): "rettleiar" is
        // also the start of the catalogue's own nynorsk "rettleiande".
        if !numeric {
            if let Some(bokmal) = nynorsk::to_bokmal(&word) {
                let nynorsk_bases = vec![(stem(&bokmal), W_NYNORSK), (bokmal, W_NYNORSK)];
                lookup(&mut alts, &nynorsk_bases);
                bases.extend(nynorsk_bases);
            }
        }
        highlight.extend(bases.iter().map(|(b, _)| b.clone()));
        // A Norwegian compound the catalogue holds only as its parts:
        // "brukerrådsmandat" finds documents with both "brukerråd" and
        // "mandat" (before typo tolerance, which would guess a spelling).
        if alts.is_empty() && !numeric {
            if let Some(parts) = self.split_compound(&word) {
                highlight.extend(parts.iter().map(|t| self.term(*t).to_string()));
                alts.push(Alt {
                    terms: parts.to_vec(),
                    weight: W_SPLIT,
                    corrected: false,
                    whole: false,
                });
            }
        }
        // Typo tolerance only for a word the catalogue does not know as
        // typed, and like Meilisearch's defaults: one edit from 5 characters,
        // two from 9, none for short words or numbers.
        let chars = word.chars().count();
        if alts.is_empty() && !numeric && chars >= 5 {
            let k = if chars >= 9 { 2 } else { 1 };
            for (id, distance) in self.corrections(&fold(&stemmed), &fold(&word), k) {
                let (d, prefix_only) = distance;
                let w = if d == 1 { W_TYPO_1 } else { W_TYPO_2 };
                let w = if prefix_only { w * W_PREFIX } else { w };
                add(&mut alts, id, w, true, !prefix_only);
                highlight.push(self.term(id).to_string());
            }
        }
        // The words found as they are indexed (æøå folded or not) are marked.
        for a in alts.iter().filter(|a| a.whole && !a.corrected) {
            highlight.push(self.term(a.terms[0]).to_string());
        }
        // Synonyms of the word as typed (whether or not the catalogue has
        // it), or as found or corrected.
        let mut found: Vec<(String, f32, bool)> =
            bases.iter().map(|(b, w)| (b.clone(), *w, false)).collect();
        found.extend(
            alts.iter()
                .filter(|a| a.whole)
                .map(|a| (self.term(a.terms[0]).to_string(), a.weight, a.corrected)),
        );
        let mut seen: Vec<String> = Vec::new();
        for (term, weight, corrected) in found {
            let folded = fold(&term);
            if seen.contains(&folded) {
                continue;
            }
            seen.push(folded.clone());
            for synonym in synonyms.alternatives_folded(&folded) {
                let w = weight * W_SYNONYM;
                if synonym.len() == 1 {
                    for id in self.with_prefix(&synonym[0], false) {
                        let whole = self.term(id) == synonym[0];
                        add(
                            &mut alts,
                            id,
                            if whole { w } else { w * W_PREFIX },
                            corrected,
                            false,
                        );
                    }
                    highlight.push(synonym[0].clone());
                } else if let Some(ids) = synonym
                    .iter()
                    .map(|s| self.id(s))
                    .collect::<Option<Vec<u32>>>()
                {
                    if !alts.iter().any(|a| a.terms == ids) {
                        alts.push(Alt {
                            terms: ids,
                            weight: w,
                            corrected,
                            whole: false,
                        });
                    }
                    highlight.extend(synonym.iter().cloned());
                }
            }
        }
        Clause { word, alts }
    }

    /// The term a whole word is indexed as: its stem or the word, as
    /// typed or with æøå folded.
    fn whole_term(&self, word: &str) -> Option<u32> {
        let stemmed = stem(word);
        self.id(&stemmed).or_else(|| self.id(word)).or_else(|| {
            self.with_folded_prefix(&fold(&stemmed), true)
                .first()
                .map(|(id, _)| *id)
        })
    }

    /// Splits a compound into two indexed words, the longest first part
    /// first, with or without a linking "s" or "e" ("brukerråd-s-mandat",
    /// "pårørende-arbeid"). Each part has at least three letters.
    fn split_compound(&self, word: &str) -> Option<[u32; 2]> {
        const MIN: usize = 3;
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 2 * MIN {
            return None;
        }
        for cut in (MIN..=chars.len() - MIN).rev() {
            let right: String = chars[cut..].iter().collect();
            if STOP_WORDS.contains(&right.as_str()) {
                continue;
            }
            let Some(second) = self.whole_term(&right) else {
                continue;
            };
            let left = &chars[..cut];
            let mut firsts = vec![left.iter().collect::<String>()];
            if left.len() > MIN && matches!(left.last(), Some('s' | 'e')) {
                firsts.push(left[..left.len() - 1].iter().collect());
            }
            if let Some(first) = firsts
                .iter()
                .filter(|l| !STOP_WORDS.contains(&l.as_str()))
                .find_map(|l| self.whole_term(l))
            {
                if first != second {
                    return Some([first, second]);
                }
            }
        }
        None
    }

    /// Terms within `k` edits of `stemmed` or `word` (both folded), as a
    /// whole or as a prefix, with the same first letter: (id, (edits,
    /// prefix only)), fewest edits first, then the most common.
    fn corrections(&self, stemmed: &str, word: &str, k: usize) -> Vec<(u32, (usize, bool))> {
        let Some(first) = stemmed.chars().next() else {
            return Vec::new();
        };
        let mut buf = [0u8; 4];
        let first_str = first.encode_utf8(&mut buf);
        let start = self
            .folded
            .partition_point(|(f, _)| f.as_ref() < &*first_str);
        let queries: Vec<Vec<char>> = if stemmed == word {
            vec![stemmed.chars().collect()]
        } else {
            vec![stemmed.chars().collect(), word.chars().collect()]
        };
        let mut found: Vec<(u32, (usize, bool))> = Vec::new();
        for (folded, id) in self.folded[start..]
            .iter()
            .take_while(|(f, _)| f.starts_with(first))
        {
            let t: Vec<char> = folded.chars().collect();
            let mut best: Option<(usize, bool)> = None;
            for q in &queries {
                if t.len() + k < q.len() {
                    continue;
                }
                if let Some((full, prefix)) = distances(q, &t, k) {
                    let candidate = if full <= k {
                        (full, false)
                    } else {
                        (prefix, true)
                    };
                    if best.is_none_or(|b| candidate < b) {
                        best = Some(candidate);
                    }
                }
            }
            if let Some(b) = best {
                found.push((*id, b));
            }
        }
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(self.df[b.0 as usize].cmp(&self.df[a.0 as usize]))
        });
        found.truncate(MAX_CORRECTIONS);
        found
    }
}

/// Optimal string alignment distance (adjacent swaps count as one edit)
/// between `q` and `t`, and between `q` and the closest prefix of `t`; `None`
/// once both exceed `k`.
pub(super) fn distances(q: &[char], t: &[char], k: usize) -> Option<(usize, usize)> {
    let (m, n) = (q.len(), t.len());
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=m {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(q[i - 1] != t[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && q[i - 1] == t[j - 2] && q[i - 2] == t[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let full = prev[n];
    let prefix = *prev.iter().min().expect("n + 1 entries");
    (prefix <= k).then_some((full, prefix))
}
