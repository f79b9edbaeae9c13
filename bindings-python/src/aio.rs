//! The asyncio `AsyncClient`: the core's async `Client` driven on one shared tokio runtime
//! (see `runtime.rs`). Every endpoint method returns an awaitable; cancelling the awaiting task
//! drops the Rust future and so the request. After a `fork()` the client is rebuilt in the
//! child (new connection pool and runtime), like the core's blocking client does.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use timadmin::{Client as CoreClient, Config, GroupMember, MemberPager};

use crate::args::{ClientArgs, Text};
use crate::blocking::{member_info_request, modify_request, page_options};
use crate::errors::{tim_error, to_py, to_py_detached};
use crate::models;
use crate::runtime::future_into_py;

/// The core client of the process that built it.
struct Live {
    pid: u32,
    client: CoreClient,
}

/// Asynchronous client for the group endpoints (asyncio). Same constructor and methods as
/// `Client`, as coroutines; `iter_group_members` returns an async iterator.
#[pyclass(frozen, module = "timadmin")]
pub struct AsyncClient {
    config: Config,
    live: Mutex<Option<Live>>,
}

impl AsyncClient {
    fn from_config(py: Python<'_>, config: Config) -> PyResult<Self> {
        let client = CoreClient::new(config.clone()).map_err(|e| to_py(py, e))?;
        Ok(AsyncClient {
            config,
            live: Mutex::new(Some(Live { pid: std::process::id(), client })),
        })
    }

    /// The core client for this process (rebuilt after a fork), or an error after `close()`.
    fn core(&self, py: Python<'_>) -> PyResult<CoreClient> {
        let mut guard = self.live.lock().map_err(|_| tim_error(py, "client state poisoned"))?;
        let live = guard.as_mut().ok_or_else(|| tim_error(py, "the client is closed"))?;
        let pid = std::process::id();
        if live.pid != pid {
            // The parent's connections belong to a runtime whose threads are gone: start over.
            let stale = std::mem::replace(
                live,
                Live { pid, client: CoreClient::new(self.config.clone()).map_err(|e| to_py(py, e))? },
            );
            std::mem::forget(stale);
        }
        Ok(live.client.clone())
    }
}

