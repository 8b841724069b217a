//! The slash commands, declared once: [`Command`] is what a member can ask for, with its options
//! typed, and [`COMMANDS`] lists each command's declaration (name, description, options, who may
//! use it and where) beside the parser that reads an interaction back into a `Command`, so the
//! two cannot drift apart. Why not poise 0.7: it forces serenity's `framework` and `collector`
//! features and takes over dispatch as a `serenity::Framework` whose commands are async
//! functions writing to Discord through a `Context`, so no decision could be tested without a
//! gateway; and its cooldown (one use per duration, read from `Instant::now()`), manual
//! `defer()` and missing button handling would replace citebot's sliding-window cooldown with
//! one notice per window, its defer-by-timing policy and its buttons rather than serve them.

use serenity::all::{
    CommandData, CommandOptionType, CreateCommand, CreateCommandOption, InteractionContext,
    Permissions,
};

/// A slash command as a member sent it, its options read and typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/ask question [post]`: a short answer quoted from the posts, with its source.
    Ask {
        /// What the member wants to know.
        question: String,
        /// The id of the one post to look in.
        post: Option<String>,
    },
    /// `/search query [post]`: the passages that best match some words.
    Search {
        /// The words to look for.
        query: String,
        /// The id of the one post to look in.
        post: Option<String>,
    },
    /// `/posts`: the posts the bot knows.
    Posts,
    /// `/help`: how to ask.
    Help,
    /// `/reindex`: fetch the web sources and index what changed (Manage Server).
    Reindex,
    /// `/add url`: add a web source (Manage Server).
    Add {
        /// The page, feed or sitemap to add.
        url: String,
    },
    /// `/report [since]`: the feedback log's summary, privately (Manage Server).
    Report {
        /// The day (YYYY-MM-DD) the report starts from, as typed.
        since: Option<String>,
    },
}

/// Why an interaction could not be read as a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// Discord sent a command the bot does not declare (a registration left from another
    /// version, say).
    #[error("unknown command /{0}")]
    Unknown(String),
    /// A required option is missing, or is not text.
    #[error("/{command} came without its required text option `{option}`")]
    MissingOption {
        /// The command's name.
        command: &'static str,
        /// The option's name.
        option: &'static str,
    },
}

/// One option of a command, as Discord is told of it; every citebot option is text.
#[derive(Debug)]
pub struct OptionSpec {
    /// The option's name, as sent back in the interaction.
    pub name: &'static str,
    /// What Discord shows under it.
    pub description: &'static str,
    /// Whether Discord makes the member fill it in.
    pub required: bool,
    /// Whether Discord asks the bot for suggestions while the member types.
    pub autocomplete: bool,
}

/// One command, as Discord is told of it.
#[derive(Debug)]
pub struct Spec {
    /// The command's name.
    pub name: &'static str,
    /// What Discord shows for it (at most 100 characters).
    pub description: &'static str,
    /// Its options, in order.
    pub options: &'static [OptionSpec],
    /// Only for members who can manage the server, and only in servers; the bot checks the
    /// member's permissions too (see [`crate::decide`]).
    pub managers_only: bool,
}

/// Reads a command's options back from an interaction; see [`COMMANDS`].
pub type Parser = fn(&Options) -> Result<Command, CommandError>;

const QUESTION: OptionSpec = OptionSpec {
    name: "question",
    description: "What you want to know",
    required: true,
    autocomplete: false,
};
const QUERY: OptionSpec = OptionSpec {
    name: "query",
    description: "Words to look for",
    required: true,
    autocomplete: false,
};
/// Suggested as the member types (see `reply::post_choices`); the value is the post's id.
const POST: OptionSpec = OptionSpec {
    name: "post",
    description: "Only this post",
    required: false,
    autocomplete: true,
};
const URL: OptionSpec = OptionSpec {
    name: "url",
    description: "The address of the page, feed or sitemap",
    required: true,
    autocomplete: false,
};
const SINCE: OptionSpec = OptionSpec {
    name: "since",
    description: "Only from this day on (YYYY-MM-DD)",
    required: false,
    autocomplete: false,
};

