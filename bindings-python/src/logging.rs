//! The bridge from the core's `log` records (its `tracing` events, via tracing's `log` feature)
//! to Python's `logging`, with the Python loggers' levels cached.
//!
//! Without the level cache every record the core makes — one `debug` record per request sent —
//! crossed into Python on the runtime's thread (take the GIL, call the logger) only to be dropped
//! by a logger at the default level; that cost every call (`make bench`, row `Python sync Client
//! vs requests.Session`). With the cache a dropped record costs a lookup in Rust. So that changes
//! of the levels are still seen, every call made from Python first reads the effective level of
//! the `timadmin` logger (one method call, the GIL already held) and forgets the cached levels
//! when it changed (`logging.basicConfig(level=…)`, `getLogger("timadmin").setLevel(…)`: seen by
//! the very next call), or when they are more than [`LEVELS_MAX_AGE`] old (a level set on a
//! module's logger, `timadmin.transport`, applies within that time).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// How long a Python logger's cached level is used before it is read again.
pub(crate) const LEVELS_MAX_AGE: Duration = Duration::from_secs(1);

/// The installed bridge's cache handle (none when another extension owns the `log` logger).
static RESET: OnceLock<pyo3_log::ResetHandle> = OnceLock::new();
/// When the module was loaded: the origin of [`LAST_RESET_MS`].
static ORIGIN: OnceLock<Instant> = OnceLock::new();
/// Milliseconds after [`ORIGIN`] when the cached levels were last forgotten.
static LAST_RESET_MS: AtomicU64 = AtomicU64::new(0);
/// Python's `logging.getLogger("timadmin")`.
static TIMADMIN_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// The effective level of the `timadmin` logger the cached levels were read under (`u64::MAX`: none yet).
static TIMADMIN_LEVEL: AtomicU64 = AtomicU64::new(u64::MAX);

/// Routes the `log` records of the core to Python's `logging`, under loggers named after the Rust
/// module (`timadmin.client`, ...), so they propagate to the `timadmin` logger. Only the
/// `timadmin*` targets are forwarded.
pub(crate) fn install(py: Python<'_>) {
    ORIGIN.get_or_init(Instant::now);
    let logger = match pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels) {
        Ok(l) => l,
        Err(_) => return,
    };
    let logger = logger.filter(log::LevelFilter::Off).filter_target("timadmin".to_owned(), log::LevelFilter::Trace);
    // Another extension may already own the global `log` logger; then we leave it alone.
    if let Ok(handle) = logger.install() {
        let _ = RESET.set(handle);
    }
}

/// Forgets the cached logger levels when the `timadmin` logger's effective level changed or
/// they are older than [`LEVELS_MAX_AGE`]. Called at the start of every client call made from
/// Python, with the GIL held.
pub(crate) fn refresh_levels(py: Python<'_>) {
    let (Some(reset), Some(origin)) = (RESET.get(), ORIGIN.get()) else { return };
    let now = origin.elapsed().as_millis() as u64;
    let level = timadmin_level(py).unwrap_or(u64::MAX);
    let level_changed = TIMADMIN_LEVEL.swap(level, Ordering::Relaxed) != level;
    if level_changed {
        LAST_RESET_MS.store(now, Ordering::Relaxed);
        reset.reset();
        return;
    }
    let last = LAST_RESET_MS.load(Ordering::Relaxed);
    let too_old = now.saturating_sub(last) >= LEVELS_MAX_AGE.as_millis() as u64;
    // One caller forgets them; the others keep using the cache meanwhile.
    if too_old && LAST_RESET_MS.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
        reset.reset();
    }
}

/// `logging.getLogger("timadmin").getEffectiveLevel()`.
fn timadmin_level(py: Python<'_>) -> PyResult<u64> {
    let logger = TIMADMIN_LOGGER.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("logging")?.call_method1("getLogger", ("timadmin",))?.unbind())
    })?;
    logger.bind(py).call_method0("getEffectiveLevel")?.extract()
}
