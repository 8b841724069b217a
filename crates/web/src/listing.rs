//! The pages a feed or a sitemap lists. Feeds (RSS 0.9x, 1.0 and 2.0, Atom, JSON Feed) are read
//! with feed-rs, each entry giving its page's url and, when the feed has them, its title, author
//! and date; sitemaps (`<urlset>` and `<sitemapindex>`) are read with quick-xml, event by event.
//! Relative links are resolved against the feed's or sitemap's own url.

use quick_xml::events::Event;
use url::Url;

/// A page a feed or sitemap lists, with what the listing says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The page's address.
    pub url: Url,
    /// Its title, from a feed.
    pub title: Option<String>,
    /// Its author, from a feed.
    pub author: Option<String>,
    /// Its publication (or else update) date, `YYYY-MM-DD`, from a feed.
    pub date: Option<String>,
}

impl Listed {
    /// A page known by its url alone.
    pub fn page(url: Url) -> Listed {
        Listed {
            url,
            title: None,
            author: None,
            date: None,
        }
    }
}

/// The entries of a feed: what kind of feed it is ("RSS feed") and its pages, in order. Entries
/// without an http or https link are left out.
pub fn feed(body: &[u8], base: &Url) -> Result<(&'static str, Vec<Listed>), String> {
    use feed_rs::model::FeedType;
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .build()
        .parse(body)
        .map_err(|e| format!("not a feed that can be read: {e}"))?;
    let kind = match feed.feed_type {
        FeedType::Atom => "Atom feed",
        FeedType::JSON => "JSON feed",
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 => "RSS feed",
    };
    let pages = feed
        .entries
        .into_iter()
        .filter_map(|entry| {
            // The entry's page: its alternate link (Atom) or its link (RSS); else an RSS guid
            // that is a permalink.
            let href = entry
                .links
                .iter()
                .find(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
                .map(|link| link.href.clone())
                .or_else(|| Url::parse(&entry.id).is_ok().then(|| entry.id.clone()));
            let url = web_link(base, &href?)?;
            let authors: Vec<String> = entry
                .authors
                .iter()
                .filter_map(|person| person.name.as_deref().map(one_line))
                .filter(|name| !name.is_empty())
                .collect();
            Some(Listed {
                url,
                title: entry
                    .title
                    .map(|title| one_line(&title.content))
                    .filter(|t| !t.is_empty()),
                author: (!authors.is_empty()).then(|| authors.join(", ")),
                date: entry
                    .published
                    .or(entry.updated)
                    .map(|date| date.format("%Y-%m-%d").to_string()),
            })
        })
        .collect();
    Ok((kind, pages))
}

/// What a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// `<urlset>`: pages.
    Pages(Vec<Url>),
    /// `<sitemapindex>`: more sitemaps.
    Index(Vec<Url>),
}

/// The `<loc>`s of a sitemap or sitemap index, in order.
pub fn sitemap(body: &[u8], base: &Url) -> Result<Sitemap, String> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buffer = Vec::new();
    // Local names of the open elements.
    let mut open: Vec<String> = Vec::new();
    let mut root: Option<String> = None;
    let mut locs = Vec::new();
    // The text of the `<loc>` being read.
    let mut loc: Option<String> = None;
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|e| {
            format!(
                "not a sitemap that can be read (at byte {}): {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(element) => {
                let name = element.local_name().as_ref().to_string();
                root.get_or_insert_with(|| name.clone());
                let entry = open.len() == 2 && matches!(open[1].as_str(), "url" | "sitemap");
                if entry && name == "loc" {
                    loc = Some(String::new());
                }
                open.push(name);
            }
            Event::End(_) => {
                let closed = open.pop();
                if let (Some("loc"), Some(text)) = (closed.as_deref(), loc.take()) {
                    locs.extend(web_link(base, text.trim()));
                }
            }
            Event::Empty(element) => {
                root.get_or_insert_with(|| element.local_name().as_ref().to_string());
            }
            Event::Text(text) => {
                if let Some(loc) = loc.as_mut() {
                    loc.push_str(&text.xml10_content());
                }
            }
            Event::CData(text) => {
                if let Some(loc) = loc.as_mut() {
                    loc.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(loc) = loc.as_mut() {
                    match reference.resolve_char_ref() {
                        Ok(Some(c)) => loc.push(c),
                        _ => {
                            let name = reference.xml10_content();
                            loc.push_str(
                                quick_xml::escape::resolve_predefined_entity(&name).unwrap_or(""),
                            );
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    match root.as_deref() {
        Some("urlset") => Ok(Sitemap::Pages(locs)),
        Some("sitemapindex") => Ok(Sitemap::Index(locs)),
        _ => Err("not a sitemap: its root is not <urlset> or <sitemapindex>".to_string()),
    }
}

/// `href` resolved against `base`, when it is an http or https address.
fn web_link(base: &Url, href: &str) -> Option<Url> {
    let url = base.join(href.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some()).then_some(url)
}

/// `text` on one line, white space collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://blog.example/feeds/all.xml").unwrap()
    }

    #[test]
    fn rss_and_atom_entries_give_their_pages_in_order() {
        let rss = br#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>
<item><title>  First
  post </title><link>https://blog.example/first</link><dc:creator>Ann Lee</dc:creator>
<pubDate>Tue, 07 May 2024 09:00:00 GMT</pubDate></item>
<item><title>Relative</title><link>/second</link></item>
<item><title>Mail</title><link>mailto:a@blog.example</link></item>
</channel></rss>"#;
        let (kind, pages) = feed(rss, &base()).unwrap();
        assert_eq!(kind, "RSS feed");
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://blog.example/first", "https://blog.example/second"]
        );
        assert_eq!(pages[0].title.as_deref(), Some("First post"));
        assert_eq!(pages[0].author.as_deref(), Some("Ann Lee"));
        assert_eq!(pages[0].date.as_deref(), Some("2024-05-07"));

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><id>urn:x</id>
<updated>2024-05-01T00:00:00Z</updated>
<entry><title>Third</title><id>urn:3</id><updated>2024-05-03T10:00:00Z</updated>
<link rel="edit" href="https://blog.example/api/3"/><link href="https://blog.example/third"/>
<author><name>Bo</name></author></entry></feed>"#;
        let (kind, pages) = feed(atom, &base()).unwrap();
        assert_eq!(kind, "Atom feed");
        assert_eq!(pages[0].url.as_str(), "https://blog.example/third");
        assert_eq!(pages[0].author.as_deref(), Some("Bo"));
        assert_eq!(pages[0].date.as_deref(), Some("2024-05-03"));
        assert!(feed(b"<html></html>", &base()).is_err());
    }

    #[test]
    fn sitemaps_and_indexes_list_their_locs() {
        let urlset = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://blog.example/a?x=1&amp;y=2 </loc><lastmod>2024-01-01</lastmod></url>
  <url><loc><![CDATA[https://blog.example/b]]></loc></url>
  <url><loc>ftp://blog.example/c</loc></url>
</urlset>"#;
        assert_eq!(
            sitemap(urlset, &base()).unwrap(),
            Sitemap::Pages(vec![
                Url::parse("https://blog.example/a?x=1&y=2").unwrap(),
                Url::parse("https://blog.example/b").unwrap()
            ])
        );
        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://blog.example/posts.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(
            sitemap(index, &base()).unwrap(),
            Sitemap::Index(vec![Url::parse("https://blog.example/posts.xml").unwrap()])
        );
        assert!(sitemap(b"<rss version=\"2.0\"/>", &base()).is_err());
        assert!(sitemap(b"<urlset><url><loc>x</url>", &base()).is_err());
    }
}
