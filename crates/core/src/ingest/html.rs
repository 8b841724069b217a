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
//!
//! One hostile page must not stall or crash indexing: elements nested deeper than
//! [`MAX_NESTING`] make the page unreadable (it is skipped with a warning), and every walk over the
//! tree is iterative, so the stack never grows with the page.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;
use std::ops::Range;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Node, Selector};

use super::{is_boilerplate, Meta, Parsed, ParsedParagraph, CELL_SEPARATOR};
use crate::analysis::is_ignorable;

/// How deep elements may nest before a page is refused. html5ever's tree builder scans the stack
/// of open elements for each start and end tag, so parsing time grows with the square of the
/// depth (20,000 nested `<div>`s took seconds, 40,000 `<ul><li>` minutes). Browsers stop nesting
/// at this depth too (Blink's HTML parser attaches deeper elements as siblings); no real article
/// comes near it.
const MAX_NESTING: usize = 512;

/// Bytes handed to the parser between two depth checks: a page nested too deep is abandoned at
/// most this far past the point where it crossed [`MAX_NESTING`].
const PARSE_CHUNK: usize = 4096;

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

/// One block of article text: a heading (with its level), a paragraph, or a table row.
#[derive(Debug)]
enum Block {
    Heading(u8, String),
    Paragraph(String),
    Row(Row),
}

/// A table row, written as a Markdown table writes it: its cells (from its first non-empty one
/// on) joined by ` | `, a `|` inside a cell escaped as `\|`, with the names of the columns they
/// are in (the cells of the table's header row).
#[derive(Debug)]
struct Row {
    text: String,
    /// The byte ranges of the ` | ` between cells, which sentences are split around.
    separators: Vec<Range<usize>>,
    columns: Vec<String>,
}

/// Extracts the article of an HTML page: the text that becomes the document's `source`, and its
/// metadata and paragraphs (byte ranges into that text). A page whose elements nest deeper than
/// [`MAX_NESTING`] is refused with the reason.
pub(super) fn parse(page: &str) -> Result<(String, Parsed), String> {
    let html = parse_bounded(page)?;
    let article = article_root(&html);
    let blocks = blocks(article);

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
                paragraphs.push(ParsedParagraph {
                    section: section.clone(),
                    range: start..text.len(),
                    markup: Vec::new(),
                    columns: Vec::new(),
                });
            }
            Block::Row(row) => {
                let start = text.len();
                text.push_str(&row.text);
                paragraphs.push(ParsedParagraph {
                    section: section.clone(),
                    range: start..text.len(),
                    markup: row
                        .separators
                        .iter()
                        .map(|s| start + s.start..start + s.end)
                        .collect(),
                    columns: row.columns,
                });
            }
        }
    }
    text.push('\n');
    Ok((
        text,
        Parsed {
            meta,
            paragraphs,
            warnings: Vec::new(),
        },
    ))
}

/// Parses the page a chunk at a time, giving up as soon as its elements nest deeper than
/// [`MAX_NESTING`], before the tree builder's cost runs away.
fn parse_bounded(page: &str) -> Result<Html, String> {
    let sink = DepthLimitedSink::new(HtmlTreeSink::new(Html::new_document()));
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut fed = 0;
    while fed < page.len() {
        let mut end = (fed + PARSE_CHUNK).min(page.len());
        while !page.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&page[fed..end]));
        fed = end;
        if parser.tokenizer.sink.sink.too_deep.get() {
            return Err(format!(
                "HTML elements are nested more than {MAX_NESTING} deep (before byte {fed}); \
                 such a page is not read"
            ));
        }
    }
    Ok(parser.finish())
}

/// scraper's tree sink, also keeping each node's depth in the tree so that a page nested too
/// deep is noticed while it is parsed. Depths are set when a node is inserted; a subtree moved
/// by the tree builder's error recovery keeps its old depths below its top, which is close
/// enough for a guard.
struct DepthLimitedSink {
    inner: HtmlTreeSink,
    depths: RefCell<HashMap<NodeId, usize>>,
    too_deep: Cell<bool>,
}

