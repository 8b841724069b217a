//! Property tests of the grounding promise, over generated posts and questions: whatever the
//! posts and the question, the engine never panics, every citation is exactly the bytes
//! `start..end` of its post's text (the file for plain text and Markdown, the extracted article
//! text for HTML), every short answer is a span of its first citation, and the `ask --json` reply
//! parses. Posts are realistic (sentences with numbers, names, acronyms, curly quotes, headings)
//! and adversarial (random Unicode, combining marks, control and invisible characters, every line
//! ending, Markdown and HTML markup, deep nesting); questions mostly reuse a post's words, with
//! misspellings and query syntax, so the answering path is exercised and not only "not covered".
//!
//! `cargo test` runs a few hundred cases; `PROPTEST_CASES=N` changes that. The long run (100,000
//! cases) is ignored by default: see the README's Development section for its command.

use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};

use citebot::config::AnswerConfig;
use citebot_core::analysis;
use citebot_core::{Answer, Citation, Engine, Error, Outcome};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use unicode_normalization::UnicodeNormalization;

use crate::testbot::assert_citation_contract;

/// Cases of the engine property in a plain `cargo test` (each opens an engine on new posts).
const ENGINE_CASES: u32 = 200;
/// Cases of the tokenizer property in a plain `cargo test` (each is one call, so cheap).
const TERMS_CASES: u32 = 1_000;
/// Cases of the command-line property in a plain `cargo test` (each runs the binary twice).
const CLI_CASES: u32 = 6;
/// Cases of the ignored long run.
const LONG_RUN_CASES: u32 = 100_000;

/// A word written into the page furniture, code and hidden parts of a post that must never be
/// cited; nothing else generates it.
const NEVER_CITED: &str = "zqxnevercited";

// ---------------------------------------------------------------------------------------------
// Posts

const WORDS: &[&str] = &[
    "harbour",
    "port",
    "bridge",
    "bridges",
    "river",
    "council",
    "members",
    "garden",
    "club",
    "festival",
    "agreements",
    "bilateral",
    "shipping",
    "fishing",
    "boats",
    "trees",
    "apple",
    "cider",
    "press",
    "ferry",
    "terminal",
    "cooperative",
    "co-operative",
    "inter-governmental",
    "training",
    "centres",
    "naval",
    "college",
    "dredging",
    "visitors",
    "money",
    "plan",
    "year",
    "the",
    "a",
    "of",
    "and",
    "in",
    "was",
    "has",
    "with",
    "for",
    "by",
    "built",
    "opened",
    "maintains",
    "costs",
    "about",
    "over",
    "more",
    "than",
    "January",
    "temperature",
    "degrees",
    "dollars",
    "crème",
    "brûlée",
    "café",
    "naïve",
    "Chang’e",
    "don’t",
    "it's",
    "e-mail",
    "well-known",
    "percent",
    "population",
    "founded",
    "library",
    "mayor",
    "school",
    "students",
    "rainfall",
    "budget",
    "million",
    "countries",
    "regions",
    "partnerships",
    "stand",
    "for",
    "because",
    "is",
    "are",
    "not",
    "who",
    "when",
    "where",
    "how",
    "many",
    "much",
];

const NAMES: &[&str] = &[
    "Marta",
    "Elias Ward",
    "Sam Lee",
    "O’Brien",
    "María José",
    "Zoë",
    "Jürgen",
    "Renée",
    "S&T",
    "U.K.",
    "NASA",
    "RBT",
    "AT&T",
    "Ph.D.",
    "Riverton",
    "the Wend",
    "大元",
    "北京市图书馆",
    "Marta “Tidewatch”",
    "Jimmy here",
    "I'm Ann",
];

const NUMBERS: &[&str] = &[
    "1,000",
    "1,500",
    "-5",
    "−300",
    "3.5%",
    "£2.5",
    "$10",
    "2022-2027",
    "1742",
    "70",
    "23",
    "0.5",
    "½",
    "1st",
    "10:30",
    "12.5 million",
    "100%",
    "-0.25",
    "1e6",
    "2,5",
    "٣",
    "Ⅻ",
    "15",
    "over 70",
    "more than 1,500",
    "about 40%",
    "1,000,000",
    "0",
    "007",
    "3.14159",
    "2,000.50",
];

const CHINESE: &[&str] = &[
    "港口",
    "每年",
    "接待",
    "超过",
    "160个",
    "国家和地区",
    "码头",
    "15个",
    "系缆桩",
    "北京市",
    "图书馆",
    "成立于",
    "1998年",
    "的",
    "了",
    "是",
    "会员",
    "85名",
    "大约",
    "游客",
    "位于",
    "老码头广场",
    "多少",
    "谁",
    "设在",
];

/// Invisible characters: byte-order mark, zero-width space, soft hyphen, joiners, marks.
const INVISIBLE: &[char] = &[
    '\u{feff}',
    '\u{200b}',
    '\u{ad}',
    '\u{200d}',
    '\u{2060}',
    '\u{200e}',
    '\u{fe0f}',
    '\u{e0001}',
    '\u{34f}',
];

const COMBINING: &[char] = &[
    '\u{300}', '\u{301}', '\u{308}', '\u{327}', '\u{20dd}', '\u{302}',
];

const CONTROLS: &[char] = &[
    '\u{0}', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}',
    '\u{2028}', '\u{2029}', '\t', '\r',
];

const PUNCTUATION: &[&str] = &[
    ",",
    ";",
    ":",
    "—",
    "–",
    "…",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "!",
    "?",
    ".",
    "/",
    "&",
    "*",
    "#",
    "_",
    "|",
    "<",
    ">",
    "&amp;",
    "\\",
    "%",
    "@everyone",
    "<@&123>",
];

const URLS: &[&str] = &[
    "https://example.org/post",
    "javascript:alert(1)",
    "http://example.org/a b?c=\"d\"",
    "data:text/html,x",
    "/relative/path",
    "https://例子.测试/路径?q=1#frag",
    "ftp://example.org/x",
    "https://example.org/\u{1b}]0;title\u{7}",
    "https:///nohost",
    "HTTPS://EXAMPLE.ORG/UPPER",
];

/// Replaces the characters that open Markdown code (a fence of backticks or tildes): random
/// text must never turn the generated code blocks inside out.
fn no_fences(text: String) -> String {
    text.replace(['`', '~'], "'")
}

fn insert_at(word: &str, at: Index, c: char) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = at.index(chars.len() + 1);
    chars.insert(i, c);
    chars.into_iter().collect()
}

