//! `timadmin._timadmin._Emulator`: the embedded `timadmin-emulator`, run in-process on its own
//! thread and runtime on a free loopback port. `timadmin.testing.Emulator` wraps it.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Mutex;

use pyo3::prelude::*;
use timadmin_emulator::{
    Control, Emulator as CoreEmulator, EmulatorConfig, EmulatorError, Fault, FaultSpec, GroupType,
};

use crate::args::seconds;
use crate::models::to_py_dict;

/// The emulator's demo fixture, compiled in so installed wheels have it too.
pub(crate) const DEMO_FIXTURE_JSON: &str = include_str!("../../emulator/fixtures/demo.json");

/// Emulator errors: bad fixtures/groups/settings are `ValueError`, I/O is `OSError`.
fn emu_err(e: EmulatorError) -> PyErr {
    match e {
        EmulatorError::Io(io) => pyo3::exceptions::PyOSError::new_err(io.to_string()),
        EmulatorError::Runtime(m) => pyo3::exceptions::PyRuntimeError::new_err(m),
        other => pyo3::exceptions::PyValueError::new_err(other.to_string()),
    }
}

/// A running emulator (low-level; use `timadmin.testing.Emulator`).
#[pyclass(frozen, name = "_Emulator", module = "timadmin._timadmin")]
pub struct Emulator {
    server: Mutex<Option<CoreEmulator>>,
    control: Control,
    base_url: String,
    sdkappid: u64,
    secret_key: String,
    identifier: String,
}

