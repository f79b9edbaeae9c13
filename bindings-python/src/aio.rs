//! The asyncio `AsyncClient`: the core's async `Client` driven on one shared tokio runtime
//! (see `runtime.rs`). Every endpoint method returns an awaitable; cancelling the awaiting task
//! drops the Rust future and so the request. After a `fork()` the client is rebuilt in the
//! child (new connection pool and runtime), like the core's blocking client does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use timadmin::{Client as CoreClient, Config, MemberCursor, PerProcess};

use crate::args::{self, Text};
use crate::errors::{tim_error, to_py, to_py_detached};
use crate::runtime::future_into_py;
use crate::{models, requests};

/// Asynchronous client for the group endpoints (asyncio). Same constructor and methods as
/// `Client`, as coroutines; `members` returns an async iterator.
#[pyclass(frozen, module = "timadmin")]
pub struct AsyncClient {
    config: Config,
    closed: AtomicBool,
    /// The core client of the process using it (rebuilt after a fork).
    live: PerProcess<CoreClient>,
}

impl AsyncClient {
    fn from_config(py: Python<'_>, config: Config) -> PyResult<Self> {
        let client = CoreClient::new(config.clone()).map_err(|e| to_py(py, e))?;
        Ok(AsyncClient { config, closed: AtomicBool::new(false), live: PerProcess::with(client) })
    }

    /// The core client for this process, or an error after `close()`.
    fn core(&self, py: Python<'_>) -> PyResult<Arc<CoreClient>> {
        if self.closed.load(Ordering::Acquire) {
            return Err(tim_error(py, "the client is closed"));
        }
        self.live.get_or_try_init(|| CoreClient::new(self.config.clone())).map_err(|e| to_py(py, e))
    }
}

#[pymethods]
impl AsyncClient {
    /// Builds the client from its options (`timadmin.ClientOptions`, as for `Client`); no
    /// network call.
    #[new]
    #[pyo3(signature = (sdkappid, **options))]
    fn new(py: Python<'_>, sdkappid: i128, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let config = args::client_config(py, "AsyncClient", sdkappid, options)?;
        Self::from_config(py, config)
    }

