//! The Markdown renderer: whatever the input, the HTML is safe.

use super::*;

// ───────────────────────────── Markdown ─────────────────────────────

const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "![i\"onerror=\"alert(1)](x)",
    "[x](https://ok.no \"t\\\" onmouseover=\\\"alert(1)\")",
    "[x]: javascript:alert(1)\n\n[x]",
    "<iframe src=https://evil.example></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<a href=x onclick=alert(1)>x</a>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div onclick=alert(1)>x</div>",
    "<object data=x.swf></object>",
    "<embed src=x>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<style>body{background:red}</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:/\">",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<table><tr><td onmouseover=alert(1) background=javascript:alert(1)>x</td></tr></table>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<x onpointerenter=alert(1)>x</x>",
    "<a href=\"https://ok.no\" target=_blank>x</a>",
    "<body onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
];

const MARKDOWN: &[&str] = &[
    "# Tittel",
    "## Slik gjør du",
    "- punkt",
    "* punkt",
    "1. én",
    "> sitat",
    "**fet**",
    "_kursiv_",
    "~~stryk~~",
    "[Lovdata](https://lovdata.no/)",
    "[e-post](mailto:post@eksempel.no)",
    "![bilde](https://eksempel.no/a.png)",
    "<https://napha.no>",
    "    kode",
    "---",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[ref]: https://x.no",
    "[ref]",
    "\\",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "\u{0}",
    "<",
    ">",
    "&",
    "\"",
    "'",
    "[",
    "](",
    "<a",
    "<img",
    "*",
    "_",
    "`",
    "\t",
];

fn markdown_input() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        4 => select(XSS).prop_map(String::from),
        3 => select(MARKDOWN).prop_map(String::from),
        2 => text(),
        1 => chars_text(20),
    ];
    let sep = select(
        &[
            "", " ", "\n", "\n\n", "\r\n", "\t", "\n> ", "\n- ", "\n    ", "|",
        ][..],
    );
    prop_oneof![
        5 => vec((piece, sep), 0..12).prop_map(|v| v.into_iter().flat_map(|(p, s)| [p, s.to_string()]).collect::<String>()),
        1 => chars_text(300),
        1 => "\\PC{0,300}",
    ]
    .boxed()
}

/// Decodes what html5ever's serialiser escapes in attribute values, plus numeric references.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let ch = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// (tag name, attributes) of every start tag in sanitised HTML. Text `<` is
/// escaped by the serialiser, so every `<` starts a tag.
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        let mut j = start;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, c @ (b'"' | b'\'')) => quote = Some(c),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let inner = &html[start..j.min(b.len())];
        i = (j + 1).min(b.len());
        if inner.starts_with('/') || inner.starts_with('!') {
            continue;
        }
        let name_end = inner
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut rest = &inner[name_end..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            let n_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let attr = rest[..n_end].to_ascii_lowercase();
            rest = rest[n_end..].trim_start();
            let mut value = String::new();
            if let Some(r) = rest.strip_prefix('=') {
                let r = r.trim_start();
                if let Some(q @ ('"' | '\'')) = r.chars().next() {
                    let close = r[1..].find(q).map(|p| p + 1).unwrap_or(r.len());
                    value = r[1..close].to_string();
                    rest = &r[(close + 1).min(r.len())..];
                } else {
                    let v_end = r.find(|c: char| c.is_ascii_whitespace()).unwrap_or(r.len());
                    value = r[..v_end].to_string();
                    rest = &r[v_end..];
                }
            }
            attrs.push((attr, unescape(&value)));
        }
        tags.push((name, attrs));
    }
    tags
}

const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "template",
    "noscript",
    "video",
    "audio",
    "source",
    "body",
    "html",
    "head",
    "title",
    "xmp",
    "plaintext",
];
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "xlink:href",
    "data",
    "srcset",
    "longdesc",
];

fn check_safe_html(input: &str, html: &str) -> TestCaseResult {
    let lower = html.to_lowercase();
    for tag in FORBIDDEN_TAGS {
        prop_assert!(
            !lower.contains(&format!("<{tag}")),
            "<{tag} survived\ninput: {input:?}\noutput: {html}"
        );
    }
    for (tag, attrs) in start_tags(html) {
        prop_assert!(
            !FORBIDDEN_TAGS.contains(&tag.as_str()),
            "<{tag}> survived\ninput: {input:?}\noutput: {html}"
        );
        for (name, value) in &attrs {
            prop_assert!(
                !name.starts_with("on"),
                "event handler {name} on <{tag}>\ninput: {input:?}\noutput: {html}"
            );
            prop_assert!(
                !["style", "srcdoc", "formaction", "xmlns"].contains(&name.as_str()),
                "attribute {name} on <{tag}>\ninput: {input:?}\noutput: {html}"
            );
            if URL_ATTRS.contains(&name.as_str()) {
                // Browsers drop ASCII whitespace and controls inside a scheme.
                let url: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let scheme_end = url.find(':').filter(|i| {
                    let s = &url[..*i];
                    !s.is_empty()
                        && s.starts_with(|c: char| c.is_ascii_alphabetic())
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if let Some(end) = scheme_end {
                    let scheme = &url[..end];
                    prop_assert!(["http", "https", "mailto"].contains(&scheme), "{name}={value:?} with scheme {scheme} on <{tag}>\ninput: {input:?}\noutput: {html}");
                }
            }
        }
        if tag == "a" {
            let rel = attrs
                .iter()
                .find(|(n, _)| n == "rel")
                .map(|(_, v)| v.as_str());
            prop_assert_eq!(
                rel,
                Some("noopener noreferrer"),
                "link without rel\ninput: {:?}\noutput: {}",
                input,
                html
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Markdown mixed with script, handler, frame and URL payloads renders
    /// without panicking and nothing executable survives.
    #[test]
    fn markdown_render_is_always_safe(input in markdown_input()) {
        let html = markdown::render(&input);
        check_safe_html(&input, &html)?;
    }

    /// Rendering already sanitised output again is still safe (stored HTML
    /// is never trusted either).
    #[test]
    fn markdown_render_of_rendered_output_is_safe(input in markdown_input()) {
        let html = markdown::render(&input);
        let twice = markdown::render(&html);
        check_safe_html(&html, &twice)?;
    }
}

#[test]
fn the_html_checker_catches_what_it_looks_for() {
    // The checker itself must fail on unsafe HTML, or the properties above prove nothing.
    let bad = [
        "<script>x</script>",
        "<a href=\"java&#x09;script:alert(1)\" rel=\"noopener noreferrer\">x</a>",
        "<a href=\"JavaScript:x\" rel=\"noopener noreferrer\">x</a>",
        "<img src=\"x\" onerror=\"alert(1)\">",
        "<p style=\"x\">x</p>",
        "<a href=\"https://ok.no\">no rel</a>",
        "<IFRAME src=x>",
    ];
    for html in bad {
        assert!(check_safe_html("", html).is_err(), "checker missed {html}");
    }
    assert!(check_safe_html("", "<p title=\"a onerror=b\">javascript:x &lt;script&gt;</p><a href=\"/ressurser?x=1&amp;y=2\" rel=\"noopener noreferrer\">x</a>").is_ok());
}