/// One word as a post writes it: mostly ordinary, sometimes decorated or hostile.
fn word() -> BoxedStrategy<String> {
    prop_oneof![
        24 => select(WORDS).prop_map(String::from),
        4 => select(NAMES).prop_map(String::from),
        5 => select(NUMBERS).prop_map(String::from),
        2 => (select(WORDS), any::<Index>(), select(INVISIBLE))
            .prop_map(|(w, at, c)| insert_at(w, at, c)),
        2 => (select(WORDS), any::<Index>(), select(COMBINING))
            .prop_map(|(w, at, c)| insert_at(w, at, c)),
        2 => select(WORDS).prop_map(|w| w.nfd().collect()),
        1 => select(WORDS).prop_map(|w| w.nfkc().flat_map(full_width).collect()),
        2 => (select(WORDS), select(&["“”", "‘’", "\"\"", "()", "[]", "«»", "„“"][..]))
            .prop_map(|(w, q)| {
                let mut q = q.chars();
                format!("{}{w}{}", q.next().unwrap(), q.next().unwrap())
            }),
        2 => select(PUNCTUATION).prop_map(String::from),
        1 => select(CONTROLS).prop_map(String::from),
        1 => select(INVISIBLE).prop_map(String::from),
        2 => proptest::collection::vec(any::<char>(), 1..6)
            .prop_map(|cs| no_fences(cs.into_iter().collect())),
        1 => select(WORDS).prop_map(|w| w.to_uppercase()),
    ]
    .boxed()
}

/// The full-width form of an ASCII letter or digit, as some editors write them.
fn full_width(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        char::from_u32(c as u32 - 0x21 + 0xff01)
    } else {
        Some(c)
    }
}

/// A sentence: words with spaces (sometimes odd ones) between them and an ending.
fn sentence() -> BoxedStrategy<String> {
    let english = (
        proptest::collection::vec(
            (
                word(),
                prop_oneof![
                    12 => Just(" "),
                    1 => Just("  "),
                    1 => Just("\u{a0}"),
                    1 => Just("\t"),
                    1 => Just("\u{3000}"),
                    1 => Just(""),
                    1 => Just(", "),
                ],
            ),
            1..14,
        ),
        select(
            &[
                ".", ".", ".", "?", "!", "", "…", ".”", "?!", ":", ". ", "...", ";",
            ][..],
        ),
        any::<bool>(),
    )
        .prop_map(|(words, end, capital)| {
            let mut s = String::new();
            for (i, (w, sep)) in words.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                s.push_str(w);
            }
            if capital {
                s = capitalised(&s);
            }
            s.push_str(end);
            s
        });
    let chinese = (
        proptest::collection::vec(select(CHINESE), 2..12),
        select(&["。", "！", "？", "", "。”", ". "][..]),
    )
        .prop_map(|(words, end)| format!("{}{end}", words.concat()));
    prop_oneof![9 => english, 1 => chinese].boxed()
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn paragraph() -> BoxedStrategy<String> {
    proptest::collection::vec(sentence(), 1..5)
        .prop_map(|s| s.join(" "))
        .boxed()
}

