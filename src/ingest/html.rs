//! HTML posts (`.html`, `.htm`): the article, not the page. The page is parsed with `scraper`
//! (html5ever, a spec-compliant parser), the article element is found (the largest `<article>`,
//! else `<main>`, else `<body>`), and scripts, styles, navigation, headers, footers, forms, comment
//! sections and share widgets inside it are dropped. The title comes from the `<h1>`, else
//! `og:title`, else `<title>`; the url, author and date from `<link rel=canonical>` and the usual
//! `<meta>` tags.
//!
//! What is citable is the extracted text, not the markup: an HTML document's `source` is that text
//! (each heading on its own line, paragraphs separated by blank lines), so `start`/`end` of an HTML
//! citation are byte offsets into the extracted text, not into the `.html` file.

use scraper::{ElementRef, Html, Node, Selector};

use super::{is_boilerplate, Meta, Parsed};

/// Elements that are never part of the article's text.
const DROPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "textarea", "input", "label", "dialog", "menu", "object",
    "canvas", "video", "audio", "map",
];

/// Words in a class or id that mark page furniture (comment sections, share widgets, related
/// posts, navigation); matched against the dash- or underscore-separated parts of each name.
const FURNITURE_NAMES: &[&str] = &[
    "comment",
    "comments",
    "respond",
    "reply",
    "share",
    "sharing",
    "sharedaddy",
    "social",
    "related",
    "nav",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "widget",
    "subscribe",
    "newsletter",
    "footer",
    "header",
    "menu",
    "advert",
    "ads",
    "ad",
    "promo",
    "cookie",
    "popup",
    "author-bio",
    "byline",
    "meta",
    "tags",
    "pagination",
];

/// Elements whose text is a paragraph of its own.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "figcaption",
    "figure",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "address",
    "details",
    "summary",
    "hr",
];

/// One block of article text: a heading (with its level) or a paragraph.
#[derive(Debug)]
enum Block {
    Heading(u8, String),
    Paragraph(String),
}

/// Extracts the article of an HTML page: the text that becomes the document's `source`, and its
/// metadata and paragraphs (byte ranges into that text).
pub(super) fn parse(page: &str) -> (String, Parsed) {
    let html = Html::parse_document(page);
    let article = article_root(&html);
    let mut blocks = Vec::new();
    let mut open = String::new();
    collect(article, &mut blocks, &mut open);
    flush(&mut blocks, &mut open);

    let mut meta = metadata(&html);
    // The article's own <h1> (often inside its dropped <header>), else the page's.
    let h1 = text_of(article, "h1").or_else(|| first_text(&html, "h1"));
    meta.title = h1
        .or_else(|| meta_content(&html, "meta[property='og:title']"))
        .or_else(|| first_text(&html, "title"));

    let mut text = String::new();
    let mut paragraphs = Vec::new();
    let mut section: Option<String> = None;
    for block in blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        match block {
            Block::Heading(level, heading) => {
                text.push_str(&heading);
                // The title is not a section: only the headings under it are.
                if level > 1 || meta.title.as_deref() != Some(heading.as_str()) {
                    section = Some(heading);
                }
            }
            Block::Paragraph(paragraph) => {
                let start = text.len();
                text.push_str(&paragraph);
                paragraphs.push((section.clone(), start..text.len()));
            }
        }
    }
    text.push('\n');
    (text, Parsed { meta, paragraphs })
}

/// The element holding the article: the `<article>` with the most text (pages list comments or
/// teasers in `<article>`s too), else `<main>` or `role=main`, else the body.
fn article_root(html: &Html) -> ElementRef<'_> {
    let articles = selector("article");
    let longest = html
        .select(&articles)
        .filter(|a| !is_furniture(a))
        .max_by_key(|a| a.text().map(str::len).sum::<usize>());
    longest
        .or_else(|| html.select(&selector("main, [role=main]")).next())
        .or_else(|| html.select(&selector("body")).next())
        .unwrap_or_else(|| html.root_element())
}

/// Walks `element`'s children, adding their text to `open` and closing a block at each block
/// element and heading.
fn collect(element: ElementRef, blocks: &mut Vec<Block>, open: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => push_text(open, text),
            Node::Element(_) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                let name = child.value().name();
                if DROPPED_ELEMENTS.contains(&name) || is_furniture(&child) {
                    continue;
                }
                if let Some(level) = heading_level(name) {
                    flush(blocks, open);
                    let mut heading = String::new();
                    for piece in child.text() {
                        push_text(&mut heading, piece);
                    }
                    let heading = heading.trim();
                    if !heading.is_empty() && !is_boilerplate(heading) {
                        blocks.push(Block::Heading(level, heading.to_string()));
                    }
                } else if name == "br" {
                    push_text(open, " ");
                } else if BLOCK_ELEMENTS.contains(&name) {
                    flush(blocks, open);
                    collect(child, blocks, open);
                    flush(blocks, open);
                } else {
                    collect(child, blocks, open);
                }
            }
            _ => {}
        }
    }
}

/// Appends text with runs of white space collapsed to one space, as a browser shows it.
fn push_text(open: &mut String, text: &str) {
    for (i, piece) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !open.is_empty() && !open.ends_with(' ') {
            open.push(' ');
        }
        open.push_str(piece);
    }
}

