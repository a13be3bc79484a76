//! Markdown to safe HTML. Every body shown on the site goes through here.

use pulldown_cmark::{html, Options, Parser};

/// The words a reader sees in `markdown`: text and code, without link
/// targets, image sources or markup. This is what search indexes, so an
/// address like `/ressurser/nasjonal-parorendeveileder` in a link is not a
/// word of the text.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::Event;
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Text(text) | Event::Code(text) => {
                out.push_str(&text);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Renders Markdown and sanitises the result with ammonia, so neither raw HTML
/// in the source nor crafted links (`javascript:`) survive. External links get
/// `rel="noopener noreferrer"`.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = site_images(Parser::new_ext(markdown, options));
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser.into_iter());
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("img", &["srcset", "sizes", "loading", "decoding"])
        // `srcset` holds addresses ammonia does not check: only the site's
        // own files may stand there.
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "srcset" && !own_srcset(value) {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(&unsafe_html)
        .to_string()
}

/// Bytes of sources and their HTML [`render_kept`] holds at most.
const KEPT_MAX_BYTES: usize = 16 << 20;

#[derive(Default)]
struct Kept {
    /// Hash of the source → (source, sanitised HTML).
    entries: std::collections::HashMap<u64, (Box<str>, std::sync::Arc<str>)>,
    bytes: usize,
}

/// [`render`], kept per source text: a public page's body is sanitised once
/// per version, not on every view (ammonia parses the HTML again; on a
/// resource page it cost more than the rest of the data). Keyed by the text
/// itself, so a saved change is a new entry and never needs clearing; the
/// entries are bounded in bytes (all dropped when full).
pub fn render_kept(markdown: &str) -> std::sync::Arc<str> {
    use std::hash::BuildHasher;
    static KEPT: std::sync::OnceLock<std::sync::Mutex<Kept>> = std::sync::OnceLock::new();
    static SEED: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    let key = SEED.get_or_init(Default::default).hash_one(markdown);
    let kept = KEPT.get_or_init(Default::default);
    let lock = || kept.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((source, html)) = lock().entries.get(&key) {
        if **source == *markdown {
            return html.clone();
        }
    }
    let html: std::sync::Arc<str> = render(markdown).into();
    let size = markdown.len() + html.len() + 64;
    let mut kept = lock();
    if kept.bytes + size > KEPT_MAX_BYTES {
        kept.entries.clear();
        kept.bytes = 0;
    }
    if let Some((old, old_html)) = kept.entries.insert(key, (markdown.into(), html.clone())) {
        kept.bytes -= old.len() + old_html.len() + 64;
    }
    kept.bytes += size;
    html
}

/// Whether every candidate in a `srcset` is one of the site's files.
fn own_srcset(value: &str) -> bool {
    value
        .split(',')
        .all(|candidate| candidate.trim().starts_with(crate::domain::media::PREFIX))
}

/// The events with each of the site's own images (`/filer/<hash>-<w>x<h>.jpg`,
/// as the media page gives it) as a responsive `<img>`: every stored width in
/// `srcset`, the column's width in `sizes`, `width` and `height` so nothing
/// shifts while it loads, and `loading=lazy`. Other images stay as they were.
fn site_images<'a>(
    events: impl Iterator<Item = pulldown_cmark::Event<'a>>,
) -> Vec<pulldown_cmark::Event<'a>> {
    use crate::domain::media::{SiteImage, SIZES};
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = Vec::new();
    // The site image being read, its alt text so far, and how deep in
    // images nested in its alt text the parser is.
    let mut open: Option<(SiteImage, String, usize)> = None;
    for event in events {
        match (&mut open, event) {
            (
                None,
                Event::Start(Tag::Image {
                    dest_url,
                    title,
                    link_type,
                    id,
                }),
            ) => match SiteImage::parse(&dest_url) {
                Some(image) => open = Some((image, String::new(), 0)),
                None => out.push(Event::Start(Tag::Image {
                    dest_url,
                    title,
                    link_type,
                    id,
                })),
            },
            (Some((_, _, depth)), Event::Start(Tag::Image { .. })) => *depth += 1,
            (Some((_, _, depth)), Event::End(TagEnd::Image)) if *depth > 0 => *depth -= 1,
            (Some((_, alt, _)), Event::Text(text) | Event::Code(text)) => alt.push_str(&text),
            (Some(_), Event::End(TagEnd::Image)) => {
                let Some((image, alt, _)) = open.take() else {
                    continue;
                };
                out.push(Event::InlineHtml(
                    format!(
                        r#"<img src="{}" srcset="{}" sizes="{SIZES}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">"#,
                        image.src(),
                        image.srcset(),
                        image.width,
                        image.height,
                        escape(&alt)
                    )
                    .into(),
                ));
            }
            (Some(_), _) => {}
            (None, event) => out.push(event),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn a_kept_body_is_the_same_html_and_a_changed_text_is_rendered_again() {
        let first = super::render_kept("## Om\n\n[a](javascript:x)");
        assert_eq!(*first, render("## Om\n\n[a](javascript:x)"));
        assert!(std::sync::Arc::ptr_eq(
            &first,
            &super::render_kept("## Om\n\n[a](javascript:x)")
        ));
        assert!(super::render_kept("## Om igjen").contains("Om igjen"));
    }

    #[test]
    fn renders_headings_lists_and_links() {
        let html = render("## Slik gjør du\n\n- én\n- to\n\n[Lovdata](https://lovdata.no/)");
        assert!(html.contains("<h2>Slik gjør du</h2>"), "{html}");
        assert!(html.contains("<li>én</li>"), "{html}");
        assert!(html.contains(r#"href="https://lovdata.no/""#), "{html}");
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_urls() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[klikk](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn a_site_image_is_responsive_and_others_stay_plain() {
        let html = render("![Et møte i brukerrådet](/filer/0123456789abcdef-1600x1200.jpg)");
        assert!(
            html.contains(r#"srcset="/filer/0123456789abcdef-480.jpg 480w, /filer/0123456789abcdef-960.jpg 960w, /filer/0123456789abcdef-1600.jpg 1600w""#),
            "{html}"
        );
        assert!(
            html.contains(r#"width="1600""#) && html.contains(r#"height="1200""#),
            "{html}"
        );
        assert!(
            html.contains(r#"alt="Et møte i brukerrådet""#) && html.contains(r#"loading="lazy""#),
            "{html}"
        );
        let html = render("![x](https://example.org/a.jpg)");
        assert!(!html.contains("srcset"), "{html}");
        let html = render(r#"<img src="/filer/a.jpg" srcset="https://evil.example/x.jpg 1w">"#);
        assert!(!html.contains("evil"), "{html}");
        let html = render(
            "![a ![b](/filer/0123456789abcdef-10x10.jpg) c](/filer/0123456789abcdef-20x10.jpg) d",
        );
        assert!(
            html.contains(r#"alt="a b c""#) && html.contains(" d"),
            "{html}"
        );
    }
}
