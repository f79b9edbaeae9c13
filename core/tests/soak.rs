//! Fault soak: pages a 20,000-member community group (Next cursor) and a 20,000-member public
//! group (Offset) through the pager while the emulator injects a random mix of faults — 10002,
//! 60007, HTTP 502, truncated bodies, dropped connections and answers slower than the timeout —
//! one at a time (absorbed by the client's retries) and in bursts longer than the retries (the
//! call fails with a typed error; the pager keeps its position and is asked again).
//!
//! Checked: every member arrives exactly once (0 duplicates, 0 missing), every error that
//! surfaces is typed and expected, and no `next_page` runs past its bound of
//! `(max_retries + 1) × (timeout + max_backoff)` plus slack.
//!
//! `cargo test` runs a short version (one round, seconds). `make soak` runs the long one:
//! `TIMADMIN_SOAK_ROUNDS=10 TIMADMIN_SOAK_RATE_LIMIT=1 cargo test -p timadmin --test soak -- --nocapture`
//! (rounds of both groups, the emulator's and the client's 200 calls/s limits on). The figures
//! line starts with `SOAK`. `TIMADMIN_SOAK_SEED` replays a run.

#[path = "support/test_config.rs"]
mod test_config;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use test_config::{new_client, TestConfig};
use timadmin::{Client, Error, PageOptions, RetryPolicy};
use timadmin_emulator::{Emulator, EmulatorConfig, Fault, FaultKind, GroupType};

const MEMBERS: usize = 20_000;
const COMMUNITY: &str = "@TGS#_soak";
const PUBLIC: &str = "@TGS#2SOAKPUB";
const TIMEOUT: Duration = Duration::from_millis(250);
const MAX_RETRIES: u32 = 3;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: MAX_RETRIES,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
        rate_limited_backoff: Duration::from_millis(20),
    }
}

/// A fault of a random kind, weighted: service codes and 502s most, slow answers least (each
/// costs a whole timeout).
fn random_fault(rng: &mut StdRng) -> FaultKind {
    match rng.random_range(0..13) {
        0..=2 => FaultKind::ErrorCode { code: 10002, info: "soak: internal error".into() },
        3..=4 => FaultKind::ErrorCode { code: 60007, info: "soak: rate limited".into() },
        5..=7 => FaultKind::HttpStatus(502),
        8..=9 => FaultKind::TruncatedBody,
        10..=11 => FaultKind::CloseConnection,
        _ => FaultKind::Delay(TIMEOUT * 2),
    }
}

/// A fault every retry also meets: the call fails after `MAX_RETRIES` retries.
fn retryable_fault(rng: &mut StdRng) -> FaultKind {
    match rng.random_range(0..4) {
        0 => FaultKind::ErrorCode { code: 10002, info: "soak: burst".into() },
        1 => FaultKind::ErrorCode { code: 60007, info: "soak: burst".into() },
        2 => FaultKind::HttpStatus(502),
        _ => FaultKind::CloseConnection,
    }
}

#[derive(Default)]
struct Tally {
    pages: u64,
    calls: u64,
    faults: BTreeMap<String, u64>,
    surfaced: BTreeMap<&'static str, u64>,
    members_seen: u64,
    duplicates: u64,
    missing: u64,
    slowest_page: Duration,
}

impl Tally {
    fn faults_total(&self) -> u64 {
        self.faults.values().sum()
    }
    fn surfaced_total(&self) -> u64 {
        self.surfaced.values().sum()
    }
    /// Every attempt after the first of a `next_page` call is a retry.
    fn retries(&self) -> u64 {
        self.calls - self.pages - self.surfaced_total()
    }
}

/// The name a fault is counted under: its call-log label, without a delay's length.
fn fault_name(kind: &FaultKind) -> String {
    match kind {
        FaultKind::Delay(_) => "delay".to_owned(),
        other => other.label(),
    }
}

/// The name of an error that may surface, or a failure for anything else.
fn classify(e: &Error) -> &'static str {
    match e {
        Error::Api { code: 10002, .. } => "api_10002",
        Error::Api { code: 60007, .. } => "api_60007",
        Error::HttpStatus { status: 502, .. } => "http_502",
        Error::Transport(_) => "transport",
        Error::Timeout(_) => "timeout",
        Error::Decode { .. } => "decode",
        other => panic!("an unexpected error surfaced: {other:?}"),
    }
}

