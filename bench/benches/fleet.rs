//! What the shared (fleet) rate limit costs a call: one Redis round trip per permit.
//!
//! - `redis_gcra_script_round_trip`: the GCRA script exactly as the limiter sends it (EVALSHA
//!   with the redis crate's tokio multiplexed connection) to a redis-server on loopback;
//! - `call_local_limit` / `call_shared_limit`: one `get_group_member_info` call (one member) to
//!   the in-process emulator through the core's client, with the local limit only and with the
//!   limit shared through that Redis. Both limits are far above the call rate, so no call ever
//!   waits: the difference is the cost of sharing.
//!
//! Starts its own redis-server (installed by `make bench-fleet`). Run: `make bench-fleet`, or
//! `cargo bench -p timadmin-bench --bench fleet`.

#[path = "../../core/tests/support/redis_server.rs"]
mod redis_server;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use redis_server::RedisServer;
use timadmin::{Client, ClientOptions, GetGroupMemberInfoRequest, RateLimit};
use timadmin_emulator::{Emulator, EmulatorConfig};

const GROUP: &str = "@TGS#_bench";
/// Calls per second far above what one caller makes: the limiters never make a call wait.
const NEVER_WAITS: f64 = 1_000_000.0;

fn client(emu: &Emulator, redis_url: Option<String>) -> Client {
    let config = ClientOptions {
        secret_key: Some(emu.key().to_owned()),
        base_url: Some(emu.base_url()),
        rate_limit: Some(RateLimit::PerSecond(NEVER_WAITS)),
        rate_limit_redis_url: redis_url,
        redis_fallback: Some(timadmin::RedisFallback::Fail),
        ..ClientOptions::new(emu.sdkappid())
    }
    .build()
    .unwrap_or_else(|e| panic!("{e}"));
    Client::new(config).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let server = RedisServer::start();
    let emu = rt
        .block_on(Emulator::start(EmulatorConfig { rate_limit_per_sec: None, ..Default::default() }))
        .unwrap_or_else(|e| panic!("{e}"));
    emu.control().generate_community_group(GROUP, 10).unwrap_or_else(|e| panic!("{e}"));

    let mut g = c.benchmark_group("fleet");
    g.sample_size(50).measurement_time(Duration::from_secs(4));

    // The script alone, as the shared limiter sends it.
    let script = redis::Script::new(include_str!("../../core/src/ratelimit/gcra.lua"));
    let mut connection = rt
        .block_on(async { redis::Client::open(server.url())?.get_multiplexed_async_connection().await })
        .unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("redis_gcra_script_round_trip", |b| {
        b.iter(|| {
            let mut invocation = script.key("timadmin:rl:{bench}:get_group_member_info");
            invocation.arg(1u64).arg(5_000u64);
            let reply: (i64, i64) =
                rt.block_on(invocation.invoke_async(&mut connection)).unwrap_or_else(|e| panic!("{e}"));
            black_box(reply)
        })
    });

    let request = GetGroupMemberInfoRequest {
        limit: Some(1),
        next: Some(String::new()),
        ..GetGroupMemberInfoRequest::new(GROUP)
    };
    for (name, client) in
        [("call_local_limit", client(&emu, None)), ("call_shared_limit", client(&emu, Some(server.url())))]
    {
        g.bench_function(name, |b| {
            b.iter(|| black_box(rt.block_on(client.get_group_member_info(&request)).unwrap_or_else(|e| panic!("{e}"))))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