#[pymethods]
impl AsyncClient {
    /// Builds the client from keyword arguments (see the class documentation); no network call.
    /// Arguments left at `None` take the core's defaults (`rate_limit=None` turns the limiter
    /// off); `timadmin::ClientOptions::build` checks them all.
    #[new]
    #[pyo3(signature = (sdkappid, *, key = None, usersig = None, usersig_provider = None,
        identifier = None, region = None, base_url = None, timeout = None, max_retries = None,
        rate_limit = Some(timadmin::options::DEFAULT_RATE_LIMIT),
        max_response_bytes = i128::from(timadmin::options::DEFAULT_MAX_RESPONSE_BYTES),
        allow_insecure_http = false,
        max_in_flight = i128::from(timadmin::options::DEFAULT_MAX_IN_FLIGHT),
        rate_limit_redis_url = None, fleet_size = None, redis_fallback = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        sdkappid: i128,
        key: Option<Text>,
        usersig: Option<Text>,
        usersig_provider: Option<Bound<'_, PyAny>>,
        identifier: Option<Text>,
        region: Option<Text>,
        base_url: Option<Text>,
        timeout: Option<f64>,
        max_retries: Option<i128>,
        rate_limit: Option<f64>,
        max_response_bytes: i128,
        allow_insecure_http: bool,
        max_in_flight: i128,
        rate_limit_redis_url: Option<String>,
        fleet_size: Option<i128>,
        redis_fallback: Option<String>,
    ) -> PyResult<Self> {
        let config = ClientArgs {
            sdkappid,
            key,
            usersig,
            usersig_provider,
            identifier,
            region,
            base_url,
            timeout,
            max_retries,
            rate_limit,
            max_response_bytes,
            allow_insecure_http,
            max_in_flight,
            rate_limit_redis_url,
            fleet_size,
            redis_fallback,
        }
        .into_config(py)?;
        Self::from_config(py, config)
    }

    /// A client configured from the `TIM_*` environment variables.
    #[classmethod]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>) -> PyResult<Self> {
        let config = Config::from_env().map_err(|e| to_py(py, e))?;
        Self::from_config(py, config)
    }

    /// Releases the client's connections; later calls raise `TimError`.
    fn close(&self) {
        if let Ok(mut guard) = self.live.lock() {
            guard.take();
        }
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.live.lock().map(|g| g.is_none()).unwrap_or(true)
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
            format!("AsyncClient(sdkappid={}, identifier={:?})", self.config.sdkappid, self.config.identifier)
        }
    }

    /// Coroutine: group member profiles, one call (`get_group_member_info`).
    #[pyo3(signature = (group_id, *, member_info_filter = None, member_role_filter = None,
        app_defined_data_filter_group_member = None, limit = None, offset = None, next = None))]
    #[allow(clippy::too_many_arguments)]
    fn get_group_member_info<'py>(
        &self,
        py: Python<'py>,
        group_id: Text,
        member_info_filter: Option<&Bound<'py, PyAny>>,
        member_role_filter: Option<&Bound<'py, PyAny>>,
        app_defined_data_filter_group_member: Option<&Bound<'py, PyAny>>,
        limit: Option<i128>,
        offset: Option<i128>,
        next: Option<Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = member_info_request(
            py,
            group_id,
            member_info_filter,
            member_role_filter,
            app_defined_data_filter_group_member,
            limit,
            offset,
            next,
        )?;
        // Checked here too (the core checks again) so bad input fails at call time.
        timadmin::validate::member_info(&request).map_err(|e| to_py(py, e))?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            client
                .get_group_member_info(&request)
                .await
                .map(models::GroupMemberInfo::from)
                .map_err(to_py_detached)
        })
    }

    /// An async iterator over every member of a group, one page in memory at a time.
    /// Arguments are checked here, before any call.
    #[pyo3(signature = (group_id, *, page_size = i128::from(timadmin::options::DEFAULT_PAGE_SIZE),
        member_info_filter = None, member_role_filter = None, app_defined_data_filter_group_member = None))]
    fn iter_group_members(
        &self,
        py: Python<'_>,
        group_id: Text,
        page_size: i128,
        member_info_filter: Option<&Bound<'_, PyAny>>,
        member_role_filter: Option<&Bound<'_, PyAny>>,
        app_defined_data_filter_group_member: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AsyncGroupMemberIterator> {
        let options = page_options(
            py,
            page_size,
            member_info_filter,
            member_role_filter,
            app_defined_data_filter_group_member,
        )?;
        let pager = self.core(py)?.members(group_id, options).map_err(|e| to_py(py, e))?;
        Ok(AsyncGroupMemberIterator {
            pid: std::process::id(),
            state: Arc::new(tokio::sync::Mutex::new(AsyncIterState {
                pager,
                buffer: VecDeque::new(),
                done: false,
            })),
        })
    }

    /// Coroutine: the muted members of a group or topic (`get_group_muted_account`).
    #[pyo3(signature = (group_id, *, topic_id = None))]
    fn get_group_muted_account<'py>(
        &self,
        py: Python<'py>,
        group_id: Text,
        topic_id: Option<Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = timadmin::GetGroupMutedAccountRequest { group_id: group_id.into(), topic_id: topic_id.map(Into::into) };
        timadmin::validate::muted_account(&request).map_err(|e| to_py(py, e))?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            client
                .get_group_muted_account(&request)
                .await
                .map(models::GroupMutedAccount::from)
                .map_err(to_py_detached)
        })
    }

    /// Coroutine: changes a group's profile (`modify_group_base_info`); `None` values in
    /// `app_defined_data` delete those keys.
    #[pyo3(signature = (group_id, *, name = None, introduction = None, notification = None, face_url = None,
        max_member_num = None, apply_join_option = None, shut_up_all_member = None, app_defined_data = None))]
    #[allow(clippy::too_many_arguments)]
    fn modify_group_base_info<'py>(
        &self,
        py: Python<'py>,
        group_id: Text,
        name: Option<Text>,
        introduction: Option<Text>,
        notification: Option<Text>,
        face_url: Option<Text>,
        max_member_num: Option<i128>,
        apply_join_option: Option<Text>,
        shut_up_all_member: Option<bool>,
        app_defined_data: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = modify_request(
            py,
            group_id,
            name,
            introduction,
            notification,
            face_url,
            max_member_num,
            apply_join_option,
            shut_up_all_member,
            app_defined_data,
        )?;
        timadmin::validate::modify_base_info(&request).map_err(|e| to_py(py, e))?;
        let client = self.core(py)?;
        future_into_py(py, async move {
            // `()` would become an empty tuple; the coroutine returns None.
            client
                .modify_group_base_info(&request)
                .await
                .map(|()| Option::<bool>::None)
                .map_err(to_py_detached)
        })
    }
}

struct AsyncIterState {
    pager: MemberPager,
    buffer: VecDeque<GroupMember>,
    done: bool,
}

/// Async iterator over a group's members returned by `AsyncClient.iter_group_members`.
#[pyclass(frozen, module = "timadmin")]
pub struct AsyncGroupMemberIterator {
    pid: u32,
    state: Arc<tokio::sync::Mutex<AsyncIterState>>,
}

#[pymethods]
impl AsyncGroupMemberIterator {
    /// The async iterator itself.
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Awaitable of the next member, fetching the next page when the current one is used up.
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.pid != std::process::id() {
            return Err(tim_error(py, "this iterator was created in another process (before fork); start a new one"));
        }
        // Members already fetched are handed out without a round trip through the runtime.
        if let Ok(mut st) = self.state.try_lock() {
            if let Some(m) = st.buffer.pop_front() {
                let fut = pyo3_async_runtimes::get_running_loop(py)?.call_method0("create_future")?;
                fut.call_method1("set_result", (models::GroupMember::from(m),))?;
                return Ok(fut);
            }
        }
        let state = Arc::clone(&self.state);
        future_into_py(py, async move {
            let mut st = state.lock().await;
            loop {
                if let Some(m) = st.buffer.pop_front() {
                    return Ok(models::GroupMember::from(m));
                }
                if st.done {
                    return Err(pyo3::exceptions::PyStopAsyncIteration::new_err(()));
                }
                match st.pager.next_page().await {
                    Ok(Some(page)) => st.buffer.extend(page.members),
                    Ok(None) => st.done = true,
                    Err(e) => {
                        st.done = true;
                        return Err(to_py_detached(e));
                    }
                }
            }
        })
    }

    /// The group's member count, known after the first page.
    #[getter]
    fn member_num(&self) -> Option<u64> {
        self.state.try_lock().ok().and_then(|st| st.pager.member_num())
    }
}
