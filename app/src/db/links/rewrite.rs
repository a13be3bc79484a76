//! Replacing a moved address in Markdown: only where it is a link's
//! destination (review 3, N8), never in the text around it.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// `markdown` with `old` replaced by `new` where it is the destination of
/// a link: an inline link `[text](old "title")`, an autolink `<old>` or a
/// reference definition `[label]: old`. The same address in plain text, in
/// code or in a link's text or title stays as it is. A destination written
/// with escapes or entities (so not byte for byte `old`) is left alone.
pub fn replace_link_destination(markdown: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        return markdown.to_string();
    }
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser.by_ref() {
        let Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) = event
        else {
            continue;
        };
        if dest_url.as_ref() != old {
            continue;
        }
        let source = &markdown[range.clone()];
        let found = match link_type {
            LinkType::Inline => inline_destination(source, old),
            LinkType::Autolink => source
                .strip_prefix('<')
                .and_then(|s| s.strip_suffix('>'))
                .filter(|inner| *inner == old)
                .map(|_| 1..1 + old.len()),
            _ => None, // references: their definitions, below
        };
        if let Some(at) = found {
            spans.push(range.start + at.start..range.start + at.end);
        }
    }
    for (_, definition) in parser.reference_definitions().iter() {
        if definition.dest.as_ref() != old {
            continue;
        }
        let span = definition.span.clone();
        let source = &markdown[span.clone()];
        let Some(colon) = source.find("]:") else {
            continue;
        };
        let after = &source[colon + 2..];
        let skipped = after.len() - after.trim_start().len();
        let mut start = colon + 2 + skipped;
        if source[start..].starts_with('<') {
            start += 1;
        }
        if source[start..].starts_with(old) {
            spans.push(span.start + start..span.start + start + old.len());
        }
    }
    spans.sort_by_key(|r| r.start);
    spans.dedup();
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for span in spans {
        if span.start < at {
            continue;
        }
        out.push_str(&markdown[at..span.start]);
        out.push_str(new);
        at = span.end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// Where `old` stands as the destination in the source of an inline link:
/// the last `](` of the link (its text may not hold an unescaped `](`
/// that ends it), then optional whitespace and `<`.
fn inline_destination(source: &str, old: &str) -> Option<Range<usize>> {
    let open = source.rfind("](")? + 2;
    let after = &source[open..];
    let mut start = open + (after.len() - after.trim_start().len());
    if source[start..].starts_with('<') {
        start += 1;
    }
    source[start..]
        .starts_with(old)
        .then(|| start..start + old.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_link_destinations_change() {
        let old = "https://a.no/x";
        let new = "https://b.no/y";
        let text = "Se [A](https://a.no/x \"https://a.no/x\") og <https://a.no/x>.\n\
                    Tekst: https://a.no/x og `https://a.no/x`, [https://a.no/x](https://c.no/).\n\
                    Ikke [B](https://a.no/xy). [Ref][r]\n\n[r]: https://a.no/x\n";
        assert_eq!(
            replace_link_destination(text, old, new),
            "Se [A](https://b.no/y \"https://a.no/x\") og <https://b.no/y>.\n\
             Tekst: https://a.no/x og `https://a.no/x`, [https://a.no/x](https://c.no/).\n\
             Ikke [B](https://a.no/xy). [Ref][r]\n\n[r]: https://b.no/y\n"
        );
        assert_eq!(replace_link_destination("uendret", "", "x"), "uendret");
    }
}
