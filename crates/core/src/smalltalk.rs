//! Greetings, thanks and other small talk: messages that are not questions about the posts
//! ("hi", "thanks!", "good morning", "ok cool"). They get a friendly pointer to `/help`, never
//! an answer: searching the posts for "thanks" would cite whatever passage happens to hold it.

use crate::analysis;
use crate::lexicon::chinese::SMALL_TALK as CHINESE_SMALL_TALK;
use crate::lexicon::english::SMALL_TALK;

/// Whether `message` is small talk rather than a question: every word is a word of small talk
/// or a stopword, and there is at least one word of small talk. Chinese is written without
/// spaces, so a run of Chinese characters is small talk when it is made up of words of Chinese
/// small talk end to end ("你好", "谢谢你", "你好谢谢").
pub fn is_small_talk(message: &str) -> bool {
    let words: Vec<String> = analysis::plain_words(message)
        .map(analysis::normalize)
        .collect();
    let talk = |w: &String| SMALL_TALK.contains(&w.as_str()) || is_chinese_small_talk(w);
    !words.is_empty()
        && words.iter().any(talk)
        && words.iter().all(|w| talk(w) || analysis::is_stopword(w))
}

/// Whether a run of Chinese characters splits into words of Chinese small talk, end to end.
fn is_chinese_small_talk(run: &str) -> bool {
    if !analysis::is_cjk_word(run) {
        return false;
    }
    // ends[i]: the first i bytes split into words of small talk. A message is short, so each
    // character may try every word of the list.
    let mut ends = vec![false; run.len() + 1];
    ends[0] = true;
    for start in (0..run.len()).filter(|&i| run.is_char_boundary(i)) {
        if !ends[start] {
            continue;
        }
        for word in CHINESE_SMALL_TALK {
            if run[start..].starts_with(word) {
                ends[start + word.len()] = true;
            }
        }
    }
    ends[run.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_and_thanks_are_small_talk() {
        for m in [
            "hi",
            "Hello!",
            "thanks!",
            "Thank you so much",
            "good morning",
            "ok cool",
            "ty",
            "help",
            "help please!",
            "你好",
            "谢谢你！",
            "你好，谢谢",
            "大家好啊",
            "謝謝！",
            "你好吗？",
            "在吗",
            "再見",
        ] {
            assert!(is_small_talk(m), "{m}");
        }
    }

    #[test]
    fn questions_are_not_small_talk() {
        for m in [
            "hi, how many bridges are there?",
            "thanks, and who wrote the post?",
            "What is good about the plan?",
            "?!",
            "help with the garden rota",
            "你好，灯笼节始于哪一年？",
            "谢谢你的帮助吗",
        ] {
            assert!(!is_small_talk(m), "{m}");
        }
    }
}
