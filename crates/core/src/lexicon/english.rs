//! The English word lists: what citebot knows of English words beyond what the tagger and parser
//! learned. Every list is lower-case; each says what it is for and who reads it.

/// Function words that carry no meaning of their own in a question: they are not searched for.
/// Read through [`crate::analysis::is_stopword`] (retrieval, follow-ups, small talk, reports).
/// Sorted, for a binary search: this runs for every word of a question.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "been",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "done",
    "else",
    "ever",
    "for",
    "from",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "how's",
    "hows",
    "i",
    "if",
    "in",
    "including",
    "into",
    "is",
    "isn't",
    "it",
    "its",
    "just",
    "like",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "no",
    "not",
    "of",
    "off",
    "on",
    "one's",
    "onto",
    "or",
    "our",
    "out",
    "over",
    "per",
    "s",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "up",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "what's",
    "whats",
    "when",
    "when's",
    "whens",
    "where",
    "where's",
    "wheres",
    "which",
    "who",
    "who's",
    "whom",
    "whos",
    "whose",
    "why",
    "whys",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
];

/// Words that count as the same when asked about, one row each. Retrieval (`retrieve`)
/// searches a row's other words with a lower weight than the word asked. A row's word of several
/// words ("united states") is a phrase: it is met only by those words in a row, never by one of
/// them alone. Kept small and conservative.
pub const SYNONYMS: &[&[&str]] = &[
    &[
        "organization",
        "organisation",
        "org",
        "orgs",
        "organizations",
        "organisations",
    ],
    &["country", "nation", "state"],
    &["us", "u.s", "usa", "u.s.a", "america", "united states"],
    &["uk", "u.k", "britain", "united kingdom"],
    &["begin", "start", "commence"],
    &["end", "finish"],
    &["buy", "purchase"],
    &["car", "automobile", "vehicle"],
    &["child", "kid"],
    &["big", "large"],
    &["small", "little"],
    &["fast", "quick", "rapid"],
    &["student", "pupil"],
    &["job", "occupation", "profession"],
    &["film", "movie"],
    &["shop", "store"],
    &["collaboration", "cooperation", "partnership"],
    &["ai", "artificial intelligence"],
    &["tech", "technology"],
    &["medical", "medicine", "health"],
    &["kill", "death", "die"],
    &["build", "construct"],
    &["show", "demonstrate"],
    // Titles and words a chat writes short: "who is the CEO?" of "Chief Executive Officer Ann
    // Lee".
    &["ceo", "chief executive", "chief executive officer"],
    &["cfo", "chief financial officer"],
    &["cto", "chief technology officer"],
    &["hq", "headquarters"],
    &["faq", "frequently asked questions"],
    &["admin", "administrator"],
    &["info", "information"],
];

/// Stems of words that frame a question ("mentioned", "called", "the post") rather than say what
/// it is about; retrieval searches them with a low weight and leaves them out of coverage.
pub const FRAME_STEMS: &[&str] = &[
    "mention", "call", "name", "know", "refer", "describ", "say", "said", "accord", "post",
    "articl", "text", "blog", "list", "exampl", "give", "term", "type", "kind", "stand", "short",
    "mean", "acronym", "abbrevi",
];

/// Pronouns (as analysed: "its" is "it") that refer back when they open a sentence ("It calls
/// for ..."): the sentence is about what the one before it named. Read by retrieval's sentence
/// ranking.
pub const REFERRING_PRONOUNS: &[&str] =
    &["it", "they", "this", "these", "he", "she", "their", "such"];

/// Chat's spellings of question words and of words a question counts, with the word they stand
/// for: "wen did 2.4.1 drop", "how many ppl came". Read by `question::respelled`.
pub const CHAT_SPELLINGS: &[(&str, &str)] = &[
    ("wen", "when"),
    ("whn", "when"),
    ("wat", "what"),
    ("wut", "what"),
    ("wht", "what"),
    ("wher", "where"),
    ("ppl", "people"),
];

/// The question words; the answer ranker's features (`answer::features`) find the
/// question's own by them.
pub const QUESTION_WORDS: &[&str] = &[
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
];

/// Words after "how" that make a question word of their own ("how many", "how long"), for the
/// answer ranker's features. Part of a trained model's input: changing it changes the features.
pub const HOW_WORDS: &[&str] = &[
    "many", "much", "long", "far", "old", "large", "big", "high", "tall", "often", "deep", "wide",
    "fast", "heavy", "early", "late", "small",
];