/// Every command, in the order it is registered: its declaration, and beside it the parser
/// that reads its options back.
pub const COMMANDS: [(Spec, Parser); 7] = [
    (
        Spec {
            name: "ask",
            description: "Ask a question about the posts; get a short answer with its source",
            options: &[QUESTION, POST],
            managers_only: false,
        },
        |options| {
            Ok(Command::Ask {
                question: options.required(&QUESTION)?,
                post: options.optional(&POST),
            })
        },
    ),
    (
        Spec {
            name: "search",
            description: "Show the passages of the posts that best match some words",
            options: &[QUERY, POST],
            managers_only: false,
        },
        |options| {
            Ok(Command::Search {
                query: options.required(&QUERY)?,
                post: options.optional(&POST),
            })
        },
    ),
    (
        Spec {
            name: "posts",
            description: "List the posts I know",
            options: &[],
            managers_only: false,
        },
        |_| Ok(Command::Posts),
    ),
    (
        Spec {
            name: "help",
            description: "How to ask me questions",
            options: &[],
            managers_only: false,
        },
        |_| Ok(Command::Help),
    ),
    (
        Spec {
            name: "reindex",
            description: "Fetch the web sources, re-read the posts folder and index what changed (Manage Server)",
            options: &[],
            managers_only: true,
        },
        |_| Ok(Command::Reindex),
    ),
    (
        Spec {
            name: "add",
            description: "Add a web page, RSS/Atom feed or sitemap to the posts (Manage Server)",
            options: &[URL],
            managers_only: true,
        },
        |options| {
            Ok(Command::Add {
                url: options.required(&URL)?,
            })
        },
    ),
    (
        Spec {
            name: "report",
            description: "What members ask and what the posts don't answer, privately (Manage Server)",
            options: &[SINCE],
            managers_only: true,
        },
        |options| {
            Ok(Command::Report {
                since: options.optional(&SINCE),
            })
        },
    ),
];

/// The options of one interaction, for the command declared as `spec`.
pub struct Options<'a> {
    spec: &'static Spec,
    data: &'a CommandData,
}

impl Options<'_> {
    /// The text of a required option.
    fn required(&self, option: &OptionSpec) -> Result<String, CommandError> {
        self.text(option).ok_or(CommandError::MissingOption {
            command: self.spec.name,
            option: option.name,
        })
    }

    /// The text of an optional option; blank counts as not given.
    fn optional(&self, option: &OptionSpec) -> Option<String> {
        self.text(option).filter(|text| !text.trim().is_empty())
    }

    fn text(&self, option: &OptionSpec) -> Option<String> {
        self.data
            .options
            .iter()
            .find(|given| given.name == option.name)
            .and_then(|given| given.value.as_str())
            .map(str::to_string)
    }
}

impl Command {
    /// Reads a slash command interaction's name and options.
    pub fn parse(data: &CommandData) -> Result<Command, CommandError> {
        let (spec, parse) = COMMANDS
            .iter()
            .find(|(spec, _)| spec.name == data.name)
            .ok_or_else(|| CommandError::Unknown(data.name.clone()))?;
        parse(&Options { spec, data })
    }

    /// The definitions registered with Discord: usable in servers and in DMs with the bot,
    /// except the managers' commands, which are for servers only.
    pub fn definitions() -> Vec<CreateCommand> {
        COMMANDS.iter().map(|(spec, _)| spec.definition()).collect()
    }

    /// The command's name, as a member types it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Ask { .. } => "ask",
            Command::Search { .. } => "search",
            Command::Posts => "posts",
            Command::Help => "help",
            Command::Reindex => "reindex",
            Command::Add { .. } => "add",
            Command::Report { .. } => "report",
        }
    }

    /// Whether only members who can manage the server may use it.
    pub fn managers_only(&self) -> bool {
        COMMANDS
            .iter()
            .any(|(spec, _)| spec.name == self.name() && spec.managers_only)
    }
}

