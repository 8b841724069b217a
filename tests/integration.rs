//! The one integration-test binary; each area of citebot has its own module under
//! `tests/integration/`.

#[path = "integration/discord.rs"]
mod discord;
