//! What the catalogue index (`catalogue::index`) is built from: the full
//! build's reads in one snapshot, and one resource's rows for the in-place
//! update after a save.

use std::collections::HashMap;

use sqlx::SqlitePool;

use crate::{
    catalogue::{
        index::{
            update::{Published, ResourceRow},
            values_of, Bitset, CatalogueIndex, DocInfo, IndexedFacet, IndexedValue, SearchCache,
            Slots,
        },
        search::{terms::Builder, Synonyms},
    },
    domain::norwegian_sort_key,
    query::ORGANISATION_FACET,
};

/// Builds the index from the database.
pub async fn load(pool: &SqlitePool) -> Result<CatalogueIndex, sqlx::Error> {
    // One read transaction, so every query sees the same snapshot. A
    // `Transaction` rolls back when dropped, so a cancelled load (the
    // request timeout) never returns its connection to the pool mid-transaction.
    let mut tx = pool.begin().await?;
    let index = load_in(&mut tx).await?;
    tx.commit().await?;
    Ok(index)
}

async fn load_in(conn: &mut sqlx::SqliteConnection) -> Result<CatalogueIndex, sqlx::Error> {
    let version: i64 = sqlx::query_scalar("SELECT version FROM catalogue_version")
        .fetch_one(&mut *conn)
        .await?;
    let docs = sqlx::query_as::<
        _,
        (
            i64,
            String,
            String,
            String,
            String,
            Option<i64>,
            Option<i64>,
        ),
    >(
        "SELECT id, title, updated_at, slug, summary, started, ended FROM resource
          WHERE status = 'published' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let n = docs.len();
    let ids: Vec<i64> = docs.iter().map(|d| d.0).collect();
    let doc_of: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

    let mut by_title: Vec<u32> = (0..n as u32).collect();
    let keys: Vec<String> = docs.iter().map(|d| norwegian_sort_key(&d.1)).collect();
    by_title.sort_by(|a, b| keys[*a as usize].cmp(&keys[*b as usize]));
    let mut by_newest: Vec<u32> = (0..n as u32).collect();
    by_newest.sort_by(|a, b| {
        docs[*b as usize]
            .2
            .cmp(&docs[*a as usize].2)
            .then(docs[*b as usize].0.cmp(&docs[*a as usize].0))
    });

    let mut title_rank = vec![0u32; n];
    for (pos, doc) in by_title.iter().enumerate() {
        title_rank[*doc as usize] = pos as u32;
    }

    let value_rows = sqlx::query_as::<_, (i64, String, String, String, String)>(
        "SELECT v.id, f.key, f.label, v.key, v.label FROM facet_value v JOIN facet f ON f.key = v.facet_key
          WHERE f.applies_to IN ('resource', 'both') AND v.retired = 0
          ORDER BY f.position, v.position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut facets: Vec<IndexedFacet> = Vec::new();
    let mut slot_of_value: HashMap<i64, (usize, usize)> = HashMap::new();
    for (value_id, facet_key, facet_label, key, label) in value_rows {
        if facets.last().is_none_or(|f| f.key != facet_key) {
            facets.push(IndexedFacet {
                key: facet_key,
                label: facet_label,
                values: Vec::new(),
            });
        }
        let f = facets.len() - 1;
        slot_of_value.insert(value_id, (f, facets[f].values.len()));
        facets[f].values.push(IndexedValue {
            key,
            label,
            docs: Bitset::empty(n),
        });
    }

    let mut value_ids: Vec<Vec<i64>> = vec![Vec::new(); n];
    let links = sqlx::query_as::<_, (i64, i64)>(
        "SELECT rf.resource_id, rf.facet_value_id FROM resource_facet rf
           JOIN resource r ON r.id = rf.resource_id WHERE r.status = 'published'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (rid, vid) in links {
        if let Some(&doc) = doc_of.get(&rid) {
            value_ids[doc].push(vid);
        }
    }

    // Organisations behind at least one published resource, by name.
    let org_links = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT ro.resource_id, o.slug, coalesce(o.short_name, o.name)
           FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
           JOIN resource r ON r.id = ro.resource_id WHERE r.status = 'published'
          ORDER BY ro.resource_id, ro.position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut org_slugs: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut orgs: Vec<IndexedValue> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (rid, slug, name) in org_links {
        let Some(&doc) = doc_of.get(&rid) else {
            continue;
        };
        if seen.insert(slug.clone()) {
            orgs.push(IndexedValue {
                key: slug.clone(),
                label: name,
                docs: Bitset::empty(n),
            });
        }
        org_slugs[doc].push(slug);
    }
    orgs.sort_by_cached_key(|o| norwegian_sort_key(&o.label));
    let organisation_facet = facets.len() as u16;
    let position = |key: &str| facets.iter().position(|f| f.key == key);
    let fagfelt = position(crate::domain::catalogue::FAGFELT_FACET)
        .map(|f| (f as u16, facets[f].values.len() as u16));
    let region = position(crate::domain::catalogue::REGION_FACET);
    let mut organisation_regions: HashMap<String, Vec<u16>> = HashMap::new();
    if let Some(f) = region {
        let rows = sqlx::query_as::<_, (String, String)>(
            "SELECT o.slug, v.key FROM organisation o
               JOIN organisation_facet ofv ON ofv.organisation_id = o.id
               JOIN facet_value v ON v.id = ofv.facet_value_id
              WHERE v.facet_key = ?1",
        )
        .bind(crate::domain::catalogue::REGION_FACET)
        .fetch_all(&mut *conn)
        .await?;
        for (slug, key) in rows {
            if let Some(v) = facets[f].values.iter().position(|v| v.key == key) {
                organisation_regions.entry(slug).or_default().push(v as u16);
            }
        }
    }
    let slots = Slots {
        fagfelt,
        region: region.map(|f| f as u16),
        organisation_regions,
        values: slot_of_value
            .into_iter()
            .map(|(id, (f, v))| (id, (f as u16, v as u16)))
            .collect(),
        organisations: orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.clone(), i as u16))
            .collect(),
        organisation_facet,
    };
    facets.push(IndexedFacet {
        key: ORGANISATION_FACET.into(),
        label: "Organisasjon".into(),
        values: orgs,
    });
    let doc_values: Vec<Vec<(u16, u16)>> = (0..n)
        .map(|doc| {
            let values = values_of(&slots, &value_ids[doc], &org_slugs[doc]);
            for &(f, v) in &values {
                facets[f as usize].values[v as usize].docs.insert(doc);
            }
            values
        })
        .collect();

    let synonym_rows: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM synonym_group ORDER BY position, id")
            .fetch_all(&mut *conn)
            .await?;
    let groups: Vec<Vec<String>> = synonym_rows
        .iter()
        .filter_map(|json| serde_json::from_str(json).ok())
        .collect();

    // The search index's text is already analysed: splitting it on
    // spaces is all the term index needs.
    let mut builder = Builder::new(n);
    // Read in batches, so a large catalogue's text is never all in memory.
    let mut after = i64::MIN;
    loop {
        let rows = sqlx::query_as::<_, (i64, String, String, String, String)>(
            "SELECT rowid, title, summary, organisations, body FROM resource_fts
              WHERE rowid > ?1 ORDER BY rowid LIMIT 2000",
        )
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, title, summary, organisations, body) in &rows {
            if let Some(&doc) = doc_of.get(id) {
                builder.add(doc, [title, summary, organisations, body]);
            }
        }
    }
    let terms = builder.finish();

    let docs = docs
        .into_iter()
        .map(
            |(_, title, updated_at, slug, summary, started, ended)| DocInfo {
                slug,
                title,
                summary,
                updated_at,
                period: crate::domain::resource::period_text(started, ended),
            },
        )
        .collect();
    Ok(CatalogueIndex {
        version,
        live: Bitset::full(n),
        slots,
        docs,
        ids,
        doc_of,
        facets,
        by_title,
        by_newest,
        title_rank,
        doc_values,
        synonyms: Synonyms::new(&groups),
        terms,
        searches: SearchCache::default(),
    })
}