/// A short title-cased line without a full stop: a heading in plain text.
fn heading_words() -> BoxedStrategy<String> {
    proptest::collection::vec(select(WORDS), 1..5)
        .prop_map(|w| {
            w.iter()
                .map(|w| capitalised(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .boxed()
}

fn line_ending() -> BoxedStrategy<&'static str> {
    select(&["\n", "\n", "\r\n", "\r", "\u{2028}", "\u{85}"][..]).boxed()
}

/// A plain-text post: headings, paragraphs (a line each, or hard-wrapped), blank lines, page
/// furniture and noise, with one line ending or a mix.
fn plain_post() -> BoxedStrategy<String> {
    let line = prop_oneof![
        6 => paragraph(),
        2 => heading_words(),
        2 => Just(String::new()),
        1 => select(&["Leave a Reply", "Share this:", "发表回复", "Like this:", "Related"][..])
            .prop_map(String::from),
        1 => any::<String>(),
        1 => Just("   ".to_string()),
    ];
    (
        proptest::collection::vec((line, line_ending()), 1..14),
        line_ending(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, ending, mixed, bom)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            for (line, own) in lines {
                text.push_str(&line);
                text.push_str(if mixed { own } else { ending });
            }
            text
        })
        .boxed()
}

/// A word with inline Markdown around it.
fn markdown_inline() -> BoxedStrategy<String> {
    prop_oneof![
        10 => word().prop_map(no_fences),
        1 => word().prop_map(|w| format!("**{}**", no_fences(w))),
        1 => word().prop_map(|w| format!("*{}*", no_fences(w))),
        1 => word().prop_map(|w| format!("_{}_", no_fences(w))),
        1 => select(WORDS).prop_map(|w| format!("`{w}`")),
        1 => (select(WORDS), select(URLS)).prop_map(|(w, u)| format!("[{w}]({u})")),
        1 => select(WORDS).prop_map(|w| format!("~~{w}~~")),
        1 => select(WORDS).prop_map(|w| format!("<span class=\"x\">{w}</span>")),
        1 => select(WORDS).prop_map(|w| format!("![{w}](img.png \"t\")")),
        1 => Just("[^1]".to_string()),
        1 => Just("<https://example.org/auto>".to_string()),
        1 => Just("\\*not emphasis\\*".to_string()),
        1 => Just("&amp; &copy; &#8217;".to_string()),
        1 => Just("[dangling][nowhere]".to_string()),
        1 => Just("  \n".to_string()),
    ]
    .boxed()
}

fn markdown_text() -> BoxedStrategy<String> {
    proptest::collection::vec(
        (markdown_inline(), select(&[" ", " ", " ", ". ", ", "][..])),
        1..12,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (p, sep) in parts {
            s.push_str(&p);
            s.push_str(sep);
        }
        s.trim_end().to_string()
    })
    .boxed()
}

/// One Markdown block, written with `\n` (line endings are changed for the whole post).
fn markdown_block() -> BoxedStrategy<String> {
    prop_oneof![
        8 => markdown_text(),
        2 => (1..=6usize, markdown_text()).prop_map(|(l, t)| format!("{} {t}", "#".repeat(l))),
        1 => (heading_words(), select(&["===", "---", "=", "-----"][..]))
            .prop_map(|(h, u)| format!("{h}\n{u}")),
        2 => proptest::collection::vec(
            (
                0..3usize,
                select(&["-", "*", "+", "1.", "2)", "- [ ]", "- [x]", "10."][..]),
                markdown_text(),
            ),
            1..6,
        )
        .prop_map(|items| {
            items
                .iter()
                .map(|(depth, marker, text)| format!("{}{marker} {text}", "  ".repeat(*depth)))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        2 => (proptest::collection::vec((markdown_text(), 1..4usize, any::<bool>()), 1..4))
            .prop_map(|lines| {
                lines
                    .iter()
                    .map(|(text, depth, lazy)| {
                        if *lazy {
                            text.clone()
                        } else {
                            format!("{} {text}", ">".repeat(*depth))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
        1 => (select(&["```", "~~~", "````"][..]), select(&["", "rust", "md"][..]), sentence())
            .prop_map(|(fence, lang, s)| {
                format!("{fence}{lang}\n{NEVER_CITED} {}\n{NEVER_CITED}\n{fence}", no_fences(s))
            }),
        1 => sentence().prop_map(|s| format!("<script>\nvar {NEVER_CITED} = \"{}\";\n</script>", no_fences(s))),
        1 => (proptest::collection::vec(select(WORDS), 2..4), proptest::collection::vec(
            proptest::collection::vec(word().prop_map(|w| no_fences(w).replace('|', "/")), 2..4),
            1..4,
        ))
        .prop_map(|(header, rows)| {
            let mut t = format!("| {} |\n", header.join(" | "));
            t.push_str(&format!("|{}|\n", vec!["---"; header.len()].join("|")));
            for row in rows {
                t.push_str(&format!("| {} |\n", row.join(" | ")));
            }
            t.trim_end().to_string()
        }),
        1 => select(&["---", "***", "___", "- - -"][..]).prop_map(String::from),
        1 => markdown_text().prop_map(|t| format!("<div class=\"note\">\n{t}\n</div>")),
        1 => markdown_text().prop_map(|t| format!("[^1]: {t}")),
        1 => Just("[ref]: https://example.org/ref \"Title\"".to_string()),
        1 => any::<String>().prop_map(no_fences),
        1 => markdown_text().prop_map(|t| format!("> [!NOTE]\n> {t}")),
    ]
    .boxed()
}

/// YAML or TOML front matter: ordinary, odd (folded titles, lists, unknown keys), broken or unclosed.
fn front_matter() -> BoxedStrategy<String> {
    let title = prop_oneof![
        heading_words(),
        sentence().prop_map(|s| no_fences(s).replace('\n', " ")),
        Just(">\n  folded title\n  on two lines".to_string()),
        Just("\"quoted \\\" title\"".to_string()),
        Just("[a, list]".to_string()),
        Just("&anchor Title".to_string()),
    ];
    prop_oneof![
        (
            title.clone(),
            select(URLS),
            select(NAMES),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(title, url, author, typo, closed)| {
                let mut f = format!(
                    "---\ntitle: {title}\nurl: {url}\nauthor: {author}\ndate: 2024-05-01\n"
                );
                if typo {
                    f.push_str("titel: misspelt\ntags:\n  - a\n  - b\nextra: {k: v}\n");
                }
                if closed {
                    f.push_str("---\n");
                }
                f
            }),
        (title, select(URLS)).prop_map(|(title, url)| {
            format!(
                "+++\ntitle = {:?}\nurl = {url:?}\ndate = 2024-05-01\n+++\n",
                title
            )
        }),
        Just("---\n: : bad yaml [\n---\n".to_string()),
        Just("+++\ntitle = \n+++\n".to_string()),
        Just("---\n---\n".to_string()),
    ]
    .boxed()
}

fn markdown_post() -> BoxedStrategy<String> {
    (
        proptest::option::weighted(0.4, front_matter()),
        proptest::collection::vec(
            (
                markdown_block(),
                select(&["\n\n", "\n\n", "\n\n", "\n", "\n\n\n"][..]),
            ),
            1..10,
        ),
        // CommonMark's line endings (a Unicode line separator is text there).
        select(&["\n", "\n", "\r\n", "\r"][..]),
        any::<bool>(),
    )
        .prop_map(|(front, blocks, ending, bom)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&front.unwrap_or_default());
            for (block, gap) in blocks {
                // A code block is kept apart from what comes before and after it, so that the
                // fence opens and closes where it is written.
                let fenced = block.starts_with(['`', '~', '<']);
                if fenced {
                    text.push_str("\n\n");
                }
                text.push_str(&block);
                text.push_str(if fenced { "\n\n" } else { gap });
            }
            if ending == "\n" {
                text
            } else {
                text.replace('\n', ending)
            }
        })
        .boxed()
}

/// HTML-escapes nothing on purpose: stray `<` and `&` in text are part of the test.
fn html_text() -> BoxedStrategy<String> {
    let inline = prop_oneof![
        10 => html_word(),
        1 => html_word().prop_map(|w| format!("<b>{w}</b>")),
        1 => html_word().prop_map(|w| format!("<i>{w}</i>")),
        1 => (html_word(), select(URLS)).prop_map(|(w, u)| format!("<a href=\"{u}\">{w}</a>")),
        1 => html_word().prop_map(|w| format!("<span>{w}</span>")),
        1 => html_word().prop_map(|w| format!("<code>{w}</code>")),
        1 => Just("<br>".to_string()),
        1 => select(&[
            "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#8217;", "&#x2014;", "&nbsp;", "&copy",
            "&bogus;", "&#0;", "&#x110000;", "&#xD800;", "&amp;amp;", "&", "AT&amp;T",
        ][..])
        .prop_map(String::from),
        1 => Just(format!("<span hidden>{NEVER_CITED}</span>")),
        1 => Just(format!("<!-- {NEVER_CITED} -->")),
        1 => Just(format!("<script>document.write('{NEVER_CITED}')</script>")),
        1 => Just("</p>".to_string()),
        1 => Just("<p>".to_string()),
        1 => Just("</div>".to_string()),
    ];
    proptest::collection::vec(inline, 1..14)
        .prop_map(|parts| parts.join(" "))
        .boxed()
}

/// A word for HTML text. A stray `<` stays text only when no letter, `/`, `!` or `?` follows it:
/// otherwise it opens a tag, as in any browser ("<A <script>…" is an `a` tag whose attribute
/// swallows the `<script>`, and the script's text is then shown).
fn html_word() -> BoxedStrategy<String> {
    word()
        .prop_map(|w| {
            let mut out = String::new();
            let mut chars = w.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(c);
                if c == '<'
                    && chars
                        .peek()
                        .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
                {
                    out.push(' ');
                }
            }
            out
        })
        .boxed()
}

/// A part of an HTML page that must never be cited.
fn html_furniture() -> BoxedStrategy<String> {
    select(
        &[
            "<nav>{}</nav>",
            "<header>{}</header>",
            "<footer>{}</footer>",
            "<aside>{}</aside>",
            "<form><label>{}</label><input value=\"x\"></form>",
            "<div hidden>{}</div>",
            "<div aria-hidden=\"true\">{}</div>",
            "<div class=\"comments-area\"><p>{}</p></div>",
            "<div id=\"sidebar\"><p>{}</p></div>",
            "<section class=\"sd-sharing\"><p>{}</p></section>",
            "<div role=\"navigation\">{}</div>",
            "<style>.{} {{ color: red }}</style>",
            "<script>var {} = 1;</script>",
            "<noscript>{}</noscript>",
            "<template><p>{}</p></template>",
            "<svg><text>{}</text></svg>",
            "<button>{}</button>",
            "<!-- {} -->",
        ][..],
    )
    .prop_map(|t| {
        t.replace("{}", NEVER_CITED)
            .replace("{{", "{")
            .replace("}}", "}")
    })
    .boxed()
}

fn html_block() -> BoxedStrategy<String> {
    prop_oneof![
        6 => html_text().prop_map(|t| format!("<p>{t}</p>")),
        1 => html_text().prop_map(|t| format!("<p>{t}")),
        2 => (1..=6usize, html_text()).prop_map(|(l, t)| format!("<h{l}>{t}</h{l}>")),
        2 => proptest::collection::vec(html_text(), 1..5).prop_map(|items| {
            let items: String = items.iter().map(|i| format!("<li>{i}</li>")).collect();
            format!("<ul>{items}</ul>")
        }),
        1 => proptest::collection::vec(html_text(), 1..4)
            .prop_map(|items| format!("<ol><li>{}<ul><li>nested</li></ul></ol>", items.join("<li>"))),
        1 => html_text().prop_map(|t| format!("<blockquote><p>{t}</p></blockquote>")),
        1 => html_text().prop_map(|t| format!("<pre>{t}\n  indented\tline</pre>")),
        1 => proptest::collection::vec(html_text(), 1..4).prop_map(|cells| {
            let cells: String = cells.iter().map(|c| format!("<td>{c}</td>")).collect();
            format!("<table><tr><th>Head</th></tr><tr>{cells}</tr></table>")
        }),
        1 => html_text().prop_map(|t| format!("<figure><img src=x><figcaption>{t}</figcaption></figure>")),
        1 => html_text().prop_map(|t| format!("<div><div><section>{t}</section></div></div>")),
        1 => html_text(),
        1 => html_furniture(),
        1 => (1..40usize, select(&["div", "span", "blockquote", "section"][..]), html_text())
            .prop_map(|(depth, tag, t)| {
                format!("{}{t}{}", format!("<{tag}>").repeat(depth), format!("</{tag}>").repeat(depth))
            }),
        1 => (1..20usize, html_text()).prop_map(|(depth, t)| {
            format!("{}{t}{}", "<ul><li>".repeat(depth), "</li></ul>".repeat(depth))
        }),
    ]
    .boxed()
}

/// Head parts: title, metadata tags with odd urls, styles and scripts.
fn html_head() -> BoxedStrategy<String> {
    (
        heading_words(),
        select(URLS),
        select(NAMES),
        html_furniture(),
    )
        .prop_map(|(title, url, author, furniture)| {
            format!(
                "<head><meta charset=\"utf-8\"><title>{title}</title>\
                 <link rel=\"canonical\" href=\"{url}\"><meta name=\"author\" content=\"{author}\">\
                 <meta property=\"article:published_time\" content=\"2024-05-01\">\
                 <style>p {{ color: red }} /* {NEVER_CITED} */</style>{furniture}</head>"
            )
        })
        .boxed()
}

fn html_post() -> BoxedStrategy<String> {
    let page = (
        any::<bool>(),
        proptest::option::of(html_head()),
        proptest::collection::vec(html_furniture(), 0..3),
        proptest::collection::vec(html_block(), 1..10),
        select(&["article", "main", "div role=\"main\"", "body", "none"][..]),
        proptest::collection::vec(html_furniture(), 0..2),
    )
        .prop_map(|(doctype, head, before, blocks, wrapper, after)| {
            let mut page = String::new();
            if doctype {
                page.push_str("<!DOCTYPE html>\n<html lang=\"en\">");
            }
            page.push_str(&head.unwrap_or_default());
            page.push_str("<body>");
            page.push_str(&before.concat());
            let close = wrapper.split(' ').next().unwrap_or_default();
            if wrapper != "none" && wrapper != "body" {
                page.push_str(&format!("<{wrapper}>"));
            }
            page.push_str(&blocks.join("\n"));
            if wrapper != "none" && wrapper != "body" {
                page.push_str(&format!("</{close}>"));
            }
            page.push_str(&after.concat());
            page.push_str("</body></html>\n");
            page
        });
    // Past the nesting limit (512): the post is skipped, never a crash.
    let deep = (
        490..600usize,
        select(&["div", "span", "ul><li"][..]),
        paragraph(),
    )
        .prop_map(|(depth, tag, text)| {
            let close: String = tag
                .split('>')
                .rev()
                .map(|t| format!("</{}>", t.trim_start_matches('<')))
                .collect::<Vec<_>>()
                .join("");
            format!(
                "<html><body><p>{text}</p>{}<p>{text}</p>{}</body></html>",
                format!("<{tag}>").repeat(depth),
                close.repeat(depth)
            )
        });
    prop_oneof![20 => page, 1 => deep, 1 => any::<String>()].boxed()
}

/// The formats citebot reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Plain,
    Markdown,
    Html,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Plain => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// A generated post file.
#[derive(Debug, Clone)]
struct Post {
    format: Format,
    text: String,
    /// Written in the format of its extension (not Markdown in a `.html` file, say), so that
    /// what its markup hides is known.
    native: bool,
}

fn post() -> BoxedStrategy<Post> {
    prop_oneof![
        2 => plain_post().prop_map(|text| Post { format: Format::Plain, text, native: true }),
        2 => markdown_post().prop_map(|text| Post { format: Format::Markdown, text, native: true }),
        1 => html_post().prop_map(|text| Post { format: Format::Html, text, native: true }),
        // Any format with text of another: Markdown in a .txt, a page in a .md ...
        1 => (post_text_of_any_format(), select(&[Format::Plain, Format::Markdown, Format::Html][..]))
            .prop_map(|(text, format)| Post { format, text, native: false }),
    ]
    .boxed()
}

fn post_text_of_any_format() -> BoxedStrategy<String> {
    prop_oneof![plain_post(), markdown_post(), html_post()].boxed()
}

// ---------------------------------------------------------------------------------------------
// Questions

/// How a word taken from a post is changed before it goes into a question.
#[derive(Debug, Clone)]
enum Change {
    None,
    DropChar(Index),
    SwapChars(Index),
    DoubleChar(Index),
    ReplaceChar(Index, char),
    Upper,
    Lower,
    Invisible(Index, char),
    Decomposed,
    NoHyphen,
    Bare,
}

fn change() -> BoxedStrategy<Change> {
    prop_oneof![
        12 => Just(Change::None),
        1 => any::<Index>().prop_map(Change::DropChar),
        1 => any::<Index>().prop_map(Change::SwapChars),
        1 => any::<Index>().prop_map(Change::DoubleChar),
        1 => (any::<Index>(), prop_oneof![proptest::char::range('a', 'z'), any::<char>()])
            .prop_map(|(i, c)| Change::ReplaceChar(i, c)),
        1 => Just(Change::Upper),
        1 => Just(Change::Lower),
        1 => (any::<Index>(), select(INVISIBLE)).prop_map(|(i, c)| Change::Invisible(i, c)),
        1 => Just(Change::Decomposed),
        1 => Just(Change::NoHyphen),
        4 => Just(Change::Bare),
    ]
    .boxed()
}

impl Change {
    fn apply(&self, word: &str) -> String {
        let mut chars: Vec<char> = word.chars().collect();
        match self {
            Change::None => return word.to_string(),
            Change::DropChar(i) if !chars.is_empty() => {
                chars.remove(i.index(chars.len()));
            }
            Change::SwapChars(i) if chars.len() > 1 => {
                let at = i.index(chars.len() - 1);
                chars.swap(at, at + 1);
            }
            Change::DoubleChar(i) if !chars.is_empty() => {
                let at = i.index(chars.len());
                chars.insert(at, chars[at]);
            }
            Change::ReplaceChar(i, c) if !chars.is_empty() => {
                let at = i.index(chars.len());
                chars[at] = *c;
            }
            Change::Invisible(i, c) => chars.insert(i.index(chars.len() + 1), *c),
            Change::Upper => return word.to_uppercase(),
            Change::Lower => return word.to_lowercase(),
            Change::Decomposed => return word.nfd().collect(),
            Change::NoHyphen => return word.replace('-', ""),
            Change::Bare => {
                return word
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_string()
            }
            _ => {}
        }
        chars.into_iter().collect()
    }
}

/// Query syntax a member might type, around or inside the question.
#[derive(Debug, Clone, Copy)]
enum Syntax {
    None,
    Quoted,
    Minus,
    Star,
    Field,
    Boolean,
    Parens,
}

/// A question, resolved against the posts' words when the case runs.
#[derive(Debug, Clone)]
enum QuestionPlan {
    /// An opener, words of the posts (changed), and an ending.
    FromPosts {
        opener: &'static str,
        words: Vec<(Index, Change)>,
        extra: Vec<String>,
        syntax: Syntax,
        closer: &'static str,
    },
    /// A sentence that need not share anything with the posts.
    Free(String),
    /// Empty or white space only (refused).
    Blank(String),
    /// A post's word repeated to about `chars` characters (over the limit, or just under it).
    Long { word: Index, chars: usize },
    /// Any string at all.
    Random(String),
}

const OPENERS: &[&str] = &[
    "How many",
    "How much",
    "What is",
    "What",
    "Who",
    "Who wrote",
    "When",
    "Where",
    "Which",
    "Why",
    "Is",
    "Does",
    "What does",
    "What percentage of",
    "多少",
    "谁",
    "哪里",
    "什么时候",
    "",
    "",
    "",
    "what's the",
    "WHEN WAS",
    "\u{feff}how many",
    "In what year",
];

const CLOSERS: &[&str] = &[
    "?",
    "?",
    "",
    " ?",
    "??",
    "!",
    "...",
    "？",
    " stand for?",
    "?\n",
    " \u{200b}",
    ".",
];

fn question_plan() -> BoxedStrategy<QuestionPlan> {
    prop_oneof![
        12 => (
            select(OPENERS),
            proptest::collection::vec((any::<Index>(), change()), 1..6),
            proptest::collection::vec(prop_oneof![select(WORDS).prop_map(String::from), word()], 0..2),
            prop_oneof![
                10 => Just(Syntax::None),
                1 => Just(Syntax::Quoted),
                1 => Just(Syntax::Minus),
                1 => Just(Syntax::Star),
                1 => Just(Syntax::Field),
                1 => Just(Syntax::Boolean),
                1 => Just(Syntax::Parens),
            ],
            select(CLOSERS),
        )
            .prop_map(|(opener, words, extra, syntax, closer)| QuestionPlan::FromPosts {
                opener,
                words,
                extra,
                syntax,
                closer,
            }),
        2 => sentence().prop_map(QuestionPlan::Free),
        1 => select(&["", " ", "\t\n", "\u{3000}", "\u{a0} \u{2028}", "\r\n"][..])
            .prop_map(|s| QuestionPlan::Blank(s.to_string())),
        1 => (any::<Index>(), prop_oneof![Just(1_001usize), 900..1_200usize, 5_000..6_000usize])
            .prop_map(|(word, chars)| QuestionPlan::Long { word, chars }),
        1 => any::<String>().prop_map(QuestionPlan::Random),
        1 => select(&["?!*", "\"\"", "-", "*", "foo:bar", "AND OR NOT", "()", "\u{feff}", "¿¡"][..])
            .prop_map(|s| QuestionPlan::Random(s.to_string())),
    ]
    .boxed()
}

impl QuestionPlan {
    /// The question, with `words` the words of the posts.
    fn resolve(&self, words: &[&str]) -> String {
        let pick = |i: &Index| -> &str {
            if words.is_empty() {
                "harbour"
            } else {
                words[i.index(words.len())]
            }
        };
        match self {
            QuestionPlan::FromPosts {
                opener,
                words: picked,
                extra,
                syntax,
                closer,
            } => {
                let mut parts: Vec<String> = picked.iter().map(|(i, c)| c.apply(pick(i))).collect();
                parts.extend(extra.iter().cloned());
                match syntax {
                    Syntax::None => {}
                    Syntax::Quoted => {
                        parts = vec![format!("\"{}\"", parts.join(" "))];
                    }
                    Syntax::Minus => parts[0] = format!("-{}", parts[0]),
                    Syntax::Star => parts[0] = format!("{}*", parts[0]),
                    Syntax::Field => parts[0] = format!("title:{}", parts[0]),
                    Syntax::Boolean => parts.insert(1.min(parts.len()), "AND".to_string()),
                    Syntax::Parens => parts = vec![format!("({})", parts.join(" OR "))],
                }
                let body = parts.join(" ");
                if opener.is_empty() {
                    format!("{body}{closer}")
                } else {
                    format!("{opener} {body}{closer}")
                }
            }
            QuestionPlan::Free(s) | QuestionPlan::Blank(s) | QuestionPlan::Random(s) => s.clone(),
            QuestionPlan::Long { word, chars } => {
                let w = pick(word);
                let mut q = String::new();
                while q.chars().count() < *chars {
                    q.push_str(w);
                    q.push(' ');
                }
                q.chars().take(*chars).collect()
            }
        }
    }
}

/// A generated case: a few posts and questions about them.
#[derive(Debug, Clone)]
struct Case {
    posts: Vec<Post>,
    questions: Vec<QuestionPlan>,
}

fn case() -> BoxedStrategy<Case> {
    (
        proptest::collection::vec(post(), 1..4),
        proptest::collection::vec(question_plan(), 1..6),
    )
        .prop_map(|(posts, questions)| Case { posts, questions })
        .boxed()
}

/// File names for the posts, some in a folder or with spaces and accents.
fn post_name(i: usize, format: Format) -> String {
    let stem = match i % 3 {
        0 => format!("post-{i}"),
        1 => format!("guides/sous dossier {i}"),
        _ => format!("crème brûlée {i}"),
    };
    format!("{stem}.{}", format.extension())
}

impl Case {
    fn write(&self, dir: &Path) -> Vec<(String, Post)> {
        let mut written = Vec::new();
        for (i, post) in self.posts.iter().enumerate() {
            let name = post_name(i, post.format);
            let path = dir.join(&name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &post.text).unwrap();
            written.push((name, post.clone()));
        }
        written
    }

    fn questions(&self) -> Vec<String> {
        let words: Vec<&str> = self
            .posts
            .iter()
            .flat_map(|p| p.text.split_whitespace())
            .collect();
        self.questions.iter().map(|q| q.resolve(&words)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The properties

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(TestCaseError::fail(format!($($fmt)+)));
        }
    };
}

/// The number of cases: `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        // Failures are turned into regular regression tests by hand, not into files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn run(
    cases: u32,
    strategy: impl Strategy<Value = Case>,
    test: fn(&Case) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(config(cases));
    if let Err(e) = runner.run(&strategy, |case| test(&case)) {
        panic!("{e}");
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || analysis::is_ignorable(c)
}

/// Checks the posts as loaded: the text kept is the file's, passages and sentences are
/// in-bounds, ordered, trimmed ranges, and hidden or code parts are not in them.
fn check_documents(engine: &Loaded, written: &[(String, Post)]) -> Result<(), TestCaseError> {
    for doc in engine.documents() {
        let Some((_, post)) = written.iter().find(|(name, _)| *name == doc.id) else {
            return Err(TestCaseError::fail(format!(
                "unknown document {:?}",
                doc.id
            )));
        };
        match post.format {
            Format::Html if !post.native => {}
            Format::Html => ensure!(
                !doc.source.contains(NEVER_CITED),
                "{}: the article text holds page furniture, code or hidden text: {:?}",
                doc.id,
                doc.source
            ),
            _ => ensure!(
                doc.source == post.text,
                "{}: the source is not the file's text",
                doc.id
            ),
        }
        ensure!(
            !doc.passages.is_empty(),
            "{}: a post without passages was kept",
            doc.id
        );
        let mut last_end = 0;
        for (i, passage) in doc.passages.iter().enumerate() {
            let range = &passage.range;
            ensure!(passage.paragraph == i + 1, "{}: paragraph numbers", doc.id);
            let text = doc.source.get(range.clone());
            ensure!(
                text.is_some(),
                "{}: passage {range:?} is not a char range of the source",
                doc.id
            );
            let text = text.unwrap();
            ensure!(
                range.start >= last_end,
                "{}: passage {range:?} overlaps or precedes the one before (ending at {last_end})",
                doc.id
            );
            last_end = range.end;
            check_trimmed(text, &doc.id)?;
            if post.format == Format::Markdown && post.native {
                ensure!(
                    !text.contains(NEVER_CITED),
                    "{}: a code block or HTML block is a passage: {text:?}",
                    doc.id
                );
            }
            ensure!(
                !passage.sentences.is_empty(),
                "{}: passage {range:?} has no sentences",
                doc.id
            );
            let mut sentence_end = range.start;
            for s in &passage.sentences {
                ensure!(
                    s.start >= sentence_end && s.end <= range.end,
                    "{}: sentence {s:?} is out of order or outside its passage {range:?}",
                    doc.id
                );
                sentence_end = s.end;
                let sentence = doc.source.get(s.clone());
                ensure!(
                    sentence.is_some(),
                    "{}: sentence {s:?} is not a char range",
                    doc.id
                );
                check_trimmed(sentence.unwrap(), &doc.id)?;
            }
        }
    }
    Ok(())
}

/// A cited passage or sentence has text, and starts and ends with neither white space nor an
/// invisible character.
fn check_trimmed(text: &str, doc: &str) -> Result<(), TestCaseError> {
    ensure!(!text.is_empty(), "{doc}: an empty passage or sentence");
    let first = text.chars().next().unwrap();
    let last = text.chars().next_back().unwrap();
    ensure!(
        !is_blank(first) && !is_blank(last),
        "{doc}: {text:?} starts or ends with white space or an invisible character"
    );
    Ok(())
}

/// Checks one citation against the post it cites.
fn check_citation(engine: &Loaded, c: &Citation) -> Result<(), TestCaseError> {
    let doc = engine.documents().iter().find(|d| d.id == c.document);
    ensure!(doc.is_some(), "citation of unknown post {:?}", c.document);
    let doc = doc.unwrap();
    ensure!(
        doc.source.get(c.start..c.end) == Some(c.text.as_str()),
        "{}: cited text {:?} is not the bytes {}..{} of the post ({:?})",
        c.document,
        c.text,
        c.start,
        c.end,
        doc.source.get(c.start..c.end)
    );
    check_trimmed(&c.text, &c.document)?;
    ensure!(
        (1..=doc.passages.len()).contains(&c.paragraph),
        "{}: paragraph {} of {}",
        c.document,
        c.paragraph,
        doc.passages.len()
    );
    let passage = &doc.passages[c.paragraph - 1];
    ensure!(
        passage.range.start <= c.start && c.end <= passage.range.end,
        "{}: cited {}..{} lies outside its paragraph {:?}",
        c.document,
        c.start,
        c.end,
        passage.range
    );
    ensure!(c.section == passage.section, "{}: section", c.document);
    ensure!(c.title == doc.title, "{}: title", c.document);
    let mut previous_end = 0;
    let mut words: Vec<&str> = Vec::new();
    for r in &c.highlight_ranges {
        ensure!(
            r.start >= previous_end,
            "{}: highlights out of order: {:?}",
            c.document,
            c.highlight_ranges
        );
        previous_end = r.end;
        let word = c.text.get(r.clone());
        ensure!(
            word.is_some_and(|w| !w.is_empty()),
            "{}: highlight {r:?} is not a word of {:?}",
            c.document,
            c.text
        );
        if !words.contains(&word.unwrap()) {
            words.push(word.unwrap());
        }
    }
    ensure!(
        c.highlights == words,
        "{}: highlights {:?} are not the highlighted words {words:?}",
        c.document,
        c.highlights
    );
    if let Some(link) = c.link() {
        ensure!(
            link.starts_with("http://") || link.starts_with("https://"),
            "{}: link {link:?} is not a web link",
            c.document
        );
        ensure!(
            !link.chars().any(|ch| ch.is_whitespace() || ch.is_control()),
            "{}: link {link:?} holds white space or control characters",
            c.document
        );
    }
    Ok(())
}

/// Checks one reply: the grounding promise, the JSON contract and the terminal rendering.
fn check_answer(engine: &Loaded, question: &str, answer: &Answer) -> Result<(), TestCaseError> {
    ensure!(
        answer.question == question,
        "the question is echoed as asked"
    );
    // Small talk is answered with a pointer to help, not from the posts.
    ensure!(
        answer.outcome != Outcome::SmallTalk
            || answer.citations.is_empty() && answer.answer.is_none(),
        "small talk cites nothing"
    );
    ensure!(
        answer.answered() || answer.answer.is_none(),
        "{question:?}: an uncovered question has a short answer {:?}",
        answer.answer
    );
    ensure!(
        answer.citations.len() <= engine.settings().citations,
        "more citations than asked for"
    );
    for c in &answer.citations {
        check_citation(engine, c)?;
    }
    for c in answer.citations.iter().skip(1) {
        ensure!(
            c.answer_range.is_none(),
            "a later citation holds the answer"
        );
    }
    let mut cited: Vec<(&str, usize)> = Vec::new();
    for c in &answer.citations {
        ensure!(
            !cited.contains(&(c.document.as_str(), c.paragraph)),
            "{question:?}: paragraph {} of {} is cited twice",
            c.paragraph,
            c.document
        );
        cited.push((&c.document, c.paragraph));
    }
    if let Some(short) = &answer.answer {
        let first = answer.citations.first();
        ensure!(
            first.is_some(),
            "{question:?}: a short answer {short:?} without a citation"
        );
        let first = first.unwrap();
        let range: Option<&Range<usize>> = first.answer_range.as_ref();
        ensure!(
            range.and_then(|r| first.text.get(r.clone())) == Some(short.as_str()),
            "{question:?}: short answer {short:?} is not the span {range:?} of its citation {:?}",
            first.text
        );
        check_trimmed(short, "the short answer")?;
    } else if let Some(first) = answer.citations.first() {
        ensure!(
            first.answer_range.is_none(),
            "{question:?}: an answer range without a short answer"
        );
    }

    // `ask --json` writes exactly this serialisation.
    let json = citebot_core::json::answer_line(answer);
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    ensure!(value["question"] == question, "JSON question");
    ensure!(value["answered"] == answer.answered(), "JSON answered");
    ensure!(
        value["answer"] == serde_json::json!(answer.answer),
        "JSON answer"
    );
    let citations = value["citations"].as_array();
    ensure!(
        citations.is_some_and(|c| c.len() == answer.citations.len()),
        "JSON citations"
    );
    for (v, c) in citations.unwrap().iter().zip(&answer.citations) {
        assert_citation_contract(v);
        ensure!(
            v["text"] == c.text.as_str() && v["start"] == c.start && v["end"] == c.end,
            "JSON citation {v}"
        );
    }

    let rendered = citebot_core::render::answer_text(answer);
    ensure!(
        !rendered.chars().any(|c| c.is_control() && c != '\n'),
        "{question:?}: the terminal text holds control characters: {rendered:?}"
    );
    Ok(())
}

/// Asks one question in every way the library offers and checks each reply.
fn check_question(engine: &Loaded, question: &str) -> Result<(), TestCaseError> {
    let chars = question.chars().count();
    match engine.ask(question) {
        Err(Error::EmptyQuestion) => ensure!(
            question.trim().is_empty(),
            "{question:?} was refused as empty"
        ),
        Err(Error::QuestionTooLong { chars: told, limit }) => ensure!(
            told == chars && chars > limit,
            "{question:?} ({chars} chars) was refused as too long ({told} > {limit})"
        ),
        // What is searched is the question without the chat around it (mentions, greetings).
        Err(Error::NoSearchableWords(_)) => ensure!(
            analysis::terms(&citebot_core::question::essence(question)).is_empty(),
            "{question:?} was refused for having no words to search"
        ),
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "{question:?}: unexpected error {e}"
            )))
        }
        Ok(answer) => {
            ensure!(
                !question.trim().is_empty() && chars <= engine.settings().max_question_chars,
                "{question:?} should have been refused"
            );
            check_answer(engine, question, &answer)?;

            let passages = engine.search(question, 4);
            ensure!(
                passages.is_ok(),
                "search {question:?} failed where ask did not"
            );
            for c in passages.unwrap() {
                check_citation(engine, &c)?;
                let doc = engine
                    .documents()
                    .iter()
                    .find(|d| d.id == c.document)
                    .unwrap();
                ensure!(
                    doc.passages[c.paragraph - 1].range == (c.start..c.end),
                    "search cites a whole passage"
                );
            }

            let only = &engine.documents()[0].id;
            let answer = engine.ask_in(question, 2, Some(only));
            ensure!(
                answer.is_ok(),
                "ask_in {question:?} failed where ask did not"
            );
            let answer = answer.unwrap();
            ensure!(
                answer.citations.iter().all(|c| c.document == *only),
                "ask_in {only:?} cites another post"
            );
            check_answer(engine, question, &answer)?;
        }
    }
    Ok(())
}

/// An engine and the posts it serves as read from their files, to check citations against.
struct Loaded {
    engine: Engine,
    docs: Vec<citebot_core::ingest::Document>,
}

impl Loaded {
    fn documents(&self) -> &[citebot_core::ingest::Document] {
        &self.docs
    }
}

impl std::ops::Deref for Loaded {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.engine
    }
}

fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let written = case.write(dir.path());
    let engine = match Engine::open(dir.path(), AnswerConfig::default()) {
        Ok(engine) => Loaded {
            engine,
            docs: citebot_core::ingest::load_dir(dir.path()).unwrap().0,
        },
        // Every post was empty or unreadable (unclosed front matter, nesting past the limit).
        Err(Error::NoPosts(_)) => return Ok(()),
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "the engine failed to open: {e}"
            )))
        }
    };
    check_documents(&engine, &written)?;
    for question in case.questions() {
        check_question(&engine, &question)?;
    }
    Ok(())
}

#[test]
fn every_citation_is_the_posts_bytes_and_every_answer_lies_in_its_citation() {
    run(ENGINE_CASES, case(), check_case);
}

#[test]
#[ignore = "long run, about 100,000 cases: see the README's Development section"]
fn grounding_holds_over_a_long_run() {
    run(LONG_RUN_CASES, case(), check_case);
}

/// The binary's batch mode over the same cases: one JSON line per question, each parsing, each
/// citation the bytes of its post; and the text mode never prints a control character.
fn check_cli(case: &Case) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    let written = case.write(&posts);
    // One question a line: line breaks inside a question would make it two.
    let questions: Vec<String> = case
        .questions()
        .iter()
        .map(|q| q.replace(['\n', '\r'], " "))
        .collect();
    let input = questions.join("\n") + "\n";
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_citebot"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("citebot runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["ask", "--json", "--docs", "posts", "-"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(!stderr.contains("panicked"), "citebot panicked: {stderr}");
    if stderr.contains("holds no posts") {
        return Ok(());
    }
    let stdout = String::from_utf8(out.stdout);
    ensure!(stdout.is_ok(), "--json output is not UTF-8");
    let stdout = stdout.unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    ensure!(
        lines.len() == questions.len(),
        "{} questions, {} reply lines: {stdout}",
        questions.len(),
        lines.len()
    );
    for (line, question) in lines.iter().zip(&questions) {
        let value: Result<serde_json::Value, _> = serde_json::from_str(line);
        ensure!(value.is_ok(), "{question:?}: reply does not parse: {line}");
        let value = value.unwrap();
        ensure!(
            value["question"] == question.as_str() || value.get("error").is_some(),
            "{question:?}: echoed as {}",
            value["question"]
        );
        for c in value["citations"].as_array().into_iter().flatten() {
            assert_citation_contract(c);
            let id = c["document"].as_str().unwrap_or_default();
            let Some((_, post)) = written.iter().find(|(name, _)| name == id) else {
                return Err(TestCaseError::fail(format!(
                    "citation of unknown post {id:?}"
                )));
            };
            if post.format != Format::Html {
                let (start, end) = (
                    c["start"].as_u64().unwrap() as usize,
                    c["end"].as_u64().unwrap() as usize,
                );
                ensure!(
                    post.text.get(start..end) == c["text"].as_str(),
                    "{id}: cited {start}..{end} is not the file's bytes: {c}"
                );
            }
        }
    }
    let text = run(&["ask", "--docs", "posts", "-"]);
    let stderr = String::from_utf8_lossy(&text.stderr);
    ensure!(!stderr.contains("panicked"), "citebot panicked: {stderr}");
    let shown = String::from_utf8_lossy(&text.stdout);
    ensure!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "the terminal text holds control characters: {shown:?}"
    );
    Ok(())
}