/// Ends the open paragraph, unless it is empty or page furniture ("Leave a reply").
fn flush(blocks: &mut Vec<Block>, open: &mut String) {
    let paragraph = open.trim();
    if !paragraph.is_empty() && !is_boilerplate(paragraph) {
        blocks.push(Block::Paragraph(paragraph.to_string()));
    }
    open.clear();
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Whether an element is hidden or, by its class, id or role, a comment section, share widget,
/// navigation or the like.
fn is_furniture(element: &ElementRef) -> bool {
    let e = element.value();
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || matches!(
            e.attr("role"),
            Some("navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog")
        )
    {
        return true;
    }
    let names = e.classes().chain(e.id());
    names.into_iter().any(|name| {
        let lower = name.to_ascii_lowercase();
        FURNITURE_NAMES.contains(&lower.as_str())
            || lower
                .split(['-', '_'])
                .any(|part| FURNITURE_NAMES.contains(&part))
    })
}

/// The url, author and date from `<link rel=canonical>` and `<meta>` tags.
fn metadata(html: &Html) -> Meta {
    let url = html
        .select(&selector("link[rel~=canonical][href]"))
        .filter_map(|l| l.value().attr("href"))
        .map(|h| h.trim().to_string())
        .find(|h| !h.is_empty())
        .or_else(|| meta_content(html, "meta[property='og:url']"));
    let author = meta_content(html, "meta[name=author]")
        .or_else(|| meta_content(html, "meta[property='article:author']"))
        .or_else(|| first_text(html, "[rel=author]"));
    let date = meta_content(html, "meta[property='article:published_time']")
        .or_else(|| meta_content(html, "meta[name=date]"))
        .or_else(|| meta_content(html, "meta[itemprop=datePublished]"))
        .or_else(|| {
            html.select(&selector("time[datetime]"))
                .filter_map(|t| t.value().attr("datetime"))
                .map(str::to_string)
                .next()
        });
    Meta {
        title: None,
        url,
        author,
        date,
    }
}

/// The `content` of the first element matching `css` that has a non-empty one.
fn meta_content(html: &Html, css: &str) -> Option<String> {
    html.select(&selector(css))
        .filter_map(|m| m.value().attr("content"))
        .map(|c| c.trim().to_string())
        .find(|c| !c.is_empty())
}

/// The white-space-collapsed text of the first element of the page matching `css` that has any.
fn first_text(html: &Html, css: &str) -> Option<String> {
    text_of(html.root_element(), css)
}

/// The white-space-collapsed text of the first element under `root` matching `css` that has any.
fn text_of(root: ElementRef, css: &str) -> Option<String> {
    root.select(&selector(css)).find_map(|e| {
        let mut text = String::new();
        for piece in e.text() {
            push_text(&mut text, piece);
        }
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    })
}

/// Parses one of this module's fixed selectors.
fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css:?} is valid CSS: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph_texts(text: &str, parsed: &Parsed) -> Vec<String> {
        parsed
            .paragraphs
            .iter()
            .map(|(_, r)| text[r.clone()].to_string())
            .collect()
    }

    const PAGE: &str = r#"<!doctype html>
<html><head>
<title>Bridges of Elmford | The Elmford Walker</title>
<link rel="canonical" href="https://walker.example/bridges">
<meta name="author" content="Ann Li">
<meta property="article:published_time" content="2024-05-01">
<style>p { color: red }</style>
<script>var tracking = "Leave this script out";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<article>
  <h1>Bridges of  Elmford</h1>
  <p>The town has <b>seven</b> bridges over
  the river.</p>
  <div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a></div>
  <h2>The Old Bridge</h2>
  <p>It was built in 1820 &amp; still carries carts.</p>
  <ul><li>Stone arches.</li><li>Iron rails.</li></ul>
</article>
<div id="comments"><h3>Leave a Reply</h3><p>Your email address will not be published.</p></div>
<footer>© 2024 The Elmford Walker</footer>
</body></html>"#;

    #[test]
    fn keeps_the_article_and_drops_the_page() {
        let (text, parsed) = parse(PAGE);
        let paragraphs = paragraph_texts(&text, &parsed);
        assert_eq!(
            paragraphs,
            [
                "The town has seven bridges over the river.",
                "It was built in 1820 & still carries carts.",
                "Stone arches.",
                "Iron rails."
            ]
        );
        for furniture in ["Home", "Share", "Leave", "email", "©", "tracking", "color"] {
            assert!(!text.contains(furniture), "{furniture} in {text:?}");
        }
    }

    #[test]
    fn headings_become_sections_and_the_h1_the_title() {
        let (text, parsed) = parse(PAGE);
        assert_eq!(parsed.meta.title.as_deref(), Some("Bridges of Elmford"));
        assert_eq!(parsed.paragraphs[0].0, None);
        assert_eq!(parsed.paragraphs[1].0.as_deref(), Some("The Old Bridge"));
        assert!(
            text.starts_with("Bridges of Elmford\n\nThe town has"),
            "{text:?}"
        );
    }

    #[test]
    fn metadata_from_link_and_meta_tags() {
        let (_, parsed) = parse(PAGE);
        assert_eq!(
            parsed.meta.url.as_deref(),
            Some("https://walker.example/bridges")
        );
        assert_eq!(parsed.meta.author.as_deref(), Some("Ann Li"));
        assert_eq!(parsed.meta.date.as_deref(), Some("2024-05-01"));
    }

    #[test]
    fn title_element_when_there_is_no_h1() {
        let (text, parsed) =
            parse("<html><head><title>Notes</title></head><body><p>Just text.</p></body></html>");
        assert_eq!(parsed.meta.title.as_deref(), Some("Notes"));
        assert_eq!(paragraph_texts(&text, &parsed), ["Just text."]);
    }

    #[test]
    fn chinese_comment_forms_are_dropped() {
        let page =
            "<body><article><p>桥建于1820年。</p><h3>发表回复</h3><p>发表评论</p></article></body>";
        let (text, parsed) = parse(page);
        assert_eq!(paragraph_texts(&text, &parsed), ["桥建于1820年。"]);
        assert!(!text.contains("发表"));
    }
}
