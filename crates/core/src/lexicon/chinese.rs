//! The Chinese word lists: function words, question words, and the words around numbers, dates and
//! places that the Chinese answer shapes (`answer::chinese`) read. Words are as jieba
//! segments them.

use crate::question::Expect;

/// Function words and question words: particles, pronouns, copulas, prepositions and the words a
/// question asks with (多少, 什么, 哪里 ...), which the answer never contains. Read through
/// [`crate::analysis::is_stopword`]. Sorted, for a binary search.
pub const STOPWORDS: &[&str] = &[
    "一个",
    "上",
    "与",
    "个",
    "中",
    "为",
    "为什么",
    "为何",
    "么",
    "之",
    "也",
    "了",
    "于",
    "什么",
    "什么时候",
    "从",
    "他",
    "他们",
    "以",
    "何时",
    "你",
    "你们",
    "其",
    "其中",
    "几",
    "到",
    "又",
    "及",
    "同",
    "向",
    "吗",
    "吧",
    "呀",
    "呢",
    "和",
    "哪",
    "哪一年",
    "哪个",
    "哪些",
    "哪儿",
    "哪里",
    "啊",
    "在",
    "地",
    "多",
    "多少",
    "她",
    "如何",
    "它",
    "对",
    "将",
    "就",
    "已",
    "已经",
    "并",
    "得",
    "怎么",
    "怎样",
    "我",
    "我们",
    "或",
    "所",
    "把",
    "是",
    "是不是",
    "是否",
    "曾",
    "有",
    "有没有",
    "此",
    "没有",
    "由",
    "的",
    "着",
    "等",
    "等等",
    "给",
    "而",
    "被",
    "让",
    "该",
    "请问",
    "谁",
    "跟",
    "过",
    "还",
    "这",
    "这个",
    "这些",
    "那",
    "那个",
    "那些",
    "都",
];

/// Question words, longest first within each kind, and the answer each asks for; read by the
/// question classifier (`question`). The order matters: the earliest listed word wins at
/// a position, so "几月" and "哪一年" are dates before "几" is a count, "哪里" is a place before
/// "哪" is a name.
pub const QUESTION_WORDS: &[(&str, Expect)] = &[
    ("为什么", Expect::Reason),
    ("为何", Expect::Reason),
    ("什么时候", Expect::Date),
    ("什么时间", Expect::Date),
    ("何时", Expect::Date),
    ("哪一年", Expect::Date),
    ("哪年", Expect::Date),
    ("哪一天", Expect::Date),
    ("哪天", Expect::Date),
    ("几月", Expect::Date),
    ("几号", Expect::Date),
    ("几年", Expect::Date),
    ("什么地方", Expect::Place),
    ("哪里", Expect::Place),
    ("哪儿", Expect::Place),
    ("在哪", Expect::Place),
    ("何处", Expect::Place),
    ("百分之几", Expect::Percent),
    ("百分比", Expect::Percent),
    ("比例", Expect::Percent),
    ("多少钱", Expect::Amount),
    ("多长", Expect::Amount),
    ("多远", Expect::Amount),
    ("多高", Expect::Amount),
    ("多大", Expect::Amount),
    ("多久", Expect::Amount),
    ("多重", Expect::Amount),
    ("多少", Expect::Count),
    ("几", Expect::Count),
    ("哪位", Expect::Person),
    ("谁", Expect::Person),
    ("什么", Expect::Name),
    ("哪个", Expect::Name),
    ("哪些", Expect::Name),
    ("哪", Expect::Name),
    ("何", Expect::Name),
    ("吗", Expect::YesNo),
    ("是否", Expect::YesNo),
    ("是不是", Expect::YesNo),
    ("有没有", Expect::YesNo),
];

/// Measure words, the classifiers between a number and its noun ("160*个*国家"), that jieba may not
/// tag as such; read by the Chinese answer shapes.
pub const MEASURE_WORDS: &[&str] = &[
    "个", "名", "位", "家", "座", "所", "项", "种", "条", "次", "件", "户",
];

