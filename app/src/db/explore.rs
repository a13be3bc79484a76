//! Reads for the pages built from the catalogue (server only): entry paths,
//! the guide's shortlist, the guidance overview, the organisation directory
//! and the list of recent changes.

use std::collections::{HashMap, HashSet};

use sqlx::SqlitePool;

use crate::catalogue::{browse, index::CatalogueIndex};
use crate::{
    domain::{
        catalogue::{FacetFilter, FacetOption, ResourceCard, ResourceRef},
        explore::{
            Directory, DirectoryEntry, EntryPathPage, EntrySection, GuidanceGroup, GuidanceItem,
            GuideResult, OrganisationPage, RecentItem, RecentPage,
        },
        guide::{self, GuideAnswers},
        norwegian_sort_key,
    },
    query::CatalogueQuery,
};

/// Cards shown per entry-path section; the rest are behind its list link.
const SECTION_CARDS: usize = 4;
/// Resources on the guide's shortlist.
const SHORTLIST: usize = 5;
/// Entries per page of recent changes.
const RECENT_PAGE: usize = 25;
/// The extra section of the first entry path, from the `tema` facet.
pub const STRUCTURE_VALUE: (&str, &str) = ("tema", "strukturere");

/// Matching documents in the catalogue's default order, and how many match.
async fn matching(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    query: &CatalogueQuery,
    limit: usize,
) -> Result<(u32, Vec<u32>), sqlx::Error> {
    let selection = browse::select(pool, index, query).await?;
    let docs: Vec<u32> = selection.ordered(index);
    Ok((docs.len() as u32, docs.into_iter().take(limit).collect()))
}

fn filtered(filters: &[(&str, &str)]) -> CatalogueQuery {
    filters.iter().fold(
        CatalogueQuery {
            page: 1,
            ..Default::default()
        },
        |q, (f, v)| q.with(f, v),
    )
}

