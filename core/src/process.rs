//! Values that belong to one process. After `fork()` a child must not use its parent's tokio
//! runtime (the runtime's worker threads do not exist in the child) nor anything driven by it
//! (a client's connection pool). [`PerProcess`] is the one place that notices a fork: the
//! blocking client, Python's async client and runtime, and Python's async iterators all hold
//! their runtime-bound state in one. [`new_runtime`] builds the runtime every host runs the
//! client on.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{Error, Result};

/// Worker threads of a host's runtime: a client makes few calls at once that need a CPU (signing,
/// decoding); two keep that work off the caller's thread without costing a thread per core.
pub const RUNTIME_WORKER_THREADS: usize = 2;

/// A multi-thread tokio runtime with timers and IO, [`RUNTIME_WORKER_THREADS`] workers named
/// `thread_name`: the runtime of the blocking client and of every binding.
pub fn new_runtime(thread_name: &str) -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(RUNTIME_WORKER_THREADS)
        .thread_name(thread_name)
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start the tokio runtime: {e}")))
}

/// A value owned by the process that built it.
struct Owned<T> {
    pid: u32,
    value: Arc<T>,
}

/// A slot holding a value for the current process only (see the module docs). A value built
/// before a fork is leaked in the child, never dropped: dropping a runtime there would wait for
/// threads that do not exist.
pub struct PerProcess<T> {
    slot: Mutex<Option<Owned<T>>>,
}

impl<T> std::fmt::Debug for PerProcess<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &*self.lock() {
            None => "empty",
            Some(owned) if owned.pid == std::process::id() => "live",
            Some(_) => "stale (built before a fork)",
        };
        f.debug_struct("PerProcess").field("state", &state).finish()
    }
}

impl<T> Default for PerProcess<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> PerProcess<T> {
    /// An empty slot (usable in a `static`).
    pub const fn new() -> Self {
        PerProcess { slot: Mutex::new(None) }
    }

    /// A slot holding `value`, built by the current process.
    pub fn with(value: T) -> Self {
        PerProcess { slot: Mutex::new(Some(Owned { pid: std::process::id(), value: Arc::new(value) })) }
    }

    /// The slot's lock. A panic elsewhere while it was held cannot leave the slot half-written
    /// (every write is a single assignment), so a poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, Option<Owned<T>>> {
        self.slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value, if the current process built it; `None` when the slot is empty or its value
    /// was built before a fork (for state that cannot be rebuilt, such as a half-read pager).
    pub fn get(&self) -> Option<Arc<T>> {
        match &*self.lock() {
            Some(owned) if owned.pid == std::process::id() => Some(Arc::clone(&owned.value)),
            _ => None,
        }
    }

    /// [`PerProcess::get`] for state that cannot be rebuilt: [`Error::Runtime`] saying that
    /// `what` (`"iterator"`, ...) was created in another process when this process did not
    /// build the value (it was made before a fork, or the slot is empty).
    pub fn here(&self, what: &str) -> Result<Arc<T>> {
        self.get().ok_or_else(|| {
            Error::Runtime(format!("this {what} was created in another process (before fork); start a new one"))
        })
    }

    /// The value of the current process, built with `build` when the slot is empty or its value
    /// was built before a fork (that one is leaked).
    pub fn get_or_try_init<E>(&self, build: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        let mut slot = self.lock();
        let pid = std::process::id();
        if let Some(owned) = &*slot {
            if owned.pid == pid {
                return Ok(Arc::clone(&owned.value));
            }
        }
        let value = Arc::new(build()?);
        let stale = slot.replace(Owned { pid, value: Arc::clone(&value) });
        if let Some(stale) = stale {
            std::mem::forget(stale);
            tracing::debug!("rebuilt per-process state after fork");
        }
        Ok(value)
    }

    /// The value whoever built it, or `None` when the slot is empty: a last resort for callers
    /// that have no way to report that building failed.
    pub fn any(&self) -> Option<Arc<T>> {
        self.lock().as_ref().map(|owned| Arc::clone(&owned.value))
    }

    /// Empties the slot, dropping the value if this process built it (a value from before a
    /// fork is leaked, as above).
    pub fn clear(&self) {
        if let Some(owned) = self.lock().take() {
            if owned.pid != std::process::id() {
                std::mem::forget(owned);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_once_per_process_and_clears() {
        let slot = PerProcess::<u32>::new();
        assert!(slot.get().is_none());
        let mut builds = 0;
        let first = slot.get_or_try_init(|| {
            builds += 1;
            Ok::<_, ()>(7)
        });
        assert_eq!(first.map(|v| *v), Ok(7));
        let again = slot.get_or_try_init(|| {
            builds += 1;
            Ok::<_, ()>(8)
        });
        assert_eq!(again.map(|v| *v), Ok(7));
        assert_eq!(builds, 1);
        assert_eq!(slot.get().map(|v| *v), Some(7));
        slot.clear();
        assert!(slot.any().is_none());
        assert_eq!(slot.get_or_try_init(|| Err::<u32, _>("no")).err(), Some("no"));
        assert!(slot.any().is_none(), "a failed build leaves the slot empty");
    }

    #[test]
    fn new_runtime_runs_timers_on_named_workers() {
        let runtime = new_runtime("timadmin-test").unwrap_or_else(|e| panic!("{e}"));
        let name = runtime.block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            tokio::spawn(async { std::thread::current().name().map(str::to_owned) }).await
        });
        assert_eq!(name.ok().flatten().as_deref(), Some("timadmin-test"));
    }

    #[test]
    fn a_value_from_another_process_is_not_handed_out() {
        let slot = PerProcess {
            slot: Mutex::new(Some(Owned { pid: std::process::id().wrapping_add(1), value: Arc::new(1u32) })),
        };
        assert!(slot.get().is_none(), "a stale value is not returned by get");
        let refused = slot.here("iterator").err().map(|e| e.to_string());
        assert_eq!(
            refused.as_deref(),
            Some("runtime error: this iterator was created in another process (before fork); start a new one")
        );
        assert_eq!(slot.any().map(|v| *v), Some(1));
        assert_eq!(slot.get_or_try_init(|| Ok::<_, ()>(2)).map(|v| *v), Ok(2));
        assert_eq!(slot.get().map(|v| *v), Some(2));
    }
}
