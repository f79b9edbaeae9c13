//! Per-client stats: what a client (every clone of it) has done since it was built, per REST
//! command, as a [`Stats`] snapshot ([`Client::stats`](crate::Client::stats)) or as one JSON
//! document ([`Client::stats_json`](crate::Client::stats_json)) that every host returns as is.
//!
//! # The JSON document
//!
//! ```json
//! {
//!   "commands": {
//!     "get_group_member_info": {
//!       "calls": 7,
//!       "ok": 5,
//!       "errors": {"group_not_found": 1, "http_status": 1},
//!       "retries": 4,
//!       "rate_limit_wait_ms": {"total": 12.5, "max": 5.0},
//!       "latency_ms": {"p50": 1.2, "p99": 30.1, "max": 30.1}
//!     }
//!   },
//!   "in_flight": 0,
//!   "peak_in_flight": 2
//! }
//! ```
//!
//! - `commands`: one entry per REST command word used so far (the command's REST string),
//!   in alphabetical order. A command that was never called has no entry.
//!   - `calls`: logical calls started (one per endpoint call or page, however many HTTP
//!     attempts it took). Calls whose input was rejected before the network (an invalid
//!     argument) are not counted. `calls - ok - sum(errors)` calls are still running (or
//!     were abandoned by their caller, e.g. a cancelled future).
//!   - `ok`: calls that succeeded.
//!   - `errors`: calls that failed, by [`Error::kind`](crate::Error::kind) of their final error
//!     (`group_not_found`, `rate_limited`, `transport`, `timeout`, `http_status`, ...: the same
//!     names as the hosts' errors). Kinds that never happened are left out.
//!   - `retries`: HTTP attempts beyond the first of each call: retries after a retryable
//!     failure, the attempt with a refreshed UserSig, and the attempt on the backup domain.
//!   - `rate_limit_wait_ms`: time the command's attempts waited for a permit of the client's
//!     rate limit (local and fleet-shared), in milliseconds: `total` and the longest `max`.
//!   - `latency_ms`: time from the start of a call to its end (all attempts, backoffs and
//!     waits included), over the completed calls, in milliseconds: `p50`, `p99` (within 1%;
//!     never above `max`) and `max` (exact). All 0 before the first call completes.
//! - `in_flight`: HTTP attempts holding one of the client's `max_in_flight` slots now.
//! - `peak_in_flight`: the most that ever held a slot at once.
//!
//! Fields may be added in later versions; none will be renamed or removed. Nothing in the
//! document is secret. Recording costs a few atomic operations and one short lock per call.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Longest latency the histogram tells apart, in microseconds (1 hour); longer calls count as 1 hour.
const MAX_TRACKED_MICROS: u64 = 3_600_000_000;
/// Significant decimal digits of the latency histogram: 2 keeps quantiles within 1% in about
/// 30 KiB per command, whatever the number of calls.
const SIGNIFICANT_DIGITS: u8 = 2;

/// A snapshot of a client's stats (see the [module documentation](self) for each field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Per REST command word (e.g. `"get_group_member_info"`), in alphabetical order.
    pub commands: BTreeMap<String, CommandStats>,
    /// HTTP attempts holding an in-flight slot now.
    pub in_flight: u64,
    /// The most HTTP attempts that held an in-flight slot at once.
    pub peak_in_flight: u64,
}

/// The stats of one REST command (see the [module documentation](self)).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandStats {
    /// Logical calls started.
    pub calls: u64,
    /// Calls that succeeded.
    pub ok: u64,
    /// Calls that failed, by the [`Error::kind`] of their final error.
    pub errors: BTreeMap<String, u64>,
    /// HTTP attempts beyond the first of each call (retries, fresh-UserSig and failover attempts).
    pub retries: u64,
    /// Time spent waiting for rate-limit permits.
    pub rate_limit_wait_ms: WaitStats,
    /// Latency of the completed calls.
    pub latency_ms: LatencyStats,
}

