//! The fleet options: --rate-limit-redis-url / TIM_RATE_LIMIT_REDIS_URL, --fleet-size,
//! --redis-fallback, against a real `redis-server` and the emulator. The Redis password never
//! shows; an unreachable Redis with `fail` exits 3 before any call.

mod common;

#[path = "../../core/tests/support/redis_server.rs"]
mod redis_server;

use common::{bare, emulator, run, tim, tim_run};
use redis_server::RedisServer;

const PUB: &str = "@TGS#2DEMOPUB";

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn pages_through_a_shared_limit() {
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_fleet", 450).unwrap();
    let server = RedisServer::start_with(&["--requirepass", "cli-pw-42"]);
    let url = format!("redis://:cli-pw-42@127.0.0.1:{}/0", server.port());
    let r = run(tim(&emu).env("TIM_RATE_LIMIT_REDIS_URL", &url).args(["-vv", "members", "@TGS#_fleet", "--all"])).ok();
    assert_eq!(r.ndjson().len(), 450);
    r.assert_never_shows("cli-pw-42");
    // The flag works the same (and wins over a broken environment value).
    let r = run(tim(&emu)
        .env("TIM_RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:1/0")
        .args(["--rate-limit-redis-url", &url, "--redis-fallback", "fail", "--fleet-size", "3"])
        .args(["members", PUB]))
    .ok();
    assert_eq!(r.ndjson().len(), 5);
}

#[test]
fn redis_unreachable_with_fail_exits_3_before_any_call() {
    let emu = emulator();
    let url = format!("redis://:cli-pw-42@127.0.0.1:{}/0", closed_port());
    for cmd in [
        tim(&emu).args(["--rate-limit-redis-url", &url, "--redis-fallback", "fail", "members", PUB]),
        tim(&emu).env("TIM_RATE_LIMIT_REDIS_URL", &url).env("TIM_REDIS_FALLBACK", "fail").args(["-vv", "muted", PUB]),
    ] {
        emu.control().clear_calls();
        let r = run(cmd).expect_code(3);
        assert!(
            r.stderr.contains("error: shared rate limiter unavailable: Redis at redis://127.0.0.1:"),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
        r.assert_never_shows("cli-pw-42");
        assert!(emu.control().calls().is_empty(), "a call was sent: {:?}", emu.control().calls());
    }
}

#[test]
fn redis_unreachable_falls_back_to_the_local_share_by_default() {
    let emu = emulator();
    let url = format!("redis://:cli-pw-42@127.0.0.1:{}/0", closed_port());
    let r = tim_run(&emu, &["-v", "--rate-limit-redis-url", &url, "--fleet-size", "4", "members", PUB]).ok();
    assert_eq!(r.ndjson().len(), 5);
    assert!(r.stderr.contains("falling back"), "the switch is logged: {}", r.stderr);
    assert!(r.stderr.contains("local_limit_per_second=50"), "200 / 4: {}", r.stderr);
    r.assert_never_shows("cli-pw-42");
}

#[test]
fn bad_fleet_settings_exit_2_and_never_show_the_password() {
    let emu = emulator();
    let cases: [(&[&str], &str); 5] = [
        (&["--rate-limit-redis-url", "rediss://:cli-pw-42@h:6380"], "invalid argument rate_limit_redis_url: TLS"),
        (&["--rate-limit-redis-url", "cli-pw-42"], "invalid argument rate_limit_redis_url"),
        (&["--rate-limit-redis-url", "redis://:cli-pw-42@h", "--fleet-size", "0"], "invalid argument fleet_size"),
        (&["--rate-limit-redis-url", "redis://:cli-pw-42@h", "--rate-limit", "off"], "rate_limit must not be off"),
        (&["--redis-fallback", "retry"], "is not local-share or fail"),
    ];
    for (args, needle) in cases {
        let r = run(tim(&emu).args(args).args(["members", PUB])).expect_code(2);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
        r.assert_never_shows("cli-pw-42");
    }
    assert!(emu.control().calls().is_empty());
    // --help documents the variables.
    let help = run(bare().args(["--help"])).ok().stdout;
    for needle in ["TIM_RATE_LIMIT_REDIS_URL", "TIM_FLEET_SIZE", "TIM_REDIS_FALLBACK"] {
        assert!(help.contains(needle), "{needle} missing from --help");
    }
}