impl DepthLimitedSink {
    fn new(inner: HtmlTreeSink) -> DepthLimitedSink {
        DepthLimitedSink {
            inner,
            depths: RefCell::new(HashMap::new()),
            too_deep: Cell::new(false),
        }
    }

    fn depth(&self, node: &NodeId) -> usize {
        self.depths.borrow().get(node).copied().unwrap_or(0)
    }

    fn set_depth(&self, node: NodeId, depth: usize) {
        if depth > MAX_NESTING {
            self.too_deep.set(true);
        }
        self.depths.borrow_mut().insert(node, depth);
    }

    fn has_parent(&self, node: &NodeId) -> bool {
        let html = self.inner.0.borrow();
        html.tree.get(*node).is_some_and(|n| n.parent().is_some())
    }
}

impl TreeSink for DepthLimitedSink {
    type Output = Html;
    type Handle = NodeId;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(node) = &child {
            self.set_depth(*node, self.depth(parent) + 1);
        }
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if self.has_parent(element) {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(node) = &new_node {
            self.set_depth(*node, self.depth(sibling));
        }
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let depth = self.depth(new_parent) + 1;
        let children: Vec<NodeId> = {
            let html = self.inner.0.borrow();
            html.tree
                .get(*node)
                .map(|n| n.children().map(|c| c.id()).collect())
                .unwrap_or_default()
        };
        for child in children {
            self.set_depth(child, depth);
        }
        self.inner.reparent_children(node, new_parent);
    }
}

/// The element holding the article: the `<article>` with the most text (pages list comments or
/// teasers in `<article>`s too), else `<main>` or `role=main`, else the body.
fn article_root(html: &Html) -> ElementRef<'_> {
    article_text_lengths(html)
        .into_iter()
        .filter(|(a, _)| !is_furniture(a))
        .max_by_key(|&(_, length)| length)
        .map(|(a, _)| a)
        .or_else(|| html.select(&selector("main, [role=main]")).next())
        .or_else(|| html.select(&selector("body")).next())
        .unwrap_or_else(|| html.root_element())
}

/// Every `<article>` with the length of its text, in document order, in one pass over the page
/// (measuring each article on its own would take time quadratic in their nesting).
fn article_text_lengths(html: &Html) -> Vec<(ElementRef<'_>, usize)> {
    let mut articles = Vec::new();
    let mut open = Vec::new();
    let mut text_so_far = 0;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => text_so_far += text.len(),
                Node::Element(e) if e.name() == "article" => {
                    open.push(articles.len());
                    articles.push((node, text_so_far));
                }
                _ => {}
            },
            Edge::Close(node) => {
                if matches!(node.value(), Node::Element(e) if e.name() == "article") {
                    let index = open.pop().expect("every closed article was opened");
                    articles[index].1 = text_so_far - articles[index].1;
                }
            }
        }
    }
    articles
        .into_iter()
        .filter_map(|(node, length)| ElementRef::wrap(node).map(|a| (a, length)))
        .collect()
}

/// A step of the walk over the article: a node to visit, or the end of a block element.
enum Visit<'a> {
    Node(ego_tree::NodeRef<'a, Node>),
    EndOfBlock,
    /// The end of a table: its header row names no more columns.
    EndOfTable,
}

