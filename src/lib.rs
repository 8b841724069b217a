//! citebot, the program: the whole configuration file ([`config`], each crate's sections side by
//! side) and the `bench` subcommand ([`bench`]), shared by the binary, the benchmarks and the
//! integration tests. The engine is `citebot_core`, the bot `citebot_discord`, the web sources
//! `citebot_web`.

pub mod bench;
pub mod config;

pub use config::Config;
