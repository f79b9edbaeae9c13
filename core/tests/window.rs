//! The rate limit holds when things go wrong, in real time: many concurrent callers against the
//! emulator while the service stalls, the UserSig provider stalls, the service fails calls that
//! are retried, or the primary domain cannot be reached. Each test counts the calls the
//! emulator received (its arrival stamps, taken before any injected delay) in every sliding
//! one-second window, and checks that every call completed or failed with a typed error.
//!
//! The emulator's own limit is off here: it counts, the test judges. The tests run one at a
//! time (they measure time) and take a few seconds each.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[path = "support/test_config.rs"]
mod test_config;

use test_config::{new_client, TestConfig};
use timadmin::usersig::Signer;
use timadmin::{Client, Endpoint, Error, GetGroupMutedAccountRequest, RetryPolicy};
use timadmin_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};

const RATE: u32 = 200;
const CALLS: usize = 1000;
const IN_FLIGHT: u32 = 64;
const COMMAND: &str = "get_group_muted_account";
const GROUP: &str = "@TGS#2WINDOW";

/// One real-time test at a time: they share two cores with everything else.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// An emulator on its own thread and runtime (its arrival stamps do not wait on the client's
/// runtime), without a rate limit of its own, with one small group.
fn emulator() -> Emulator {
    let emu = Emulator::start_blocking(EmulatorConfig { rate_limit_per_sec: None, ..Default::default() }).unwrap();
    emu.control().generate_group(timadmin_emulator::GroupType::Public, GROUP, 5).unwrap();
    emu.control().clear_calls();
    emu
}

fn config(emu: &Emulator) -> TestConfig {
    TestConfig::secret_key(emu.sdkappid(), emu.key())
        .with_base_url(&emu.base_url())
        .unwrap()
        .with_rate_limit(Some(f64::from(RATE)))
        .with_max_in_flight(IN_FLIGHT)
}

/// The most arrivals in any half-open window `[t, t + 1 s)`, and when it starts (µs).
fn busiest_second(stamps_us: &[u64]) -> (usize, u64) {
    let mut stamps = stamps_us.to_vec();
    stamps.sort_unstable();
    let (mut best, mut at, mut lo) = (0, 0, 0);
    for (hi, &t) in stamps.iter().enumerate() {
        while stamps[lo] + 1_000_000 <= t {
            lo += 1;
        }
        if hi - lo + 1 > best {
            (best, at) = (hi - lo + 1, stamps[lo]);
        }
    }
    (best, at.saturating_sub(stamps.first().copied().unwrap_or(0)))
}

/// `CALLS` concurrent calls of one client; the results in call order.
async fn gather(client: &Client) -> Vec<Result<(), Error>> {
    let tasks: Vec<_> = (0..CALLS)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move {
                c.get_group_muted_account(&GetGroupMutedAccountRequest::new(GROUP)).await.map(|_| ())
            })
        })
        .collect();
    let mut out = Vec::with_capacity(CALLS);
    for t in tasks {
        out.push(t.await.expect("a call panicked"));
    }
    out
}

