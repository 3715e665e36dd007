//! Article bodies are Markdown written by officers; readers get HTML without any raw HTML or
//! script-capable links, whatever the body contains.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // No scheme (relative link or fragment), or a colon only after a path separator.
        None => true,
        Some((scheme, _)) if scheme.contains(['/', '?', '#']) => true,
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto" | "tel"),
    }
}

/// Renders Markdown to HTML. Raw HTML in the source is shown as text; links and images with other
/// schemes than http(s), mailto and tel lose their target.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The text of a Markdown document without markup, for previews and page descriptions.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_common_markdown() {
        assert_eq!(to_html("**Luật** Biên phòng"), "<p><strong>Luật</strong> Biên phòng</p>\n");
        assert_eq!(to_html("- một\n- hai"), "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>\n");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("Xin chào <script>alert(1)</script>\n\n<div onclick=x>y</div>");
        assert!(!html.contains("<script") && !html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_lose_their_target() {
        let html = to_html("[a](javascript:alert(1)) [b](https://example.org) [c](/a/x) [d](JaVaScRiPt:x)");
        assert!(!html.to_ascii_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://example.org\"") && html.contains("href=\"/a/x\""), "{html}");
        let img = to_html("![x](data:image/svg+xml;base64,AAAA)");
        assert!(!img.contains("data:"), "{img}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(to_plain_text("# Tiêu đề\n\nMột **hai** `ba`\n- bốn"), "Tiêu đề Một hai ba bốn");
    }
}