impl Spec {
    fn definition(&self) -> CreateCommand {
        let mut command = CreateCommand::new(self.name).description(self.description);
        for option in self.options {
            command = command.add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    option.name,
                    option.description,
                )
                .required(option.required)
                .set_autocomplete(option.autocomplete),
            );
        }
        if self.managers_only {
            command
                .default_member_permissions(Permissions::MANAGE_GUILD)
                .contexts(vec![InteractionContext::Guild])
        } else {
            command.contexts(vec![InteractionContext::Guild, InteractionContext::BotDm])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The data of an interaction for command `name` with text `options`, as Discord sends it.
    fn data(name: &str, options: &[(&str, &str)]) -> CommandData {
        let options: Vec<Value> = options
            .iter()
            .map(|(name, value)| json!({ "name": name, "type": 3, "value": value }))
            .collect();
        serde_json::from_value(json!({
            "id": "700000000000000000", "name": name, "type": 1, "options": options
        }))
        .unwrap()
    }

    #[test]
    fn every_definition_parses_its_own_options_back() {
        let definitions = serde_json::to_value(Command::definitions()).unwrap();
        for definition in definitions.as_array().unwrap() {
            let name = definition["name"].as_str().unwrap();
            let declared: Vec<(String, String)> = definition["options"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|option| {
                    let option = option["name"].as_str().unwrap().to_string();
                    let value = format!("value of {option}");
                    (option, value)
                })
                .collect();
            let given: Vec<(&str, &str)> = declared
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let command = Command::parse(&data(name, &given))
                .unwrap_or_else(|err| panic!("/{name} with every option: {err}"));
            assert_eq!(command.name(), name);
            // Every declared option reaches the command (its Debug shows the values).
            for (option, value) in &declared {
                assert!(
                    format!("{command:?}").contains(value.as_str()),
                    "/{name}'s option {option} was not read: {command:?}"
                );
            }
            let managers_only = definition["default_member_permissions"] == "32";
            assert_eq!(command.managers_only(), managers_only, "/{name}");
            let contexts = if managers_only {
                json!([0])
            } else {
                json!([0, 1])
            };
            assert_eq!(definition["contexts"], contexts, "/{name}");
            assert!(definition["description"].as_str().unwrap().chars().count() <= 100);
        }
    }

    #[test]
    fn the_commands_are_registered_in_their_order_with_typed_options() {
        let definitions = serde_json::to_value(Command::definitions()).unwrap();
        let names: Vec<&str> = definitions
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["ask", "search", "posts", "help", "reindex", "add", "report"]
        );
        let ask = &definitions[0]["options"];
        assert_eq!(ask[0]["name"], "question");
        assert_eq!(ask[0]["required"], true);
        assert_eq!(ask[1]["name"], "post");
        assert_eq!(ask[1]["autocomplete"], true);
        assert_eq!(ask[1]["required"], false, "post is optional: {ask}");
    }

    #[test]
    fn options_are_read_by_name_and_a_blank_optional_one_is_not_given() {
        assert_eq!(
            Command::parse(&data(
                "ask",
                &[("post", "bees.md"), ("question", "How many?")]
            )),
            Ok(Command::Ask {
                question: "How many?".into(),
                post: Some("bees.md".into())
            })
        );
        assert_eq!(
            Command::parse(&data("search", &[("query", "bees"), ("post", "  ")])),
            Ok(Command::Search {
                query: "bees".into(),
                post: None
            })
        );
        assert_eq!(
            Command::parse(&data("report", &[])),
            Ok(Command::Report { since: None })
        );
        // An empty required option is the member's (the engine explains it), not missing.
        assert_eq!(
            Command::parse(&data("ask", &[("question", "")])),
            Ok(Command::Ask {
                question: String::new(),
                post: None
            })
        );
    }

    #[test]
    fn an_unknown_command_or_a_missing_option_is_a_clear_error() {
        let unknown = Command::parse(&data("weather", &[])).unwrap_err();
        assert_eq!(unknown, CommandError::Unknown("weather".into()));
        assert_eq!(unknown.to_string(), "unknown command /weather");
        let missing = Command::parse(&data("add", &[("since", "2026-01-01")])).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "/add came without its required text option `url`"
        );
    }
}
