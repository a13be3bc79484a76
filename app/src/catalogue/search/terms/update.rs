//! One document of the term index changed in place (a resource saved), so
//! a save never rebuilds the whole index: its postings are taken out, and
//! its analysed text is added again, new terms merged into the sorted
//! vocabulary in one pass.

use super::*;

impl TermIndex {
    /// Room for `n` documents.
    pub fn grow(&mut self, n: usize) {
        if n <= self.n {
            return;
        }
        self.n = n;
        self.titles.resize_with(n, Default::default);
        self.summaries.resize_with(n, Default::default);
        for fields in &mut self.postings {
            for postings in fields.iter_mut() {
                if let Postings::Bits(bits) = postings {
                    bits.grow(n);
                }
            }
        }
    }

    /// Takes `doc` out of every term.
    pub fn remove_doc(&mut self, doc: u32) {
        for (term, fields) in self.postings.iter_mut().enumerate() {
            let mut was = false;
            for postings in fields.iter_mut() {
                match postings {
                    Postings::List(docs) => {
                        if let Ok(i) = docs.binary_search(&doc) {
                            docs.remove(i);
                            was = true;
                        }
                    }
                    Postings::Bits(bits) => {
                        if bits.contains(doc as usize) {
                            bits.remove(doc as usize);
                            was = true;
                        }
                    }
                }
            }
            if was {
                self.df[term] -= 1;
            }
        }
        if let Some(title) = self.titles.get_mut(doc as usize) {
            *title = Box::default();
        }
        if let Some(summary) = self.summaries.get_mut(doc as usize) {
            *summary = Box::default();
        }
    }

    /// Adds `doc`'s analysed fields the way `Builder::add` does; `doc` is new
    /// or was taken out with [`TermIndex::remove_doc`].
    pub fn add_doc(&mut self, doc: u32, fields: [&str; FIELDS]) {
        self.grow(doc as usize + 1);
        let words = |f: usize| fields[f].split(' ').filter(|w| !w.is_empty());
        let mut new_words: Vec<&str> = (0..FIELDS)
            .flat_map(words)
            .filter(|w| self.id(w).is_none())
            .collect();
        new_words.sort_unstable();
        new_words.dedup();
        self.merge_terms(&new_words);
        let stop: Vec<String> = STOP_WORDS.iter().map(|w| stem(w)).collect();
        let mut counted: Vec<u32> = Vec::new();
        let (mut title, mut summary) = (Vec::new(), Vec::new());
        for f in 0..FIELDS {
            for word in words(f) {
                let id = self.id(word).expect("merged above");
                match &mut self.postings[id as usize][f] {
                    Postings::List(docs) => {
                        if let Err(i) = docs.binary_search(&doc) {
                            docs.insert(i, doc);
                        }
                    }
                    Postings::Bits(bits) => bits.insert(doc as usize),
                }
                if !counted.contains(&id) {
                    counted.push(id);
                    self.df[id as usize] += 1;
                }
                if f < 2 && !stop.iter().any(|s| s == word) {
                    (if f == 0 { &mut title } else { &mut summary }).push(id);
                }
            }
        }
        self.titles[doc as usize] = title.into_boxed_slice();
        self.summaries[doc as usize] = summary.into_boxed_slice();
    }

    /// Adds terms (sorted, none known yet) to the sorted vocabulary,
    /// renumbering every term id once.
    fn merge_terms(&mut self, new_words: &[&str]) {
        if new_words.is_empty() {
            return;
        }
        let old_terms = std::mem::take(&mut self.terms);
        let mut old_postings = std::mem::take(&mut self.postings).into_iter();
        let mut old_df = std::mem::take(&mut self.df).into_iter();
        let total = old_terms.len() + new_words.len();
        let mut remap = Vec::with_capacity(old_terms.len());
        let (mut terms, mut postings, mut df) = (
            Vec::with_capacity(total),
            Vec::with_capacity(total),
            Vec::with_capacity(total),
        );
        let mut fresh = new_words.iter().peekable();
        for old in old_terms {
            while let Some(word) = fresh.next_if(|w| **w < &*old) {
                terms.push(Box::<str>::from(*word));
                postings.push(std::array::from_fn(|_| Postings::List(Vec::new())));
                df.push(0);
            }
            remap.push(terms.len() as u32);
            terms.push(old);
            postings.push(old_postings.next().expect("one a term"));
            df.push(old_df.next().expect("one a term"));
        }
        for word in fresh {
            terms.push(Box::<str>::from(*word));
            postings.push(std::array::from_fn(|_| Postings::List(Vec::new())));
            df.push(0);
        }
        for seq in self.titles.iter_mut().chain(self.summaries.iter_mut()) {
            for id in seq.iter_mut() {
                *id = remap[*id as usize];
            }
        }
        let mut folded: Vec<(Box<str>, u32)> = std::mem::take(&mut self.folded)
            .into_iter()
            .map(|(f, id)| (f, remap[id as usize]))
            .collect();
        for word in new_words {
            let id = terms
                .binary_search_by(|t| (**t).cmp(*word))
                .expect("just added") as u32;
            folded.push((fold(word).into_boxed_str(), id));
        }
        folded.sort();
        self.terms = terms;
        self.postings = postings;
        self.df = df;
        self.folded = folded;
    }
}
