//! Follow-up questions on the engine (`citebot_core::followup`): a question asked after another one
//! is read with its context, so an elliptical follow-up stays on the earlier post; a follow-up
//! on another subject, or one the posts don't cover, is answered as asked.

use citebot::config::{AnswerConfig, IndexConfig};
use citebot_core::followup::{ask_follow_up, Context};
use citebot_core::{Library, Outcome};

/// A post about trade agreements that also counts countries.
pub const ALLIANCE_POST: &str = "---
title: Northern Trade Alliance
url: https://example.org/alliance
---
# Agreements

The Northern Trade Alliance signed 14 trade agreements in 2025. The agreements cover partners in 23 countries.

# Offices

The alliance has offices in three cities: Oslo, Tallinn and Riga.
";

/// A post that counts countries too, and says little else.
pub const TRAVEL_POST: &str = "---
title: Travel Society
url: https://example.org/travel
---
# Trips

Members of the travel society have visited 61 countries together.
";

pub const AGREEMENTS_QUESTION: &str = "How many trade agreements did the alliance sign?";
pub const COUNTRIES_FOLLOW_UP: &str = "and how many countries?";

fn library() -> (Library, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("alliance.md"), ALLIANCE_POST).unwrap();
    std::fs::write(dir.path().join("travel.md"), TRAVEL_POST).unwrap();
    let index = IndexConfig {
        on_disk_from: usize::MAX,
        ..IndexConfig::default()
    };
    let (library, _) = Library::open(dir.path(), AnswerConfig::default(), index).unwrap();
    (library, dir)
}

#[test]
fn a_follow_up_stays_on_the_earlier_post_where_a_fresh_question_would_not() {
    let (library, _dir) = library();
    let engine = library.engine();
    let first = engine.ask_in(AGREEMENTS_QUESTION, 3, None).unwrap();
    assert_eq!(first.outcome, Outcome::Answered);
    assert_eq!(first.citations[0].document, "alliance.md");
    let context = Context::of(AGREEMENTS_QUESTION, &first);
    assert_eq!(context.post.as_deref(), Some("alliance.md"));
    assert!(
        context.subject.iter().any(|w| w == "agreements"),
        "{context:?}"
    );

    // Asked alone, the follow-up is about the travel society's countries...
    let fresh = engine.ask_in(COUNTRIES_FOLLOW_UP, 3, None).unwrap();
    assert_eq!(fresh.citations[0].document, "travel.md");
    // ...after the agreements question, it stays on the alliance's countries.
    let (follow_up, next) = ask_follow_up(&engine, COUNTRIES_FOLLOW_UP, &context, 3).unwrap();
    assert_eq!(follow_up.outcome, Outcome::Answered);
    assert_eq!(follow_up.question, COUNTRIES_FOLLOW_UP);
    assert_eq!(follow_up.citations[0].document, "alliance.md");
    assert!(
        follow_up.citations[0].text.contains("23 countries"),
        "{follow_up:#?}"
    );
    if let Some(short) = &follow_up.answer {
        assert!(short.contains("23"), "{short}");
    }
    assert_eq!(next.post.as_deref(), Some("alliance.md"));
    assert!(next.subject.iter().any(|w| w == "countries"), "{next:?}");
    assert!(next.subject.iter().any(|w| w == "agreements"), "{next:?}");
}

#[test]
fn a_follow_up_on_another_subject_or_outside_the_posts_is_answered_as_asked() {
    let (library, _dir) = library();
    let engine = library.engine();
    let first = engine.ask_in(AGREEMENTS_QUESTION, 3, None).unwrap();
    let context = Context::of(AGREEMENTS_QUESTION, &first);

    let (travel, _) = ask_follow_up(
        &engine,
        "How many countries have members of the travel society visited?",
        &context,
        3,
    )
    .unwrap();
    assert_eq!(travel.citations[0].document, "travel.md");

    let uncovered = "What colour is the submarine of the chess club?";
    let (answer, next) = ask_follow_up(&engine, uncovered, &context, 3).unwrap();
    assert_eq!(
        answer.outcome,
        engine.ask_in(uncovered, 3, None).unwrap().outcome
    );
    assert_ne!(answer.outcome, Outcome::Answered);
    // The conversation keeps its post for the next follow-up.
    assert_eq!(next.post.as_deref(), Some("alliance.md"));
}
