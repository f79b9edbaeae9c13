//! The state every server task and every `Control` share: configuration, the group store
//! and its baseline, the call log, pending faults and the rate limiter.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use timadmin::usersig::Signer;
use tokio::sync::watch;

use crate::config::EmulatorConfig;
use crate::error::EmulatorError;
use crate::faults::FaultQueue;
use crate::ratelimit::RateLimits;
use crate::state::{Group, GroupType, Store};

/// The group `community_members` generates.
pub const DEMO_COMMUNITY_ID: &str = "@TGS#_demo";

/// Locks `m`, ignoring poison (see inside).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock cannot leave our data half-updated in a harmful way;
    // keep serving rather than propagate the poison.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// State shared by the server tasks and every `Control`.
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) base_url: String,
    pub(crate) signer: Signer,
    pub(crate) store: Mutex<Store>,
    pub(crate) baseline: Mutex<Store>,
    pub(crate) calls: Mutex<VecDeque<CallRecord>>,
    pub(crate) faults: Mutex<FaultQueue>,
    pub(crate) rate: Mutex<RateLimits>,
    /// Arrivals and requests in flight, for the window and concurrency figures.
    pub(crate) traffic: Mutex<Traffic>,
    pub(crate) shutdown: watch::Receiver<bool>,
    /// `config.usersig_log`, opened for appending, and the UserSigs already written to it.
    usersig_log: Option<Mutex<(std::fs::File, std::collections::HashSet<String>)>>,
}

impl Shared {
    pub(crate) fn new(
        config: EmulatorConfig,
        base_url: String,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Arc<Shared>, EmulatorError> {
        let signer = Signer::new(config.sdkappid, &config.key).map_err(|e| EmulatorError::Config(e.to_string()))?;
        if config.admins.iter().all(|a| a.is_empty()) {
            return Err(EmulatorError::Config("at least one non-empty admin identifier is needed".into()));
        }
        let mut store = Store::default();
        if let Some(path) = &config.seed_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| EmulatorError::Fixture(format!("cannot read {}: {e}", path.display())))?;
            for g in crate::fixture::parse_fixture(&text)? {
                store.insert(g);
            }
        }
        if let Some(json) = &config.seed_json {
            for g in crate::fixture::parse_fixture(json)? {
                store.insert(g);
            }
        }
        if let Some(n) = config.community_members {
            store.insert(Group::generated(GroupType::Community, DEMO_COMMUNITY_ID, n).normalize()?);
        }
        let usersig_log = match &config.usersig_log {
            Some(path) => Some(Mutex::new((
                std::fs::OpenOptions::new().create(true).append(true).open(path)?,
                std::collections::HashSet::new(),
            ))),
            None => None,
        };
        Ok(Arc::new(Shared {
            usersig_log,
            rate: Mutex::new(RateLimits::new(config.rate_limit_per_sec)),
            calls: Mutex::new(VecDeque::new()),
            traffic: Mutex::new(Traffic::default()),
            faults: Mutex::new(FaultQueue::default()),
            baseline: Mutex::new(store.clone()),
            store: Mutex::new(store),
            signer,
            base_url,
            config,
            shutdown,
        }))
    }

    pub(crate) fn admin_identifier(&self) -> &str {
        self.config.admins.iter().find(|a| !a.is_empty()).map_or("", String::as_str)
    }

    /// Appends `usersig` to the leak sweep's file, once (only when `usersig_log` is set).
    pub(crate) fn log_usersig(&self, usersig: &str) {
        use std::io::Write;
        let Some(log) = &self.usersig_log else { return };
        if usersig.is_empty() {
            return;
        }
        let mut log = lock(log);
        if log.1.insert(usersig.to_owned()) {
            // One short line per write: appends from several emulators sharing the file stay whole.
            let _ = log.0.write_all(format!("{usersig}\n").as_bytes());
        }
    }

    /// Appends `rec` to the call log, dropping the oldest entries beyond its capacity.
    pub(crate) fn record(&self, rec: CallRecord) {
        let cap = self.config.call_log_capacity;
        if cap == 0 {
            return;
        }
        let mut calls = lock(&self.calls);
        while calls.len() >= cap {
            calls.pop_front();
        }
        calls.push_back(rec);
    }
}

/// When REST calls arrived (per command, oldest first, as many as the call log keeps) and how
/// many were in flight at once, since the call log was last cleared.
#[derive(Debug, Default)]
pub(crate) struct Traffic {
    pub(crate) arrivals: VecDeque<(String, u64)>,
    pub(crate) in_flight: usize,
    pub(crate) peak_in_flight: usize,
}

/// A REST request being served: counted in flight until dropped (answered, or abandoned when
/// the client hangs up).
pub(crate) struct InFlight(Arc<Shared>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut traffic = lock(&self.0.traffic);
        traffic.in_flight = traffic.in_flight.saturating_sub(1);
    }
}

impl Shared {
    /// Notes a REST request of `command` arriving now, before anything else is done with it
    /// (an injected delay included), and counts it in flight while the guard lives.
    pub(crate) fn arrive(self: &Arc<Self>, command: &str) -> InFlight {
        let now_us =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64);
        let cap = self.config.call_log_capacity;
        let mut traffic = lock(&self.traffic);
        if cap > 0 {
            while traffic.arrivals.len() >= cap {
                traffic.arrivals.pop_front();
            }
            traffic.arrivals.push_back((command.to_owned(), now_us));
        }
        traffic.in_flight += 1;
        traffic.peak_in_flight = traffic.peak_in_flight.max(traffic.in_flight);
        InFlight(Arc::clone(self))
    }
}

/// The most of `stamps_us` (sorted, microseconds) in any half-open second `[t, t + 1 s)`.
pub(crate) fn busiest_second(stamps_us: &[u64]) -> usize {
    let mut lo = 0;
    let mut best = 0;
    for (hi, &t) in stamps_us.iter().enumerate() {
        while stamps_us[lo] + 1_000_000 <= t {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

/// One REST call as the emulator saw it. The UserSig is never recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The command (last path segment under `/v4/group_open_http_svc/`, else the whole path).
    pub command: String,
    /// HTTP method used.
    pub method: String,
    /// The `sdkappid` query value, if it parsed.
    pub sdkappid: Option<u64>,
    /// The `identifier` query value, if present.
    pub identifier: Option<String>,
    /// The `random` query value, if it parsed as a u32.
    pub random: Option<u32>,
    /// The request body, if it was JSON.
    pub body: Option<Value>,
    /// The `ErrorCode` replied (`None` when no JSON reply was sent: HTTP status or connection faults).
    pub error_code: Option<i64>,
    /// The HTTP status replied (0 when the connection was aborted).
    pub http_status: u16,
    /// The injected fault applied to this call, if any (see [`crate::FaultKind::label`]).
    pub fault: Option<String>,
    /// When the call arrived, Unix milliseconds.
    pub timestamp_ms: u64,
}
