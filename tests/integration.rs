//! The one integration-test binary; each area of citebot has its own module under
//! `tests/integration/`.

#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/discord.rs"]
mod discord;
#[path = "integration/engine.rs"]
mod engine;
#[path = "integration/followup.rs"]
mod followup;
#[path = "integration/formats.rs"]
mod formats;
#[path = "integration/library.rs"]
mod library;
#[path = "integration/properties.rs"]
mod properties;
#[path = "integration/report.rs"]
mod report;
#[path = "integration/testbot.rs"]
mod testbot;
#[path = "integration/training.rs"]
mod training;
#[path = "integration/web.rs"]
mod web;

#[path = "support/fixture_blog.rs"]
mod fixture_blog;
