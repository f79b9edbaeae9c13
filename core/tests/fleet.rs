//! The shared (fleet) rate limit end to end: clients standing for separate processes, a real
//! `redis-server` and the emulator over loopback. (The multi-process run with the CLI and Python
//! is tests/fleet/test.sh.)

#[path = "support/captured_logs.rs"]
mod captured_logs;
#[path = "support/redis_server.rs"]
mod redis_server;

use std::time::{Duration, Instant};

use captured_logs::CapturedLogs;
use redis_server::RedisServer;
use timadmin::options::REDIS_RETRY_INTERVAL;
use timadmin::{BlockingClient, Client, ClientOptions, Error, GetGroupMemberInfoRequest, RateLimit, RedisFallback};
use timadmin_emulator::{Emulator, EmulatorConfig};

const GROUP: &str = "@TGS#_fleet";

async fn emulator(rate_limit_per_sec: Option<u32>) -> Emulator {
    let emu = Emulator::start(EmulatorConfig { rate_limit_per_sec, ..Default::default() }).await.unwrap();
    emu.control().generate_community_group(GROUP, 300).unwrap();
    emu
}

/// A client of `emu` at `rate` calls/s, shared through `redis_url` when given; no retries, so
/// that a 60007 from the emulator shows.
fn client(emu: &Emulator, rate: f64, redis_url: Option<&str>, fallback: RedisFallback) -> Client {
    let config = ClientOptions {
        secret_key: Some(emu.key().to_owned()),
        base_url: Some(emu.base_url()),
        max_retries: Some(0),
        rate_limit: Some(RateLimit::PerSecond(rate)),
        rate_limit_redis_url: redis_url.map(str::to_owned),
        fleet_size: Some(3),
        redis_fallback: Some(fallback),
        ..ClientOptions::new(emu.sdkappid())
    }
    .build()
    .unwrap();
    Client::new(config).unwrap()
}

fn page() -> GetGroupMemberInfoRequest {
    GetGroupMemberInfoRequest { limit: Some(10), next: Some(String::new()), ..GetGroupMemberInfoRequest::new(GROUP) }
}

/// `clients` each make `calls` calls at once; returns how many failed with 60007.
async fn run(clients: &[Client], calls: usize) -> usize {
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .map(|c| {
            tokio::spawn(async move {
                let mut limited = 0;
                for _ in 0..calls {
                    match c.get_group_member_info(&page()).await {
                        Ok(_) => {}
                        Err(e) if e.code() == Some(60007) => limited += 1,
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
                limited
            })
        })
        .collect();
    let mut limited = 0;
    for t in tasks {
        limited += t.await.unwrap();
    }
    limited
}

/// How many times Redis ran a script (EVALSHA, or EVAL after a NOSCRIPT): one per permit.
fn scripts_run(server: &RedisServer) -> u64 {
    let reply = server.command("INFO commandstats").unwrap_or_default();
    reply
        .lines()
        .filter(|l| l.starts_with("cmdstat_evalsha:") || l.starts_with("cmdstat_eval:"))
        .filter_map(|l| l.split("calls=").nth(1)?.split(',').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_sharing_redis_stay_under_the_service_limit_where_local_limits_do_not() {
    let emu = emulator(Some(50)).await;
    let server = RedisServer::start();
    // Three "processes" at 50 calls/s each on their own: 150 calls/s against a service that
    // allows 50 (after a burst of 50). Some calls are refused.
    let alone: Vec<_> = (0..3).map(|_| client(&emu, 50.0, None, RedisFallback::Fail)).collect();
    assert!(run(&alone, 40).await > 0, "the emulator must refuse an unshared fleet");
    // The same three sharing the 50 calls/s through Redis: none is refused.
    emu.control().set_rate_limit(Some(50));
    let url = server.url();
    let fleet: Vec<_> = (0..3).map(|_| client(&emu, 50.0, Some(&url), RedisFallback::Fail)).collect();
    assert_eq!(run(&fleet, 40).await, 0);
    assert!(scripts_run(&server) >= 120, "the permits came from Redis");
}

#[tokio::test]
async fn redis_down_falls_back_to_the_local_share_logs_once_and_recovers() {
    let logs = CapturedLogs::start(tracing::Level::INFO);

    let emu = emulator(None).await;
    let mut server = RedisServer::start_with(&["--requirepass", "fleet-pw-123"]);
    let url = format!("redis://:fleet-pw-123@127.0.0.1:{}/0", server.port());
    let c = client(&emu, 200.0, Some(&url), RedisFallback::LocalShare);
    run(std::slice::from_ref(&c), 5).await;

    server.stop();
    // Every call goes through: the first finds Redis gone, the rest use the local share
    // (200 / 3 calls/s) without touching Redis until the retry time. None hangs.
    for _ in 0..20 {
        let started = Instant::now();
        c.get_group_member_info(&page()).await.unwrap();
        assert!(started.elapsed() < Duration::from_secs(1), "a call hung on a dead Redis");
    }
    server.restart();
    tokio::time::sleep(REDIS_RETRY_INTERVAL + Duration::from_millis(100)).await;
    run(std::slice::from_ref(&c), 5).await;

    let text = logs.text();
    assert_eq!(text.matches("falling back").count(), 1, "{text}");
    assert_eq!(text.matches("shared rate limit restored").count(), 1, "{text}");
    assert!(text.contains(&format!("redis://127.0.0.1:{}/0", server.port())), "{text}");
    assert!(!text.contains("fleet-pw-123"), "the password leaked: {text}");
}

#[tokio::test]
async fn redis_down_with_the_fail_fallback_fails_calls_before_sending_them() {
    let emu = emulator(None).await;
    let mut server = RedisServer::start();
    let c = client(&emu, 200.0, Some(&server.url()), RedisFallback::Fail);
    run(std::slice::from_ref(&c), 3).await;
    let sent = emu.control().calls().len();
    server.stop();
    for _ in 0..3 {
        let started = Instant::now();
        let e = c.get_group_member_info(&page()).await.unwrap_err();
        assert!(matches!(e, Error::RateLimiterUnavailable(_)), "{e:?}");
        assert!(e.is_retryable());
        assert!(started.elapsed() < Duration::from_secs(1), "a call hung on a dead Redis");
    }
    assert_eq!(emu.control().calls().len(), sent, "nothing was sent");
    server.restart();
    tokio::time::sleep(REDIS_RETRY_INTERVAL + Duration::from_millis(100)).await;
    c.get_group_member_info(&page()).await.unwrap();
    assert!(scripts_run(&server) >= 1, "the restarted Redis gave the permit");
}

#[test]
fn the_blocking_client_shares_from_the_environment() {
    let emu = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    emu.control().generate_community_group(GROUP, 50).unwrap();
    let server = RedisServer::start();
    let sdkappid = emu.sdkappid().to_string();
    let base_url = emu.base_url();
    let url = server.url();
    let vars = [
        ("TIM_SDKAPPID", sdkappid.as_str()),
        ("TIM_SECRET_KEY", emu.key()),
        ("TIM_BASE_URL", base_url.as_str()),
        ("TIM_RATE_LIMIT_REDIS_URL", url.as_str()),
        ("TIM_FLEET_SIZE", "2"),
    ];
    let config =
        ClientOptions::config_from_lookup(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
            .unwrap();
    assert_eq!(config.settings()["fleet_size"], 2);
    let client = BlockingClient::new(config).unwrap();
    let members: Vec<_> = client.members(GROUP, Default::default()).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(members.len(), 50);
    assert!(scripts_run(&server) >= 1, "the permits came from Redis");
}
