//! The one tokio runtime shared by every `AsyncClient` of a process, plugged into
//! pyo3-async-runtimes' generic API. Unlike `pyo3_async_runtimes::tokio`'s global runtime it is
//! rebuilt after `fork()`: the parent's worker threads do not exist in a child, so reusing its
//! runtime would hang; the stale one is leaked, never torn down (`timadmin::PerProcess`).

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use pyo3_async_runtimes::TaskLocals;
use timadmin::PerProcess;
use tokio::runtime::Runtime;

/// The runtime of the current process (rebuilt after a fork).
static RUNTIME: PerProcess<Runtime> = PerProcess::new();

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

/// The runtime of the current process, built on first use (and again after a fork).
fn get() -> timadmin::Result<Arc<Runtime>> {
    RUNTIME.get_or_try_init(|| timadmin::process::new_runtime("timadmin-async"))
}

/// Makes sure the runtime exists for this process; call before handing futures to Python.
pub(crate) fn ensure() -> PyResult<()> {
    get().map(|_| ()).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
}

/// The runtime to spawn on. `ensure()` ran before any future was handed over, so building
/// cannot be needed here except after a fork in the middle of a call; if it then fails there is
/// no error channel, and the runtime of the parent is the only option left.
fn current() -> Arc<Runtime> {
    match get() {
        Ok(rt) => rt,
        // Unreachable without a value: `ensure()` stored a runtime before any spawn.
        Err(e) => RUNTIME.any().unwrap_or_else(|| panic!("timadmin: no tokio runtime available: {e}")),
    }
}

/// Marker type implementing pyo3-async-runtimes' runtime traits over [`current`].
pub(crate) struct ForkSafeTokio;

impl GenericRuntime for ForkSafeTokio {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        current().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        current().spawn_blocking(f)
    }
}

impl ContextExt for ForkSafeTokio {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|c| c.get().cloned()).unwrap_or_default()
    }
}

/// Turns a Rust future into an asyncio awaitable on the shared runtime. Cancelling the Python
/// future drops the Rust future (and with it the HTTP request).
pub(crate) fn future_into_py<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    ensure()?;
    crate::logging::refresh_levels(py);
    pyo3_async_runtimes::generic::future_into_py::<ForkSafeTokio, F, T>(py, fut)
}
