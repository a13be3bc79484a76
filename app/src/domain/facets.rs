//! Facet counting: one implementation for the server's catalogue index and
//! the visitors' filter island in the browser.
//!
//! A facet value's documents are a [`Bitset`]. A selection is, per facet,
//! the values ticked; the rule is OR within a facet and AND across facets.
//! The count shown beside an option is "how many results would I get if I
//! ticked this too": the documents matching every *other* facet's
//! selection, ANDed with the option's own documents.
//!
//! The server writes each option's documents into the page as hex words
//! ([`Bitset::to_hex`], the `data-bits` attribute), numbered within the
//! current search's documents, so the island recounts with [`count`] when a
//! box is ticked, without asking the server.

/// A fixed-size set of document numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub fn empty(n: usize) -> Self {
        Bitset {
            words: vec![0; n.div_ceil(64)],
        }
    }

    pub fn full(n: usize) -> Self {
        let mut set = Bitset {
            words: vec![u64::MAX; n.div_ceil(64)],
        };
        if !n.is_multiple_of(64) {
            if let Some(last) = set.words.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        set
    }

    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Takes `i` out (nothing if it is past the end).
    pub fn remove(&mut self, i: usize) {
        if let Some(word) = self.words.get_mut(i / 64) {
            *word &= !(1 << (i % 64));
        }
    }

    /// Room for `n` documents (never shrinks); new documents are absent.
    pub fn grow(&mut self, n: usize) {
        if n.div_ceil(64) > self.words.len() {
            self.words.resize(n.div_ceil(64), 0);
        }
    }

    pub fn and_assign(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn or_assign(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn words(&self) -> &[u64] {
        &self.words
    }

    pub fn count(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// |self ∧ other| without allocating.
    pub fn count_and(&self, other: &Bitset) -> u32 {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones())
            .sum()
    }

    /// The documents of `self` that are in `within`, numbered by their
    /// position among `within`'s documents (so a search's 12 matches become
    /// documents 0..12, whatever their numbers in the whole catalogue).
    pub fn renumbered(&self, within: &Bitset) -> Bitset {
        let mut out = Bitset::empty(within.count() as usize);
        let mut position = 0;
        for (w, &word) in within.words.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let doc = w * 64 + bits.trailing_zeros() as usize;
                if self.contains(doc) {
                    out.insert(position);
                }
                position += 1;
                bits &= bits - 1;
            }
        }
        out
    }

    /// Lower-case hex, 16 digits a word, lowest word first, trailing zero
    /// words left out (most values hold few documents).
    pub fn to_hex(&self) -> String {
        let used = self
            .words
            .iter()
            .rposition(|w| *w != 0)
            .map_or(0, |i| i + 1);
        let mut out = String::with_capacity(used * 16);
        for word in &self.words[..used] {
            out.push_str(&format!("{word:016x}"));
        }
        out
    }

    /// Reads [`Bitset::to_hex`] back into a set of `n` documents; `None` for
    /// anything that is not whole words of hex or names a document past `n`.
    pub fn from_hex(hex: &str, n: usize) -> Option<Bitset> {
        let mut set = Bitset::empty(n);
        if !hex.len().is_multiple_of(16) || hex.len() / 16 > set.words.len() {
            return None;
        }
        for (i, chunk) in hex.as_bytes().chunks(16).enumerate() {
            let word = u64::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
            set.words[i] = word;
        }
        set.fits(n).then_some(set)
    }

    /// No bit at or past `n`.
    fn fits(&self, n: usize) -> bool {
        match self.words.last() {
            Some(last) if !n.is_multiple_of(64) => last >> (n % 64) == 0,
            _ => true,
        }
    }
}

/// A facet's values' documents and which of them are ticked.
pub struct FacetSets<'a> {
    pub values: Vec<&'a Bitset>,
    pub ticked: Vec<bool>,
}

/// Counts for one selection: per facet, per value, the results ticking that
/// value too would give; and the results of the selection itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    pub options: Vec<Vec<u32>>,
    pub total: u32,
}

/// The union of a facet's ticked values, if any is ticked.
fn union(facet: &FacetSets<'_>, n: usize) -> Option<Bitset> {
    let mut ticked = facet
        .values
        .iter()
        .zip(&facet.ticked)
        .filter(|(_, t)| **t)
        .peekable();
    ticked.peek()?;
    let mut set = Bitset::empty(n);
    for (docs, _) in ticked {
        set.or_assign(docs);
    }
    Some(set)
}

/// Every option's count and the total, for the documents in `base` (the
/// search's matches, or every document) and the ticked values: OR within a
/// facet, AND across facets.
pub fn count(base: &Bitset, facets: &[FacetSets<'_>]) -> Counts {
    let n = base.words.len() * 64;
    let unions: Vec<Option<Bitset>> = facets.iter().map(|f| union(f, n)).collect();
    let mut result = base.clone();
    for set in unions.iter().flatten() {
        result.and_assign(set);
    }
    let options = facets
        .iter()
        .enumerate()
        .map(|(f, facet)| {
            let mut others = base.clone();
            for (g, set) in unions.iter().enumerate() {
                if g != f {
                    if let Some(set) = set {
                        others.and_assign(set);
                    }
                }
            }
            facet
                .values
                .iter()
                .map(|docs| others.count_and(docs))
                .collect()
        })
        .collect();
    Counts {
        options,
        total: result.count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(n: usize, docs: &[usize]) -> Bitset {
        let mut s = Bitset::empty(n);
        for &d in docs {
            s.insert(d);
        }
        s
    }

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_a_set() {
        let s = set(130, &[0, 5, 64, 129]);
        let hex = s.to_hex();
        assert_eq!(hex.len(), 48);
        assert_eq!(Bitset::from_hex(&hex, 130), Some(s));
        assert_eq!(Bitset::from_hex("", 130), Some(Bitset::empty(130)));
        assert_eq!(
            set(130, &[3]).to_hex().len(),
            16,
            "trailing zero words are left out"
        );
        assert_eq!(Bitset::from_hex("xyz", 130), None);
        assert_eq!(Bitset::from_hex("000000000000000g", 130), None);
        // A bit past the documents.
        assert_eq!(Bitset::from_hex(&set(64, &[10]).to_hex(), 8), None);
        // More words than documents.
        assert_eq!(Bitset::from_hex(&"0".repeat(48), 64), None);
    }

    #[test]
    fn renumbering_keeps_order_within_the_base() {
        let within = set(200, &[3, 70, 150, 199]);
        let docs = set(200, &[3, 4, 150]);
        assert_eq!(docs.renumbered(&within), set(4, &[0, 2]));
    }

    #[test]
    fn or_within_a_facet_and_across_facets() {
        let n = 6;
        let base = Bitset::full(n);
        let (a1, a2) = (set(n, &[0, 1, 2]), set(n, &[3]));
        let (b1, b2) = (set(n, &[0, 3, 4]), set(n, &[1, 5]));
        let counts = count(
            &base,
            &[
                FacetSets {
                    values: vec![&a1, &a2],
                    ticked: vec![true, true],
                },
                FacetSets {
                    values: vec![&b1, &b2],
                    ticked: vec![true, false],
                },
            ],
        );
        // Result: (a1 ∪ a2) ∩ b1 = {0, 3}.
        assert_eq!(counts.total, 2);
        // Facet a is counted against b1 alone; facet b against a1 ∪ a2.
        assert_eq!(counts.options, vec![vec![1, 1], vec![2, 1]]);
    }
}