/// Question words (as the answer ranker's `Asked::wh` writes them) that
/// never ask for a sum of money: "how old is the club?" is not answered "£11,000".
pub const NOT_MONEY_QUESTIONS: &[&str] = &[
    "when",
    "where",
    "who",
    "whom",
    "why",
    "how high",
    "how old",
    "how long",
    "how far",
    "how often",
    "how tall",
    "how deep",
    "how wide",
    "how fast",
    "how heavy",
    "how early",
    "how late",
];

/// Words after "how" that ask for a quantity or measure ("how much", "how far"): the question
/// classifier (`question`) expects an amount.
pub const AMOUNT_WORDS: &[&str] = &[
    "much",
    "far",
    "long",
    "big",
    "large",
    "tall",
    "high",
    "deep",
    "wide",
    "heavy",
    "old",
    "fast",
    "often",
    "small",
    "expensive",
];

/// Words a question may open with before its question word ("So ...", "Please tell me ...", "In
/// what year ..."); the question classifier skips them.
pub const QUESTION_OPENERS: &[&str] = &[
    "so", "and", "but", "ok", "okay", "please", "tell", "me", "in", "during", "by", "on", "at",
    "to", "for", "from", "after", "before", "since", "until", "around", "about", "with", "of",
];

/// Words a number labels rather than counts ("week 3", "round 2", "page 12"): a figure after
/// such a number is another number ("week 3 240 people"), not its thousands. Read by the
/// tokenizer.
pub const NUMBER_LABELS: &[&str] = &[
    "week", "round", "day", "page", "chapter", "stage", "level", "year", "room", "route", "bus",
    "platform", "gate", "no", "number", "part", "phase", "step", "grade", "section", "lap", "heat",
    "game", "match", "episode", "season", "series", "volume", "vol", "table", "hole", "race",
    "leg", "unit", "flat", "house", "bay", "court", "pitch", "stand", "row", "seat", "item",
];

/// Verbs of knowing or telling after which a yes/no question wraps a question ("do you *know*
/// when ...", "can you *tell* me who ..."). Read by the question classifier.
pub const WRAPPING_VERBS: &[&str] = &[
    "know",
    "tell",
    "remember",
    "recall",
    "say",
    "explain",
    "wondering",
];

/// Verbs with which one asks for a thing ("can i *have* the price", "could you *give* me the
/// date"). Read by the question classifier.
pub const ASKING_VERBS: &[&str] = &["have", "give", "get"];

/// The people and fillers a polite question opens with before its verb of knowing ("*i was*
/// wondering", "*would anyone happen to* know"). Read by the question classifier.
pub const WRAPPER_WORDS: &[&str] = &[
    "i", "we", "you", "u", "ya", "anyone", "anybody", "someone", "somebody", "they", "just",
    "happen", "to", "here", "possibly", "please",
];

/// Auxiliary verbs: they end the noun phrase after "how many" or "which", and a question opening
/// with one is a yes/no question. Read by the question classifier.
pub const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "do", "does", "did", "have", "has", "had", "can", "could", "will",
    "would", "should", "shall", "may", "might", "must", "be", "been",
];

/// Prepositions and relative words that end the noun phrase after "how many" or "which"; read by
/// the question classifier.
pub const PHRASE_ENDERS: &[&str] = &[
    "in", "on", "at", "of", "for", "to", "from", "by", "with", "about", "that", "which", "who",
    "during", "since", "after", "before", "under", "over", "between", "among", "through", "into",
];

/// Determiners and object pronouns: a word they follow in a question's noun phrase is a verb
/// ("which forum *hosts* the ..."). Read by the question classifier.
pub const OBJECT_OPENERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "its", "their", "his", "her", "it", "them",
];

/// Words inside a question's noun phrase that are not its nouns ("Belt *and* Road"); the
/// question classifier leaves them out of the head and its modifiers.
pub const PHRASE_GLUE: &[&str] = &["and", "the", "a", "an", "of"];

/// Nouns after "what" or "which" that ask for a date ("what year"); read by the question
/// classifier.
pub const DATE_NOUNS: &[&str] = &[
    "year", "years", "date", "dates", "century", "decade", "month", "day", "period", "era", "time",
];

