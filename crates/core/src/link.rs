//! Links that open a post at the cited sentence: the post's url with a text fragment
//! (`#:~:text=...`, WICG Text Fragments), which browsers scroll to and highlight. Short sentences
//! are quoted whole; long ones by their first and last words (`text=start,end`), which keeps the
//! link short enough for chat messages. Only `http` and `https` urls are links at all
//! ([`web_url`]): a post's metadata could otherwise smuggle `javascript:` or `file:` into a reply.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::engine::Citation;

/// Characters encoded in a text directive: the spec's syntax characters (`-`, `,`, `&`), those
/// that end or confuse a url or a Markdown link, and white space. Non-ASCII text is always encoded.
const TEXT_DIRECTIVE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b',')
    .add(b'-')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'`')
    .add(b'^')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Sentences whose encoded form is longer than this many bytes are quoted by their ends (a
/// Chinese character takes nine).
const WHOLE_LIMIT: usize = 240;
/// Words quoted at each end of a long sentence.
const END_WORDS: usize = 4;
/// Characters quoted at each end of a long sentence written without spaces (Chinese).
const END_CHARS: usize = 10;

/// `url` as a link citebot may show: an absolute `http` or `https` url with a host, in its
/// normal form (white space and quotes percent-encoded, so it cannot break out of `<...>` or a
/// Markdown link). `None` for anything else (`javascript:`, `data:`, `file:`, a relative path).
pub fn web_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let web = matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some_and(|host| !host.is_empty());
    web.then(|| parsed.into())
}

/// Whether `url` is on this machine: `localhost` or a loopback address. citebot's requests to
/// such an address (a web source, a Discord API base) never go through a proxy named in the
/// environment (`HTTP_PROXY`, `ALL_PROXY`), which would carry them off the machine to a host
/// that cannot reach it, as Go's HTTP client also does.
pub fn on_this_machine(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

impl Citation {
    /// The post's url opened at the cited text, when the post has a url.
    pub fn link(&self) -> Option<String> {
        let url = self.url.as_deref()?.trim();
        let directive = text_directive(&self.text);
        if directive.is_empty() {
            return Some(url.to_string());
        }
        // A url that already has a fragment keeps it; the directive follows `:~:`.
        let separator = if url.contains('#') { ":~:" } else { "#:~:" };
        Some(format!("{url}{separator}text={directive}"))
    }
}

/// The `text=` value quoting `text`: whole when short, else `start,end`.
fn text_directive(text: &str) -> String {
    // Browsers match rendered text: white space collapsed, Markdown emphasis gone.
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let collapsed = words.join(" ");
    let encode = |s: &str| utf8_percent_encode(s, TEXT_DIRECTIVE).to_string();
    let whole = encode(&collapsed);
    if whole.len() <= WHOLE_LIMIT {
        return whole;
    }
    let (start, end) = if words.len() > 2 * END_WORDS {
        (
            words[..END_WORDS].join(" "),
            words[words.len() - END_WORDS..].join(" "),
        )
    } else {
        // Few spaces: Chinese, or one very long word; cut by characters.
        let chars: Vec<char> = collapsed.chars().collect();
        (
            chars[..END_CHARS].iter().collect(),
            chars[chars.len() - END_CHARS..].iter().collect(),
        )
    };
    format!("{},{}", encode(&start), encode(&end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_and_loopback_addresses_are_this_machine() {
        let url = |text: &str| url::Url::parse(text).unwrap();
        for local in [
            "http://127.0.0.1:4000/feed",
            "http://127.8.0.1/",
            "http://[::1]:8080/",
            "http://localhost/",
            "https://LocalHost./a",
            "http://blog.localhost/",
        ] {
            assert!(on_this_machine(&url(local)), "{local}");
        }
        for remote in [
            "https://blog.example/",
            "http://10.0.0.1/",
            "http://localhost.example/",
            "http://[::2]/",
        ] {
            assert!(!on_this_machine(&url(remote)), "{remote}");
        }
    }

    fn citation(text: &str, url: Option<&str>) -> Citation {
        Citation {
            document: "a.md".into(),
            title: "A".into(),
            section: None,
            paragraph: 1,
            text: text.into(),
            start: 0,
            end: text.len(),
            highlights: Vec::new(),
            score: 1.0,
            url: url.map(str::to_string),
            highlight_ranges: Vec::new(),
            answer_range: None,
            columns: Vec::new(),
        }
    }

    #[test]
    fn short_sentences_are_quoted_whole_with_syntax_characters_encoded() {
        let c = citation(
            "Trade, jobs & co-operation grew.",
            Some("https://x.example/p"),
        );
        assert_eq!(
            c.link().unwrap(),
            "https://x.example/p#:~:text=Trade%2C%20jobs%20%26%20co%2Doperation%20grew."
        );
    }

    #[test]
    fn long_sentences_are_quoted_by_their_ends() {
        let c = citation(
            "The harbour authority has had a very busy year, and the numbers for trade and traffic show it clearly, with more ships, more cargo, more fishing boats and more visitors than ever before in its long history.",
            Some("https://x.example/p#top"),
        );
        assert_eq!(
            c.link().unwrap(),
            "https://x.example/p#top:~:text=The%20harbour%20authority%20has,in%20its%20long%20history."
        );
    }

    #[test]
    fn chinese_is_percent_encoded_and_cut_by_characters() {
        let text = "如今，灯笼节每年吸引超过12000名游客，来自全国20多个省份和地区，志愿者团队共有85名成员，节日在每年农历正月十五举行，地点设在老码头广场。";
        let link = citation(text, Some("https://x.example/zh")).link().unwrap();
        let (_, directive) = link.split_once("#:~:text=").unwrap();
        let (start, end) = directive.split_once(',').unwrap();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .unwrap()
                .to_string()
        };
        assert_eq!(decode(start), "如今，灯笼节每年吸引");
        assert_eq!(decode(end), "地点设在老码头广场。");
        assert!(link.is_ascii());
    }

    #[test]
    fn only_http_and_https_urls_are_links() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://example.org/a",
            "/relative/path",
            "http://",
            "example.org",
        ] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
        assert_eq!(
            web_url(" HTTPS://Example.org/a b?q=<x>").as_deref(),
            Some("https://example.org/a%20b?q=%3Cx%3E")
        );
        assert_eq!(
            web_url("http://x.example/p#top").as_deref(),
            Some("http://x.example/p#top")
        );
    }

    #[test]
    fn no_url_no_link() {
        assert_eq!(citation("Text.", None).link(), None);
    }
}
