//! Markdown posts: optional `---` YAML or `+++` TOML front matter (title, url, author, date), `#`
//! headings as sections (the first top-level heading is the title when front matter has none),
//! paragraphs separated by blank lines, and each list item a paragraph of its own.

use std::ops::Range;

use super::{is_boilerplate, Meta, Parsed};

/// Splits Markdown into front matter, headings and paragraphs.
pub(super) fn parse(source: &str) -> Result<Parsed, String> {
    let (mut meta, body_start) = front_matter(source)?;
    let mut paragraphs = Vec::new();
    let mut section: Option<String> = None;
    let mut current: Option<Range<usize>> = None;
    let mut in_fence = false;
    let mut offset = body_start;
    for line in source[body_start..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        let lead = content.len() - content.trim_start().len();
        let range = start + lead..start + lead + trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Code is quoted as written but never split into headings or list items.
            extend(&mut current, range);
            continue;
        }
        if trimmed.is_empty() || is_boilerplate(trimmed) {
            paragraphs.extend(current.take().map(|r| (section.clone(), r)));
            continue;
        }
        if let Some(heading) = heading_text(trimmed) {
            paragraphs.extend(current.take().map(|r| (section.clone(), r)));
            if meta.title.is_none() && trimmed.starts_with("# ") && paragraphs.is_empty() {
                meta.title = Some(heading.to_string());
            } else {
                section = Some(heading.to_string());
            }
            continue;
        }
        if is_list_item(trimmed) {
            paragraphs.extend(current.take().map(|r| (section.clone(), r)));
        }
        extend(&mut current, range);
    }
    paragraphs.extend(current.take().map(|r| (section.clone(), r)));
    Ok(Parsed { meta, paragraphs })
}

fn extend(current: &mut Option<Range<usize>>, range: Range<usize>) {
    match current {
        Some(open) => open.end = range.end,
        None => *current = Some(range),
    }
}

fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
        return None;
    }
    let text = line[hashes..].trim().trim_end_matches('#').trim();
    (!text.is_empty()).then_some(text)
}

fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Reads front matter, returning it and where the body starts.
fn front_matter(source: &str) -> Result<(Meta, usize), String> {
    let source_no_bom = source.trim_start_matches('\u{feff}');
    let bom = source.len() - source_no_bom.len();
    for fence in ["---", "+++"] {
        let Some(rest) = source_no_bom.strip_prefix(fence) else {
            continue;
        };
        let Some(rest) = rest
            .strip_prefix('\n')
            .or_else(|| rest.strip_prefix("\r\n"))
        else {
            continue;
        };
        let header_start = source.len() - rest.len();
        let mut offset = header_start;
        for line in rest.split_inclusive('\n') {
            if line.trim_end() == fence {
                let header = &source[header_start..offset];
                let meta = if fence == "+++" {
                    toml::from_str(header).map_err(|e| format!("front matter: {}", e.message()))?
                } else {
                    yaml_meta(header)
                };
                return Ok((meta, offset + line.len()));
            }
            offset += line.len();
        }
        return Err(format!(
            "front matter opened with `{fence}` is never closed"
        ));
    }
    Ok((Meta::default(), bom))
}

/// The four keys citebot reads, from simple `key: value` YAML (quotes optional). Other keys and
/// nested structures are ignored: they do not matter for citing.
fn yaml_meta(header: &str) -> Meta {
    let mut meta = Meta::default();
    for line in header.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value)
            .to_string();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "title" => meta.title = Some(value),
            "url" | "link" | "canonical" => meta.url = Some(value),
            "author" => meta.author = Some(value),
            "date" => meta.date = Some(value),
            _ => {}
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> (Meta, Vec<(Option<String>, String)>) {
        let parsed = parse(source).unwrap();
        let paras = parsed
            .paragraphs
            .into_iter()
            .map(|(s, r)| (s, source[r].to_string()))
            .collect();
        (parsed.meta, paras)
    }

    #[test]
    fn yaml_front_matter_and_headings() {
        let src = "---\ntitle: \"Bridges\"\nurl: https://example.org/bridges\nauthor: Ann\ntags:\n  - x\n---\n# Ignored H1\n\nIntro text.\n\n## Steel\n\nSteel bridges rust.\nThey need paint.\n";
        let (meta, paras) = texts(src);
        assert_eq!(meta.title.as_deref(), Some("Bridges"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/bridges"));
        assert_eq!(meta.author.as_deref(), Some("Ann"));
        assert_eq!(paras.len(), 2);
        assert_eq!(
            paras[1],
            (
                Some("Steel".into()),
                "Steel bridges rust.\nThey need paint.".into()
            )
        );
    }

    #[test]
    fn toml_front_matter() {
        let (meta, paras) = texts("+++\ntitle = \"T\"\ndate = \"2024-01-02\"\n+++\nBody.\n");
        assert_eq!(meta.title.as_deref(), Some("T"));
        assert_eq!(meta.date.as_deref(), Some("2024-01-02"));
        assert_eq!(paras.len(), 1);
    }

    #[test]
    fn first_h1_is_the_title_without_front_matter() {
        let (meta, paras) = texts("# Rivers\n\nThe Rhine is long.\n");
        assert_eq!(meta.title.as_deref(), Some("Rivers"));
        assert_eq!(paras[0].0, None);
    }

    #[test]
    fn list_items_are_paragraphs() {
        let (_, paras) = texts("Intro:\n- one thing\n- another thing\n");
        assert_eq!(paras.len(), 3);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(parse("---\ntitle: x\nBody\n")
            .unwrap_err()
            .contains("never closed"));
    }
}
