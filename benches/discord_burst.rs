//! Burst benchmark of the Discord front end: the real bot (serenity client, engine, reply
//! rendering) against the fake Discord on loopback. Rounds of 200 `/ask` interactions from 50
//! members are dispatched at once; it reports replies per second and the p50/p99 latency from
//! dispatch (the fake queueing the gateway event) to the interaction callback reaching the fake.
//! The cooldown is off so every interaction is a full answer. Run: `cargo bench --bench discord_burst`.

#[path = "../tests/support/fake_discord.rs"]
mod fake_discord;

use std::sync::Arc;
use std::time::{Duration, Instant};

use citebot::config::{AnswerConfig, DiscordConfig};
use fake_discord::{slash_command, FakeDiscord, Place, GARDEN_POST};

const ROUNDS: u64 = 5;
const BURST: u64 = 200;
const MEMBERS: u64 = 50;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

async fn bench() {
    let fake = FakeDiscord::start().await;
    assert!(
        fake.gateway_url().starts_with("ws://127.0.0.1:"),
        "benchmark must stay on loopback"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("garden-club.md"), GARDEN_POST).unwrap();
    let index = citebot::config::IndexConfig {
        on_disk_from: usize::MAX,
        ..Default::default()
    };
    let (library, _) =
        citebot_core::Library::open(dir.path(), AnswerConfig::default(), index).unwrap();
    let library = Arc::new(library);
    let settings = DiscordConfig {
        cooldown_questions: 0,
        feedback_log: Default::default(),
        ..DiscordConfig::default()
    };
    let token = citebot_discord::Token::parse(fake_discord::TOKEN).unwrap();
    let api_base = fake.api_base();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(async move {
        citebot_discord::run(&token, &api_base, settings, library, None, async {
            let _ = stopped.await;
        })
        .await
    });
    let ready = fake
        .wait_for(Duration::from_secs(60), |f| {
            f.requests().iter().any(|r| r.path.ends_with("/commands"))
        })
        .await;
    assert!(ready, "the bot did not start");

    let question = "How many members does the garden club have?";
    let mut latencies = Vec::new();
    let mut rates = Vec::new();
    for round in 0..=ROUNDS {
        let first_id = 1_000_000 * (round + 1);
        let ids: Vec<u64> = (first_id..first_id + BURST).collect();
        let mut sent = Vec::with_capacity(ids.len());
        let start = Instant::now();
        for &id in &ids {
            let place = if id % 2 == 0 { Place::Guild } else { Place::Dm };
            sent.push((id, Instant::now()));
            fake.dispatch(
                "INTERACTION_CREATE",
                slash_command(
                    id,
                    "ask",
                    &[("question", question)],
                    10 + id % MEMBERS,
                    place,
                ),
            );
        }
        let done = fake
            .wait_for(Duration::from_secs(120), |f| {
                let requests = f.requests();
                ids.iter().all(|id| {
                    let path = format!(
                        "/api/v10/interactions/{id}/{}/callback",
                        fake_discord::interaction_token(*id)
                    );
                    requests.iter().any(|r| r.path == path)
                })
            })
            .await;
        assert!(done, "round {round}: some interactions were not answered");
        let requests = fake.requests();
        let mut last = start;
        let mut round_latencies = Vec::new();
        for (id, at) in sent {
            let path = format!(
                "/api/v10/interactions/{id}/{}/callback",
                fake_discord::interaction_token(id)
            );
            let answered = requests
                .iter()
                .filter(|r| r.path == path)
                .map(|r| r.at)
                .min()
                .unwrap();
            last = last.max(answered);
            round_latencies.push(answered.duration_since(at));
        }
        // Round 0 warms up the engine and connections and is not counted.
        if round > 0 {
            rates.push(BURST as f64 / last.duration_since(start).as_secs_f64());
            latencies.extend(round_latencies);
        }
    }
    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "discord_burst: {ROUNDS} rounds of {BURST} interactions from {MEMBERS} members on loopback"
    );
    println!(
        "  replies/s: median {:.0} (min {:.0}, max {:.0})",
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1]
    );
    println!(
        "  dispatch → callback latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(0.50).as_secs_f64() * 1e3,
        percentile(0.99).as_secs_f64() * 1e3,
        latencies[latencies.len() - 1].as_secs_f64() * 1e3
    );
    assert!(
        fake.unexpected().is_empty(),
        "unexpected requests: {:?}",
        fake.unexpected()
    );
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(30), bot).await;
}