/// An entry path (`inngang` value) with its sections: the first path by the
/// involvement ladder plus how to structure the work, the second by level.
pub async fn entry_path(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    key: &str,
) -> Result<Option<EntryPathPage>, sqlx::Error> {
    let Some((_, entry_facet)) = index.facet("inngang") else {
        return Ok(None);
    };
    let Some(entry) = entry_facet.values.iter().find(|v| v.key == key) else {
        return Ok(None);
    };
    let by = if key == "kompetansesenter" {
        "grad"
    } else {
        "nivaa"
    };
    let mut parts: Vec<(String, String, String)> = index
        .facet(by)
        .map(|(_, f)| {
            f.values
                .iter()
                .map(|v| (by.to_string(), v.key.clone(), v.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    if key == "kompetansesenter" {
        if let Some(value) = index
            .facet(STRUCTURE_VALUE.0)
            .and_then(|(_, f)| f.values.iter().find(|v| v.key == STRUCTURE_VALUE.1))
        {
            parts.push((
                STRUCTURE_VALUE.0.to_string(),
                value.key.clone(),
                value.label.clone(),
            ));
        }
    }
    let texts = super::texts::with_prefix(pool, "inngang.").await?;
    let text = |part: &str| texts.get(&format!("inngang.{key}.{part}"));
    let mut sections = Vec::new();
    for (facet, value, label) in parts {
        let query = filtered(&[("inngang", key), (&facet, &value)]);
        let (total, docs) = matching(pool, index, &query, SECTION_CARDS).await?;
        sections.push(EntrySection {
            guidance: text(&value),
            key: value,
            label,
            href: query.href("/ressurser"),
            total,
            cards: docs.into_iter().map(|d| index.card(d as usize)).collect(),
        });
    }
    let all = filtered(&[("inngang", key)]);
    let heading_of = |key: &str, label: &str| {
        Some(texts.get(&format!("inngang.{key}.tittel")))
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| label.to_string())
    };
    let heading = heading_of(key, &entry.label);
    let other = entry_facet
        .values
        .iter()
        .find(|v| v.key != key)
        .map(|v| (format!("/inngang/{}", v.key), heading_of(&v.key, &v.label)));
    Ok(Some(EntryPathPage {
        illustration: super::media::illustration(pool, &format!("inngang-{key}")).await?,
        key: key.to_string(),
        label: entry.label.clone(),
        heading,
        intro: text("ingress"),
        description: text("beskrivelse"),
        other,
        href: all.href("/ressurser"),
        total: entry.docs.count(),
        sections,
    }))
}

/// The guide's answer: the recommendation, which checklist resources are
/// published, and a shortlist that loosens its filters until it has enough.
pub async fn guide(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    raw: &str,
) -> Result<GuideResult, sqlx::Error> {
    let answers = GuideAnswers::parse(raw);
    let errors = if answers.is_empty() {
        Vec::new()
    } else {
        answers.missing()
    };
    // The step's meaning, the reasons and the checklist are editors' texts,
    // read in one query once there can be a recommendation.
    let texts = if answers.missing().is_empty() {
        super::texts::with_prefix(pool, "veiviser.").await?
    } else {
        Default::default()
    };
    let recommendation = guide::recommend(&answers, &|key| texts.get(key));
    let meaning = match &recommendation {
        Some(rec) => texts.get(&format!("veiviser.{}", rec.key())),
        None => String::new(),
    };
    let Some(rec) = &recommendation else {
        return Ok(GuideResult {
            answers,
            errors,
            recommendation,
            meaning,
            checklist_links: Vec::new(),
            shortlist: Vec::new(),
            list_href: "/ressurser".into(),
        });
    };
    let published: HashMap<&str, usize> = index
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    let mut checklist_links = Vec::new();
    for slug in rec.checklist.iter().filter_map(|i| i.resource.as_deref()) {
        if let Some(&doc) = published.get(slug) {
            if !checklist_links.iter().any(|r: &ResourceRef| r.slug == slug) {
                checklist_links.push(ResourceRef {
                    slug: slug.to_string(),
                    title: index.docs[doc].title.clone(),
                });
            }
        }
    }
    let level = answers.get("nivaa").unwrap_or_default();
    let method = answers.get("plan").and_then(guide::method_for);
    let mut attempts = Vec::new();
    if let Some(method) = method {
        attempts.push(filtered(&[
            ("grad", rec.key()),
            ("nivaa", level),
            ("metode", method),
        ]));
    }
    attempts.push(filtered(&[("grad", rec.key()), ("nivaa", level)]));
    attempts.push(filtered(&[("grad", rec.key())]));
    let mut seen = HashSet::new();
    let mut shortlist: Vec<ResourceCard> = Vec::new();
    for query in &attempts {
        let (_, docs) = matching(pool, index, query, SHORTLIST).await?;
        for doc in docs {
            if shortlist.len() < SHORTLIST && seen.insert(doc) {
                shortlist.push(index.card(doc as usize));
            }
        }
    }
    Ok(GuideResult {
        list_href: filtered(&[("grad", rec.key()), ("nivaa", level)]).href("/ressurser"),
        answers,
        errors,
        recommendation,
        meaning,
        checklist_links,
        shortlist,
    })
}

/// Published guidance and law, grouped by type in taxonomy order, with what
/// replaces a guide that is being replaced.
pub async fn guidance(pool: &SqlitePool) -> Result<Vec<GuidanceGroup>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        key: String,
        label: String,
        slug: String,
        title: String,
        summary: String,
        next_slug: Option<String>,
        next_title: Option<String>,
        checked: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT fv.key, fv.label, r.slug, r.title, r.summary, rb.slug AS next_slug,
                rb.title AS next_title, r.last_reviewed AS checked
           FROM resource r
           JOIN resource_facet rf ON rf.resource_id = r.id
           JOIN facet_value fv ON fv.id = rf.facet_value_id AND fv.facet_key = 'type'
           LEFT JOIN resource rb ON rb.id = r.replaced_by_id AND rb.status = 'published'
          WHERE r.status = 'published' AND fv.key IN ('veileder', 'lov')
          ORDER BY fv.position",
    )
    .fetch_all(pool)
    .await?;
    let mut groups: Vec<GuidanceGroup> = Vec::new();
    for Row {
        key,
        label,
        slug,
        title,
        summary,
        next_slug,
        next_title,
        checked,
    } in rows
    {
        let replaced_by = next_slug
            .zip(next_title)
            .map(|(slug, title)| ResourceRef { slug, title });
        let item = GuidanceItem {
            slug,
            title,
            summary,
            replaced_by,
            checked,
        };
        match groups.iter_mut().find(|g| g.key == key) {
            Some(group) => group.items.push(item),
            None => groups.push(GuidanceGroup {
                key,
                label,
                items: vec![item],
            }),
        }
    }
    for group in &mut groups {
        group
            .items
            .sort_by_cached_key(|i| norwegian_sort_key(&i.title));
    }
    Ok(groups)
}

/// Resources an organisation's page lists at most (the rest: the catalogue).
const ORGANISATION_CARDS: usize = 30;

/// One organisation with its facts and the published resources it is behind.
pub async fn organisation(
    pool: &SqlitePool,
    index: &CatalogueIndex,
    slug: &str,
) -> Result<Option<OrganisationPage>, sqlx::Error> {
    let Some(super::organisation::OrganisationColumns {
        id,
        name,
        short_name,
        website,
        description,
        ..
    }) = super::organisation::columns(pool, slug).await?
    else {
        return Ok(None);
    };
    let values: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT f.key, f.label, fv.key, fv.label
           FROM organisation_facet ofc JOIN facet_value fv ON fv.id = ofc.facet_value_id JOIN facet f ON f.key = fv.facet_key
          WHERE ofc.organisation_id = ?1 ORDER BY f.position, fv.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let labels = |facet: &str| {
        values
            .iter()
            .filter(|v| v.0 == facet)
            .map(|v| v.3.clone())
            .collect::<Vec<_>>()
    };
    let facts = values
        .iter()
        .map(|(facet, facet_label, key, label)| {
            (
                facet_label.clone(),
                label.clone(),
                CatalogueQuery::default()
                    .with(facet, key)
                    .href("/brukerorganisasjoner"),
            )
        })
        .collect();
    let query = filtered(&[(crate::query::ORGANISATION_FACET, slug)]);
    let (total, docs) = matching(pool, index, &query, ORGANISATION_CARDS).await?;
    Ok(Some(OrganisationPage {
        entry: DirectoryEntry {
            slug: slug.to_string(),
            name,
            website,
            description,
            kind: labels("orgtype").into_iter().next(),
            region: labels("region").into_iter().next(),
            fields: labels("fagfelt"),
            resources: total,
        },
        short_name,
        facts,
        cards: docs.into_iter().map(|d| index.card(d as usize)).collect(),
        href: query.href("/ressurser"),
    }))
}

/// The organisation directory: OR within a facet, AND between facets, and a
/// count beside every option given the other facets' choices.
pub async fn directory(pool: &SqlitePool, raw: &str) -> Result<Directory, sqlx::Error> {
    let query = CatalogueQuery::parse(raw);
    let facets: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, label FROM facet WHERE applies_to IN ('organisation', 'both') ORDER BY position",
    )
    .fetch_all(pool)
    .await?;
    let values: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT facet_key, key, label FROM facet_value WHERE retired = 0 ORDER BY facet_key, position",
    )
    .fetch_all(pool)
    .await?;
    let orgs: Vec<(i64, String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.slug, o.name, o.website, o.description,
                (SELECT count(*) FROM resource_organisation ro JOIN resource r ON r.id = ro.resource_id
                  WHERE ro.organisation_id = o.id AND r.status = 'published')
           FROM organisation o",
    )
    .fetch_all(pool)
    .await?;
    let links: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT ofc.organisation_id, fv.facet_key, fv.key, fv.label
           FROM organisation_facet ofc JOIN facet_value fv ON fv.id = ofc.facet_value_id
          ORDER BY fv.position",
    )
    .fetch_all(pool)
    .await?;
    let mut has: HashMap<i64, Vec<(String, String, String)>> = HashMap::new();
    for (org, facet, key, label) in links {
        has.entry(org).or_default().push((facet, key, label));
    }
    let facet_keys: Vec<&str> = facets.iter().map(|(k, _)| k.as_str()).collect();
    let matches = |org: i64, except: Option<&str>| {
        facet_keys
            .iter()
            .filter(|f| Some(**f) != except)
            .all(|facet| {
                let selected = query.selected(facet);
                selected.is_empty()
                    || has.get(&org).is_some_and(|vs| {
                        vs.iter()
                            .any(|(f, k, _)| f == facet && selected.contains(k))
                    })
            })
    };
    let filters = facets
        .iter()
        .map(|(facet, label)| FacetFilter {
            key: facet.clone(),
            label: label.clone(),
            options: values
                .iter()
                .filter(|(f, _, _)| f == facet)
                .map(|(_, key, label)| FacetOption {
                    key: key.clone(),
                    label: label.clone(),
                    count: orgs
                        .iter()
                        .filter(|o| {
                            matches(o.0, Some(facet))
                                && has.get(&o.0).is_some_and(|vs| {
                                    vs.iter().any(|(f, k, _)| f == facet && k == key)
                                })
                        })
                        .count() as u32,
                    selected: query.is_selected(facet, key),
                    bits: None,
                })
                .collect(),
        })
        .collect();
    let label_of = |org: i64, facet: &str| -> Vec<String> {
        has.get(&org)
            .map(|vs| {
                vs.iter()
                    .filter(|(f, _, _)| f == facet)
                    .map(|(_, _, l)| l.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut entries: Vec<DirectoryEntry> = orgs
        .iter()
        .filter(|o| matches(o.0, None))
        .map(
            |(id, slug, name, website, description, resources)| DirectoryEntry {
                slug: slug.clone(),
                name: name.clone(),
                website: website.clone(),
                description: description.clone(),
                kind: label_of(*id, "orgtype").into_iter().next(),
                region: label_of(*id, "region").into_iter().next(),
                fields: label_of(*id, "fagfelt"),
                resources: *resources as u32,
            },
        )
        .collect();
    entries.sort_by_cached_key(|e| norwegian_sort_key(&e.name));
    Ok(Directory {
        total: entries.len() as u32,
        filters,
        entries,
    })
}

/// Published resources, most recently changed first; "new" when the latest
/// change is its creation (the same second, as the importer writes both).
pub async fn recent(pool: &SqlitePool, page: u32) -> Result<RecentPage, sqlx::Error> {
    let offset = (page.saturating_sub(1) as i64) * RECENT_PAGE as i64;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, created_at FROM resource WHERE status = 'published'
          ORDER BY updated_at DESC, id DESC LIMIT ?1 OFFSET ?2",
    )
    .bind(RECENT_PAGE as i64 + 1)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let has_more = rows.len() > RECENT_PAGE;
    let rows = &rows[..rows.len().min(RECENT_PAGE)];
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let cards = super::catalogue::cards_by_id(pool, &ids).await?;
    let items = cards
        .into_iter()
        .zip(rows.iter())
        .map(|(card, (_, created_at))| RecentItem {
            is_new: card.updated_at == *created_at,
            created_at: created_at.clone(),
            card,
        })
        .collect();
    Ok(RecentPage {
        items,
        page,
        has_more,
    })
}

/// Public pages that are not records: (path, change frequency hint).
pub const FIXED_PATHS: [&str; 10] = [
    "/",
    "/ressurser",
    "/inngang/kompetansesenter",
    "/inngang/tjenestene",
    "/veiviser",
    "/kart",
    "/nytt",
    "/tilbakemelding",
    "/innspill",
    "/statistikk",
];

/// Every public page for the sitemap: (path, last modified), fixed pages
/// first, then content pages, published resources and published rounds.
pub async fn sitemap(pool: &SqlitePool) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    let mut out: Vec<(String, Option<String>)> =
        FIXED_PATHS.iter().map(|p| (p.to_string(), None)).collect();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT '/' || slug, updated_at FROM page
         UNION ALL
         SELECT '/ressurser/' || slug, updated_at FROM resource WHERE status = 'published'
         UNION ALL
         SELECT '/innspill/' || slug, updated_at FROM consultation WHERE status = 'published'
         UNION ALL
         SELECT '/organisasjoner/' || slug, updated_at FROM organisation",
    )
    .fetch_all(pool)
    .await?;
    out.extend(rows.into_iter().map(|(path, at)| (path, Some(at))));
    Ok(out)
}
