//! One saved resource reaches the index in place: a copy of the index with
//! that resource's document taken out and, if it is public, put back as the
//! database has it now (its facet values through [`values_of`], the same
//! function the full build uses). No full rebuild for a save.

use super::*;

/// What the index holds of one resource, read in one go.
#[derive(Debug, Clone)]
pub struct ResourceRow {
    pub id: i64,
    /// `None`: not public (a draft, or deleted).
    pub published: Option<Published>,
}

#[derive(Debug, Clone)]
pub struct Published {
    pub info: DocInfo,
    pub value_ids: Vec<i64>,
    /// (slug, name shown), in the resource's order.
    pub organisations: Vec<(String, String)>,
    /// The analysed title, summary, organisations and body (`resource_fts`).
    pub text: [String; 4],
}

impl CatalogueIndex {
    /// This index with one resource as `row` has it, at `version`.
    pub fn with_resource(&self, row: &ResourceRow, version: i64) -> CatalogueIndex {
        let mut index = self.clone();
        index.apply(row);
        index.version = version;
        index
    }

    fn apply(&mut self, row: &ResourceRow) {
        let existing = self.doc_of.get(&row.id).copied();
        if let Some(doc) = existing {
            self.take_out(doc);
        }
        let Some(published) = &row.published else {
            return;
        };
        let doc = match existing {
            Some(doc) => doc,
            None => {
                let doc = self.ids.len();
                self.ids.push(row.id);
                self.doc_of.insert(row.id, doc);
                self.docs.push(published.info.clone());
                self.doc_values.push(Vec::new());
                self.title_rank.push(0);
                self.grow(doc + 1);
                doc
            }
        };
        self.docs[doc] = published.info.clone();
        for (slug, name) in &published.organisations {
            if !self.slots.organisations.contains_key(slug) {
                self.add_organisation(slug, name);
            }
        }
        let slugs: Vec<String> = published
            .organisations
            .iter()
            .map(|(slug, _)| slug.clone())
            .collect();
        let values = values_of(&self.slots, &published.value_ids, &slugs);
        for &(f, v) in &values {
            self.facets[f as usize].values[v as usize].docs.insert(doc);
        }
        self.doc_values[doc] = values;
        self.live.insert(doc);

        let key = |index: &CatalogueIndex, d: usize| (norwegian_sort_key(&index.docs[d].title), d);
        let mine = key(self, doc);
        let at = self
            .by_title
            .partition_point(|d| key(self, *d as usize) < mine);
        self.by_title.insert(at, doc as u32);
        for (pos, d) in self.by_title.iter().enumerate() {
            self.title_rank[*d as usize] = pos as u32;
        }
        let mine = (published.info.updated_at.as_str(), row.id);
        let at = self.by_newest.partition_point(|d| {
            let d = *d as usize;
            (self.docs[d].updated_at.as_str(), self.ids[d]) > mine
        });
        self.by_newest.insert(at, doc as u32);

        let [title, summary, organisations, body] = &published.text;
        self.terms
            .add_doc(doc as u32, [title, summary, organisations, body]);
    }

    /// Takes a document out of every set and order; its number stays taken.
    fn take_out(&mut self, doc: usize) {
        for (f, v) in std::mem::take(&mut self.doc_values[doc]) {
            self.facets[f as usize].values[v as usize].docs.remove(doc);
        }
        self.live.remove(doc);
        self.by_title.retain(|d| *d as usize != doc);
        self.by_newest.retain(|d| *d as usize != doc);
        self.terms.remove_doc(doc as u32);
    }

    /// Room for `n` documents in every set.
    fn grow(&mut self, n: usize) {
        for facet in &mut self.facets {
            for value in &mut facet.values {
                value.docs.grow(n);
            }
        }
        self.live.grow(n);
        self.terms.grow(n);
    }

    /// An organisation no public resource had before, in name order.
    fn add_organisation(&mut self, slug: &str, name: &str) {
        let f = self.slots.organisation_facet;
        let key = norwegian_sort_key(name);
        let n = self.ids.len();
        let values = &mut self.facets[f as usize].values;
        let at = values.partition_point(|v| norwegian_sort_key(&v.label) <= key);
        values.insert(
            at,
            IndexedValue {
                key: slug.to_string(),
                label: name.to_string(),
                docs: Bitset::empty(n),
            },
        );
        let at = at as u16;
        for v in self.slots.organisations.values_mut() {
            if *v >= at {
                *v += 1;
            }
        }
        self.slots.organisations.insert(slug.to_string(), at);
        for values in &mut self.doc_values {
            for (ff, v) in values.iter_mut() {
                if *ff == f && *v >= at {
                    *v += 1;
                }
            }
        }
    }
}