impl CommandStats {
    /// Calls that failed, of every kind.
    pub fn failed(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Total and longest wait, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitStats {
    /// The sum of every wait.
    pub total: f64,
    /// The longest single wait.
    pub max: f64,
}

/// Latency quantiles of completed calls, in milliseconds (`p50 <= p99 <= max`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyStats {
    /// The median.
    pub p50: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The longest.
    pub max: f64,
}

impl Stats {
    /// This snapshot as the JSON document of the [module documentation](self).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The live counters of one command.
struct CommandCell {
    calls: AtomicU64,
    ok: AtomicU64,
    retries: AtomicU64,
    wait_total_nanos: AtomicU64,
    wait_max_nanos: AtomicU64,
    /// Error kinds are static names: a new kind allocates once, then it is a counter bump.
    errors: Mutex<BTreeMap<&'static str, u64>>,
    latency: Mutex<Latency>,
}

/// The latency histogram (microseconds) and the exact maximum.
struct Latency {
    histogram: Option<Histogram<u64>>,
    max_micros: u64,
}

impl CommandCell {
    fn new() -> Self {
        CommandCell {
            calls: AtomicU64::new(0),
            ok: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            wait_total_nanos: AtomicU64::new(0),
            wait_max_nanos: AtomicU64::new(0),
            errors: Mutex::new(BTreeMap::new()),
            latency: Mutex::new(Latency {
                histogram: Histogram::new_with_bounds(1, MAX_TRACKED_MICROS, SIGNIFICANT_DIGITS).ok(),
                max_micros: 0,
            }),
        }
    }

    fn snapshot(&self) -> CommandStats {
        let errors = lock(&self.errors).iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        let latency = {
            let l = lock(&self.latency);
            let max = l.max_micros;
            let quantile = |q: f64| match &l.histogram {
                Some(h) if !h.is_empty() => h.value_at_quantile(q).min(max),
                _ => 0,
            };
            LatencyStats { p50: micros_to_ms(quantile(0.5)), p99: micros_to_ms(quantile(0.99)), max: micros_to_ms(max) }
        };
        CommandStats {
            calls: self.calls.load(Ordering::Relaxed),
            ok: self.ok.load(Ordering::Relaxed),
            errors,
            retries: self.retries.load(Ordering::Relaxed),
            rate_limit_wait_ms: WaitStats {
                total: nanos_to_ms(self.wait_total_nanos.load(Ordering::Relaxed)),
                max: nanos_to_ms(self.wait_max_nanos.load(Ordering::Relaxed)),
            },
            latency_ms: latency,
        }
    }
}

fn micros_to_ms(micros: u64) -> f64 {
    micros as f64 / 1e3
}

fn nanos_to_ms(nanos: u64) -> f64 {
    nanos as f64 / 1e6
}

/// A lock that a panic elsewhere cannot poison for the stats (counters stay usable).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The stats of one client, shared by its clones (it lives in the client's transport).
#[derive(Default)]
pub(crate) struct StatsCollector {
    commands: RwLock<HashMap<String, Arc<CommandCell>>>,
    in_flight: AtomicU64,
    peak_in_flight: AtomicU64,
}

impl StatsCollector {
    /// The cell of `command`, made on its first use (the only allocation).
    fn cell(&self, command: &str) -> Arc<CommandCell> {
        if let Some(cell) = self.commands.read().unwrap_or_else(|p| p.into_inner()).get(command) {
            return Arc::clone(cell);
        }
        let mut map = self.commands.write().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(command.to_owned()).or_insert_with(|| Arc::new(CommandCell::new())))
    }

    /// A logical call of `command` starts now; finish it with [`CallRecord::finish`].
    pub(crate) fn call_started(&self, command: &str) -> CallRecord {
        let cell = self.cell(command);
        cell.calls.fetch_add(1, Ordering::Relaxed);
        CallRecord { cell, started: Instant::now() }
    }

    /// One more HTTP attempt of a call of `command` (the attempt on the backup domain).
    pub(crate) fn retry(&self, command: &str) {
        self.cell(command).retries.fetch_add(1, Ordering::Relaxed);
    }

