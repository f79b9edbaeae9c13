//! The synchronous `Client`: the core's `BlockingClient` with the GIL released during every
//! call, so threads sharing one client run in parallel, and with Ctrl-C honoured while a call
//! is in flight (the signal check runs every 50 ms; a pending `KeyboardInterrupt` cancels the
//! request).

use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use timadmin::{BlockingClient, MemberCursor, PerProcess};

use crate::args::{self, Text};
use crate::errors::{tim_error, to_py};
use crate::{models, requests};

/// How often a blocked call looks for pending Python signals (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// What a blocking call ended with.
enum Outcome<T> {
    Done(timadmin::Result<T>),
    Interrupted(PyErr),
}

/// Runs `make(client)` on the client's runtime with the GIL released, checking for Python
/// signals meanwhile. A signal handler that raises (Ctrl-C) cancels the call.
pub(crate) fn run<T, F>(
    py: Python<'_>,
    client: &BlockingClient,
    make: impl FnOnce(timadmin::Client) -> F + Send,
) -> PyResult<T>
where
    T: Send,
    F: Future<Output = timadmin::Result<T>>,
{
    crate::logging::refresh_levels(py);
    let outcome = py.detach(|| {
        client.block_on(|c| async move {
            let call = make(c);
            tokio::pin!(call);
            // The first check is one period away: awaiting an interval's immediate first tick
            // still waits for the timer wheel to turn (about 1 ms), which cost every call that
            // much (profiled: p50 1.3 ms against 0.1 ms for the same call from Rust).
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + SIGNAL_POLL, SIGNAL_POLL);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    biased;
                    result = &mut call => return Outcome::Done(result),
                    _ = ticks.tick() => {
                        if let Err(e) = Python::attach(|py| py.check_signals()) {
                            return Outcome::Interrupted(e);
                        }
                    }
                }
            }
        })
    });
    match outcome {
        Ok(Outcome::Done(Ok(v))) => Ok(v),
        Ok(Outcome::Done(Err(e))) | Err(e) => Err(to_py(py, e)),
        Ok(Outcome::Interrupted(e)) => Err(e),
    }
}

/// Synchronous client for the group endpoints. Thread-safe: share one instance between
/// threads. Use as a context manager (or call `close()`) to release its connections.
#[pyclass(frozen, module = "timadmin")]
pub struct Client {
    inner: RwLock<Option<Arc<BlockingClient>>>,
}

impl Client {
    fn from_config(py: Python<'_>, config: timadmin::Config) -> PyResult<Self> {
        let client = BlockingClient::new(config).map_err(|e| to_py(py, e))?;
        Ok(Client { inner: RwLock::new(Some(Arc::new(client))) })
    }

    /// The live core client, or an error after `close()`.
    fn core(&self, py: Python<'_>) -> PyResult<Arc<BlockingClient>> {
        let guard = self.inner.read().map_err(|_| tim_error(py, "client state poisoned"))?;
        guard.clone().ok_or_else(|| tim_error(py, "the client is closed"))
    }
}

#[pymethods]
impl Client {
    /// Builds the client from its options (`timadmin.ClientOptions`, see the class
    /// documentation); no network call. Options left out take the core's defaults
    /// (`rate_limit=None` turns the limiter off); `timadmin::ClientOptions::build` checks them.
    #[new]
    #[pyo3(signature = (sdkappid, **options))]
    fn new(py: Python<'_>, sdkappid: i128, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let config = args::client_config(py, "Client", sdkappid, options)?;
        Self::from_config(py, config)
    }