/// Nouns after "what" or "which" that ask for a share ("what percentage"); read by the question
/// classifier.
pub const PERCENT_NOUNS: &[&str] = &["percentage", "percent", "proportion", "share", "fraction"];

/// Nouns in "what amount of" that ask for a quantity; read by the question classifier.
pub const AMOUNT_NOUNS: &[&str] = &["amount", "quantity"];

/// The copulas of "what is the X of ...", which with an [`ARTICLES`] word introduce the thing
/// named; read by the question classifier.
pub const COPULAS: &[&str] = &["is", "are", "was", "were"];

/// The articles; read by the question classifier.
pub const ARTICLES: &[&str] = &["the", "a", "an"];

/// Nouns after "what" or "which" that ask for a description rather than a name ("what kind of");
/// read by the question classifier.
pub const KIND_NOUNS: &[&str] = &["kind", "type", "sort"];

/// Past participles that close "what is X called": the question asks for X's name. Read by the
/// question classifier.
pub const NAMING_VERBS: &[&str] = &["called", "named", "titled"];

/// Verbs that close "what does X cost" or "what do members pay": the question asks for an amount,
/// as "how much" does. Read by the question classifier.
pub const PRICING_VERBS: &[&str] = &["charge", "cost", "pay"];

/// Verbs of writing: with a [`WORK_NOUNS`] word, "who wrote this post" asks for the author. Read
/// by the question classifier.
pub const AUTHOR_VERBS: &[&str] = &[
    "wrote", "written", "writes", "authored", "penned", "posted", "write",
];

/// Nouns for the post itself, in "who wrote this *post*"; read by the question classifier.
pub const WORK_NOUNS: &[&str] = &[
    "post",
    "article",
    "blog",
    "piece",
    "text",
    "this",
    "story",
    "essay",
    "newsletter",
    "announcement",
];

/// Nouns that ask for the post's author outright ("who is the author"); read by the question
/// classifier.
pub const AUTHOR_NOUNS: &[&str] = &["author", "author's", "writer"];

/// Words after "who is the author" that say which post is meant ("of the welcome post",
/// "behind the recipes post"); read by the question classifier.
pub const AUTHOR_OF: &[&str] = &["of", "behind", "for"];

/// Nouns that ask for a name ("what is the author's *name*"); read by the question classifier.
pub const NAME_NOUNS: &[&str] = &["name", "names"];

/// Words that negate a question ("which labs are *not* ..."): such a question is hard to answer
/// with a span. Read by the engine (see also the "n't" endings it checks).
pub const NEGATIONS: &[&str] = &["not", "never", "no", "none", "neither", "nor", "without"];