/// What the index holds of resource `id` now.
pub async fn read_resource(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> Result<ResourceRow, sqlx::Error> {
    let row = sqlx::query_as::<_, (String, String, String, String, Option<i64>, Option<i64>)>(
        "SELECT title, updated_at, slug, summary, started, ended FROM resource
          WHERE id = ?1 AND status = 'published'",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((title, updated_at, slug, summary, started, ended)) = row else {
        return Ok(ResourceRow {
            id,
            published: None,
        });
    };
    let value_ids: Vec<i64> =
        sqlx::query_scalar("SELECT facet_value_id FROM resource_facet WHERE resource_id = ?1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let organisations = sqlx::query_as::<_, (String, String)>(
        "SELECT o.slug, coalesce(o.short_name, o.name)
           FROM resource_organisation ro JOIN organisation o ON o.id = ro.organisation_id
          WHERE ro.resource_id = ?1 ORDER BY ro.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let text = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT title, summary, organisations, body FROM resource_fts WHERE rowid = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default();
    Ok(ResourceRow {
        id,
        published: Some(Published {
            info: DocInfo {
                slug,
                title,
                summary,
                updated_at,
                period: crate::domain::resource::period_text(started, ended),
            },
            value_ids,
            organisations,
            text: [text.0, text.1, text.2, text.3],
        }),
    })
}