#[pymethods]
impl Emulator {
    /// Starts an emulator on `127.0.0.1:<free port>`.
    #[new]
    #[pyo3(signature = (*, sdkappid = None, secret_key = None, admins = None, rate_limit = Some(200),
        seed_file = None, seed_json = None, community_members = None, usersig_log = None),
        text_signature = "(*, sdkappid=None, secret_key=None, admins=None, rate_limit=200, seed_file=None, \
            seed_json=None, community_members=None, usersig_log=None)")]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        sdkappid: Option<u64>,
        secret_key: Option<String>,
        admins: Option<Vec<String>>,
        rate_limit: Option<u32>,
        seed_file: Option<PathBuf>,
        seed_json: Option<String>,
        community_members: Option<usize>,
        usersig_log: Option<PathBuf>,
    ) -> PyResult<Self> {
        let mut config = EmulatorConfig::default();
        if let Some(s) = sdkappid {
            config.sdkappid = s;
        }
        if let Some(k) = secret_key {
            config.key = k;
        }
        if let Some(a) = admins {
            config.admins = a;
        }
        config.rate_limit_per_sec = rate_limit;
        config.seed_file = seed_file;
        config.seed_json = seed_json;
        config.community_members = community_members;
        config.usersig_log = usersig_log;
        let server = py.detach(|| CoreEmulator::start_blocking(config)).map_err(emu_err)?;
        Ok(Emulator {
            control: server.control(),
            base_url: server.base_url(),
            sdkappid: server.sdkappid(),
            secret_key: server.key().to_owned(),
            identifier: server.admin_identifier().to_owned(),
            server: Mutex::new(Some(server)),
        })
    }

    /// `http://127.0.0.1:PORT`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The SDKAppID the emulator accepts.
    #[getter]
    fn sdkappid(&self) -> u64 {
        self.sdkappid
    }

    /// The secret key UserSigs must be signed with (a test key).
    #[getter]
    fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The app admin identifier.
    #[getter]
    fn identifier(&self) -> &str {
        &self.identifier
    }

    /// Whether the server is still running.
    #[getter]
    fn running(&self) -> bool {
        self.server.lock().map(|g| g.is_some()).unwrap_or(false)
    }

    /// Stops the server (in-flight requests get up to a second). Idempotent.
    fn stop(&self, py: Python<'_>) {
        let server = self.server.lock().ok().and_then(|mut g| g.take());
        if let Some(server) = server {
            py.detach(move || server.stop());
        }
    }

    /// Loads a fixture document (JSON text), adding or replacing its groups.
    fn seed_json(&self, json: &str) -> PyResult<()> {
        self.control.seed_json(json).map_err(emu_err)
    }

    /// Loads a fixture file, adding or replacing its groups.
    fn seed_file(&self, path: PathBuf) -> PyResult<()> {
        self.control.seed_file(&path).map_err(emu_err)
    }

    /// Adds (or replaces) one group given as fixture JSON text.
    fn add_group(&self, json: &str) -> PyResult<()> {
        let group = timadmin_emulator::fixture::parse_group(json).map_err(emu_err)?;
        self.control.add_group(group).map_err(emu_err)
    }

    /// Adds a community group (`@TGS#_...`) with `members` generated members.
    fn generate_community_group(&self, py: Python<'_>, group_id: &str, members: usize) -> PyResult<()> {
        py.detach(|| self.control.generate_community_group(group_id, members)).map_err(emu_err)
    }

    /// Adds a group of `group_type` (`Public`, `Work`, `Community`, ...) with generated members.
    fn generate_group(&self, py: Python<'_>, group_type: &str, group_id: &str, members: usize) -> PyResult<()> {
        let group_type = GroupType::from_str(group_type).map_err(pyo3::exceptions::PyValueError::new_err)?;
        py.detach(|| self.control.generate_group(group_type, group_id, members)).map_err(emu_err)
    }

    /// The group as stored (fixture format, REST field names), or `None`.
    fn group<'py>(&self, py: Python<'py>, group_id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.control.group(group_id).map(|g| to_py_dict(py, &g)).transpose()
    }

    /// IDs of all groups, sorted.
    fn group_ids(&self) -> Vec<String> {
        self.control.group_ids()
    }

    /// Queues a fault for the next `times` calls (of `command` only, when given). `kind` is
    /// `error_code` (with `code`, `info`), `http_status` (`status`, default 502),
    /// `truncated_body`, `delay` (`delay` seconds), `close_connection`, `reply` (`status`,
    /// `body`, `location`: a hostile server's exact answer) or `large_body` (`bytes`, absent for
    /// an endless body; `content_length`).
    #[pyo3(signature = (kind, *, times = 1, command = None, code = None, info = None, status = None, delay = None,
        body = None, location = None, bytes = None, content_length = None))]
    #[allow(clippy::too_many_arguments)]
    fn inject_fault(
        &self,
        py: Python<'_>,
        kind: String,
        times: u32,
        command: Option<String>,
        code: Option<i64>,
        info: Option<String>,
        status: Option<u16>,
        delay: Option<f64>,
        body: Option<String>,
        location: Option<String>,
        bytes: Option<u64>,
        content_length: Option<bool>,
    ) -> PyResult<()> {
        let millis = delay
            .map(|d| seconds(py, "delay", d).map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)))
            .transpose()?;
        let spec = FaultSpec {
            kind,
            code,
            info,
            status,
            millis,
            times: Some(times),
            command,
            body,
            location,
            bytes,
            content_length,
        };
        let fault = Fault::try_from(spec).map_err(pyo3::exceptions::PyValueError::new_err)?;
        self.control.inject_fault(fault);
        Ok(())
    }

    /// Drops every pending fault.
    fn clear_faults(&self) {
        self.control.clear_faults();
    }

    /// The call log, oldest first, as dicts (UserSigs are never recorded).
    fn calls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_dict(py, &self.control.calls())
    }

    /// Empties the call log.
    fn clear_calls(&self) {
        self.control.clear_calls();
    }

    /// Sets the per-command rate limit in calls per second; `None` disables it.
    #[pyo3(signature = (per_sec))]
    fn set_rate_limit(&self, per_sec: Option<u32>) {
        self.control.set_rate_limit(per_sec);
    }

    /// Back to the start state (seeds reloaded, call log and faults cleared, rate restored).
    fn reset(&self) {
        self.control.reset();
    }
}