/// The month names, whose presence marks a date; read by the answer ranker's features.
pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Irregular forms and the word they are a form of ("bought" → "buy", "taught" → "teach",
/// "children" → "child"), sorted: the stemmer only takes regular endings off, so "What did the
/// club buy?" could not meet "The club bought a kiln". Forms that are also common words of
/// their own are left out ("felt", "ground", "lay", "left", "saw", "bound", "wound", "lit").
/// Part of the analysis: changing it changes every index (see `store`'s analysis probe).
pub const IRREGULAR_FORMS: &[(&str, &str)] = &[
    ("arisen", "arise"),
    ("arose", "arise"),
    ("ate", "eat"),
    ("awoke", "awake"),
    ("became", "become"),
    ("began", "begin"),
    ("begun", "begin"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("bought", "buy"),
    ("bred", "breed"),
    ("broke", "break"),
    ("broken", "break"),
    ("brought", "bring"),
    ("built", "build"),
    ("burnt", "burn"),
    ("came", "come"),
    ("caught", "catch"),
    ("children", "child"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("dealt", "deal"),
    ("drank", "drink"),
    ("drawn", "draw"),
    ("drew", "draw"),
    ("driven", "drive"),
    ("drove", "drive"),
    ("drunk", "drink"),
    ("dug", "dig"),
    ("eaten", "eat"),
    ("fallen", "fall"),
    ("fed", "feed"),
    ("feet", "foot"),
    ("fell", "fall"),
    ("fled", "flee"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("fought", "fight"),
    ("found", "find"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("gave", "give"),
    ("geese", "goose"),
    ("given", "give"),
    ("gone", "go"),
    ("got", "get"),
    ("gotten", "get"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("heard", "hear"),
    ("held", "hold"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("hung", "hang"),
    ("kept", "keep"),
    ("knew", "know"),
    ("known", "know"),
    ("laid", "lay"),
    ("learnt", "learn"),
    ("led", "lead"),
    ("lent", "lend"),
    ("lost", "lose"),
    ("made", "make"),
    ("meant", "mean"),
    ("men", "man"),
    ("met", "meet"),
    ("mice", "mouse"),
    ("mistaken", "mistake"),
    ("mistook", "mistake"),
    ("overcame", "overcome"),
    ("overtaken", "overtake"),
    ("overtook", "overtake"),
    ("paid", "pay"),
    ("ran", "run"),
    ("rang", "ring"),
    ("ridden", "ride"),
    ("risen", "rise"),
    ("rode", "ride"),
    ("rose", "rise"),
    ("rung", "ring"),
    ("sang", "sing"),
    ("sank", "sink"),
    ("sat", "sit"),
    ("seen", "see"),
    ("sent", "send"),
    ("shaken", "shake"),
    ("shone", "shine"),
    ("shook", "shake"),
    ("shot", "shoot"),
    ("slept", "sleep"),
    ("sold", "sell"),
    ("sought", "seek"),
    ("spent", "spend"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("stood", "stand"),
    ("struck", "strike"),
    ("stuck", "stick"),
    ("sung", "sing"),
    ("sunk", "sink"),
    ("swam", "swim"),
    ("swept", "sweep"),
    ("swore", "swear"),
    ("sworn", "swear"),
    ("swum", "swim"),
    ("taken", "take"),
    ("taught", "teach"),
    ("teeth", "tooth"),
    ("thought", "think"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("told", "tell"),
    ("took", "take"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("understood", "understand"),
    ("undertaken", "undertake"),
    ("undertook", "undertake"),
    ("went", "go"),
    ("withdrawn", "withdraw"),
    ("withdrew", "withdraw"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("women", "woman"),
    ("won", "win"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("wove", "weave"),
    ("woven", "weave"),
    ("written", "write"),
    ("wrote", "write"),
];

/// The days of the week, which a byline's "By Friday" is not the author of.
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Units a stretch of time is counted in ("five *years*"; `answer::features::is_duration`).
pub const DURATION_UNITS: &[&str] = &[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "fortnight",
    "month",
    "year",
    "decade",
    "century",
    "centuries",
];

/// Words after a count of units of time that place it in time ("five years *later*").
pub const PLACING_WORDS: &[&str] = &[
    "later",
    "ago",
    "earlier",
    "after",
    "afterwards",
    "afterward",
    "before",
    "hence",
    "on",
    "prior",
    "previously",
    "into",
    "from",
];

/// Prepositions that place a count of units of time in time ("*in* five years").
pub const PLACING_PREPOSITIONS: &[&str] = &[
    "in", "within", "after", "before", "by", "since", "until", "till", "at", "every", "each",
];

/// Words that may open a stretch of time before its count ("*for* 48 hours", "the *following*
/// five years", "*about* two weeks").
pub const DURATION_LEADS: &[&str] = &[
    "for",
    "over",
    "during",
    "following",
    "next",
    "past",
    "last",
    "first",
    "previous",
    "coming",
    "another",
    "about",
    "around",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "some",
    "only",
    "just",
];

/// Words that place a phrase in time, for the answer step's test of whether a candidate can
/// answer "when" (`answer::features::holds_time`): units and parts of time, times of day and
/// year, and the words that relate one time to another ("after 1990", "two years ago").
pub const TIME_WORDS: &[&str] = &[
    "after",
    "afternoon",
    "ago",
    "autumn",
    "before",
    "beginning",
    "centuries",
    "century",
    "dawn",
    "day",
    "daybreak",
    "decade",
    "during",
    "dusk",
    "dynasty",
    "earlier",
    "end",
    "epoch",
    "era",
    "eve",
    "evening",
    "fortnight",
    "holiday",
    "hour",
    "later",
    "midday",
    "midnight",
    "millennium",
    "minute",
    "month",
    "morning",
    "night",
    "noon",
    "once",
    "period",
    "quarter",
    "reign",
    "season",
    "semester",
    "since",
    "spring",
    "summer",
    "term",
    "today",
    "tomorrow",
    "tonight",
    "until",
    "week",
    "weekday",
    "weekend",
    "when",
    "while",
    "winter",
    "year",
    "yesterday",
];

/// Words that place a span of time relative to now ("*last* year", "*this* quarter"): with
/// a word of [`TIME_WORDS`], a month or a weekday after them, they name the time a question asks
/// about. Read by the answer step (`answer::features::time_asked`).
pub const TIME_DEIXIS: &[&str] = &["last", "this", "next", "previous", "past"];

/// Verbs of a change in a value or its holder, compared in any form
/// (`answer::features::is_change_word`): what "from" marks after one is the value or holder
/// before the change ("rise from £30 to £35"), and what "by" marks a difference ("increased by
/// £400"). Read by `answer::features::names_former` and `names_difference`. Not "raise": a
/// club raises money *from* its donors.
pub const CHANGE_WORDS: &[&str] = &[
    "rise", "rose", "risen", "fall", "fell", "fallen", "increase", "decrease", "drop", "grow",
    "grew", "grown", "climb", "jump", "move", "change", "switch", "cut", "reduce", "lower",
];

/// Words of a difference besides [`CHANGE_WORDS`], compared in any form: what "by" marks after
/// one of these verbs is a difference ("overtaken them by two points"), and a question that says
/// one asks for a difference ("what was the *margin*?", "how many *more*?").
pub const DIFFERENCE_WORDS: &[&str] = &[
    "overtake",
    "overtook",
    "overtaken",
    "beat",
    "win",
    "won",
    "exceed",
    "growth",
    "margin",
    "difference",
    "more",
    "fewer",
    "less",
];

/// Words of a question about what came before a change ("who led the raids *before* Thornveil?",
/// "what was the *old* rent?"), which what "from" marks may answer.
pub const FORMER_WORDS: &[&str] = &[
    "from",
    "before",
    "previous",
    "previously",
    "former",
    "formerly",
    "old",
    "originally",
    "initially",
    "start",
    "started",
    "begin",
    "began",
    "first",
    "earlier",
    "prior",
    "used",
    "ago",
];

/// Small words inside a name that its acronym skips ("Shanghai Cooperation Organisation *of* ...",
/// "Research *and* Development" is R&D): read by the acronym rule (`answer::rules`) and,
/// with a hyphen, by the candidate finder to join the parts of a proper name.
pub const NAME_JOINERS: &[&str] = &["and", "of", "for", "the", "&", "de"];

/// Words between two numbers that make them a range ("2021 *to* 2025"); read by the candidate
/// finder (besides dashes).
pub const RANGE_JOINERS: &[&str] = &["to", "and", "through", "until"];

/// Words before a range that belong to it ("*from* 2021 to 2025"); read by the candidate finder.
pub const RANGE_OPENERS: &[&str] = &["from", "between"];

/// Words that scale the figure written in digits before them ("2.6 *million*"): part of the
/// figure for the candidate finder, and what makes it a quantity for the list rule
/// (`answer::items`).
pub const SCALE_WORDS: &[&str] = &["billion", "hundred", "million", "thousand", "trillion"];

/// Qualifiers of several words before a figure ("*at least* 4 GB", "*up to* 255 characters"),
/// which the parser often splits: read by the candidate finder, so that no span starts inside
/// one ("least 4 GB").
pub const FIGURE_QUALIFIERS: &[&[&str]] = &[
    &["as", "few", "as"],
    &["as", "little", "as"],
    &["as", "many", "as"],
    &["as", "much", "as"],
    &["at", "least"],
    &["at", "most"],
    &["fewer", "than"],
    &["less", "than"],
    &["more", "than"],
    &["no", "fewer", "than"],
    &["no", "less", "than"],
    &["no", "more", "than"],
    &["up", "to"],
];

/// Words of small talk, lower-case, without punctuation: a message made only of these (and of
/// stopwords) is small talk (`smalltalk`).
pub const SMALL_TALK: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "heya",
    "hiya",
    "yo",
    "howdy",
    "greetings",
    "morning",
    "evening",
    "afternoon",
    "night",
    "good",
    "thanks",
    "thank",
    "thx",
    "ty",
    "cheers",
    "ta",
    "bye",
    "goodbye",
    "cya",
    "later",
    "ok",
    "okay",
    "k",
    "kk",
    "cool",
    "nice",
    "great",
    "awesome",
    "lol",
    "haha",
    "hahaha",
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "sure",
    "please",
    "help",
    "bot",
    "citebot",
    "there",
    "everyone",
    "all",
    "guys",
    "folks",
    "welcome",
    "sorry",
    "np",
    "gm",
    "gn",
    "much",
    "lot",
    "lots",
    "so",
    "very",
    "again",
    "you",
    "u",
    "it",
    "that",
    "this",
    "wow",
    "perfect",
    "fine",
    "alright",
    "sup",
];

/// Words that end in a full stop without ending a sentence, without the stop; read by the
/// sentence splitter ([`crate::ingest::sentences`]). Not "etc", which ends sentences as often as
/// not (see [`TOKEN_ABBREVIATIONS`]).
pub const SENTENCE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "cf", "inc", "ltd", "co", "corp",
    "no", "nos", "fig", "figs", "gen", "gov", "sen", "rep", "rev", "hon", "mt", "ft", "approx",
    "est", "dept", "univ", "vol", "pp", "op", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "col", "lt", "capt", "sgt", "maj", "cmdr", "adm", "messrs",
    "ca", "c", "al",
];

/// Words that keep their full stop as one token ("Dr.", "etc."), without the stop; read by the
/// tokenizer the tagger and parser were trained with (`syntax`), so it follows the
/// treebank's tokens rather than [`SENTENCE_ABBREVIATIONS`].
pub const TOKEN_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "cf", "inc", "ltd", "co", "corp",
    "no", "nos", "fig", "figs", "gen", "gov", "sen", "rep", "rev", "hon", "mt", "ft", "approx",
    "est", "dept", "univ", "vol", "pp", "op", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "col", "lt", "capt", "sgt", "maj", "etc", "al", "ca",
];

/// Capitalised words that start sentences: after an initialism such as "U.S." they show that the
/// full stop also ends the sentence. Read by the sentence splitter.
pub const SENTENCE_STARTERS: &[&str] = &[
    "the", "it", "it's", "it’s", "this", "that", "these", "those", "they", "he", "she", "we", "i",
    "in", "but", "and", "a", "an", "however", "there", "its", "their", "his", "her", "our", "as",
    "so", "yet", "if", "when", "while", "after", "before", "then", "thus", "also", "for", "on",
    "at", "by", "what", "why", "how", "even", "since", "although", "here", "here's", "here’s",
    "some",
];

/// Contraction endings split from the word before them, after an apostrophe ("do" "n't" aside);
/// read by the parser's tokenizer.
pub const CLITICS: &[&str] = &["s", "re", "ve", "ll", "d", "m"];

/// Lines that are page furniture rather than writing (comment forms, share widgets copied along
/// with a post), lower-case; ingest never indexes them ([`crate::ingest::is_boilerplate`]).
pub const BOILERPLATE_LINES: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "cancel reply",
    "post a comment",
    "share this",
    "like this",
    "post navigation",
    "related posts",
    "related",
    "comments",
    "no comments",
    "reply",
    "subscribe",
    "share",
    "tweet",
    "print",
    "email",
    "facebook",
    "twitter",
    "previous post",
    "next post",
    "read more",
    "continue reading",
];

/// The tens that join a unit by a hyphen in a number written in words ("twenty-five").
pub const TENS_WORDS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The units that follow [`TENS_WORDS`] after a hyphen ("twenty-five").
pub const UNIT_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// Whether a lower-case word is tens and a unit joined by a hyphen: "twenty-five", "ninety‑nine".
pub fn is_tens_and_unit(word: &str) -> bool {
    word.split_once(['-', '‐', '‑'])
        .is_some_and(|(tens, unit)| TENS_WORDS.contains(&tens) && UNIT_WORDS.contains(&unit))
}

/// Whether a lower-case word is a number word: one of [`NUMBER_WORDS`], or tens and a unit
/// ("twenty-five", which the tokenizer keeps whole).
pub fn is_number_word(word: &str) -> bool {
    NUMBER_WORDS.contains(&word) || is_tens_and_unit(word)
}

/// Number words: a span holding one holds a number. Read through [`is_number_word`].
pub const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];

/// Names of table columns whose cells say when: a "when" question names such a column
/// (`answer::table`).
pub const TIME_COLUMNS: &[&str] = &["date", "day", "time", "when"];

/// Names of table columns whose cells say where, for a "where" question.
pub const PLACE_COLUMNS: &[&str] = &["venue", "location", "place", "where", "room"];

/// Names of table columns whose cells name people, for a "who" question.
pub const PERSON_COLUMNS: &[&str] = &[
    "name",
    "who",
    "person",
    "contact",
    "volunteer",
    "instructor",
    "coach",
    "leader",
    "teacher",
    "tutor",
    "host",
    "speaker",
    "organiser",
    "organizer",
    "captain",
    "winner",
];

/// Names of table columns whose cells are places in a ranking ("Pos 3"): a question after a
/// place ("who came 3rd?", "who is top?") reads them (`answer::table::ranked_row`).
pub const POSITION_COLUMNS: &[&str] = &["pos", "position", "rank", "place", "#"];

/// Words of a question after the row of a table with the most of a figure.
pub const MOST_WORDS: &[&str] = &[
    "most", "highest", "largest", "biggest", "greatest", "longest", "slowest", "maximum",
];

/// Words of a question after the row of a table with the least of a figure ("fastest": the
/// least time).
pub const LEAST_WORDS: &[&str] = &[
    "least", "lowest", "fewest", "smallest", "shortest", "fastest", "quickest", "minimum",
];

/// Superlatives that rank a duration ("which item took the *longest*?").
pub const DURATION_SUPERLATIVES: &[&str] =
    &["longest", "shortest", "fastest", "slowest", "quickest"];

/// Words of a table column's name that say its cells are durations ("Time", "Avg time (min)").
pub const DURATION_COLUMNS: &[&str] = &["time", "duration", "length", "minutes", "mins", "hours"];

/// Words of a question after the first place of a ranking.
pub const TOP_WORDS: &[&str] = &["top", "won", "winner", "leader", "leading"];

/// Ordinals in words, first to tenth: "third" is place 3.
pub const ORDINAL_WORDS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// The parts of a fraction after its hyphen besides the ordinals ("one-half", "three-quarters",
/// "two-fifths"), singular.
pub const FRACTION_WORDS: &[&str] = &["half", "halve", "quarter"];

/// Names of table columns whose cells are counts, for a "how many" question.
pub const COUNT_COLUMNS: &[&str] = &["qty", "quantity", "count"];

/// Names of table columns whose cells are sums of money, for a "how much" question.
pub const AMOUNT_COLUMNS: &[&str] = &["price", "cost", "fee", "charge", "amount"];

/// Units of measure, written out or abbreviated, and of time spans: a figure before one measures
/// ("623 m", "3 hours") and counts nothing else, unless a noun follows the unit ("300 day
/// tickets"). Read by the count test (`answer::features::holds_count`).
pub const MEASURE_UNITS: &[&str] = &[
    "m",
    "km",
    "cm",
    "mm",
    "mi",
    "ft",
    "yd",
    "kg",
    "g",
    "mg",
    "lb",
    "lbs",
    "oz",
    "l",
    "ml",
    "ha",
    "mph",
    "kph",
    "km/h",
    "kw",
    "kwh",
    "mb",
    "gb",
    "tb",
    "°c",
    "°f",
    "metre",
    "metres",
    "meter",
    "meters",
    "kilometre",
    "kilometres",
    "kilometer",
    "kilometers",
    "centimetre",
    "centimetres",
    "millimetre",
    "millimetres",
    "mile",
    "miles",
    "foot",
    "feet",
    "yard",
    "yards",
    "inch",
    "inches",
    "kilo",
    "kilos",
    "kilogram",
    "kilograms",
    "gram",
    "grams",
    "tonne",
    "tonnes",
    "ton",
    "tons",
    "ounce",
    "ounces",
    "litre",
    "litres",
    "liter",
    "liters",
    "hectare",
    "hectares",
    "acre",
    "acres",
    "degree",
    "degrees",
    "kilowatt",
    "kilowatts",
    "megabyte",
    "megabytes",
    "gigabyte",
    "gigabytes",
    "second",
    "seconds",
    "sec",
    "secs",
    "minute",
    "minutes",
    "min",
    "mins",
    "hour",
    "hours",
    "hr",
    "hrs",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "yr",
    "yrs",
];

/// The words after a figure that make it a clock time ("8 am"), lower-case.
pub const CLOCK_WORDS: &[&str] = &["am", "pm", "a.m.", "p.m."];

/// Words of a "how much" question that ask for a price ("how much does it *cost*").
pub const PRICE_WORDS: &[&str] = &[
    "cost",
    "costs",
    "costing",
    "price",
    "prices",
    "priced",
    "fee",
    "fees",
    "pay",
    "paid",
    "charge",
    "charges",
    "charged",
    "ticket",
    "tickets",
    "admission",
    "spend",
    "spent",
    "subscription",
    "rent",
    "worth",
    "pass",
    "passes",
    "membership",
    "entry",
    "fare",
    "fares",
];

/// Adjectives of a price that keep it a price ("the *monthly* fee").
pub const PRICE_PERIODS: &[&str] = &[
    "annual", "average", "daily", "full", "hourly", "monthly", "nightly", "total", "weekly",
    "yearly",
];

/// Words that say what a figure is counted per ("12 *a* year", "1.6 feet *per* year"); read by
/// the candidate finder.
pub const RATE_WORDS: &[&str] = &["a", "an", "each", "every", "per"];

/// What a figure is counted per, after [`RATE_WORDS`]; read by the candidate finder.
pub const RATE_PERIODS: &[&str] = &[
    "annum", "capita", "day", "head", "hour", "minute", "month", "night", "person", "second",
    "week", "year",
];

/// Head nouns of a "what" question that ask for a price ("what is the entry *fee*?").
pub const PRICE_NOUNS: &[&str] = &[
    "cost",
    "costs",
    "fare",
    "fares",
    "fee",
    "fees",
    "price",
    "prices",
    "rent",
    "subscription",
    "tuition",
];

/// Nouns after "how much" that ask for a sum of money.
pub const MONEY_NOUNS: &[&str] = &["money", "cash", "rent", "tuition"];

/// Of [`MONEY_NOUNS`], those that only say the question asks for a sum ("how much *money* did
/// the raffle make"), not what the sum is for; read by the retriever, which gives them the
/// weight of a word framing the question.
pub const ASKED_MONEY: &[&str] = &["cash", "money"];

/// Words after a figure that make it a price ("20 *dollars*", "5 *USD*").
pub const CURRENCY_WORDS: &[&str] = &[
    "dollar", "dollars", "euro", "euros", "pound", "pounds", "pence", "cent", "cents", "yen",
    "yuan", "rupee", "rupees", "franc", "francs", "usd", "eur", "gbp", "chf", "jpy", "cad", "aud",
    // Chat's and games' money: "20 bucks", "5 quid", "85 gold", "500 gems".
    "buck", "bucks", "quid", "coin", "coins", "credits", "gems", "gold",
];

/// Times of day without a figure.
pub const CLOCK_NAMES: &[&str] = &["noon", "midday", "midnight"];

/// Words after "what time" that ask for something other than a time of day ("what time
/// period", "what time of year", "at what time in history").
pub const NOT_TIME_OF_DAY: &[&str] = &[
    "period", "periods", "zone", "zones", "frame", "span", "scale", "of", "in",
];

/// Words for a day that hold no figure or day name.
pub const DAY_WORDS: &[&str] = &["today", "tomorrow", "yesterday", "weekend", "weekday"];

/// Words that join two items of a list besides the coordinating conjunctions the tagger marks
/// ("rent is £45, while a half plot costs £25").
pub const JOINING_WORDS: &[&str] = &["while", "whereas", ";"];

/// Prepositions that make a figure after them a qualifier of the item before ("in 2020"), not
/// the first end of a range (not "for": "for 3 and 4 year olds" is a range).
pub const OF_ITS_OWN: &[&str] = &["in", "on", "by", "during"];

/// What makes a figure a share, or a difference of shares, when it follows it ("12 %", "12
/// percent", "12 per cent", "3 percentage points").
pub const PERCENT_WORDS: &[&[&str]] = &[
    &["%"],
    &["percent"],
    &["pct"],
    &["per", "cent"],
    &["percentage", "points"],
];

/// What comes between an expansion and the acronym that names it after it (a comma before it
/// is left out with the expansion's trailing punctuation).
pub const INTRODUCE_ACRONYM: &[&str] = &[" or ", " also known as ", " known as "];

/// What comes between an acronym and the expansion that explains it after it.
pub const EXPLAIN_ACRONYM: &[&str] = &[
    ", short for ",
    " is short for ",
    ", which stands for ",
    " stands for ",
];