/// The article's headings and paragraphs in order: text gathers into the open paragraph, which
/// each block element and heading closes. The walk keeps its own stack, so a deeply nested page
/// needs no more call stack than a flat one.
fn blocks(article: ElementRef) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open = String::new();
    let mut stack: Vec<Visit> = article.children().rev().map(Visit::Node).collect();
    // The column names of each table being read, innermost last.
    let mut tables: Vec<TableHead> = Vec::new();
    while let Some(visit) = stack.pop() {
        let node = match visit {
            Visit::Node(node) => node,
            Visit::EndOfBlock => {
                flush(&mut blocks, &mut open);
                continue;
            }
            Visit::EndOfTable => {
                flush(&mut blocks, &mut open);
                tables.pop();
                continue;
            }
        };
        if let Node::Text(text) = node.value() {
            push_text(&mut open, text);
            continue;
        }
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        let name = element.value().name();
        if is_dropped(&element) {
            continue;
        }
        if let Some(level) = heading_level(name) {
            flush(&mut blocks, &mut open);
            let heading = visible_text(element);
            let heading = heading.trim_matches(|c: char| c.is_whitespace() || is_ignorable(c));
            if !heading.is_empty() && !is_boilerplate(heading) {
                blocks.push(Block::Heading(level, heading.to_string()));
            }
        } else if name == "br" {
            push_text(&mut open, " ");
        } else if name == "tr" {
            flush(&mut blocks, &mut open);
            if let Some(row) = table_row(element, tables.last_mut()) {
                blocks.push(Block::Row(row));
            }
        } else {
            if name == "table" {
                tables.push(TableHead::of(element));
                stack.push(Visit::EndOfTable);
            }
            if BLOCK_ELEMENTS.contains(&name) {
                flush(&mut blocks, &mut open);
                stack.push(Visit::EndOfBlock);
            }
            stack.extend(node.children().rev().map(Visit::Node));
        }
    }
    flush(&mut blocks, &mut open);
    blocks
}

/// What is known of a table being read: the names of its columns.
struct TableHead {
    /// The text of its first row's cells, when they are all header cells (`<th>`; an empty
    /// corner cell allowed).
    names: Option<Vec<String>>,
    /// Its first row has been read.
    started: bool,
    /// A cell of it spans several columns or rows, so the cells of a row do not line up with
    /// the names: its rows get none.
    spans: bool,
}

impl TableHead {
    /// The head of `table`, before its rows are read.
    fn of(table: ElementRef) -> TableHead {
        let spans = table
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|cell| {
                matches!(cell.value().name(), "td" | "th")
                    && ["colspan", "rowspan"].iter().any(|span| {
                        cell.value()
                            .attr(span)
                            .is_some_and(|n| n.trim().parse::<u32>().map_or(true, |n| n > 1))
                    })
            });
        TableHead {
            names: None,
            started: false,
            spans,
        }
    }
}

/// The row `tr` as a passage, or `None` for an empty row and for the first row of a table when
/// its cells are header cells: their text names the columns of the rows after it, kept in
/// `head` (the innermost table's; `None` for a row outside any table).
fn table_row(tr: ElementRef, head: Option<&mut TableHead>) -> Option<Row> {
    let cells: Vec<(bool, String)> = tr
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|cell| matches!(cell.value().name(), "td" | "th") && !is_dropped(cell))
        .map(|cell| {
            let text = visible_text(cell);
            let text = text.trim_matches(|c: char| c.is_whitespace() || is_ignorable(c));
            (cell.value().name() == "th", text.replace('|', "\\|"))
        })
        .collect();
    let names: &[String] = match head {
        Some(head) if !head.started => {
            head.started = true;
            let header = cells.iter().any(|(th, _)| *th)
                && cells.iter().all(|(th, text)| *th || text.is_empty());
            if header {
                head.names = Some(cells.into_iter().map(|(_, text)| text).collect());
                return None;
            }
            &[]
        }
        Some(head) if !head.spans => head.names.as_deref().unwrap_or_default(),
        _ => &[],
    };
    let first = cells.iter().position(|(_, text)| !text.is_empty())?;
    let last = cells.iter().rposition(|(_, text)| !text.is_empty())?;
    let mut row = Row {
        text: String::new(),
        separators: Vec::new(),
        columns: names.iter().skip(first).cloned().collect(),
    };
    for (i, (_, cell)) in cells[first..=last].iter().enumerate() {
        if i > 0 {
            let at = row.text.len();
            row.text.push_str(CELL_SEPARATOR);
            row.separators.push(at..row.text.len());
        }
        row.text.push_str(cell);
    }
    Some(row)
}

