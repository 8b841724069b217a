//! The answer engine through its public API, on fixture posts written here: short answers as
//! verbatim spans, hyphen, number and spelling variants, questions the posts don't cover, figures
//! they don't give, citations, formats and bad input.

use citebot_core::{Error, Outcome};

use crate::testbot::TestBot;

/// A plain-text post in the shape of a blog export: a paragraph per line, title-cased headings,
/// and comment-form boilerplate at the end.
const HARBOUR: &str = "Ahoy readers, Marta “Tidewatch” here, with the latest from the port.
The harbour authority has had a busy year, and the numbers show it.
Trade and Traffic
The port now handles cargo from over 70 countries and territories, under 23 bilateral shipping agreements, and hosts more than 1,500 registered fishing boats. The new co-operative scheme pays fishers a fair price.
The Harbour Development Plan (2022-2027) sets out new berths and a ferry terminal. The Seaside Festival, with its focus on “clean water for everyone,” drew large crowds in June.
Looking Ahead
A crucial part of the plan relies on dredging, a cost the council shares with the port. Events like the Boat Show in the U.K. are reminders that visitors bring money. Will the ferry pay off? That’s the big question.
The port also runs joint training centres with the naval college.
Leave a Reply
";

/// A Markdown post with front matter and sections.
const BRIDGES: &str = "---
title: Bridges of Riverton
url: https://example.org/bridges
author: Sam Lee
---
# Bridges of Riverton

Riverton has 14 bridges across the Wend.

## History

The Old Stone Bridge was built in 1742 by the mason Elias Ward. The steel North Bridge opened in 1931 and carries the A12 road.

## Upkeep

The Riverton Bridge Trust (RBT) maintains the older bridges. Repairs cost about £2.5 million a year.
";

fn harbour() -> TestBot {
    TestBot::new().post("harbour.txt", HARBOUR)
}

#[test]
fn counts_keep_their_qualifier() {
    let mut bot = harbour();
    bot.answers_exactly("How many bilateral shipping agreements are there?", "23");
    // "70" alone would state another figure than the post's.
    bot.answers_exactly(
        "How many countries does the port handle cargo from?",
        "over 70",
    );
    bot.answers_exactly(
        "How many registered fishing boats does the port host?",
        "more than 1,500",
    );
}

#[test]
fn a_figure_grouped_in_thousands_by_spaces_is_answered_whole() {
    // Apart, "5" would be a confident wrong answer.
    TestBot::new()
        .post(
            "lanes.md",
            "# Cycling plan\n\nThe plan adds 4 750 metres of protected cycle lanes by 2028.\n",
        )
        .settings(|s| s.min_confidence = 0.0)
        .answers_exactly(
            "how many metres of protected lanes will the plan add",
            "4 750",
        );
}

#[test]
fn a_number_written_in_hyphenated_words_is_answered_whole() {
    // Cut at the hyphen, "how many?" was answered "five" (0.47) and "seven" (0.72).
    let mut bot = TestBot::new()
        .post(
            "studio.md",
            "# Autumn term\n\nTwenty-five students signed up for the wheel class, and thirty-two \
             joined the evenings.\n\nOur studio has sixty-seven members.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly(
        "how many students signed up for the wheel class",
        "Twenty-five",
    );
    bot.answers_exactly("how many joined the evenings", "thirty-two");
    bot.answers_exactly("how many members does the studio have", "sixty-seven");
}

