//! Post formats through the public API, on fixture posts written here: HTML pages whose page
//! furniture (navigation, share widgets, comment forms, footers) must never be cited, Chinese and
//! mixed Chinese and English posts asked in Chinese, citation links that open the post at the
//! cited sentence, and questions limited to one post.

use citebot_core::Error;

use crate::testbot::{assert_citation_contract, TestBot};

/// A blog page as a CMS exports it: the article sits among navigation, a share widget, a
/// comment form with a reader's comment, related posts and a footer, all holding words a question
/// could match.
const HARBOUR_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour News | Tidewatch Blog</title>
<link rel="canonical" href="https://tidewatch.example/2024/harbour-news">
<meta name="author" content="Marta Silva">
<meta property="article:published_time" content="2024-03-02T09:00:00Z">
<style>.lighthouse { display: none }</style>
<script>window.stats = { lighthouse: "the lighthouse keeper counts 900 gulls" };</script>
</head><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/lighthouse">The lighthouse tour</a></nav></header>
<main>
<article class="post">
  <header class="entry-header"><h1>Harbour News</h1><span class="byline">by Marta</span></header>
  <div class="entry-content">
    <p>The harbour now handles cargo from over 70 countries and territories.</p>
    <h2>Fishing</h2>
    <p>More than 1,500 registered fishing boats use the port, and the
       new co-operative pays fishers a fair price.</p>
    <div class="sharedaddy sd-sharing"><h3>Share this:</h3><ul><li><a>Twitter</a></li><li><a>Facebook</a></li></ul></div>
  </div>
</article>
<section id="comments" class="comments-area">
  <h2>2 comments</h2>
  <article class="comment"><p>Great post! My uncle says the lighthouse keeper counts 900 gulls every morning.</p></article>
  <div id="respond"><h3>Leave a Reply</h3><form><label>Comment</label><textarea></textarea><button>Post Comment</button></form></div>
</section>
<aside class="related-posts"><h3>Related</h3><p>The lighthouse reopens after a 3 million pound repair.</p></aside>
</main>
<footer class="site-footer"><p>© 2024 Tidewatch. The lighthouse gift shop is open daily.</p></footer>
</body></html>"#;

/// A Chinese post with front matter and sections.
const LANTERNS: &str = "---
title: 河畔镇的灯笼节
url: https://lanterns.example/zh/festival
---
# 河畔镇的灯笼节

## 节日的由来

河畔镇的灯笼节始于1998年，由退休教师王秀兰发起。当时只有三十多户人家参加。

## 今天的规模

如今，灯笼节每年吸引超过12000名游客，来自全国20多个省份和地区。志愿者团队共有85名成员。

节日在每年农历正月十五举行，地点设在老码头广场。

## 手艺

因为年轻人大多外出打工，扎灯笼的传统手艺面临失传，所以镇上开办了免费的培训班。培训班使用LED灯和竹子制作新式灯笼。
";

const BEES: &str = "---
title: Urban Bees
url: https://bees.example/urban
---
# Urban Bees

The bee club keeps 14 hives on the library roof and has 9 members.
";

fn harbour_page() -> TestBot {
    TestBot::new().post("harbour-news.html", HARBOUR_PAGE)
}

#[test]
fn html_article_is_indexed_and_cited_with_its_metadata() {
    let mut bot = harbour_page();
    let answer = bot.answers_exactly(
        "How many countries does the harbour handle cargo from?",
        "over 70",
    );
    let top = &answer.citations[0];
    assert_eq!(top.document, "harbour-news.html");
    assert_eq!(top.title, "Harbour News");
    assert_eq!(
        top.url.as_deref(),
        Some("https://tidewatch.example/2024/harbour-news")
    );
    assert_eq!(top.paragraph, 1);
    // Offsets point into the extracted article text, which is what is cited.
    let doc = citebot_core::ingest::load_file(
        &bot.dir().join("harbour-news.html"),
        "harbour-news.html".into(),
    )
    .unwrap();
    assert_eq!(&doc.source[top.start..top.end], top.text);
    assert_eq!(doc.author.as_deref(), Some("Marta Silva"));
    assert_eq!(doc.date.as_deref(), Some("2024-03-02T09:00:00Z"));
    assert!(!doc.source.contains('<'), "no markup in {:?}", doc.source);

    let fishing = bot.answers_exactly(
        "How many registered fishing boats does the port have?",
        "More than 1,500",
    );
    assert_eq!(fishing.citations[0].section.as_deref(), Some("Fishing"));
    // The hard-wrapped HTML paragraph is one sentence with its white space collapsed.
    assert!(fishing.citations[0].text.contains("the new co-operative"));
}