/// Whether an element is left out of the article with all it holds: a script, style, navigation
/// and the like, or hidden or page furniture by its attributes.
fn is_dropped(element: &ElementRef) -> bool {
    DROPPED_ELEMENTS.contains(&element.value().name()) || is_furniture(element)
}

/// The text of `element` as a reader sees it, white space collapsed: without what the elements
/// inside it that are [dropped](is_dropped) hold (a script inside a heading), a line break as a
/// space. The walk keeps its own stack, as [`blocks`] does.
fn visible_text(element: ElementRef) -> String {
    let mut text = String::new();
    let mut stack: Vec<ego_tree::NodeRef<Node>> = element.children().rev().collect();
    while let Some(node) = stack.pop() {
        if let Node::Text(piece) = node.value() {
            push_text(&mut text, piece);
            continue;
        }
        let Some(inner) = ElementRef::wrap(node) else {
            continue;
        };
        if inner.value().name() == "br" {
            push_text(&mut text, " ");
        } else if !is_dropped(&inner) {
            stack.extend(node.children().rev());
        }
    }
    text
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
    let paragraph = open.trim_matches(|c: char| c.is_whitespace() || is_ignorable(c));
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
        let text = visible_text(e);
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
            .map(|p| text[p.range.clone()].to_string())
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
        let (text, parsed) = parse(PAGE).unwrap();
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
    fn a_table_row_is_one_passage_written_with_pipes_under_its_column_names() {
        let page = "<body><table><thead><tr><th>Plot</th><th>Fee</th><th>Water</th></tr></thead>\
                    <tr><td>Half plot</td><td>£45</td><td></td></tr>\
                    <tr><td></td><td>£80 <b>a|b</b></td><td>£15</td></tr></table>\
                    <table><tr><td>No</td><td>head</td></tr></table></body>";
        let (text, parsed) = parse(page).unwrap();
        let rows: Vec<(&str, Vec<&str>)> = parsed
            .paragraphs
            .iter()
            .map(|p| {
                (
                    &text[p.range.clone()],
                    p.columns.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("Half plot | £45", vec!["Plot", "Fee", "Water"]),
                (r"£80 a\|b | £15", vec!["Fee", "Water"]),
                ("No | head", vec![]),
            ]
        );
        // The pipes between cells are markup that sentences are split around.
        assert_eq!(parsed.paragraphs[0].markup.len(), 1);
    }

    #[test]
    fn only_a_first_row_of_header_cells_names_columns_and_spans_name_none() {
        let columns = |page: &str| -> Vec<Vec<String>> {
            let (_, parsed) = parse(page).unwrap();
            parsed.paragraphs.into_iter().map(|p| p.columns).collect()
        };
        // An empty corner cell; a header cell in a later row is a row.
        let page = "<body><table><tr><td></td><th>Fee</th></tr><tr><td>Half</td><td>£45</td></tr>\
                    <tr><th>Full</th><th>£80</th></tr></table></body>";
        let names = vec!["".to_string(), "Fee".to_string()];
        assert_eq!(columns(page), vec![names.clone(), names]);
        // A cell spanning two columns: the cells no longer line up with the names.
        let page = "<body><table><tr><th>Date</th><th>Event</th><th>Venue</th></tr>\
                    <tr><td colspan=2>Sat: swap</td><td>Hall</td></tr></table></body>";
        assert_eq!(columns(page), vec![Vec::<String>::new()]);
    }

    #[test]
    fn a_script_or_hidden_text_inside_a_heading_is_left_out() {
        let page = "<body><h1>Bridges<script>document.write('tracking')</script></h1>\
                    <h2>Old<span hidden>secret</span><br>Bridge<style>h2 {}</style></h2>\
                    <p>Text.</p></body>";
        let (text, parsed) = parse(page).unwrap();
        assert_eq!(text, "Bridges\n\nOld Bridge\n\nText.\n");
        assert_eq!(parsed.meta.title.as_deref(), Some("Bridges"));
        assert_eq!(parsed.paragraphs[0].section.as_deref(), Some("Old Bridge"));
    }

    #[test]
    fn headings_become_sections_and_the_h1_the_title() {
        let (text, parsed) = parse(PAGE).unwrap();
        assert_eq!(parsed.meta.title.as_deref(), Some("Bridges of Elmford"));
        assert_eq!(parsed.paragraphs[0].section, None);
        assert_eq!(
            parsed.paragraphs[1].section.as_deref(),
            Some("The Old Bridge")
        );
        assert!(
            text.starts_with("Bridges of Elmford\n\nThe town has"),
            "{text:?}"
        );
    }

    #[test]
    fn metadata_from_link_and_meta_tags() {
        let (_, parsed) = parse(PAGE).unwrap();
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
            parse("<html><head><title>Notes</title></head><body><p>Just text.</p></body></html>")
                .unwrap();
        assert_eq!(parsed.meta.title.as_deref(), Some("Notes"));
        assert_eq!(paragraph_texts(&text, &parsed), ["Just text."]);
    }

    #[test]
    fn chinese_comment_forms_are_dropped() {
        let page =
            "<body><article><p>桥建于1820年。</p><h3>发表回复</h3><p>发表评论</p></article></body>";
        let (text, parsed) = parse(page).unwrap();
        assert_eq!(paragraph_texts(&text, &parsed), ["桥建于1820年。"]);
        assert!(!text.contains("发表"));
    }

    /// Runs `work` on a thread with a small stack, so a walk whose stack grows with the page
    /// overflows here instead of passing by luck.
    fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(work)
            .expect("a thread")
            .join()
            .expect("no overflow or panic")
    }

    fn nested(open: &str, close: &str, depth: usize) -> String {
        format!(
            "<html><body><article><p>Before the nest.</p>{}Deep text.{}</article></body></html>",
            open.repeat(depth),
            close.repeat(depth)
        )
    }

    #[test]
    fn pages_nested_too_deep_are_refused_quickly_on_a_small_stack() {
        // 40,000 nested spans overflowed the stack; as many divs or lists took minutes.
        for (open, close) in [
            ("<span>", "</span>"),
            ("<div>", "</div>"),
            ("<ul><li>", "</li></ul>"),
            ("<b><i>", "</i></b>"),
            ("<table><tr><td>", "</td></tr></table>"),
            ("<article>", "</article>"),
        ] {
            let page = nested(open, close, 40_000);
            let refused = on_small_stack(move || parse(&page).err());
            let reason = refused.unwrap_or_else(|| panic!("{open} x 40,000 was read"));
            assert!(reason.contains("nested more than 512 deep"), "{reason}");
        }
    }

    #[test]
    fn deep_but_allowed_nesting_is_read_on_a_small_stack() {
        for (open, close) in [
            ("<span>", "</span>"),
            ("<div>", "</div>"),
            ("<section><article>", "</article></section>"),
        ] {
            let page = nested(open, close, 250);
            let (text, parsed) = on_small_stack(move || parse(&page).expect("read"));
            assert_eq!(
                paragraph_texts(&text, &parsed),
                ["Before the nest.", "Deep text."],
                "{open}"
            );
        }
    }

    #[test]
    fn the_article_is_the_one_with_the_most_text() {
        let page = "<body><article class=teaser><p>Short.</p></article>\
            <article><p>The longer article, which is the post.</p>\
            <article><p>A quoted article inside it.</p></article></article></body>";
        let (text, parsed) = parse(page).unwrap();
        assert_eq!(
            paragraph_texts(&text, &parsed),
            [
                "The longer article, which is the post.",
                "A quoted article inside it."
            ]
        );
    }
}