/// Every sliding second of arrivals at or under the rate; prints the figures.
fn assert_never_over(emu: &Emulator, scenario: &str) -> usize {
    let arrivals = emu.control().arrivals(COMMAND);
    let (busiest, at) = busiest_second(&arrivals);
    let peak = emu.control().peak_in_flight();
    println!(
        "{scenario}: {} arrivals, busiest one-second window {busiest} (from {:.3} s), peak {peak} in flight",
        arrivals.len(),
        at as f64 / 1e6
    );
    assert!(busiest <= RATE as usize, "{scenario}: {busiest} calls arrived within one second (rate {RATE})");
    assert!(peak <= IN_FLIGHT as usize, "{scenario}: {peak} requests in flight at once (cap {IN_FLIGHT})");
    arrivals.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_stall_then_recovery() {
    let _serial = SERIAL.lock().await;
    let emu = emulator();
    // The first calls are answered two seconds late; the rest queue behind them.
    emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_secs(2))).times(IN_FLIGHT));
    let client = new_client(config(&emu).with_retry(RetryPolicy { max_retries: 0, ..Default::default() })).unwrap();
    let results = gather(&client).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    let arrived = assert_never_over(&emu, "server stall");
    assert_eq!(arrived, CALLS);
    // The stall really filled the client's in-flight slots.
    assert_eq!(emu.control().peak_in_flight(), IN_FLIGHT as usize);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_stall_then_answer() {
    let _serial = SERIAL.lock().await;
    let emu = emulator();
    let signer = Signer::new(emu.sdkappid(), emu.key()).unwrap();
    let asked = Arc::new(AtomicUsize::new(0));
    let provider = {
        let asked = Arc::clone(&asked);
        move || {
            // The first answer takes two seconds while every call waits for it.
            if asked.fetch_add(1, Ordering::SeqCst) == 0 {
                std::thread::sleep(Duration::from_secs(2));
            }
            signer.sign("administrator", 86_400, None).map_err(|e| e.to_string())
        }
    };
    let config = TestConfig::provider(emu.sdkappid(), provider)
        .with_base_url(&emu.base_url())
        .unwrap()
        .with_rate_limit(Some(f64::from(RATE)))
        .with_max_in_flight(IN_FLIGHT)
        .with_retry(RetryPolicy { max_retries: 0, ..Default::default() });
    let client = new_client(config).unwrap();
    let results = gather(&client).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert!(asked.load(Ordering::SeqCst) >= 1);
    assert_eq!(assert_never_over(&emu, "provider stall"), CALLS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retried_failures_take_their_own_permits() {
    let _serial = SERIAL.lock().await;
    let emu = emulator();
    // A burst of failures the client retries, while many calls are in flight: each answer
    // waits 300 ms, then 10002 and 502 in turn.
    let control = emu.control();
    control.inject_fault(Fault::new(FaultKind::Delay(Duration::from_millis(300))).times(IN_FLIGHT));
    for _ in 0..100 {
        control.inject_fault(Fault::new(FaultKind::ErrorCode { code: 10002, info: "busy".into() }));
        control.inject_fault(Fault::new(FaultKind::HttpStatus(502)));
    }
    let retry = RetryPolicy {
        max_retries: 4,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        rate_limited_backoff: Duration::from_millis(5),
    };
    let client = new_client(config(&emu).with_retry(retry)).unwrap();
    let results = gather(&client).await;
    for r in &results {
        match r {
            Ok(()) => {}
            Err(Error::Api { code: 10002, .. } | Error::HttpStatus { status: 502, .. }) => {}
            Err(e) => panic!("untyped or unexpected failure: {e:?}"),
        }
    }
    let arrived = assert_never_over(&emu, "retries");
    // Every failure was a request of its own: each call's answer, plus the 200 failures.
    let failed = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(arrived, CALLS - failed + 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failover_attempts_take_their_own_permits() {
    let _serial = SERIAL.lock().await;
    let emu = emulator();
    // The primary domain (127.0.0.1) holds the first calls past the client's timeout, so they
    // go to the backup domain (localhost: the same emulator, so both count as one service).
    emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_secs(3))).times(IN_FLIGHT));
    let port = emu.local_addr().port();
    let endpoint =
        Endpoint::base_urls(&format!("http://127.0.0.1:{port}"), &format!("http://localhost:{port}")).unwrap();
    let config = config(&emu)
        .with_endpoint(endpoint)
        .with_timeout(Duration::from_millis(700))
        .with_retry(RetryPolicy { max_retries: 0, ..Default::default() });
    let client = new_client(config).unwrap();
    let results = gather(&client).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    // The stalled calls arrived twice: once at each domain.
    assert_eq!(assert_never_over(&emu, "failover"), CALLS + IN_FLIGHT as usize);
}

#[test]
fn the_window_counter_counts() {
    let second = 1_000_000;
    assert_eq!(busiest_second(&[]).0, 0);
    assert_eq!(busiest_second(&[0, second - 1]).0, 2);
    assert_eq!(busiest_second(&[0, second]).0, 1);
    assert_eq!(busiest_second(&[5 * second, 0, second / 2, 3 * second / 2]).0, 2);
}