/// Pages `group` once under faults; returns what was seen.
async fn soak_group(emu: &Emulator, client: &Client, group: &str, rng: &mut StdRng, tally: &mut Tally) {
    let ctl = emu.control();
    ctl.clear_calls();
    ctl.clear_faults();
    let (p_single, p_burst) = (env_or("TIMADMIN_SOAK_P_SINGLE", 0.15), env_or("TIMADMIN_SOAK_P_BURST", 0.03));
    let bound = (TIMEOUT + retry_policy().max_backoff) * (MAX_RETRIES + 1) + Duration::from_secs(3);
    let mut seen: HashMap<String, u32> = HashMap::with_capacity(MEMBERS);
    // Fault uses queued, by kind; what is still pending at the end was never applied.
    let mut queued: BTreeMap<String, u64> = BTreeMap::new();
    let mut queue = |kind: FaultKind, times: u32| {
        *queued.entry(fault_name(&kind)).or_default() += u64::from(times);
        ctl.inject_fault(Fault::new(kind).times(times).for_command("get_group_member_info"));
    };
    let mut pager = client.members(group, PageOptions::default()).unwrap();
    let mut resumes = 0u32;
    loop {
        let roll: f64 = rng.random();
        if roll < p_burst {
            queue(retryable_fault(rng), MAX_RETRIES + 1);
        } else if roll < p_burst + p_single {
            queue(random_fault(rng), 1);
        }
        let started = Instant::now();
        let outcome = tokio::time::timeout(bound, pager.next_page())
            .await
            .unwrap_or_else(|_| panic!("next_page hung past its bound of {bound:?}"));
        tally.slowest_page = tally.slowest_page.max(started.elapsed());
        match outcome {
            Ok(Some(page)) => {
                tally.pages += 1;
                for m in page.members {
                    *seen.entry(m.member_account).or_default() += 1;
                }
            }
            Ok(None) => break,
            Err(e) => {
                eprintln!("error shown to the user: {e}");
                *tally.surfaced.entry(classify(&e)).or_default() += 1;
                resumes += 1;
                assert!(resumes < 10_000, "the pager makes no progress");
            }
        }
    }
    // Faults applied = queued - still pending. The call log has every attempt the emulator
    // answered, with the fault it met; an answer slower than the timeout is not in it (the
    // client hung up, which cancels the emulator's handler), so those are counted from the queue.
    for pending in ctl.faults() {
        if let Some(n) = queued.get_mut(&fault_name(&pending.kind)) {
            *n -= u64::from(pending.times);
        }
    }
    ctl.clear_faults();
    tokio::time::sleep(TIMEOUT * 2 + Duration::from_millis(100)).await;
    let calls = ctl.calls();
    let mut logged: BTreeMap<String, u64> = BTreeMap::new();
    for c in &calls {
        if let Some(label) = &c.fault {
            *logged.entry(label.clone()).or_default() += 1;
        }
    }
    let slow = queued.get("delay").copied().unwrap_or(0);
    for (kind, n) in &queued {
        if kind != "delay" {
            assert_eq!(logged.get(kind).copied().unwrap_or(0), *n, "{kind}: applied faults and the call log agree");
        }
        *tally.faults.entry(kind.clone()).or_default() += n;
    }
    tally.calls += calls.len() as u64 + slow;
    tally.members_seen += seen.values().map(|n| u64::from(*n)).sum::<u64>();
    tally.duplicates += seen.values().map(|n| u64::from(n.saturating_sub(1))).sum::<u64>();
    tally.missing += (0..MEMBERS).filter(|i| !seen.contains_key(&format!("user{i:06}"))).count() as u64;
    assert_eq!(seen.len(), MEMBERS, "{group}: distinct members");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_under_random_faults_loses_and_repeats_nothing() {
    let rounds: u32 = env_or("TIMADMIN_SOAK_ROUNDS", 1);
    let rate_limited = env_or("TIMADMIN_SOAK_RATE_LIMIT", 0u8) == 1;
    let seed: u64 = env_or("TIMADMIN_SOAK_SEED", rand::random());
    let mut rng = StdRng::seed_from_u64(seed);
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    // The leak sweep runs this with a canary key and notes every UserSig the emulator receives.
    let defaults = EmulatorConfig::default();
    let emu = Emulator::start(EmulatorConfig {
        call_log_capacity: 1_000_000,
        rate_limit_per_sec: rate_limited.then_some(200),
        key: std::env::var("TIMADMIN_CANARY_KEY").unwrap_or(defaults.key.clone()),
        usersig_log: std::env::var_os("TIMADMIN_EMULATOR_USERSIG_LOG").map(Into::into),
        ..defaults
    })
    .await
    .unwrap();
    emu.control().generate_community_group(COMMUNITY, MEMBERS).unwrap();
    emu.control().generate_group(GroupType::Public, PUBLIC, MEMBERS).unwrap();
    let config = TestConfig::secret_key(emu.sdkappid(), emu.key())
        .with_base_url(&emu.base_url())
        .unwrap()
        .with_timeout(TIMEOUT)
        .with_retry(retry_policy())
        .with_rate_limit(rate_limited.then_some(200.0));
    let client = new_client(config).unwrap();

    let started = Instant::now();
    let mut tally = Tally::default();
    for _ in 0..rounds {
        soak_group(&emu, &client, COMMUNITY, &mut rng, &mut tally).await;
        soak_group(&emu, &client, PUBLIC, &mut rng, &mut tally).await;
    }
    let elapsed = started.elapsed();
    let faults: Vec<String> = tally.faults.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let surfaced: Vec<String> = tally.surfaced.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!(
        "SOAK seed={seed} rounds={rounds} groups=2x{MEMBERS} rate_limit={} calls={} pages={} faults_injected={} [{}] \
         retries={} errors_surfaced={} [{}] members_seen={} expected={} duplicates={} missing={} slowest_page_ms={} elapsed_s={:.1}",
        if rate_limited { "200/s" } else { "off" },
        tally.calls,
        tally.pages,
        tally.faults_total(),
        faults.join(" "),
        tally.retries(),
        tally.surfaced_total(),
        surfaced.join(" "),
        tally.members_seen,
        2 * MEMBERS as u64 * u64::from(rounds),
        tally.duplicates,
        tally.missing,
        tally.slowest_page.as_millis(),
        elapsed.as_secs_f64(),
    );
    assert_eq!(tally.duplicates, 0);
    assert_eq!(tally.missing, 0);
    assert_eq!(tally.members_seen, 2 * MEMBERS as u64 * u64::from(rounds));
    assert!(tally.faults_total() > 0 && tally.retries() > 0, "faults were injected and retried");
}
