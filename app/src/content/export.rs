//! Writing the database back out as content files, in the format `load_dir` reads.

use std::{collections::BTreeMap, fs, path::Path};

use serde::Serialize;
use sqlx::SqlitePool;

use crate::db::export;

use super::ContentError;
use crate::domain::content::{
    FacetDef, FacetValueDef, LinkDef, OneOrMany, OrganisationDef, ResourceFrontMatter,
};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub facets: usize,
    pub organisations: usize,
    pub resources: usize,
}

#[derive(Serialize)]
struct TaxonomyOut<'a> {
    facet: &'a [FacetDef],
}

#[derive(Serialize)]
struct OrganisationsOut<'a> {
    organisation: &'a [OrganisationDef],
}

fn write(path: &Path, text: &str) -> Result<(), ContentError> {
    fs::write(path, text).map_err(|source| ContentError::Io {
        file: path.into(),
        source,
    })
}

fn to_toml<T: Serialize>(path: &Path, value: &T) -> Result<String, ContentError> {
    toml::to_string_pretty(value).map_err(|e| ContentError::invalid(path, "toml", e.to_string()))
}

/// Exports every facet, organisation and resource (drafts included) to `dir`.
pub async fn export_dir(pool: &SqlitePool, dir: &Path) -> Result<ExportReport, ContentError> {
    let resources_dir = dir.join("resources");
    fs::create_dir_all(&resources_dir).map_err(|source| ContentError::Io {
        file: resources_dir.clone(),
        source,
    })?;

    let facet_rows = export::facets(pool).await?;
    let mut facets = Vec::with_capacity(facet_rows.len());
    let mut multiple: BTreeMap<String, bool> = BTreeMap::new();
    for export::FacetColumns {
        key,
        label,
        description,
        multiple: is_multiple,
        applies_to,
    } in facet_rows
    {
        let values = export::facet_values(pool, &key)
            .await?
            .into_iter()
            .map(|(key, label)| FacetValueDef { key, label })
            .collect();
        multiple.insert(key.clone(), is_multiple);
        facets.push(FacetDef {
            key,
            label,
            description,
            multiple: is_multiple,
            applies_to,
            values,
        });
    }
    let path = dir.join("taxonomy.toml");
    write(&path, &to_toml(&path, &TaxonomyOut { facet: &facets })?)?;

    let org_rows = export::organisations(pool).await?;
    let mut organisations = Vec::with_capacity(org_rows.len());
    for export::OrganisationColumns {
        id,
        slug,
        name,
        short_name,
        website,
        description,
    } in org_rows
    {
        let mut by_facet: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (facet, value) in export::organisation_facets(pool, id).await? {
            by_facet.entry(facet).or_default().push(value);
        }
        let facets = by_facet
            .into_iter()
            .map(|(facet, mut values)| {
                let value = if !multiple.get(&facet).copied().unwrap_or(true) && values.len() == 1 {
                    OneOrMany::One(values.remove(0))
                } else {
                    OneOrMany::Many(values)
                };
                (facet, value)
            })
            .collect();
        organisations.push(OrganisationDef {
            slug,
            name,
            short_name,
            website,
            description,
            facets,
        });
    }
    let path = dir.join("organisations.toml");
    write(
        &path,
        &to_toml(
            &path,
            &OrganisationsOut {
                organisation: &organisations,
            },
        )?,
    )?;

    let groups: Vec<Vec<String>> = crate::db::fts::load_synonyms(pool).await?;
    let path = dir.join("synonyms.toml");
    write(&path, &to_toml(&path, &super::SynonymsFile { groups })?)?;

    let resource_rows = export::resources(pool).await?;
    let count = resource_rows.len();
    for export::ResourceColumns {
        id,
        slug,
        title,
        summary,
        body,
        status,
        last_reviewed,
        replaced_by,
        reviewed_source_label: source_label,
        reviewed_source_url: source_url,
        started,
        ended,
    } in resource_rows
    {
        let organisations = export::resource_organisations(pool, id).await?;
        let related = export::resource_related(pool, id).await?;
        let mut facets: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (facet, value) in export::resource_facets(pool, id).await? {
            facets.entry(facet).or_default().push(value);
        }
        let links = export::resource_links(pool, id)
            .await?
            .into_iter()
            .map(|(label, url)| LinkDef { label, url })
            .collect();
        let front = ResourceFrontMatter {
            title,
            summary,
            status,
            last_reviewed,
            reviewed_source: source_label
                .zip(source_url)
                .map(|(label, url)| LinkDef { label, url }),
            organisations,
            related,
            replaced_by,
            started,
            ended,
            facets,
            links,
        };
        let path = resources_dir.join(format!("{slug}.md"));
        let text = format!(
            "+++\n{}+++\n\n{}\n",
            to_toml(&path, &front)?,
            body.trim_end()
        );
        write(&path, &text)?;
    }

    Ok(ExportReport {
        facets: facets.len(),
        organisations: organisations.len(),
        resources: count,
    })
}