    /// A client configured from the `TIM_*` environment variables, read by the core (as for
    /// `Client.from_env`); options given here win over the environment.
    #[classmethod]
    #[pyo3(signature = (**options))]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let config = args::env_config(py, "from_env", options)?;
        Self::from_config(py, config)
    }

    /// The settings this client runs with, as the core shows them (as for `Client.settings`).
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.closed.load(Ordering::Acquire) {
            return Err(tim_error(py, "the client is closed"));
        }
        models::json_to_py(py, &self.config.settings())
    }

    /// What this client has done so far, as the core's stats document (as for `Client.stats`).
    /// A plain method (no network call, nothing to await).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        models::stats_to_py(py, &self.core(py)?.stats())
    }

    /// Releases the client's connections; later calls raise `TimError`.
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.live.clear();
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Returns the client itself, for `async with`.
    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        future_into_py(py, async move { Ok(slf) })
    }

    /// Closes the client.
    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(&self, py: Python<'py>, _exc: &Bound<'py, pyo3::types::PyTuple>) -> PyResult<Bound<'py, PyAny>> {
        self.close();
        future_into_py(py, async move { Ok(false) })
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self) -> String {
        if self.closed() {
            "AsyncClient(closed)".to_owned()
        } else {
            format!("AsyncClient(sdkappid={}, identifier={:?})", self.config.sdkappid(), self.config.identifier())
        }
    }

    /// Coroutine: group member profiles, one call (`get_group_member_info`).
    #[pyo3(signature = (group_id, **fields))]
    fn get_group_member_info<'py>(
        &self,
        py: Python<'py>,
        group_id: Text,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = requests::member_info(py, group_id, fields)?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            let response = client.get_group_member_info(&request).await.map_err(to_py_detached)?;
            Ok(models::GetGroupMemberInfoResponse::from(response))
        })
    }

    /// An async iterator over every member of a group, one page in memory at a time. Options
    /// (`timadmin.PageOptions`) are checked here, before any call.
    #[pyo3(signature = (group_id, **options))]
    fn members(
        &self,
        py: Python<'_>,
        group_id: Text,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<AsyncMemberPager> {
        let options = requests::page_options(py, options)?;
        let pager = self.core(py)?.members(group_id, options).map_err(|e| to_py(py, e))?;
        Ok(AsyncMemberPager { cursor: PerProcess::with(tokio::sync::Mutex::new(MemberCursor::new(pager))) })
    }

    /// Deprecated name of `members`.
    #[pyo3(signature = (group_id, **options))]
    fn iter_group_members(
        &self,
        py: Python<'_>,
        group_id: Text,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<AsyncMemberPager> {
        crate::errors::deprecated(py, "AsyncClient.iter_group_members() is deprecated: use AsyncClient.members()")?;
        self.members(py, group_id, options)
    }

    /// Coroutine: any REST command with `body` (a dict, sent as JSON); the answer as a dict
    /// (as for `Client.call`).
    fn call<'py>(&self, py: Python<'py>, command: Text, body: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let body = crate::raw::body(py, body)?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            let answer = client.call(&command.0, &body).await.map_err(to_py_detached)?;
            Ok(crate::raw::Json(answer))
        })
    }

    /// Coroutine: the muted members of a group or topic (`get_group_muted_account`).
    #[pyo3(signature = (group_id, **fields))]
    fn get_group_muted_account<'py>(
        &self,
        py: Python<'py>,
        group_id: Text,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = requests::muted_account(py, group_id, fields)?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            let response = client.get_group_muted_account(&request).await.map_err(to_py_detached)?;
            Ok(models::GetGroupMutedAccountResponse::from(response))
        })
    }

    /// Coroutine: changes a group's profile (`modify_group_base_info`); `None` values in
    /// `app_defined_data` delete those keys.
    #[pyo3(signature = (group_id, **fields))]
    fn modify_group_base_info<'py>(
        &self,
        py: Python<'py>,
        group_id: Text,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = requests::modify_base_info(py, group_id, fields)?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            client.modify_group_base_info(&request).await.map_err(to_py_detached)?;
            // `()` would become an empty tuple; the coroutine returns None.
            Ok(Option::<bool>::None)
        })
    }
}

/// Async iterator over a group's members returned by `AsyncClient.members`. Made in one
/// process, it refuses to run in a child forked from it.
#[pyclass(frozen, module = "timadmin")]
pub struct AsyncMemberPager {
    cursor: PerProcess<tokio::sync::Mutex<MemberCursor>>,
}

#[pymethods]
impl AsyncMemberPager {
    /// The async iterator itself.
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Awaitable of the next member, fetching the next page when the current one is used up.
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cursor = self.cursor.here("iterator").map_err(|e| to_py(py, e))?;
        // Members already fetched are handed out without a round trip through the runtime.
        if let Ok(mut guard) = cursor.try_lock() {
            if let Some(member) = guard.next_buffered() {
                let fut = pyo3_async_runtimes::get_running_loop(py)?.call_method0("create_future")?;
                fut.call_method1("set_result", (models::GroupMember::from(member),))?;
                return Ok(fut);
            }
        }
        future_into_py(py, async move {
            match cursor.lock().await.next_member().await {
                Ok(Some(member)) => Ok(models::GroupMember::from(member)),
                Ok(None) => Err(pyo3::exceptions::PyStopAsyncIteration::new_err(())),
                Err(e) => Err(to_py_detached(e)),
            }
        })
    }

    /// The group's member count, known after the first page.
    #[getter]
    fn member_num(&self) -> Option<u64> {
        let cursor = self.cursor.get()?;
        let guard = cursor.try_lock().ok()?;
        guard.pager().member_num()
    }
}
