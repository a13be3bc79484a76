//! Reading content files into typed records, and checking them.

use std::{
    collections::{HashMap, HashSet},
    fs,
    path::{Path, PathBuf},
};

use serde::Deserialize;

use super::ContentError;
use crate::domain::{
    content::{
        ContentSet, FacetDef, OrganisationDef, ResourceDef, ResourceFrontMatter, SynonymsFile,
    },
    is_valid_slug,
    resource::ResourceStatus,
    synonyms::check_synonym_group,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    facet: Vec<FacetDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    #[serde(default)]
    organisation: Vec<OrganisationDef>,
}

fn read(path: &Path) -> Result<String, ContentError> {
    fs::read_to_string(path).map_err(|source| ContentError::Io {
        file: path.into(),
        source,
    })
}

/// Turns a TOML error into one naming the file and, where toml knows it, the key.
pub(crate) fn toml_error(path: &Path, err: toml::de::Error) -> ContentError {
    // Some errors have an empty `message()` (a control character in a
    // comment); the full text then still says what and where.
    let message = match err.message().trim() {
        "" => err.to_string().trim().replace('\n', " "),
        m => m.to_string(),
    };
    // toml reports a missing field as "missing field `x`"; name it as the field.
    let is_resource = path.extension().is_some_and(|e| e == "md");
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field"))
        .unwrap_or(if is_resource { "front matter" } else { "TOML" })
        .to_string();
    ContentError::invalid(path, field, message)
}

/// Splits `+++\n<toml>\n+++\n<body>` into its two parts.
pub fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
) -> Result<(&'a str, &'a str), ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(|| {
            ContentError::invalid(path, "front matter", "filen må begynne med en linje +++")
        })?;
    let end = rest.find("\n+++").ok_or_else(|| {
        ContentError::invalid(path, "front matter", "mangler avsluttende linje +++")
    })?;
    let front = &rest[..end + 1];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    Ok((front, body))
}