#[test]
fn the_binary_answers_generated_questions_in_parsable_json() {
    run(CLI_CASES, case(), check_cli);
}

/// Text for the tokenizer: generated posts and questions, and any string.
fn any_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => paragraph(),
        1 => post_text_of_any_format(),
        2 => any::<String>(),
        1 => proptest::collection::vec(
            prop_oneof![
                select(INVISIBLE),
                select(COMBINING),
                select(CONTROLS),
                select(&['-', '‐', '–', '\'', '’', '&', '.', ',', 'a', 'é', '1', '港', ' '][..]),
            ],
            0..24,
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
    .boxed()
}

/// `analysis::terms`: every word is a char range of the text, starts with a letter or digit and
/// ends on neither white space nor an invisible character; the words come in order without
/// overlapping, numbered one after another; a compound's joined form follows its parts and spans
/// them; and each word is analysed as `analysis::stem` analyses it on its own.
fn check_terms(text: &str) -> Result<(), TestCaseError> {
    let terms = analysis::terms(text);
    let mut previous: Option<&analysis::Term> = None;
    let mut words: Vec<&analysis::Term> = Vec::new();
    for t in &terms {
        let written = text.get(t.range.clone());
        ensure!(
            written.is_some_and(|w| !w.is_empty()),
            "term {t:?} is not a non-empty char range of {text:?}"
        );
        let written = written.unwrap();
        ensure!(!t.text.is_empty(), "term {t:?} has no text ({text:?})");
        let first = written.chars().next().unwrap();
        ensure!(
            first.is_alphanumeric() && !is_blank(first),
            "term {t:?} ({written:?}) does not start with a letter or digit"
        );
        ensure!(
            !is_blank(written.chars().next_back().unwrap()),
            "term {t:?} ({written:?}) ends with white space or an invisible character"
        );
        if t.joined {
            let parts: Vec<&&analysis::Term> = words
                .iter()
                .filter(|w| w.range.start >= t.range.start && w.range.end <= t.range.end)
                .collect();
            ensure!(
                parts.len() >= 2
                    && parts[0].range.start == t.range.start
                    && parts.last().unwrap().range.end == t.range.end
                    && parts[0].position == t.position
                    && previous.is_some_and(|p| p.range.end == t.range.end),
                "joined term {t:?} does not follow and span its parts ({text:?})"
            );
        } else {
            if let Some(last) = words.last() {
                ensure!(
                    last.range.end <= t.range.start && t.position == last.position + 1,
                    "term {t:?} after {last:?} is out of order ({text:?})"
                );
            } else {
                ensure!(t.position == 0, "the first term {t:?} is not at position 0");
            }
            if !analysis::is_cjk_word(&t.text) {
                let alone = analysis::stem(written);
                ensure!(
                    alone == t.text,
                    "{written:?} is analysed as {:?} in {text:?} but as {alone:?} alone",
                    t.text
                );
            }
            words.push(t);
        }
        previous = Some(t);
    }
    Ok(())
}

#[test]
fn terms_are_ordered_char_ranges_of_the_text() {
    let mut runner = TestRunner::new(config(TERMS_CASES));
    if let Err(e) = runner.run(&any_text(), |text| check_terms(&text)) {
        panic!("{e}");
    }
}