#[test]
fn html_page_furniture_is_never_cited() {
    let mut bot = harbour_page();
    // Only the comments, the related posts, the footer, the navigation and the script speak of
    // the lighthouse.
    bot.abstains("How many gulls does the lighthouse keeper count?");
    bot.abstains("When is the lighthouse gift shop open?");
    for query in [
        "lighthouse",
        "Leave a Reply comment",
        "Twitter Facebook share",
    ] {
        let found = bot.engine().search(query, 5).unwrap();
        for c in &found {
            for furniture in ["lighthouse", "Reply", "Twitter", "Share", "©", "Home"] {
                assert!(
                    !c.text.contains(furniture),
                    "{query:?} cited page furniture: {:?}",
                    c.text
                );
            }
        }
    }
    let posts = bot.engine().posts();
    assert_eq!(posts[0].passages, 2, "two article paragraphs: {posts:?}");
}

#[test]
fn a_page_nested_too_deep_is_skipped_with_a_warning_and_the_rest_answered() {
    // 40,000 nested spans crashed the whole process with a stack overflow; as many nested lists
    // took minutes.
    let hostile = format!(
        "<html><body><p>The lighthouse has 900 steps.</p>{}{}</body></html>",
        "<ul><li><span>".repeat(40_000),
        "</span></li></ul>".repeat(40_000)
    );
    let mut bot = harbour_page().post("nest.html", &hostile);
    bot.answers_exactly(
        "How many countries does the harbour handle cargo from?",
        "over 70",
    );
    bot.abstains("How many steps does the lighthouse have?");
    let (posts, skipped) = citebot_core::ingest::load_dir(bot.dir()).unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].path.ends_with("nest.html"));
    let reason = skipped[0].reason.to_string();
    assert!(reason.contains("nested more than 512 deep"), "{reason}");

    // The command line names the page it passed over.
    let workdir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_citebot"))
        .current_dir(workdir.path())
        .env_remove("RUST_LOG")
        .args(["ask", "--docs"])
        .arg(bot.dir())
        .arg("How many steps does the lighthouse have?")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nest.html") && stderr.contains("nested more than 512 deep"),
        "{stderr}"
    );
}

/// A Markdown post using what the hand-written scanner got wrong: a folded YAML title, setext
/// headings, bold and a link, a block quote, a table and a code block.
const RIVERTON: &str = "---
title: >
  Bridges of
  Riverton
author: Sam Lee
---
Riverton Bridges
================

