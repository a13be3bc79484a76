//! The catalogue as an Atom feed and as CSV, for any filtered view: the same
//! query parameters as the list page.

use app::{catalogue::browse, db::catalogue::ExportRow, query::CatalogueQuery, state::AppState};
use axum::{
    extract::{RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

/// Feed entries at most; a feed is for what is new, not an archive.
const FEED_ENTRIES: usize = 50;
/// CSV rows at most, so one request cannot ask for an unbounded export.
const CSV_ROWS: usize = 5_000;

/// Runs the view's query and returns its rows, newest first or in the view's order.
async fn rows(
    state: &AppState,
    raw: Option<String>,
    newest: bool,
    limit: usize,
) -> Result<(CatalogueQuery, Vec<ExportRow>), Response> {
    let mut query = CatalogueQuery::parse(raw.as_deref().unwrap_or(""));
    if newest {
        query.sort = app::query::Sort::Newest;
    }
    let fail = |err: sqlx::Error| {
        tracing::error!(error = %err, "feed query failed");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Noe gikk galt hos oss. Prøv igjen om litt.",
        )
            .into_response()
    };
    let index = state.catalogue.get(&state.pool).await.map_err(fail)?;
    let selection = browse::select(&state.pool, &index, &query)
        .await
        .map_err(fail)?;
    let ids: Vec<i64> = selection
        .ordered(&index)
        .into_iter()
        .take(limit)
        .map(|d| index.ids[d as usize])
        .collect();
    let rows = app::db::catalogue::export_rows(&state.pool, &ids)
        .await
        .map_err(fail)?;
    Ok((selection.query, rows))
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /ressurser.atom?…`
pub async fn atom(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let (query, rows) = match rows(&state, raw, true, FEED_ENTRIES).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let base = state.public_url.trim_end_matches('/');
    let list_url = format!(
        "{base}{}",
        CatalogueQuery {
            sort: Default::default(),
            ..query.clone()
        }
        .href("/ressurser")
    );
    let updated = rows
        .iter()
        .map(|r| r.updated_at.as_str())
        .max()
        .unwrap_or("2026-01-01T00:00:00Z");
    let mut out = String::with_capacity(4096 + rows.len() * 600);
    out.push_str(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    out.push_str("\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nb\">\n");
    out.push_str(&format!("  <title>Bli involvert: nye og oppdaterte ressurser</title>\n  <id>{}</id>\n  <updated>{}</updated>\n", xml(&list_url), xml(updated)));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&list_url)
    ));
    out.push_str("  <author><name>Bli involvert</name></author>\n");
    for row in &rows {
        let url = format!("{base}/ressurser/{}", row.slug);
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n",
            xml(&row.title), xml(&url), xml(&url), xml(&row.updated_at), xml(&row.summary)
        ));
        for (facet, values) in &row.facets {
            for value in values {
                out.push_str(&format!(
                    "    <category term=\"{}\" label=\"{}: {}\"/>\n",
                    xml(value),
                    xml(facet),
                    xml(value)
                ));
            }
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response()
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    let s = defuse_formula(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A CSV cell for the editors' exports (`;`-separated): always quoted.
pub fn csv_cell(s: &str) -> String {
    format!("\"{}\"", defuse_formula(s).replace('"', "\"\""))
}

/// Spreadsheets run a cell starting with = + - @ (or a tab or carriage
/// return before one) as a formula; a leading `'` makes it text.
fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `GET /ressurser.csv?…`
pub async fn csv(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let (_, rows) = match rows(&state, raw, false, CSV_ROWS).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let base = state.public_url.trim_end_matches('/');
    let facet_columns = [
        "Type ressurs",
        "Nivå",
        "Målgruppe",
        "Metode",
        "Grad av involvering",
        "Inngang",
        "Fagfelt",
    ];
    let mut out = String::from("\u{feff}");
    let mut header_row = vec!["Tittel", "Lenke", "Sammendrag"];
    header_row.extend(facet_columns);
    header_row.extend(["Organisasjoner", "Sist kontrollert", "Sist oppdatert"]);
    out.push_str(&header_row.join(","));
    out.push_str("\r\n");
    for row in &rows {
        let mut fields = vec![
            csv_field(&row.title),
            csv_field(&format!("{base}/ressurser/{}", row.slug)),
            csv_field(&row.summary),
        ];
        for column in facet_columns {
            let values = row
                .facets
                .iter()
                .find(|(label, _)| label == column)
                .map(|(_, v)| v.join("; "))
                .unwrap_or_default();
            fields.push(csv_field(&values));
        }
        fields.push(csv_field(&row.organisations.join("; ")));
        fields.push(csv_field(row.last_reviewed.as_deref().unwrap_or("")));
        fields.push(csv_field(&row.updated_at));
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ressurser.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}

/// `GET /sitemap.xml`: every public page, from the database.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let entries = match app::db::explore::sitemap(&state.pool).await {
        Ok(entries) => entries,
        Err(err) => {
            tracing::error!(error = %err, "sitemap query failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Noe gikk galt hos oss. Prøv igjen om litt.",
            )
                .into_response();
        }
    };
    let base = state.public_url.trim_end_matches('/');
    let mut out = String::with_capacity(200 + entries.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in entries {
        out.push_str(&format!(
            "  <url><loc>{}</loc>",
            xml(&format!("{base}{path}"))
        ));
        if let Some(at) = lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", xml(&at)));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        out,
    )
        .into_response()
}

/// `GET /robots.txt`: everything public may be indexed; the editors' pages,
/// sign-in, receipts and exports are not for search engines.
pub async fn robots(State(state): State<AppState>) -> Response {
    let base = state.public_url.trim_end_matches('/');
    let body = format!(
        "User-agent: *\nDisallow: /redaktor\nDisallow: /logg-inn\nDisallow: /tilbakemelding/kvittering/\nDisallow: /api/\nDisallow: /ressurser.csv\n\nSitemap: {base}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::{csv_field, xml};

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("enkel"), "enkel");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("si \"hei\""), "\"si \"\"hei\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            xml("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
