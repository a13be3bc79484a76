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
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
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
    use std::hash::{BuildHasher, Hash, Hasher};
    static KEPT: std::sync::OnceLock<std::sync::Mutex<Kept>> = std::sync::OnceLock::new();
    static SEED: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    let mut hasher = SEED.get_or_init(Default::default).build_hasher();
    markdown.hash(&mut hasher);
    let key = hasher.finish();
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
}