Riverton has **14 bridges** across the [Wend](https://example.org/wend).

History
-------

> The Old Stone Bridge was built in 1742 by masons from Yarrow.
> It was repaired in 1901 after a flood.

| Bridge | Opened |
|--------|--------|
| North Bridge | 1931 |

```
ferries = 99  # the ferry count in a code sample
```
";

#[test]
fn markdown_is_parsed_not_scanned() {
    let mut bot = TestBot::new().post("riverton.md", RIVERTON);
    let posts = bot.engine().posts();
    // A folded scalar is its text, not ">".
    assert_eq!(posts[0].title, "Bridges of Riverton");
    assert_eq!(posts[0].passages, 3, "{posts:?}");

    let bridges = bot.answers_exactly("How many bridges does Riverton have?", "14");
    assert_eq!(
        bridges.citations[0].section.as_deref(),
        Some("Riverton Bridges")
    );
    let built = bot.answers("When was the Old Stone Bridge built?", "1742");
    let quote = &built.citations[0];
    // A setext heading is a section, and the quote marker is not cited.
    assert_eq!(quote.section.as_deref(), Some("History"));
    assert!(
        quote.text.starts_with("The Old Stone Bridge"),
        "{:?}",
        quote.text
    );
    // A table row is cited as a row; a short answer, if sure enough to show, is its cell.
    let opened = bot.ask("When did the North Bridge open?");
    assert_eq!(opened.citations[0].text, "North Bridge | 1931");
    assert!(
        opened.answer.as_deref().is_none_or(|a| a == "1931"),
        "{:?}",
        opened.answer
    );
    // Code is never cited.
    let ferries = bot.ask("How many ferries are in the code sample?");
    assert!(
        ferries.citations.iter().all(|c| !c.text.contains("ferr")),
        "{ferries:?}"
    );

    for answer in [&bridges, &built, &opened] {
        for c in &answer.citations {
            assert_eq!(
                &RIVERTON[c.start..c.end],
                c.text,
                "verbatim bytes of the file"
            );
            for markup in ["```", "| North", "> The", "---", "==="] {
                assert!(!c.text.starts_with(markup), "{:?}", c.text);
            }
        }
    }
}

#[test]
fn misspelt_metadata_keys_are_warnings_that_name_them() {
    let bot = TestBot::new()
        .post(
            "garden.md",
            "---\ntitel: Garden Club\nauthor: Priya\n---\nThe garden club has 42 members.\n",
        )
        .post("orchard.txt", "The orchard grew 340 apple trees.\n")
        .post(
            "orchard.meta.toml",
            "title = \"Orchard Notes\"\nauthr = \"Sam\"\ndate = 2024-05-01\n",
        );
    let workdir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_citebot"))
        .current_dir(workdir.path())
        .env_remove("RUST_LOG")
        .args(["ask", "--json", "--docs"])
        .arg(bot.dir())
        .arg("How many apple trees did the orchard grow?")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("garden.md") && stderr.contains("unknown key `titel` (line 2)"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `title`?"), "{stderr}");
    assert!(
        stderr.contains("`orchard.meta.toml`: unknown key `authr` (line 2)"),
        "{stderr}"
    );
    // The posts are indexed all the same, with the keys that were right.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["answer"], "340");
    assert_eq!(json["citations"][0]["title"], "Orchard Notes");
}

fn lanterns() -> TestBot {
    TestBot::new()
        .post("lanterns.md", LANTERNS)
        .post("bees.md", BEES)
}

#[test]
fn chinese_questions_find_chinese_passages_and_verbatim_answers() {
    let mut bot = lanterns();
    for (question, expected) in [
        ("灯笼节每年吸引多少游客？", "超过12000名游客"),
        ("志愿者团队有多少名成员？", "85名成员"),
        ("游客来自多少个省份？", "20多个省份和地区"),
        ("灯笼节始于哪一年？", "1998年"),
        ("灯笼节是谁发起的？", "王秀兰"),
        ("灯笼节在哪里举行？", "老码头广场"),
    ] {
        let answer = bot.answers(question, expected);
        let top = &answer.citations[0];
        assert_eq!(top.document, "lanterns.md", "{question}");
        let short = answer.answer.as_deref().unwrap();
        let range = top.answer_range.clone().expect("located");
        assert_eq!(&top.text[range], short, "verbatim span of the citation");
        // Chinese sentences end at their own marks: the citation is one sentence.
        assert_eq!(
            top.text.matches(['。', '！', '？']).count(),
            1,
            "{:?}",
            top.text
        );
        // Words matched side by side are one bold run: "**灯笼****节**" shows its asterisks.
        assert!(
            top.highlight_ranges
                .windows(2)
                .all(|pair| pair[0].end < pair[1].start),
            "{question}: {:?}",
            top.highlight_ranges
        );
    }
    let answer = bot.ask("灯笼节每年吸引多少游客？");
    let bold = citebot_core::render::bolded(&answer.citations[0]);
    assert!(bold.contains("**灯笼节每年吸引**"), "{bold}");
}

#[test]
fn chinese_counts_name_their_whole_noun() {
    // jieba cuts 系缆桩 (mooring bollards) into 系缆 + 桩; the answer was "15个系缆", mid-word.
    let mut bot = TestBot::new().post(
        "pier.txt",
        "新码头\n\n新码头于2021年建成，共有15个系缆桩，可同时停靠8艘渔船。码头在北京市图书馆旁边。\n",
    );
    for question in ["新码头有多少个系缆桩？", "新码头有几个系缆桩？"] {
        let answer = bot.ask(question);
        assert_eq!(answer.answer.as_deref(), Some("15个系缆桩"), "{question}");
    }
    bot.answers("码头在哪里？", "北京市图书馆");
}

#[test]
fn chinese_reasons_and_yes_no_cite_without_a_span() {
    let mut bot = lanterns();
    let why = bot.ask("为什么镇上开办培训班？");
    assert!(why.answered());
    assert_eq!(why.answer, None);
    assert!(why.citations[0].text.contains("培训班"));
}

#[test]
fn off_topic_chinese_questions_abstain() {
    let mut bot = lanterns();
    bot.abstains("火星上有多少座火山？");
    bot.abstains("北京的地铁票价是多少钱？");
}

#[test]
fn mixed_chinese_and_english() {
    let mut bot = lanterns();
    let led = bot.ask("培训班用LED灯做什么？");
    assert!(led.answered());
    assert!(
        led.citations[0].text.contains("LED灯"),
        "{:?}",
        led.citations[0].text
    );
    // English questions about the English post are unaffected by the Chinese one.
    bot.answers_exactly("How many hives does the bee club keep?", "14");
}

#[test]
fn citations_link_to_the_cited_sentence() {
    let mut bot = lanterns();
    let answer = bot.answers_exactly("How many hives does the bee club keep?", "14");
    let top = &answer.citations[0];
    assert_eq!(top.title, "Urban Bees");
    assert_eq!(
        top.link().as_deref(),
        Some("https://bees.example/urban#:~:text=The%20bee%20club%20keeps%2014%20hives%20on%20the%20library%20roof%20and%20has%209%20members.")
    );
    let chinese = bot.answers("志愿者团队有多少名成员？", "85名成员");
    let link = chinese.citations[0].link().unwrap();
    assert!(
        link.starts_with("https://lanterns.example/zh/festival#:~:text=%E5%BF%97"),
        "{link}"
    );
    assert!(link.is_ascii());
    // JSON carries the post's url; the link to the sentence is not a field of its own.
    let json =
        serde_json::from_str::<serde_json::Value>(&citebot_core::json::answer_line(&chinese))
            .unwrap();
    assert_citation_contract(&json["citations"][0]);
    assert_eq!(
        json["citations"][0]["url"],
        "https://lanterns.example/zh/festival"
    );
}

#[test]
fn a_question_can_be_limited_to_one_post() {
    let mut bot = lanterns().post(
        "garden.md",
        "---\ntitle: Garden Club\n---\nThe garden club has 42 members.\n",
    );
    let engine = bot.engine();
    let question = "How many members does the club have?";
    let in_bees = engine.ask_in(question, 3, Some("bees.md")).unwrap();
    assert_eq!(in_bees.answer.as_deref(), Some("9"));
    assert!(in_bees.citations.iter().all(|c| c.document == "bees.md"));
    let by_title = engine.ask_in(question, 3, Some("garden")).unwrap();
    assert_eq!(by_title.answer.as_deref(), Some("42"));
    assert!(by_title.citations.iter().all(|c| c.document == "garden.md"));
    // The post holds nothing on it: not covered, even though another post answers it.
    let elsewhere = engine.ask_in(question, 3, Some("河畔")).unwrap();
    assert!(!elsewhere.answered(), "{:?}", elsewhere.answer);

    match engine.ask_in(question, 3, Some("nope")) {
        Err(err @ Error::UnknownPost { .. }) => {
            let message = err.to_string();
            assert!(message.contains("nope"), "{message}");
            assert!(message.contains("bees.md (Urban Bees)"), "{message}");
            assert!(err.is_bad_question());
        }
        other => panic!("expected an unknown post, got {other:?}"),
    }
    assert!(matches!(engine.find_post("u"), Ok("bees.md")));
    // The file name without its extension, though the title starts otherwise.
    assert!(matches!(engine.find_post("bees"), Ok("bees.md")));
    // In any case.
    assert!(matches!(engine.find_post("Bees"), Ok("bees.md")));
    assert!(matches!(engine.find_post("BEES.MD"), Ok("bees.md")));
    let search = engine
        .search_in("club members", 5, Some("garden.md"))
        .unwrap();
    assert!(!search.is_empty() && search.iter().all(|c| c.document == "garden.md"));
}

#[test]
fn cli_ask_post_limits_and_reports_unknown_posts() {
    let bot = lanterns();
    // A working folder without config/citebot.toml: the defaults apply.
    let workdir = tempfile::tempdir().unwrap();
    let run = |post: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_citebot"))
            .current_dir(workdir.path())
            .args(["ask", "--json", "--docs"])
            .arg(bot.dir())
            .args(["--post", post, "How many hives does the bee club keep?"])
            .output()
            .unwrap()
    };
    let ok = run("Urban");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(json["answer"], "14");
    let elsewhere = run("lanterns.md");
    let json: serde_json::Value = serde_json::from_slice(&elsewhere.stdout).unwrap();
    assert_eq!(json["answered"], false);
    let unknown = run("gardening.md");
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no post is called `gardening.md`"),
        "{stderr}"
    );
    assert!(stderr.contains("lanterns.md (河畔镇的灯笼节)"), "{stderr}");
}