    /// A client configured from the `TIM_*` environment variables, read by the core (every
    /// setting's variable: `TIM_SDKAPPID`, `TIM_SECRET_KEY`, `TIM_TIMEOUT`, `TIM_RATE_LIMIT`, ...;
    /// `timadmin::ClientOptions::from_env`). Options given here win over the environment; an
    /// `InvalidArgumentError` names the variable at fault (`TIM_TIMEOUT`).
    #[classmethod]
    #[pyo3(signature = (**options))]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let config = args::env_config(py, "from_env", options)?;
        Self::from_config(py, config)
    }

    /// The settings this client runs with, as the core shows them (the same JSON document in
    /// every host): every setting of the core's table by name, durations in seconds, `None`
    /// for a rate limit that is off, secrets as `"***"`.
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        models::json_to_py(py, &self.core(py)?.settings())
    }

    /// What this client has done so far, as the core's stats document (the same JSON in every
    /// host, see `timadmin::stats`): per REST command `calls`, `ok`, `errors` by kind, `retries`,
    /// `rate_limit_wait_ms` and `latency_ms` (`p50`, `p99`, `max`); `in_flight` and
    /// `peak_in_flight`. No network call.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        models::stats_to_py(py, &self.core(py)?.stats())
    }

    /// Releases the client's connections; later calls raise `TimError`.
    fn close(&self) {
        if let Ok(mut guard) = self.inner.write() {
            guard.take();
        }
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.read().map(|g| g.is_none()).unwrap_or(true)
    }

    /// Returns the client itself, for `with`.
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Closes the client.
    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self) -> String {
        match self.inner.read().ok().and_then(|g| g.clone()) {
            Some(c) => match c.client() {
                Ok(core) => format!("Client(sdkappid={}, identifier={:?})", core.sdkappid(), core.identifier()),
                Err(_) => "Client(...)".to_owned(),
            },
            None => "Client(closed)".to_owned(),
        }
    }

    /// Group member profiles, one call (`get_group_member_info`). Community groups
    /// (`@TGS#_...`) page with `next` (the core sends `""` first); others with `limit`/`offset`.
    #[pyo3(signature = (group_id, **fields))]
    fn get_group_member_info(
        &self,
        py: Python<'_>,
        group_id: Text,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<models::GetGroupMemberInfoResponse> {
        let request = requests::member_info(py, group_id, fields)?;
        let core = self.core(py)?;
        Ok(run(py, &core, |c| async move { c.get_group_member_info(&request).await })?.into())
    }

    /// Every member of a group, one page in memory at a time (by Offset, or by the `Next`
    /// cursor for community groups). Options (`timadmin.PageOptions`) are checked here.
    #[pyo3(signature = (group_id, **options))]
    fn members(&self, py: Python<'_>, group_id: Text, options: Option<&Bound<'_, PyDict>>) -> PyResult<MemberPager> {
        let options = requests::page_options(py, options)?;
        let core = self.core(py)?;
        let pager = core.client().and_then(|c| c.members(group_id, options)).map_err(|e| to_py(py, e))?;
        Ok(MemberPager { client: core, cursor: PerProcess::with(Mutex::new(Some(MemberCursor::new(pager)))) })
    }

    /// Deprecated name of `members`.
    #[pyo3(signature = (group_id, **options))]
    fn iter_group_members(
        &self,
        py: Python<'_>,
        group_id: Text,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<MemberPager> {
        crate::errors::deprecated(py, "Client.iter_group_members() is deprecated: use Client.members()")?;
        self.members(py, group_id, options)
    }

    /// Any REST command (`command`: `"service/command"`, e.g. `"openim/sendmsg"`) with `body`
    /// (a dict, sent as JSON); returns the service's answer as a dict, `ActionStatus` and
    /// `ErrorCode` included. Same signing, retries, rate limit (per command) and errors as the
    /// typed methods; see `timadmin::Client::call` for which failures re-send a request.
    fn call<'py>(&self, py: Python<'py>, command: Text, body: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let body = crate::raw::body(py, body)?;
        let core = self.core(py)?;
        let command = command.0;
        let answer = run(py, &core, |c| async move { c.call(&command, &body).await })?;
        models::json_to_py(py, &answer)
    }

    /// The muted members of a group, or of one topic of a community (`get_group_muted_account`).
    #[pyo3(signature = (group_id, **fields))]
    fn get_group_muted_account(
        &self,
        py: Python<'_>,
        group_id: Text,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<models::GetGroupMutedAccountResponse> {
        let request = requests::muted_account(py, group_id, fields)?;
        let core = self.core(py)?;
        Ok(run(py, &core, |c| async move { c.get_group_muted_account(&request).await })?.into())
    }

    /// Changes a group's profile; only the fields given change (`modify_group_base_info`).
    /// In `app_defined_data`, a value of `None` deletes that key.
    #[pyo3(signature = (group_id, **fields))]
    fn modify_group_base_info(
        &self,
        py: Python<'_>,
        group_id: Text,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let request = requests::modify_base_info(py, group_id, fields)?;
        let core = self.core(py)?;
        run(py, &core, |c| async move { c.modify_group_base_info(&request).await })
    }
}

/// Iterator over a group's members returned by `Client.members`; holds one page. Made in one
/// process, it refuses to run in a child forked from it.
#[pyclass(frozen, module = "timadmin")]
pub struct MemberPager {
    client: Arc<BlockingClient>,
    /// The cursor is `None` while a page is being fetched (by the thread that took it out).
    cursor: PerProcess<Mutex<Option<MemberCursor>>>,
}

impl MemberPager {
    /// Runs `f` on the cursor's slot, under its lock.
    fn with_slot<T>(&self, py: Python<'_>, f: impl FnOnce(&mut Option<MemberCursor>) -> PyResult<T>) -> PyResult<T> {
        let cursor = self.cursor.here("iterator").map_err(|e| to_py(py, e))?;
        let mut slot = cursor.lock().map_err(|_| tim_error(py, "iterator state poisoned"))?;
        f(&mut slot)
    }
}

/// What one `__next__` does after looking at the buffered page.
enum Step {
    Member(timadmin::GroupMember),
    Fetch(Option<MemberCursor>),
    End,
}

#[pymethods]
impl MemberPager {
    /// The iterator itself.
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The next member, fetching the next page when the current one is used up.
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<models::GroupMember>> {
        let step = self.with_slot(py, |slot| {
            let Some(cursor) = slot.as_mut() else {
                return Err(tim_error(py, "this iterator is already fetching a page in another thread"));
            };
            Ok(match cursor.next_buffered() {
                Some(member) => Step::Member(member),
                None if cursor.is_done() => Step::End,
                None => Step::Fetch(slot.take()),
            })
        })?;
        let mut cursor = match step {
            Step::Member(member) => return Ok(Some(member.into())),
            Step::Fetch(Some(cursor)) => cursor,
            Step::Fetch(None) | Step::End => return Ok(None),
        };
        // The cursor leaves the lock while the page is fetched with the GIL released. Ctrl-C
        // drops the fetch, after which the same page can be asked for again.
        let result = run(py, &self.client, |_| {
            let cursor = &mut cursor;
            async move { cursor.next_member().await }
        });
        self.with_slot(py, |slot| {
            *slot = Some(cursor);
            Ok(())
        })?;
        Ok(result?.map(Into::into))
    }

    /// The group's member count, known after the first page.
    #[getter]
    fn member_num(&self, py: Python<'_>) -> PyResult<Option<u64>> {
        self.with_slot(py, |slot| Ok(slot.as_ref().and_then(|c| c.pager().member_num())))
    }
}