/// Words between a question word and its noun ("多少*名*成员", "哪*个*论坛", "哪*一些*"): the
/// [`MEASURE_WORDS`] and a few more. The question classifier skips them to find the head noun.
pub const QUESTION_NOUN_SKIPS: &[&str] = &[
    "个", "名", "位", "家", "座", "所", "项", "种", "条", "次", "件", "只", "台", "辆", "本", "份",
    "篇", "场", "批", "届", "户", "类", "一", "些", "一些", "年",
];

/// Words before a number that belong to it ("*超过*160个", "*约*3万"); read by the Chinese
/// answer shapes.
pub const NUMBER_QUALIFIERS: &[&str] = &[
    "超过",
    "逾",
    "约",
    "大约",
    "近",
    "将近",
    "接近",
    "多达",
    "至少",
    "不到",
    "不少于",
    "不足",
    "达",
    "达到",
    "共",
    "共计",
    "总共",
    "累计",
    "仅",
    "只有",
    "约有",
    "超",
];

/// Words after a number that belong to it: scales, "more than" suffixes, percent; read by the
/// Chinese answer shapes.
pub const NUMBER_SCALES: &[&str] = &[
    "万", "亿", "千", "百", "十", "多", "余", "万余", "多万", "余万", "亿多", "%", "％", "倍",
];

/// Date units that make a number a date ("1998*年*"); read by the Chinese answer shapes.
pub const DATE_UNITS: &[&str] = &[
    "年", "月", "日", "号", "年代", "世纪", "年初", "年底", "年末", "初", "底", "末", "年间",
];

/// Verbs and prepositions after which a place is named ("*位于*上海"); read by the Chinese answer
/// shapes.
pub const LOCATIVES: &[&str] = &[
    "在",
    "于",
    "设在",
    "位于",
    "设于",
    "来自",
    "地点",
    "举办地",
    "坐落在",
    "落户",
];

/// Conjunctions that join two counted nouns ("国家*和*地区"); read by the Chinese answer shapes.
pub const CONJUNCTIONS: &[&str] = &["和", "与", "及", "或", "以及"];

/// Words that frame a question ("文章*提到*", "*根据*帖子") rather than say what it is about;
/// retrieval searches them with a low weight (like [`super::english::FRAME_STEMS`]).
pub const FRAME_WORDS: &[&str] = &["提到", "提及", "文章", "帖子", "根据", "介绍", "称", "说"];

/// Lines that are page furniture rather than writing (comment forms, share widgets); ingest never
/// indexes them ([`crate::ingest::is_boilerplate`]).
pub const BOILERPLATE_LINES: &[&str] = &["发表回复", "发表评论", "留下评论", "分享到"];

/// Greetings, thanks, farewells and their particles: a message made only of these is small talk
/// (`smalltalk`), written without spaces between them ("你好谢谢").
pub const SMALL_TALK: &[&str] = &[
    "你好",
    "您好",
    "大家好",
    "嗨",
    "哈喽",
    "哈啰",
    "早上好",
    "早安",
    "上午好",
    "下午好",
    "晚上好",
    "晚安",
    "谢谢",
    "谢谢你",
    "谢谢您",
    "谢了",
    "多谢",
    "感谢",
    "非常感谢",
    "辛苦了",
    "再见",
    "拜拜",
    "回头见",
    "好的",
    "好",
    "嗯",
    "哦",
    "哈哈",
    "没事",
    "不客气",
    "帮助",
    "帮忙",
    "请",
    "啊",
    "呀",
    "啦",
    "吧",
    "呢",
    "嘛",
    "了",
    "你",
    "您",
    "大家",
    "非常",
    "很",
    // Traditional forms of the words above, "how are you" and "are you there".
    "謝謝",
    "謝了",
    "多謝",
    "感謝",
    "再見",
    "哈囉",
    "沒事",
    "不客氣",
    "幫助",
    "幫忙",
    "請",
    "你好吗",
    "你好嗎",
    "您好吗",
    "您好嗎",
    "在吗",
    "在嗎",
];