/// Reads and checks a content folder. Nothing is written anywhere.
pub fn load_dir(dir: &Path) -> Result<ContentSet, ContentError> {
    let taxonomy_path = dir.join("taxonomy.toml");
    let taxonomy: TaxonomyFile =
        toml::from_str(&read(&taxonomy_path)?).map_err(|e| toml_error(&taxonomy_path, e))?;

    let orgs_path = dir.join("organisations.toml");
    let organisations: OrganisationsFile =
        toml::from_str(&read(&orgs_path)?).map_err(|e| toml_error(&orgs_path, e))?;

    let resources_dir = dir.join("resources");
    let mut paths: Vec<PathBuf> = fs::read_dir(&resources_dir)
        .map_err(|source| ContentError::Io {
            file: resources_dir.clone(),
            source,
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();

    let mut resources = Vec::with_capacity(paths.len());
    for path in paths {
        let text = read(&path)?;
        let (front, body) = split_front_matter(&path, &text)?;
        let front: ResourceFrontMatter = toml::from_str(front).map_err(|e| toml_error(&path, e))?;
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        resources.push(ResourceDef {
            slug,
            file: path,
            front,
            body: body.trim().to_string(),
        });
    }

    let synonyms_path = dir.join("synonyms.toml");
    let synonyms: SynonymsFile = if synonyms_path.exists() {
        toml::from_str(&read(&synonyms_path)?).map_err(|e| toml_error(&synonyms_path, e))?
    } else {
        SynonymsFile::default()
    };
    for (i, group) in synonyms.groups.iter().enumerate() {
        if let Err(message) = check_synonym_group(group) {
            return Err(ContentError::invalid(
                &synonyms_path,
                format!("groups[{i}]"),
                message,
            ));
        }
    }

    let set = ContentSet {
        facets: taxonomy.facet,
        organisations: organisations.organisation,
        resources,
        synonyms: synonyms.groups,
    };
    check(&set, &taxonomy_path, &orgs_path)?;
    Ok(set)
}

/// Query parameters the catalogue uses for itself; a facet cannot be named so.
const RESERVED_PARAMS: [&str; 4] = ["q", "sort", "side", "format"];

fn is_http_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(char::is_whitespace)
}

fn is_iso_date(s: &str) -> bool {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}

/// Checks everything that TOML's types alone cannot: keys, slugs, references,
/// dates, URLs and the facet rules.
fn check(set: &ContentSet, taxonomy_path: &Path, orgs_path: &Path) -> Result<(), ContentError> {
    // facet key → (applies_to, multiple, value keys)
    let mut facets: HashMap<&str, (&str, bool, HashSet<&str>)> = HashMap::new();
    for (i, facet) in set.facets.iter().enumerate() {
        let field = format!("facet[{i}]");
        if !is_valid_slug(&facet.key)
            || facet.key.len() > 40
            || RESERVED_PARAMS.contains(&facet.key.as_str())
        {
            return Err(ContentError::invalid(
                taxonomy_path,
                format!("{field}.key"),
                format!("ugyldig nøkkel {:?}", facet.key),
            ));
        }
        if !["resource", "organisation", "both"].contains(&facet.applies_to.as_str()) {
            return Err(ContentError::invalid(
                taxonomy_path,
                format!("{field}.applies_to"),
                "må være resource, organisation eller both",
            ));
        }
        let mut values = HashSet::new();
        for (j, value) in facet.values.iter().enumerate() {
            if !is_valid_slug(&value.key) || !values.insert(value.key.as_str()) {
                return Err(ContentError::invalid(
                    taxonomy_path,
                    format!("{field}.values[{j}].key"),
                    format!("ugyldig eller dobbel nøkkel {:?}", value.key),
                ));
            }
            if value.label.trim().is_empty() {
                return Err(ContentError::invalid(
                    taxonomy_path,
                    format!("{field}.values[{j}].label"),
                    "mangler tekst",
                ));
            }
        }
        if facets
            .insert(&facet.key, (&facet.applies_to, facet.multiple, values))
            .is_some()
        {
            return Err(ContentError::invalid(
                taxonomy_path,
                format!("{field}.key"),
                format!("fasetten {:?} er definert to ganger", facet.key),
            ));
        }
    }

    let check_facets =
        |file: &Path, kind: &str, given: &[(String, Vec<String>)]| -> Result<(), ContentError> {
            for (facet_key, values) in given {
                let field = format!("facets.{facet_key}");
                let Some((applies_to, multiple, known)) = facets.get(facet_key.as_str()) else {
                    return Err(ContentError::invalid(file, field, "ukjent fasett"));
                };
                if *applies_to != "both" && *applies_to != kind {
                    return Err(ContentError::invalid(
                        file,
                        field,
                        format!("fasetten gjelder ikke for {kind}"),
                    ));
                }
                if !multiple && values.len() > 1 {
                    return Err(ContentError::invalid(file, field, "tar bare én verdi"));
                }
                for value in values {
                    if !known.contains(value.as_str()) {
                        return Err(ContentError::invalid(
                            file,
                            field,
                            format!("ukjent verdi {value:?}"),
                        ));
                    }
                }
            }
            Ok(())
        };

    let mut org_slugs = HashSet::new();
    for (i, org) in set.organisations.iter().enumerate() {
        let field = |f: &str| format!("organisation[{i}].{f}");
        if !is_valid_slug(&org.slug) || !org_slugs.insert(org.slug.as_str()) {
            return Err(ContentError::invalid(
                orgs_path,
                field("slug"),
                format!("ugyldig eller dobbel slug {:?}", org.slug),
            ));
        }
        if org.name.trim().is_empty() {
            return Err(ContentError::invalid(
                orgs_path,
                field("name"),
                "mangler navn",
            ));
        }
        if let Some(url) = &org.website {
            if !is_http_url(url) {
                return Err(ContentError::invalid(
                    orgs_path,
                    field("website"),
                    format!("ugyldig nettadresse {url:?}"),
                ));
            }
        }
        let given: Vec<(String, Vec<String>)> = org
            .facets
            .iter()
            .map(|(k, v)| (k.clone(), v.values()))
            .collect();
        check_facets(orgs_path, "organisation", &given).map_err(|e| match e {
            ContentError::Invalid {
                file,
                field: f,
                message,
            } => ContentError::Invalid {
                file,
                field: format!("organisation[{i}].{}", f.trim_start_matches("facets.")),
                message,
            },
            other => other,
        })?;
    }

    let resource_slugs: HashSet<&str> = set.resources.iter().map(|r| r.slug.as_str()).collect();
    for r in &set.resources {
        let file = r.file.as_path();
        let f = &r.front;
        if !is_valid_slug(&r.slug) {
            return Err(ContentError::invalid(
                file,
                "slug",
                "filnavnet må være en gyldig slug (a–z, 0–9 og bindestrek)",
            ));
        }
        if f.title.trim().is_empty() || f.title.chars().count() > 200 {
            return Err(ContentError::invalid(file, "title", "må ha 1–200 tegn"));
        }
        if f.summary.trim().is_empty() || f.summary.chars().count() > 500 {
            return Err(ContentError::invalid(file, "summary", "må ha 1–500 tegn"));
        }
        if ResourceStatus::parse(&f.status).is_none() {
            return Err(ContentError::invalid(
                file,
                "status",
                "må være published eller draft",
            ));
        }
        if let Some(date) = &f.last_reviewed {
            if !is_iso_date(date) {
                return Err(ContentError::invalid(
                    file,
                    "last_reviewed",
                    format!("ugyldig dato {date:?} (bruk ÅÅÅÅ-MM-DD)"),
                ));
            }
        }
        for (name, year) in [("started", f.started), ("ended", f.ended)] {
            if year.is_some_and(|y| {
                !(crate::domain::resource::YEAR_MIN..=crate::domain::resource::YEAR_MAX)
                    .contains(&y)
            }) {
                return Err(ContentError::invalid(
                    file,
                    name,
                    "må være et årstall med fire sifre",
                ));
            }
        }
        if let (Some(started), Some(ended)) = (f.started, f.ended) {
            if ended < started {
                return Err(ContentError::invalid(
                    file,
                    "ended",
                    "kan ikke være før started",
                ));
            }
        }
        match (&f.last_reviewed, &f.reviewed_source) {
            (Some(_), None) => {
                return Err(ContentError::invalid(
                    file,
                    "reviewed_source",
                    "en kontrolldato trenger kilden teksten ble kontrollert mot (reviewed_source = { label, url })",
                ))
            }
            (None, Some(_)) => {
                return Err(ContentError::invalid(file, "last_reviewed", "en kilde for kontroll trenger datoen den ble brukt"))
            }
            (Some(_), Some(source)) => {
                if source.label.trim().is_empty() || !is_http_url(&source.url) {
                    return Err(ContentError::invalid(
                        file,
                        "reviewed_source",
                        "kilden trenger en tekst og en hel nettadresse",
                    ));
                }
            }
            (None, None) => {}
        }
        if f.facets.get("type").map_or(0, Vec::len) != 1 {
            return Err(ContentError::invalid(
                file,
                "facets.type",
                "må ha nøyaktig én verdi",
            ));
        }
        let given: Vec<(String, Vec<String>)> = f
            .facets
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        check_facets(file, "resource", &given)?;
        for org in &f.organisations {
            if !org_slugs.contains(org.as_str()) {
                return Err(ContentError::invalid(
                    file,
                    "organisations",
                    format!("ukjent organisasjon {org:?}"),
                ));
            }
        }
        for rel in f.related.iter().chain(f.replaced_by.iter()) {
            if !resource_slugs.contains(rel.as_str()) || rel == &r.slug {
                let field = if f.replaced_by.as_ref() == Some(rel) {
                    "replaced_by"
                } else {
                    "related"
                };
                return Err(ContentError::invalid(
                    file,
                    field,
                    format!("ukjent ressurs {rel:?}"),
                ));
            }
        }
        for (i, link) in f.links.iter().enumerate() {
            if link.label.trim().is_empty() {
                return Err(ContentError::invalid(
                    file,
                    format!("links[{i}].label"),
                    "mangler tekst",
                ));
            }
            if !is_http_url(&link.url) {
                return Err(ContentError::invalid(
                    file,
                    format!("links[{i}].url"),
                    format!("ugyldig nettadresse {:?}", link.url),
                ));
            }
        }
    }
    Ok(())
}