#[test]
fn a_measure_is_no_count_unless_the_question_counts_its_units() {
    let mut bot = TestBot::new()
        .post(
            "walk.md",
            "# Fell walk\n\nTwenty-three of us met at the car park.\n\nWe reached the trig \
             point (623 m) by noon and walked 18 km in all.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // The height of the trig point counts no people (it was the answer, at 0.60): the posts
    // give no figure for it.
    let people = bot.ask("how many people reached the trig point");
    assert_eq!(people.outcome, Outcome::NoFigure, "{people:?}");
    assert_eq!(people.answer, None, "{people:?}");
    bot.answers_exactly("how many km did we walk", "18");
}

#[test]
fn an_acronym_of_the_question_s_words_answers_only_what_it_is_called() {
    let mut bot = TestBot::new()
        .post(
            "update.md",
            "# Food bank update\n\nThe Millbrook Community Food Bank (MCFB) gave out 1,284 \
             parcels this quarter.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // "MCFB" is the food bank the question names, not where it is or who keeps its books.
    for question in ["where is the food bank", "who is the food bank treasurer"] {
        let answer = bot.ask(question);
        assert_ne!(
            answer.answer.as_deref(),
            Some("MCFB"),
            "{question}: {answer:?}"
        );
    }
    bot.answers_exactly("what is the food bank called", "MCFB");
}

#[test]
fn a_figure_asked_at_a_time_relative_to_now_is_the_one_said_of_that_time() {
    let mut bot = TestBot::new()
        .post(
            "news.md",
            "# Club news\n\nOur club has 67 members, up from 59 last year.\n\nThe summer fair \
             raised £4,718, beating last year's total of £3,905.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // Both "last year" questions were answered with this year's figure (0.58 and 0.81).
    bot.answers_exactly("how many members did the club have last year", "59");
    bot.answers_exactly("how many members does the club have", "67");
    bot.answers_exactly("how much did the summer fair raise last year", "£3,905");
    bot.answers_exactly("how much did the summer fair raise", "£4,718");
    // A difference is not the figure of that time; what a club raises money from is no change.
    let mut bot = TestBot::new()
        .post(
            "appeal.md",
            "# Appeal\n\nThis year the appeal raised £12,000 from 300 donors.\n\nThe museum \
             welcomed 5,400 visitors last week, 2,000 more than the week before.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly(
        "how many visitors did the museum welcome last week",
        "5,400",
    );
    bot.answers_exactly("how many donors gave to the appeal this year", "300");
}

#[test]
fn a_day_is_no_length() {
    let mut bot = TestBot::new()
        .post(
            "walks.md",
            "# Walks\n\nThe Easedale Horseshoe is on Sunday 6 October, graded strenuous (22 km, \
             1,100 m ascent).\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // It was "Sunday 6 October" (0.44).
    let length = bot.ask("how long is the easedale horseshoe");
    let answer = length.answer.as_deref().unwrap_or_default();
    assert!(!answer.contains("October"), "{length:?}");
    bot.answers_exactly("when is the easedale horseshoe", "6 October");
    // The end of a span is a length in time.
    let mut bot = TestBot::new()
        .post(
            "fixes.md",
            "# Support\n\nVersion 2.3 gets security fixes until 30 June 2024.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("how long does 2.3 get security fixes", "30 June 2024");
}

#[test]
fn what_from_marks_after_a_change_answers_only_a_question_about_before() {
    let mut bot = TestBot::new()
        .post(
            "guild.md",
            "# Guild news\n\nThornveil took over as raid leader from Ashgrove, who stepped down \
             after two seasons but stays on as a Core Raider.\n\nThe allotment rent will rise \
             from £30 to £35 per plot.\n\nPick up your tickets from the box office.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // They were "Ashgrove" (0.58) and "£30" (0.69).
    bot.answers_exactly("who is the raid leader", "Thornveil");
    bot.answers_exactly("how much will the rent rise to", "£35");
    bot.answers_exactly("who was raid leader before thornveil", "Ashgrove");
    // Picking up is no change.
    bot.answers_exactly("where can i pick up my tickets", "the box office");
}

#[test]
fn a_difference_answers_only_a_question_that_asks_by_how_much() {
    let mut bot = TestBot::new()
        .post(
            "league.md",
            "# League\n\nThe Red Lions have now overtaken Dynamo by two points.\n\nThe hall was \
             visited by 2,000 people.\n\nThe cake stall is run by four volunteers.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // It was "two" (0.71): the lead, not the points the team has.
    let points = bot.ask("how many points do the red lions have");
    assert_eq!(points.answer, None, "{points:?}");
    bot.answers_exactly(
        "by how many points have the red lions overtaken dynamo",
        "two",
    );
    // Another verb's "by" names who did it.
    bot.answers_exactly("how many people visited the hall", "2,000");
    bot.answers_exactly("how many volunteers run the cake stall", "four");
}

#[test]
fn chat_spellings_of_question_words_are_read_as_written_out() {
    let mut bot = TestBot::new()
        .post(
            "quiz.md",
            "# Quiz night\n\nThe quiz is on 12 March at the Red Lion.\n\nLast time 46 people \
             came.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("wen is the quiz", "12 March");
    let answer = bot.answers_exactly("how many ppl came last time", "46");
    // The reply keeps the message as sent.
    assert_eq!(answer.question, "how many ppl came last time");
}

#[test]
fn a_yes_no_question_is_answered_by_its_passage_and_a_question_it_wraps_by_a_span() {
    let mut bot = TestBot::new()
        .post(
            "fair.md",
            "# Fair\n\nThere is no parking on site, but the Mill Street car park is open until \
             11pm.\n\nThe fair opens on Saturday 4 May at the Corn Exchange.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // Not "open": no span says yes or no.
    let parking = bot.ask("is there parking?");
    assert_eq!(parking.outcome, Outcome::Answered, "{parking:?}");
    assert_eq!(parking.answer, None, "{parking:?}");
    assert!(
        parking.citations[0].text.contains("no parking"),
        "{parking:?}"
    );
    bot.answers("can you tell me where the fair is?", "Corn Exchange");
}

#[test]
fn how_far_is_asked_of_the_place_not_of_so_far_and_never_answered_with_money() {
    let mut bot = TestBot::new()
        .post(
            "club.md",
            "# Rowing club\n\n## Roof\n\nRepairs will cost £18,500, of which the members have \
             raised £11,000 so far.\n\n## Finding us\n\nThe boathouse is a ten-minute walk from \
             Northside station.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let far = bot.ask("how far is it from the station");
    assert!(far.citations[0].text.contains("ten-minute"), "{far:?}");
    let old = bot.ask("how old is the club");
    assert!(
        !old.answer.unwrap_or_default().contains('£'),
        "{:?}",
        old.citations[0].text
    );
}

#[test]
fn a_polite_wrapper_is_taken_off_and_a_count_inside_a_hyphenated_word_answers() {
    let mut bot = TestBot::new()
        .post(
            "club.md",
            "# Club news\n\nThe committee elected Joanna Reed as chair in March.\n\nThe pottery \
             course is a six-week programme on Tuesday evenings.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    for question in [
        "who is the chair?",
        "could you tell me who the chair is?",
        "does anyone know who the chair is",
        "i was wondering who the chair is",
    ] {
        let answer = bot.answers_exactly(question, "Joanna Reed");
        assert_eq!(
            answer.question, question,
            "the reply keeps the message as asked"
        );
    }
    bot.answers_exactly("how many weeks is the pottery course", "six");
}

#[test]
fn hyphen_variants_meet() {
    let mut bot = harbour();
    for question in [
        "What does the cooperative scheme pay?",
        "What does the co-operative scheme pay?",
        "What does the co operative scheme pay?",
    ] {
        let answer = bot.ask(question);
        assert!(answer.answered(), "{question:?} was not answered");
        assert!(
            answer.citations[0].text.contains("co-operative scheme"),
            "{question:?}: {:?}",
            answer.citations[0].text
        );
    }
}

#[test]
fn number_variants_meet() {
    let mut bot = harbour();
    let answer = bot.ask("Which port hosts 1500 registered fishing boats?");
    assert!(
        answer.citations[0].text.contains("1,500"),
        "{:?}",
        answer.citations[0].text
    );
}

#[test]
fn misspellings_are_corrected() {
    let mut bot = harbour();
    let answer = bot.answers("how many bilaterel shiping agreemnts?", "23");
    assert!(
        answer.citations[0]
            .highlights
            .iter()
            .any(|h| h == "agreements"),
        "{:?}",
        answer.citations[0].highlights
    );
}

#[test]
fn a_misspelt_word_weighs_as_much_as_the_word_spelt_right() {
    // Misspelt, "glacier" must still outweigh "harbour", as it does spelt right; counted at
    // less than the word itself, the correction lost to the harbour's sentence and its "1850".
    let mut bot = TestBot::new()
        .post(
            "notes.md",
            "# Trip notes\n\nThe glacier above the camp is 300 metres deep.\n\n\
             The harbour below the camp was built in 1850 and is deep enough for ferries.\n\n\
             The camp opens in June.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    for question in [
        "how deep is the glacier by the harbour?",
        "how deep is the glaceir by the harbour?",
        "how deep is the glacier by the harbuor?",
    ] {
        let answer = bot.answers_exactly(question, "300 metres");
        assert!(answer.citations[0].text.contains("glacier"), "{answer:?}");
    }
}

#[test]
fn words_run_together_meet_the_phrase_the_posts_write() {
    // "gamejam" is no word of the posts; "game jam" is, and "game" alone is in another passage.
    let mut bot = TestBot::new()
        .post(
            "club.md",
            "# Club\n\nOur monthly game jam lasts 72 hours and is open to everyone.\n\n\
             Board game night is on Tuesdays and lasts 3 hours.\n\nThe library opens at nine.\n\n\
             Members pay a small fee.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let answer = bot.answers("how long does the gamejam last", "72 hours");
    assert!(answer.citations[0].text.contains("game jam"), "{answer:?}");
}

#[test]
fn a_title_written_short_meets_the_title_in_full() {
    let mut bot = TestBot::new().post(
        "results.md",
        "# Results\n\nRevenue rose 12 percent to 48 million euros in the third quarter.\n\n\
         Chief Executive Officer Ann Varga said the new sensors sold well.\n\n\
         The company employs 310 people at its two plants.\n",
    );
    let answer = bot.ask("who is the CEO?");
    let top = answer.citations.first().map(|c| c.text.as_str());
    assert!(
        top.is_some_and(|t| t.contains("Chief Executive Officer")),
        "{answer:?}"
    );
}

#[test]
fn case_does_not_matter() {
    harbour().answers("HOW MANY BILATERAL SHIPPING AGREEMENTS", "23");
}

#[test]
fn questions_the_posts_do_not_cover_are_declined() {
    let mut bot = harbour();
    bot.abstains("What is the population of Norway?");
    bot.abstains("Who won the football league in 2019?");
    let answer = bot.abstains("How many submarines did the navy buy?");
    assert_eq!(answer.outcome, Outcome::NotCovered);
}

#[test]
fn what_a_post_s_title_names_its_sentences_are_about() {
    // "Brightwell Farm" is in the title and the first paragraph; the milk is not.
    let mut bot = TestBot::new()
        .post(
            "farm.md",
            "# Brightwell Farm annual report\n\nBrightwell Farm, the largest dairy farm in the \
             valley, published its annual report on Monday with a new chair.\n\nMilk output for \
             the year was 4.2 million litres, up from 3.9 million a year earlier.\n\nThe farm \
             shop sold 12,000 jars of honey.\n\nThe herd now numbers 640 cows.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers("How much milk did Brightwell Farm produce?", "4.2 million");
}

#[test]
fn a_missing_figure_is_never_invented() {
    let mut bot = harbour();
    let answer = bot.ask("How many joint training centres are there?");
    assert_eq!(answer.outcome, Outcome::NoFigure);
    assert!(answer.answer.is_none(), "{:?}", answer.answer);
    assert!(
        answer.citations[0].text.contains("joint training centres"),
        "{:?}",
        answer.citations[0].text
    );
}

#[test]
fn a_count_is_never_a_year_a_day_a_time_a_price_or_a_label() {
    let mut bot = TestBot::new().post(
        "garden.md",
        "# Garden\n\nThe community garden opened in 1998 beside the canal. The shed door code \
         changed on 2 May. Volunteers meet at 9:30 in Room 12 every Thursday, and a seed packet \
         costs £3.\n",
    );
    for question in [
        "How many gardens are there?",
        "How many sheds are there?",
        "How many volunteers are there?",
        "How many seed packets are there?",
    ] {
        let answer = bot.ask(question);
        assert_eq!(answer.outcome, Outcome::NoFigure, "{question}: {answer:?}");
        assert!(answer.answer.is_none(), "{question}: {answer:?}");
    }
    // A count the post does give is still found beside a year.
    TestBot::new()
        .post(
            "plots.md",
            "# Plots\n\nSince 1998 the allotment has grown to 42 plots along the canal.\n",
        )
        .answers("How many plots does the allotment have?", "42");
}

#[test]
fn of_two_counts_in_a_sentence_the_one_of_the_kind_asked_about_answers() {
    // Every best guess is shown: the count of the other kind is never one.
    let mut bot = TestBot::new()
        .post(
            "shelter.md",
            "# Shelter\n\nThe shelter has 14 adult cats and 5 young cats this winter.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("How many young cats does the shelter have?", "5");
    bot.answers_exactly("How many adult cats does the shelter have?", "14");
}

#[test]
fn of_figures_listed_for_several_things_the_one_of_the_thing_asked_about_answers() {
    // Every best guess is shown: the figure of the other thing is never one.
    let mut bot = TestBot::new()
        .post(
            "ferry.md",
            "# Ferry\n\nA return ticket costs 8 dollars for residents and 15 dollars for tourists. \
             The ferry carries 40 cars on the lower deck and 12 vans on the upper deck. Last \
             winter the company spent $9,000 on fuel and $2,500 on paint.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // What comes before the first figure ("a return ticket costs") is said of both.
    bot.answers("How much is a return ticket for tourists?", "15");
    bot.answers("How much does a return ticket cost for residents?", "8");
    bot.answers_exactly("How much did the company spend on paint?", "$2,500");
    bot.answers_exactly("How many does the ferry carry on the upper deck?", "12");
    // Not a list's item: a figure without a unit (an age), nor half of a range.
    let mut bot = TestBot::new()
        .post(
            "fees.md",
            "# Fees\n\nAdults pay 10 dollars, and children under 12 and seniors pay 5 dollars.\n\n\
             Members pay between 10 and 20 euros, and visitors pay 30 euros.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let children = bot.ask("How much do children pay?");
    let short = children.answer.clone().unwrap_or_default();
    assert!(short.contains("dollars"), "{short:?} from {children:?}");
    bot.answers("How much do members pay?", "10 and 20 euros");
    // Times of day listed for several things, the same way.
    let mut bot = TestBot::new()
        .post(
            "gala.md",
            "# Gala\n\nThe junior races begin at 10:15, the senior races at 12:00, and the grand \
             parade is planned for 14:30.\n\nParking is free on the green.\n\nThe bake sale \
             raised 200 pounds last year.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("what time are the senior races", "12:00");
    // "Begin" is said of the later items too, which leave it out.
    bot.answers_exactly("what time do the senior races start?", "12:00");
    // A date beside a time of day is no item of the times' list.
    let mut bot = TestBot::new()
        .post(
            "fair.md",
            "# Fair\n\nThe fair opens on 10 May, and the gates open at 09:00 each day.\n\n\
             Parking is free on the green.\n\nThe bake sale raised 200 pounds last year.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("What time does the fair open?", "09:00");
}

#[test]
fn of_figures_given_for_several_times_or_places_the_one_asked_about_answers() {
    // Every best guess is shown: the figure of the other year or month is never one.
    let mut bot = TestBot::new()
        .post(
            "harbour.md",
            "# Harbour\n\nBerths at the marina rose from 150 in 2018 to 240 in 2024.\n\n\
             The harbour ferry carried 3,100 passengers in June, compared with 2,450 in May.\n\n\
             Boat trips drew 900 in 2021 and 1,400 in 2023.\n\n\
             At the start of the drought, the eastern hill farms had a herd of roughly 6,000 \
             dairy cattle, compared with 20 thousand in the western hill farms.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // A change: "to" ends its first item ("from 150 in 2018") and opens the second.
    bot.answers_exactly("How many berths did the marina have in 2024?", "240");
    bot.answers_exactly("How many berths did the marina have in 2018?", "150");
    // The second item leaves its unit out: "passengers" is said of both.
    bot.answers(
        "How many passengers did the harbour ferry carry in May?",
        "2,450",
    );
    bot.answers_exactly(
        "How many passengers did the harbour ferry carry in June?",
        "3,100",
    );
    // "in 2021 and 1,400" is no range.
    bot.answers_exactly("How many people did the boat trips draw in 2023?", "1,400");
    bot.answers_exactly("How many people did the boat trips draw in 2021?", "900");
    // What comes before the first figure is not said of both when the second item restates it
    // ("the eastern hill farms" ... "the western hill farms").
    bot.answers("How many cows were on the eastern hill farms?", "6,000");
    bot.answers(
        "How many cows were on the western hill farms?",
        "20 thousand",
    );
    // A change followed by figures of other things: its opening ("visits ... rose") is said of
    // both its items and of no other; a figure with its scale ("1.2 million") is a quantity.
    let mut bot = TestBot::new()
        .post(
            "library.md",
            "# Library\n\nYearly visits to the library rose from 41,000 in 2018 to 57,500 in \
             2024, an increase of 40 percent, compared with a county-wide rise of 6 percent.\n\n\
             Club membership rose from 1.2 million in 2019 to 2.6 million in 2023, an increase \
             of 117 percent, compared with a regional rise of 9 percent.\n\n\
             The reading room was painted in May.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("how many visits were there in 2024?", "57,500");
    bot.answers_exactly("how many members did the club have in 2023?", "2.6 million");
    // A scaled figure whose item leaves its unit out takes the unit of the other.
    let mut bot = TestBot::new()
        .post(
            "airport.md",
            "# Airport\n\nThe airport handled 2.1 million passengers in June, compared with 1.8 \
             million in May.\n\nThe car park has three levels.\n\nThe cafe opens early.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly(
        "How many passengers did the airport handle in May?",
        "1.8 million",
    );
    // Two units named: each still tells its item apart.
    let mut bot = TestBot::new()
        .post(
            "fair.md",
            "# Fair\n\nWe sold 300 tickets and 120 programmes on Friday, compared with 250 on \
             Saturday.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("How many tickets did we sell on Friday?", "300");
}

#[test]
fn a_how_much_question_about_a_price_gets_the_price_not_a_count_beside_it() {
    let mut bot = TestBot::new()
        .post(
            "zoo.md",
            "# Zoo\n\nA family pass for two adults and up to three children is £20.\n\n\
             The aviary holds 40 parrots, and feeding them costs 30 dollars a day.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("How much is a family pass?", "£20");
    bot.answers("How much does feeding the parrots cost?", "30 dollars");
    // "What" with a price for its head noun asks the same, in chat's spelling too.
    let mut bot = TestBot::new()
        .post(
            "plans.md",
            "# Plans\n\nFree accounts include 10 GB of storage and can sync up to 3 devices.\n\n\
             Students and teachers get Plus at half price, $4.49 a month, with a valid school \
             email address.\n\nThe 2 family plans cover five people each.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("whats the fee for teachers", "$4.49 a month");
    // Not when the question asks what a thing is called, nor of a figurative cost.
    let mut bot = TestBot::new()
        .post(
            "club.md",
            "# Club\n\nThe premium subscription, called Gold Plus, costs £9 a month.\n\n\
             The hidden cost of the cheap plan is slow support, though it saves you £5 a month.\n\n\
             The committee meets in the old hall on the hill.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("What is the premium subscription called?", "Gold Plus");
    bot.answers_exactly("What is the hidden cost of the cheap plan?", "slow support");
    // A range of prices is one price; a question about something else than a price, or a
    // sentence with a price written in a way the rule does not know, is left to the ranker.
    let mut bot = TestBot::new()
        .post(
            "cafe.md",
            "# Cafe\n\nPottery classes cost £10-20 per session.\n\n\
             The weight limit is 23 kg per bag, with a £40 charge for each extra bag.\n\n\
             Tea is 80p and a slice of cake is £1.50.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("How much do pottery classes cost?", "£10-20");
    bot.answers("How much is the weight limit?", "23 kg");
    bot.answers("How much is tea?", "80p");
}

#[test]
fn a_question_that_names_its_unit_of_time_is_answered_in_it() {
    // Every best guess is shown: a time in another unit is never one.
    let mut bot = TestBot::new()
        .post(
            "town.md",
            "# Town\n\nThe regional elections are held on the first Sunday in June every five \
             years.\n\nThe library stays open late, until 9 pm, on the last Friday of each \
             month.\n\nA 1952 storm that flooded the lower town destroyed the old pier.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("What month are the regional elections held in?", "June");
    bot.answers("Which day does the library stay open late?", "Friday");
    bot.answers_exactly("In what year was the old pier destroyed?", "1952");
    // A date in figures gives a day.
    let mut bot = TestBot::new()
        .post(
            "grants.md",
            "# Grants\n\nApplications open on Monday and close on 31/03/2025.\n\n\
             Each grant is worth up to 2,000 euros.\n\nThe panel meets in the town hall.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("Which day do applications close?", "31/03/2025");
}

#[test]
fn a_number_question_gets_the_figure_with_its_percent_word_not_a_clause_nor_its_rival() {
    // Every best guess is shown: a clause that holds the figure is never one.
    let mut bot = TestBot::new()
        .post(
            "trial.md",
            "# Trial\n\nThe larger dose worked only a little better but caused dizziness in 11 \
             percent of patients.\n\nThe new timetable left crowds on 12 percent of evening \
             trains, compared with 3 percent of morning trains.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let answer = bot.answers(
        "What percentage of patients on the larger dose had dizziness?",
        "11",
    );
    let short = answer.answer.unwrap_or_default();
    assert!(!short.contains("caused"), "{short:?}");
    bot.answers("What percentage of evening trains were crowded?", "12");
    // A share keeps its percent word.
    let mut bot = TestBot::new()
        .post(
            "punctuality.md",
            "# Punctuality\n\nLast year 91.4 percent of trains arrived within five minutes of \
             the timetable.\n\nAbout 12 per cent of buses ran late in winter.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers(
        "What share of trains arrived within five minutes of the timetable?",
        "91.4 percent",
    );
    bot.answers(
        "What percentage of buses ran late in winter?",
        "12 per cent",
    );
}

#[test]
fn when_wants_a_time_and_where_is_never_only_a_time() {
    // Every best guess is shown, so the test sees what the ranker may choose from.
    let mut bot = TestBot::new()
        .post(
            "chess.md",
            "# Chess club\n\nThe chess club meets in Room 12 every Thursday.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers("When does the chess club meet?", "Thursday");
    bot.answers("Where does the chess club meet?", "Room 12");
    // "What time" wants the time of day, not the date beside it.
    let mut walks = TestBot::new()
        .post(
            "walks.md",
            "# Walks\n\nThe estuary wader count is on 12 October, meeting at the sea wall car \
             park at 9 am.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    walks.answers_exactly("What time do they meet for the wader count?", "9 am");
    walks.answers("When is the wader count?", "12 October");
    // A post that gives no time gets no guess at one.
    let answer = TestBot::new()
        .post(
            "books.md",
            "# Book club\n\nThe book club meets in the library annexe, Room 4.\n",
        )
        .settings(|s| s.min_confidence = 0.0)
        .ask("When does the book club meet?");
    assert!(answer.answer.is_none(), "{answer:?}");
}

#[test]
fn an_answer_never_only_repeats_the_question() {
    // Every best guess is shown: the post says when, not where, and the phrase that names the
    // sale is all that is left once times are ruled out for "where".
    let mut bot = TestBot::new()
        .post(
            "sale.md",
            "# Book sale\n\nThe book sale starts on the first Saturday of May.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let answer = bot.ask("Where is the book sale?");
    assert!(answer.answer.is_none(), "{answer:?}");
    assert!(
        answer
            .citations
            .first()
            .is_some_and(|c| c.text.contains("book sale")),
        "{answer:?}"
    );
    // A question that offers a choice is answered with one of its own words.
    TestBot::new()
        .post(
            "cafe.md",
            "# Cafe\n\nThe cafe serves tea in the mornings and cake after lunch.\n",
        )
        .settings(|s| s.min_confidence = 0.0)
        .answers("Does the cafe serve tea or coffee in the mornings?", "tea");
}

#[test]
fn who_is_never_answered_with_a_time_or_a_bare_figure() {
    // Every best guess is shown: the post says when the club began, not who began it.
    let answer = TestBot::new()
        .post(
            "club.md",
            "# Rowing club\n\nThe rowing club was founded in 1998 and rebuilt in 2012.\n",
        )
        .settings(|s| s.min_confidence = 0.0)
        .ask("Who founded the rowing club?");
    assert!(answer.answer.is_none(), "{answer:?}");
}

#[test]
fn an_acronym_the_posts_never_spell_out_gets_no_guess() {
    let mut bot = TestBot::new()
        .post(
            "events.md",
            "# Events\n\nThe AGM will be held at the Town Hall on 12 June, after the Spring \
             Fair.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let answer = bot.ask("What does AGM stand for?");
    assert!(answer.answer.is_none(), "{answer:?}");
    assert!(answer.citations[0].text.contains("AGM"), "{answer:?}");
}

#[test]
fn dates_names_and_phrases() {
    // The best guesses, whether or not they are sure enough to be shown.
    let mut bot = harbour().settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly(
        "What years does the Harbour Development Plan cover?",
        "2022-2027",
    );
    bot.answers(
        "Which festival focused on clean water for everyone?",
        "Seaside Festival",
    );
    bot.answers("What does the festival focus on?", "clean water");
    bot.answers(
        "What event in the U.K. shows that visitors bring money?",
        "Boat Show",
    );
    bot.answers("Who wrote the post?", "Marta");
}

#[test]
fn an_unsure_answer_is_withheld_and_the_passage_still_cited() {
    let question = "How many bilateral shipping agreements are there?";
    let sure = harbour().answers_exactly(question, "23");
    let confidence = sure.confidence.expect("a candidate has a confidence");
    assert!((0.0..=1.0).contains(&confidence), "{confidence}");
    // The same question with a gate above that confidence: no short answer, the same passage.
    let mut strict = harbour().settings(|s| s.min_confidence = (confidence + 0.01).min(1.0));
    let unsure = strict.ask(question);
    assert!(unsure.answered(), "the posts still cover it");
    assert_eq!(unsure.answer, None);
    assert_eq!(unsure.outcome, Outcome::Answered);
    assert_eq!(unsure.citations[0].text, sure.citations[0].text);
    assert_eq!(unsure.citations[0].answer_range, None);
}

#[test]
fn acronyms_are_expanded_from_the_text() {
    TestBot::new()
        .post("bridges.md", BRIDGES)
        .answers("What does RBT stand for?", "Riverton Bridge Trust");
}

#[test]
fn an_acronym_is_expanded_from_words_around_it_and_brackets_come_first() {
    TestBot::new()
        .post(
            "sleep.md",
            "# Sleep\n\nThe team studies an enzyme called orexin-degrading peptidase, or ODP, \
             which falls at night.\n",
        )
        .answers_exactly("What does ODP stand for?", "orexin-degrading peptidase");
    // Words may spell the letters by chance; brackets are meant, though the sentence that
    // gives them ranks second.
    TestBot::new()
        .post(
            "club.md",
            "# Club\n\nWe all care less, or ACL.\n\nThe Amateur Croquet League (ACL) meets on \
             Sundays on the village green behind the old church hall.\n",
        )
        .answers_exactly("What does ACL stand for?", "Amateur Croquet League");
}

#[test]
fn an_acronym_chat_writes_in_lower_case_is_expanded_and_a_word_is_not_taken_for_one() {
    let mut bot = TestBot::new().post(
        "school.md",
        "# School\n\nThe Parent Teacher Association (PTA) meets on the first Monday of each \
         month.\n\nThe club stands for fair play and raised 300 pounds for new nets.\n\nThe \
         school library opens at 8 am.\n",
    );
    bot.answers_exactly("what does pta stand for", "Parent Teacher Association");
    bot.answers_exactly("what does pta mean?", "Parent Teacher Association");
    bot.answers_exactly("whats the pta", "Parent Teacher Association");
    // "club" is a word of the posts, not an acronym: the question is answered as written.
    let club = bot.ask("what does the club stand for");
    assert_eq!(club.outcome, Outcome::Answered, "{club:?}");
    assert!(club.citations[0].text.contains("fair play"), "{club:?}");
    // Letters the posts use but never spell out get the passage, not a guess at a span.
    let mut fete = TestBot::new()
        .post(
            "fete.md",
            "# Fete\n\nThe PTA raised £2 400 at the summer fete for new library books.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let pta = fete.ask("whats the pta");
    assert_eq!(pta.outcome, Outcome::Answered, "{pta:?}");
    assert_eq!(pta.answer, None, "{pta:?}");
    assert!(pta.citations[0].text.contains("PTA"), "{pta:?}");
}

#[test]
fn an_acronym_with_dots_is_expanded_as_the_question_writes_it() {
    TestBot::new()
        .post(
            "trade.md",
            "# Trade\n\nExports to the United States (U.S.) rose by a fifth last year.\n",
        )
        .answers("What does U.S. stand for?", "United States");
}

#[test]
fn citations_locate_the_verbatim_text() {
    let mut bot = TestBot::new().post("bridges.md", BRIDGES);
    let answer = bot.answers("When was the Old Stone Bridge built?", "1742");
    let top = &answer.citations[0];
    let source = std::fs::read_to_string(bot.dir().join("bridges.md")).unwrap();
    assert_eq!(&source[top.start..top.end], top.text);
    assert_eq!(top.document, "bridges.md");
    assert_eq!(top.title, "Bridges of Riverton");
    assert_eq!(top.section.as_deref(), Some("History"));
    assert_eq!(top.paragraph, 2);
    assert_eq!(top.url.as_deref(), Some("https://example.org/bridges"));
    assert!(top.text.contains(answer.answer.as_deref().unwrap()));
    let range = top
        .answer_range
        .clone()
        .expect("the answer is located in the citation");
    assert_eq!(&top.text[range], answer.answer.as_deref().unwrap());
    assert!(
        top.highlights.iter().any(|h| h == "Bridge"),
        "{:?}",
        top.highlights
    );
}

#[test]
fn amounts_come_with_their_unit() {
    TestBot::new()
        .post("bridges.md", BRIDGES)
        .answers("How much do repairs cost?", "£2.5 million");
}

#[test]
fn plain_text_headings_become_sections_and_boilerplate_is_never_cited() {
    let mut bot = harbour();
    let answer = bot.ask("How many bilateral shipping agreements?");
    assert_eq!(
        answer.citations[0].section.as_deref(),
        Some("Trade and Traffic")
    );
    let reply = bot.ask("Leave a reply");
    assert!(
        reply
            .citations
            .iter()
            .all(|c| !c.text.contains("Leave a Reply")),
        "{:?}",
        reply.citations
    );
}

#[test]
fn several_posts_are_told_apart() {
    let mut bot = harbour().post("bridges.md", BRIDGES);
    let answer = bot.answers_exactly("How many bridges does Riverton have?", "14");
    assert_eq!(answer.citations[0].document, "bridges.md");
    assert_eq!(bot.engine().posts().len(), 2);
}

#[test]
fn decomposed_accents_meet_composed_ones() {
    // macOS and some editors write "crème brûlée" decomposed (NFD): e + U+0300 and so on. The
    // tokenizer split words at the combining marks, so the question cited the wrong post.
    let dessert = "The Sunday market sells 40 cre\u{300}me bru\u{302}le\u{301}e pots.\n";
    let mut bot = TestBot::new()
        .post("dessert.txt", dessert)
        .post("tea.txt", "The Sunday market sells 25 pots of mint tea.\n");
    let answer = bot.answers("How many crème brûlée pots does the market sell?", "40");
    let top = &answer.citations[0];
    assert_eq!(top.document, "dessert.txt");
    assert_eq!(&dessert[top.start..top.end], top.text);
    // And the other way round: a decomposed question finds the composed post.
    let mut bot = TestBot::new()
        .post(
            "dessert.txt",
            "The Sunday market sells 40 crème brûlée pots.\n",
        )
        .post("tea.txt", "The Sunday market sells 25 pots of mint tea.\n");
    let answer = bot.answers(
        "How many cre\u{300}me bru\u{302}le\u{301}e pots does the market sell?",
        "40",
    );
    assert_eq!(answer.citations[0].document, "dessert.txt");
}

#[test]
fn invisible_characters_change_no_answer() {
    // A byte-order mark before the question ("\u{feff}how many ...") made it a different
    // question; a soft hyphen or zero-width space inside a word split it in two.
    let mut bot = harbour();
    for question in [
        "\u{feff}How many bilateral shipping agreements are there?",
        "\u{200b}How many bilateral ship\u{ad}ping agree\u{200b}ments are there?",
        "How\u{2060} many\u{200d} bilateral shipping agreements are there?\u{feff}",
    ] {
        let answer = bot.answers_exactly(question, "23");
        assert!(answer.citations[0].text.contains("23 bilateral"));
    }
    // In a post, too: the cited bytes keep the invisible characters as written.
    let post = "\u{feff}The har\u{ad}bour hosts 1,500 regis\u{200b}tered fishing boats.\n";
    let mut bot = TestBot::new().post("port.txt", post);
    let answer = bot.answers_exactly(
        "How many registered fishing boats does the harbour host?",
        "1,500",
    );
    let top = &answer.citations[0];
    assert_eq!(&post[top.start..top.end], top.text);
    assert!(top.text.starts_with("The har\u{ad}bour"), "{:?}", top.text);
}

#[test]
fn line_endings_of_every_system_cite_alike() {
    // With old Mac line endings (a lone CR), the heading "Trade and Traffic" was cited as part of
    // the paragraph under it.
    for ending in ["\r", "\r\n"] {
        let harbour = HARBOUR.replace('\n', ending);
        let mut bot = TestBot::new().post("harbour.txt", &harbour);
        let answer = bot.answers_exactly("How many bilateral shipping agreements are there?", "23");
        let top = &answer.citations[0];
        assert_eq!(
            top.section.as_deref(),
            Some("Trade and Traffic"),
            "{ending:?}"
        );
        assert!(
            top.text.starts_with("The port now handles"),
            "{ending:?}: {:?}",
            top.text
        );
        assert_eq!(&harbour[top.start..top.end], top.text, "{ending:?}");

        // Markdown too: the front matter, the headings and the paragraphs.
        let bridges = BRIDGES.replace('\n', ending);
        let mut bot = TestBot::new().post("bridges.md", &bridges);
        assert_eq!(bot.engine().posts()[0].title, "Bridges of Riverton");
        let answer = bot.answers("Who built the Old Stone Bridge?", "Elias Ward");
        let top = &answer.citations[0];
        assert_eq!(top.section.as_deref(), Some("History"), "{ending:?}");
        assert!(
            top.text.starts_with("The Old Stone Bridge"),
            "{:?}",
            top.text
        );
        assert_eq!(&bridges[top.start..top.end], top.text, "{ending:?}");
    }
}

#[test]
fn unreadable_posts_are_skipped_and_the_rest_indexed() {
    let mut bot = harbour()
        .raw("broken.txt", &[0xff, 0xfe, 0x00, 0x41])
        .post("bad.md", "---\ntitle: x\nno end\n");
    let posts = bot.engine().posts();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0].document, "harbour.txt");
}

/// A folder that cannot be listed (here: nested past the system's 4,096-byte path limit, since
/// tests run as root, who can list any folder whatever its permissions) took the whole corpus
/// down.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_that_cannot_be_listed_is_skipped_and_the_rest_indexed() {
    let mut bot = harbour();
    let name = "d".repeat(200);
    let script = format!(
        "cd \"$1\" && for i in $(seq 25); do mkdir {name} && cd -P {name} || exit 1; done && echo 'A deep post.' > deep.txt"
    );
    let made = std::process::Command::new("sh")
        .args(["-c", &script, "sh"])
        .arg(bot.dir())
        .status()
        .unwrap();
    assert!(made.success());
    let (posts, skipped) = citebot_core::ingest::load_dir(bot.dir()).unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].path.starts_with(bot.dir().join(&name)));
    bot.answers("How many bilateral shipping agreements are there?", "23");
}

#[test]
fn an_empty_or_missing_posts_folder_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let err = citebot_core::Engine::open(empty.path(), Default::default())
        .err()
        .expect("an error");
    assert!(matches!(err, Error::NoPosts(_)), "{err}");
    let missing = empty.path().join("nope");
    let err = citebot_core::Engine::open(&missing, Default::default())
        .err()
        .expect("an error");
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn bad_questions_are_errors_not_panics() {
    let mut bot = harbour().settings(|s| s.max_question_chars = 500);
    let engine = bot.engine();
    assert!(matches!(engine.ask("   "), Err(Error::EmptyQuestion)));
    assert!(matches!(
        engine.ask(&"why ".repeat(200)),
        Err(Error::QuestionTooLong {
            chars: 800,
            limit: 500
        })
    ));
    // Query syntax is never read as syntax: marks alone are not a question; words among the
    // marks are searched like any words (these are not in the posts).
    for junk in ["?!?", "*:* -\"", "\"", "((("] {
        match engine.ask(junk) {
            Err(Error::NoSearchableWords(asked)) => assert_eq!(asked, junk),
            other => panic!("{junk:?}: expected NoSearchableWords, got {other:?}"),
        }
    }
    let answer = engine.ask("foo:bar*").expect("words are a question");
    assert_eq!(answer.outcome, Outcome::NotCovered, "{answer:?}");
    assert_eq!(answer.answer, None);
}

#[test]
fn search_returns_cited_passages() {
    let mut bot = harbour().post("bridges.md", BRIDGES);
    let hits = bot.engine().search("bridge repairs", 2).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits[0].text.contains("Repairs cost"), "{:?}", hits[0].text);
}

#[test]
fn a_sentence_opening_with_a_pronoun_inherits_its_subject() {
    let mut bot = TestBot::new()
        .post(
            "fund.txt",
            "The Lantern Fund was set up by the town council in 1998. It pays for street lights in the old quarter.\nThe council also runs two parks and a library.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let answer = bot.answers("What does the Lantern Fund pay for?", "street lights");
    assert!(
        answer.citations[0].text.starts_with("It pays"),
        "{:?}",
        answer.citations[0].text
    );
}

#[test]
fn a_how_much_question_is_not_answered_with_a_date() {
    let mut bot = TestBot::new()
        .post(
            "coming-up.md",
            "# Coming up\n\nWinter training starts on 4 November. Sessions run every Tuesday and Thursday at 6:30 pm. The Christmas dinner will be held at the Old Mill pub on 13 December; tickets cost £35 and must be booked by 1 December through the club website.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("How much are Christmas dinner tickets?", "£35");
}

#[test]
fn who_wrote_a_post_looks_at_the_post_the_question_names() {
    let mut bot = harbour().post(
        "garden.md",
        "# Garden News\n\nHi all, Priya here with news from the allotments.\n\nThe garden has 12 raised beds.\n",
    );
    bot.answers("Who wrote the post about the harbour authority?", "Marta");
    bot.answers("Who wrote the post about the allotments?", "Priya");
}

#[test]
fn a_post_without_an_introduction_does_not_borrow_another_posts_author() {
    let mut bot = TestBot::new()
        .post(
            "welcome.md",
            "# Welcome\n\nHi, I am Rosa Delgado, and I look after this server.\n",
        )
        .post(
            "recipes.md",
            "# Recipes\n\nThe best soup is leek and potato, served with rye bread.\n",
        )
        .post(
            "hockey.md",
            "# Hockey Night\n\nBy Friday, all teams must register for the spring league.\n",
        );
    bot.answers_exactly("Who wrote the welcome post?", "Rosa Delgado");
    for question in ["Who wrote the recipes post?", "Who wrote the hockey post?"] {
        let answer = bot.ask(question);
        let short = answer.answer.clone().unwrap_or_default();
        assert!(
            !short.contains("Rosa") && !short.contains("Friday"),
            "{question}: {answer:?}"
        );
    }
    // The configured gate holds for answers found by rule too.
    let mut strict = TestBot::new()
        .post(
            "welcome.md",
            "# Welcome\n\nHi, I am Rosa Delgado, and I look after this server.\n",
        )
        .settings(|s| s.min_confidence = 0.95);
    let answer = strict.ask("Who wrote the welcome post?");
    assert!(answer.answer.is_none(), "{answer:?}");
    assert_eq!(answer.citations[0].document, "welcome.md");
}

#[test]
fn signs_and_percent_stay_with_their_figures() {
    // "-5 degrees" once answered "5 degrees", "−300" (U+2212) "300", and "3.5%" "3.5".
    let mut bot = TestBot::new()
        .post(
            "weather.txt",
            "The temperature in January was -5 degrees.\nThe village spent −300 dollars more than planned.\nUnemployment in the valley fell to 3.5% last year.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("What was the temperature in January?", "-5 degrees");
    bot.answers_exactly(
        "How much more than planned did the village spend?",
        "−300 dollars",
    );
    // The span's extent is the ranker's choice ("3.5% last year" with the current models); the
    // percent sign must stay with the figure.
    bot.answers("What did unemployment in the valley fall to?", "3.5%");
}

#[test]
fn greetings_thanks_and_mentions_around_a_question_are_not_searched() {
    let mut bot = TestBot::new().post(
        "committee.md",
        "# Committee\n\nThe treasurer is Priya Nair. Meetings are held in the old boathouse.\n",
    );
    for question in [
        "hi, who is the treasurer?",
        "Who is the treasurer? thanks!",
        "<@&123456> who is the treasurer?",
        "@everyone who is the treasurer <#555666777>",
    ] {
        bot.answers(question, "Priya Nair");
    }
}

#[test]
fn irregular_forms_meet_the_words_they_are_forms_of() {
    // "buy" once found nothing of "bought", nor "teaches" of "taught": not covered.
    let mut bot = TestBot::new()
        .post(
            "year.md",
            "# Year\n\nThe club bought a new kiln in March. Maya taught the pottery class.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers("What did the club buy?", "kiln");
    bot.answers("Who teaches the pottery class?", "Maya");
}

#[test]
fn a_short_answer_never_runs_into_a_markdown_link() {
    let mut bot = TestBot::new()
        .post(
            "host.md",
            "# Host\n\nThe host is [Dana Ito](https://example.org/dana). Read the [loot \
             rules](https://example.org/loot) before joining.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("Who is the host?", "Dana Ito");
    let answer = bot.ask("What should I read before joining?");
    let short = answer.answer.unwrap_or_default();
    assert!(!short.contains("](") && !short.contains(")."), "{short:?}");
}

#[test]
fn small_talk_is_not_searched() {
    let mut bot = harbour();
    for message in ["thanks!", "Hi there", "ok cool, thank you so much"] {
        let answer = bot.ask(message);
        assert_eq!(answer.outcome, Outcome::SmallTalk, "{message:?}");
        assert!(!answer.answered() && answer.answer.is_none(), "{message:?}");
        assert!(
            answer.citations.is_empty(),
            "{message:?}: {:?}",
            answer.citations
        );
    }
    // A question with a greeting in it is still a question.
    bot.answers_exactly(
        "hi, how many bilateral shipping agreements are there?",
        "23",
    );
}

/// A post that names one country in two words, next to another country and a "state police unit".
const ENGINEERS: &str = "Canada sent 25 engineers to the river project in 2019.
The United States sent 40 engineers to the river project in 2020.
The state police unit has 9 officers.
";

#[test]
fn an_acronym_that_spells_a_stopword_meets_its_synonyms() {
    // "US" is not the pronoun "us": it reaches "United States".
    // Without it the question holds only "engineers" and "send", which both sentences hold.
    let mut bot = TestBot::new().post("engineers.txt", ENGINEERS);
    let answer = bot.ask("How many engineers did the US send?");
    let top = answer.citations.first().map(|c| c.text.as_str());
    assert!(top.is_some_and(|t| t.contains("United States")), "{top:?}");
    // Whether sure enough to answer or not, never Canada's figure.
    assert!(
        answer.answer.as_deref().is_none_or(|a| a == "40"),
        "{:?}",
        answer.answer
    );
}

#[test]
fn an_initialism_with_dots_is_the_word_its_letters_spell() {
    // "U.S." in a post or a question is "US": it meets "United States" and "America".
    let mut bot = TestBot::new().post(
        "engineers.txt",
        "Canada sent 25 engineers to the river project in 2019.
The U.S. sent 40 engineers to the river project in 2020.
",
    );
    for question in [
        "How many engineers did the United States send?",
        "How many engineers did America send?",
        "How many engineers did the U.S.A. send?",
        "How many engineers did the US send?",
    ] {
        let answer = bot.ask(question);
        let top = answer.citations.first().map(|c| c.text.as_str());
        assert!(
            top.is_some_and(|t| t.contains("U.S.")),
            "{question}: {top:?}"
        );
        assert!(
            answer.answer.as_deref().is_none_or(|a| a == "40"),
            "{question}: {:?}",
            answer.answer
        );
    }
    let mut bot = TestBot::new().post("engineers.txt", ENGINEERS);
    let answer = bot.ask("How many engineers did the U.S. send?");
    let top = answer.citations.first().map(|c| c.text.as_str());
    assert!(top.is_some_and(|t| t.contains("United States")), "{top:?}");
}

#[test]
#[ignore = "known wrong answer: the retrained gate shows the police unit's 9 at 0.43 (docs/answers.md)"]
fn another_subject_s_figure_is_no_answer() {
    // The police unit's officers are not America's, so their figure is no answer.
    let mut bot = TestBot::new().post("engineers.txt", ENGINEERS);
    let officers = bot.ask("How many officers does America have?");
    assert_eq!(officers.answer, None, "{:?}", officers.confidence);
}

#[test]
fn a_synonym_of_several_words_is_met_only_as_a_phrase() {
    let mut bot = TestBot::new().post("engineers.txt", ENGINEERS);
    // A "state" and a "unit" are not "United States": neither word is marked as asked for.
    let officers = bot.ask("How many officers does America have?");
    assert!(!officers.citations.is_empty(), "{officers:?}");
    for citation in &officers.citations {
        assert!(
            citation
                .highlights
                .iter()
                .all(|h| h != "state" && h != "unit"),
            "{:?}",
            citation.highlights
        );
    }
    let answer = bot.ask("How many engineers did America send?");
    let top = answer.citations.first().map(|c| c.text.as_str());
    assert!(top.is_some_and(|t| t.contains("United States")), "{top:?}");
    assert!(
        answer.answer.as_deref().is_none_or(|a| a == "40"),
        "{:?}",
        answer.answer
    );
}

const BOWLS: &str = "# Greenbank Bowls Club: summer league

The summer league ended on Saturday; thanks to everyone who played in the heat.

| Team | Pld | W | L | Pts |
|------|-----|---|---|-----|
| Greenbank A | 12 | 9 | 3 | 27 |
| Greenbank B | 12 | 4 | 8 | 14 |

## Fixtures

| Date | Event | Venue |
|------|-------|-------|
| Sat 14 June | Open day | Main green |
| Sun 6 July | Charity triples | Lower green |

Members bring a plate for the open day tea.
";

#[test]
fn a_table_cell_is_answered_by_the_column_and_row_the_question_names() {
    let mut bot = TestBot::new().post("bowls.md", BOWLS);
    // "Pts" abbreviates "points", "W" and "L" are the initials of "won" and "lose".
    let answer = bot.answers_exactly("how many points have greenbank b got", "14");
    assert_eq!(
        answer.citations[0].text, "Greenbank B | 12 | 4 | 8 | 14",
        "the row is cited whole"
    );
    bot.answers_exactly("how many matches has greenbank a won", "9");
    bot.answers_exactly("how many games did greenbank b lose", "8");
    // "when" and "where" name the columns of their kind.
    bot.answers_exactly("when is the charity triples", "Sun 6 July");
    bot.answers_exactly("where is the open day", "Main green");
    // A question ranking the table reads it whole and cites the row it picks.
    let top = bot.answers_exactly("which team has the most points", "Greenbank A");
    assert_eq!(top.citations[0].text, "Greenbank A | 12 | 9 | 3 | 27");
    bot.answers_exactly("which team has the fewest points", "Greenbank B");
}

#[test]
fn a_table_row_does_not_answer_for_another_season_or_team() {
    let mut bot = TestBot::new().post("bowls.md", BOWLS);
    let cells = ["27", "14", "12", "9", "3"];
    for question in [
        "how many points did greenbank a get last season",
        "how many points have Riverside got",
    ] {
        let answer = bot.ask(question);
        assert!(
            answer.answer.as_deref().is_none_or(|a| !cells.contains(&a)),
            "{question:?} was answered {:?} from {:?}",
            answer.answer,
            answer.citations.first().map(|c| &c.text)
        );
    }
}

#[test]
fn when_is_not_answered_with_how_long() {
    // The post says how long she chaired the trust, not when she became chair.
    let mut bot = TestBot::new()
        .post(
            "trust.md",
            "# Trust history\n\nAnn Kell chaired the trust for the following five years.\n\nThe trust reopened the mill in 2012, two years after the \
             flood.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let answer = bot.ask("When did Ann Kell become chair of the trust?");
    assert_eq!(answer.answer, None, "{:?}", answer.citations.first());
    bot.answers_exactly("When did the trust reopen the mill?", "2012");
}

#[test]
fn this_year_s_figure_is_not_the_one_compared_with_last_year() {
    // "year" of "this year" does not name the item "compared with 30% last year"; the words
    // that do name an item ("farms", "families") choose it.
    let mut bot = TestBot::new()
        .post(
            "food.md",
            "# Food bank\n\nRoughly 45% of what we handed out came from local farms, compared \
             with 30% last year.\n\nAround 70% of what the volunteers sorted went to families, \
             compared with 55% last year.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly(
        "What share of the food came from local farms this year?",
        "45%",
    );
    bot.answers_exactly("What share went to families this year?", "Around 70%");
    bot.answers_exactly("What share went to families last year?", "55%");
    // A day the item names without "last" or "this" is still named by the question's day.
    let mut bot = TestBot::new()
        .post(
            "tickets.md",
            "# Box office\n\nWe sold 300 tickets on Saturday, compared with 250 on Friday.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    bot.answers_exactly("How many tickets were sold this Friday?", "250");
}

#[test]
fn the_money_how_much_asks_for_does_not_choose_the_passage() {
    let mut bot = TestBot::new().post(
        "news.md",
        "# Club news\n\n## Where the money goes\n\nThe remaining money is held as a \
         contingency fund for the roof.\n\n## Lunch and raffle\n\nThe raffle raised £640, \
         and the top prize was won by Jean Pawley.\n\n## The lane\n\nThe council will trial \
         the lane before making it permanent.\n",
    );
    bot.answers_exactly("how much money did the raffle make", "£640");
}

#[test]
fn a_price_is_never_answered_with_a_figure_that_is_no_price() {
    let mut bot = TestBot::new()
        .post(
            "route.md",
            "# Cycle route\n\nSecure cycle parking for 40 bikes at each of the schools will \
             cost £95,000.\n\nThe route will be built in two phases, with the station section \
             opening first.\n",
        )
        .post(
            "patch.md",
            "# Patch notes\n\nIn the shop the pikeman now costs 85 gold, down from 100.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    // Games' money is money.
    bot.answers_exactly("how much does the pikeman cost in the shop", "85 gold");
    let answer = bot.ask("how much will the station section of the route cost");
    assert!(
        answer.answer.as_deref().is_none_or(|a| !a.contains("two")),
        "{answer:?}"
    );
    // Chat's "how much for X" asks a price too.
    bot.answers_exactly("how much for cycle parking at the schools", "£95,000");
}

#[test]
fn what_something_costs_is_asked_as_how_much_it_costs() {
    let mut bot = TestBot::new()
        .post(
            "bridge.md",
            "# Bridge report\n\nThe repair is overdue, but it is cheap compared with the \
             £2 million that a new bridge over the Wend would cost if the old one fails.\n",
        )
        .settings(|s| s.min_confidence = 0.0);
    let how_much = bot.answers(
        "how much would a new bridge over the Wend cost",
        "£2 million",
    );
    let what = bot.answers("what would a new bridge over the Wend cost", "£2 million");
    assert_eq!(what.answer, how_much.answer);
}

#[test]
fn a_row_does_not_answer_for_what_another_row_says() {
    let mut bot = TestBot::new().post(
        "patch.md",
        "# Patch 3.1 notes\n\nBalance changes in this patch:\n\n\
         | Unit | Change | New value |\n|---|---|---|\n\
         | Marsh Archer | Health reduced | 540 |\n\
         | Marsh Knight | Range increased | 4 tiles |\n\
         | Pikeman | Cost reduced | 85 gold |\n",
    );
    bot.answers_exactly("what is the new value for the marsh knight", "4 tiles");
    // The knight's change is to its range; health is what the archer's row says.
    let answer = bot.ask("what is the marsh knight's new health");
    assert!(
        answer
            .answer
            .as_deref()
            .is_none_or(|a| !a.contains("4 tiles") && !a.contains("540")),
        "{answer:?}"
    );
}

#[test]
fn a_year_the_post_never_names_means_it_does_not_say() {
    let mut bot = TestBot::new().post(
        "roundup.md",
        "# Hope Lane rescue: 2024 round-up\n\nThe dog show raised £3,480 and the quiz night \
         raised £1,275.\n\nIn the 1990s the rescue had one kennel and two volunteers.\n",
    );
    bot.answers_exactly("how much did the dog show raise in 2024", "£3,480");
    // The post is about 2024: it says nothing of 2023.
    let answer = bot.abstains("how much did the dog show raise in 2023");
    assert_eq!(answer.outcome, Outcome::NotCovered);
    // A decade is no year: "1990's" is the post's "1990s"; 1994 the post never names.
    bot.answers_exactly(
        "how many volunteers did the hope lane rescue have in the 1990's",
        "two",
    );
    bot.abstains("how many volunteers did the hope lane rescue have in 1994");
}

#[test]
fn a_question_with_a_detail_swapped_gets_no_short_answer() {
    let mut bot = TestBot::new().post(
        "fair.md",
        "# Summer fair\n\nThe fair opened at noon on the village green. The raffle raised £640, \
         and the top prize, a weekend in a shepherd's hut, was won by Jean Pawley from Lower \
         Tarring. The cake stall sold out by three.\n",
    );
    let top = bot.answers_exactly("Who won the top prize in the raffle?", "Jean Pawley");
    // The post names the winner of the top prize only: "second" stands where it says "top".
    let second = bot.ask("Who won the second prize in the raffle?");
    assert_eq!(second.answer, None, "{second:?}");
    let (swapped, asked) = (second.confidence.unwrap(), top.confidence.unwrap());
    assert!(swapped < asked, "{swapped} vs {asked}");
    let cited = second.citations.first().map(|c| c.text.as_str());
    assert!(cited.is_some_and(|t| t.contains("top prize")), "{cited:?}");
}

#[test]
fn a_word_met_by_its_phrase_or_under_the_heading_is_no_swapped_detail() {
    // "US" meets "United States": its words are the question's, not others standing in its
    // place, so both wordings are as sure.
    let mut bot = TestBot::new().post(
        "army.md",
        "# Army history\n\nThe United States Army was founded in 1775 by the Continental \
         Congress. The Royal Navy is older than that.\n",
    );
    let short = bot.answers_exactly("When was the US Army founded?", "1775");
    let long = bot.answers_exactly("When was the United States Army founded?", "1775");
    assert_eq!(short.confidence, long.confidence);
    // The title names the fair: "raffle" does not stand where the question says "fair".
    let mut bot = TestBot::new().post(
        "fair.md",
        "# Summer fair\n\nThe top prize of the raffle was won by Jean Pawley. The cake stall \
         sold out by three.\n",
    );
    bot.answers_exactly("Who won the top prize of the fair?", "Jean Pawley");
}