    /// An attempt of `command` waited `waited` for its rate-limit permit.
    pub(crate) fn rate_limit_wait(&self, command: &str, waited: Duration) {
        let nanos = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        let cell = self.cell(command);
        cell.wait_total_nanos.fetch_add(nanos, Ordering::Relaxed);
        cell.wait_max_nanos.fetch_max(nanos, Ordering::Relaxed);
    }

    /// An HTTP attempt took an in-flight slot; the [`InFlight`] guard gives it back.
    pub(crate) fn attempt_in_flight(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::Relaxed);
        InFlight(self)
    }

    /// A snapshot of everything recorded so far.
    pub(crate) fn snapshot(&self) -> Stats {
        let cells: Vec<(String, Arc<CommandCell>)> = self
            .commands
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), Arc::clone(v)))
            .collect();
        Stats {
            commands: cells.into_iter().map(|(k, cell)| (k, cell.snapshot())).collect(),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            peak_in_flight: self.peak_in_flight.load(Ordering::Relaxed),
        }
    }
}

/// Counts an HTTP attempt in flight while it lives.
pub(crate) struct InFlight<'a>(&'a StatsCollector);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// One logical call being recorded.
pub(crate) struct CallRecord {
    cell: Arc<CommandCell>,
    started: Instant,
}

impl CallRecord {
    /// One more HTTP attempt for this call (a retry, or a retry with a fresh UserSig).
    pub(crate) fn retry(&self) {
        self.cell.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// The call ended with `outcome`: counts it and its latency.
    pub(crate) fn finish(self, outcome: Result<(), &Error>) {
        let micros = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        match outcome {
            Ok(()) => {
                self.cell.ok.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => *lock(&self.cell.errors).entry(e.kind()).or_insert(0) += 1,
        }
        let mut latency = lock(&self.cell.latency);
        if let Some(h) = latency.histogram.as_mut() {
            h.saturating_record(micros.clamp(1, MAX_TRACKED_MICROS));
        }
        latency.max_micros = latency.max_micros.max(micros);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_command_and_orders_the_quantiles() {
        let stats = StatsCollector::default();
        for i in 0..100u64 {
            let call = stats.call_started("get_group_member_info");
            std::thread::sleep(Duration::from_micros(10 * (i % 7)));
            if i == 3 {
                call.retry();
                call.finish(Err(&Error::api(10010, "gone")));
            } else {
                call.finish(Ok(()));
            }
        }
        let _running = stats.call_started("modify_group_base_info");
        stats.retry("get_group_member_info");
        stats.rate_limit_wait("get_group_member_info", Duration::from_millis(3));
        stats.rate_limit_wait("get_group_member_info", Duration::from_millis(1));
        let s = stats.snapshot();
        let g = &s.commands["get_group_member_info"];
        assert_eq!((g.calls, g.ok, g.failed(), g.retries), (100, 99, 1, 2));
        assert_eq!(g.errors["group_not_found"], 1);
        assert_eq!(g.rate_limit_wait_ms, WaitStats { total: 4.0, max: 3.0 });
        let l = g.latency_ms;
        assert!(0.0 < l.p50 && l.p50 <= l.p99 && l.p99 <= l.max, "{l:?}");
        let m = &s.commands["modify_group_base_info"];
        assert_eq!((m.calls, m.ok, m.failed()), (1, 0, 0));
        assert_eq!(m.latency_ms, LatencyStats::default());
        let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(json["commands"]["get_group_member_info"]["errors"]["group_not_found"], 1);
        assert_eq!(serde_json::from_value::<Stats>(json).unwrap(), s);
    }

    #[test]
    fn in_flight_and_its_peak() {
        let stats = StatsCollector::default();
        let a = stats.attempt_in_flight();
        let b = stats.attempt_in_flight();
        assert_eq!((stats.snapshot().in_flight, stats.snapshot().peak_in_flight), (2, 2));
        drop((a, b));
        let _c = stats.attempt_in_flight();
        assert_eq!((stats.snapshot().in_flight, stats.snapshot().peak_in_flight), (1, 2));
    }
}
