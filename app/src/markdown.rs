//! Markdown to safe HTML. Every body shown on the site goes through here.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown and sanitises the result with ammonia, so neither raw HTML
/// in the source nor crafted links (`javascript:`) survive. External links get
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

#[cfg(test)]
mod tests {
    use super::render;

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
