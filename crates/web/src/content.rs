//! What a server sent: a page, a feed, a sitemap, or something citebot does not read. The
//! content type decides first (a PDF is skipped before its body is read); the body's root element
//! decides between a page, an RSS, RDF or Atom feed and a sitemap, since servers label feeds
//! `text/html` or `text/xml` as often as not. The url's suffix is never looked at. Pages are saved
//! as UTF-8, decoded from the charset the server or the page names.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use quick_xml::events::Event;

/// How far into a body its root element is looked for.
const SNIFF_BYTES: usize = 64 * 1024;
/// How far into a page its `<meta charset>` is looked for (as browsers do, HTML's prescan).
const CHARSET_PRESCAN_BYTES: usize = 1024;

/// What a body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An HTML page.
    Page,
    /// An RSS, RDF, Atom or JSON feed.
    Feed,
    /// An XML sitemap or sitemap index.
    Sitemap,
    /// Something else: why it is not read.
    Other(String),
}

/// The media type of a `Content-Type` header, lower case, without parameters.
pub fn essence(content_type: Option<&str>) -> Option<String> {
    let essence = content_type?.split(';').next()?.trim().to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

/// Whether a body of this content type may be a page, a feed or a sitemap, and so is worth
/// reading; the reason when not.
pub fn worth_reading(content_type: Option<&str>) -> Result<(), String> {
    match essence(content_type) {
        None => Ok(()),
        Some(essence) if is_readable(&essence) => Ok(()),
        Some(essence) => Err(format!("not HTML, a feed or a sitemap ({essence})")),
    }
}

fn is_html(essence: &str) -> bool {
    matches!(essence, "text/html" | "application/xhtml+xml")
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

fn is_readable(essence: &str) -> bool {
    is_html(essence)
        || is_json(essence)
        || matches!(essence, "text/xml" | "application/xml" | "text/plain")
        || essence.ends_with("+xml")
}

/// What `body`, sent as `content_type`, is.
pub fn classify(content_type: Option<&str>, body: &[u8]) -> Kind {
    let essence = essence(content_type);
    if let Err(reason) = worth_reading(content_type) {
        return Kind::Other(reason);
    }
    let text = body.trim_ascii_start();
    if text.starts_with(b"{") {
        // A JSON Feed says so in its first member.
        let head = &text[..text.len().min(SNIFF_BYTES)];
        return if String::from_utf8_lossy(head).contains("jsonfeed.org/version") {
            Kind::Feed
        } else {
            Kind::Other("JSON that is not a JSON Feed".to_string())
        };
    }
    match root_element(body).as_deref() {
        Some("rss" | "rdf" | "feed") => Kind::Feed,
        Some("urlset" | "sitemapindex") => Kind::Sitemap,
        root => {
            let looks_like_html = root == Some("html")
                || String::from_utf8_lossy(&text[..text.len().min(SNIFF_BYTES)])
                    .to_ascii_lowercase()
                    .contains("<html");
            match essence.as_deref() {
                Some(e) if is_html(e) => Kind::Page,
                None if looks_like_html => Kind::Page,
                other => Kind::Other(match root {
                    Some(root) => format!(
                        "{} whose root element <{root}> is not a page, a feed or a sitemap",
                        other.unwrap_or("a document")
                    ),
                    None => format!(
                        "{} that is not a page, a feed or a sitemap",
                        other.unwrap_or("a document")
                    ),
                }),
            }
        }
    }
}

/// The local name, lower case, of the first element of `body` read as XML.
fn root_element(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(SNIFF_BYTES)];
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                return Some(element.local_name().as_ref().to_ascii_lowercase())
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => buffer.clear(),
        }
    }
}

/// A page's bytes as UTF-8: as they are when the page is UTF-8 (so the saved copy is the page
/// byte for byte), else decoded from the charset its `Content-Type` names, or its
/// `<meta charset>`, or windows-1252 (the web's default for pages that name none and are not
/// UTF-8).
pub fn page_to_utf8<'a>(content_type: Option<&str>, body: &'a [u8]) -> Cow<'a, [u8]> {
    let named = content_type
        .and_then(charset_parameter)
        .or_else(|| meta_charset(body))
        .and_then(|label| Encoding::for_label(label.as_bytes()));
    let encoding = match named {
        Some(encoding) => encoding,
        None if std::str::from_utf8(body).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    if encoding == UTF_8 && std::str::from_utf8(body).is_ok() {
        return Cow::Borrowed(body);
    }
    let (text, _, _) = encoding.decode(body);
    Cow::Owned(text.into_owned().into_bytes())
}

/// `charset=...` of a `Content-Type`.
fn charset_parameter(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The charset a page names in its first bytes: `<meta charset="...">` or the `charset=` of a
/// `<meta http-equiv="Content-Type" content="...">`.
fn meta_charset(body: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&body[..body.len().min(CHARSET_PRESCAN_BYTES)])
        .to_ascii_lowercase();
    head.split("<meta").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let at = tag.find("charset")?;
        let value = tag[at + "charset".len()..].trim_start().strip_prefix('=')?;
        let value = value.trim_start().trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
            .unwrap_or(value.len());
        (end > 0).then(|| value[..end].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_told_apart_by_type_and_root_never_by_url() {
        let rss = b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>";
        let atom = b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>";
        let sitemap = b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>";
        let page = b"<!DOCTYPE html>\n<html lang=en><body><p>Hi</p></body></html>";
        assert_eq!(classify(Some("application/rss+xml"), rss), Kind::Feed);
        // Feeds served as HTML or plain XML are still feeds.
        assert_eq!(classify(Some("text/html; charset=utf-8"), rss), Kind::Feed);
        assert_eq!(classify(Some("text/xml"), atom), Kind::Feed);
        assert_eq!(classify(Some("application/xml"), sitemap), Kind::Sitemap);
        assert_eq!(classify(Some("text/html"), page), Kind::Page);
        assert_eq!(classify(None, page), Kind::Page);
        assert_eq!(
            classify(Some("application/pdf"), b"%PDF-1.7"),
            Kind::Other("not HTML, a feed or a sitemap (application/pdf)".into())
        );
        assert!(matches!(
            classify(Some("text/plain"), b"just words"),
            Kind::Other(_)
        ));
        assert!(matches!(
            classify(Some("application/xml"), b"<catalog><book/></catalog>"),
            Kind::Other(reason) if reason.contains("<catalog>")
        ));
        assert_eq!(
            classify(
                Some("application/feed+json"),
                b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"
            ),
            Kind::Feed
        );
    }

    #[test]
    fn pages_are_saved_as_utf8_from_the_charset_they_name() {
        let utf8 = "<p>Café</p>".as_bytes();
        assert!(matches!(
            page_to_utf8(Some("text/html"), utf8),
            Cow::Borrowed(_)
        ));
        let latin1 = b"<p>Caf\xe9</p>";
        assert_eq!(
            &*page_to_utf8(Some("text/html; charset=ISO-8859-1"), latin1),
            "<p>Café</p>".as_bytes()
        );
        let meta = b"<html><head><meta charset=\"gbk\"></head><body>\xd6\xd0\xce\xc4</body></html>";
        assert!(
            String::from_utf8(page_to_utf8(Some("text/html"), meta).into_owned())
                .unwrap()
                .contains("中文")
        );
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\x93quoted\x94</p>";
        assert!(String::from_utf8(page_to_utf8(None, equiv).into_owned())
            .unwrap()
            .contains("“quoted”"));
        // Not UTF-8 and naming nothing: the web's default.
        assert_eq!(&*page_to_utf8(None, b"caf\xe9"), "café".as_bytes());
    }
}
