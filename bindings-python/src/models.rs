//! Immutable Python value objects over the core's response types. Attributes use the REST
//! names in snake case; `to_dict()` gives the REST names exactly as on the wire (via the core's
//! serde models); objects compare by value and have a readable `repr`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};
use pyo3::IntoPyObjectExt;
use serde::Serialize;

/// The core's stats document (`timadmin::stats`) as a dict.
pub(crate) fn stats_to_py<'py>(py: Python<'py>, stats: &timadmin::Stats) -> PyResult<Bound<'py, PyAny>> {
    json_to_py(py, &serde_json::to_value(stats).unwrap_or_default())
}

/// serde_json value → Python object (dict/list/str/int/float/bool/None).
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)?
            } else if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?
            }
        }
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A serde model → Python dict with its wire (REST) field names.
pub(crate) fn to_py_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("cannot convert to a dict: {e}")))?;
    json_to_py(py, &json)
}

/// `Name(field=repr, ...)` with Python reprs of the present (non-None) fields.
fn repr(py: Python<'_>, name: &str, fields: Vec<(&str, Bound<'_, PyAny>)>) -> PyResult<String> {
    let mut parts = Vec::with_capacity(fields.len());
    for (field, value) in fields {
        if value.is_none() {
            continue;
        }
        parts.push(format!("{field}={}", value.repr()?));
    }
    let _ = py;
    Ok(format!("{name}({})", parts.join(", ")))
}

/// The Python class of a role, `timadmin.Role` (a `str` enum defined in `timadmin/_role.py`).
static ROLE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The core's role as a `timadmin.Role` (an unknown role is kept verbatim, as `Role.OTHER`).
fn role_to_py<'py>(py: Python<'py>, role: &timadmin::Role) -> PyResult<Bound<'py, PyAny>> {
    ROLE.import(py, "timadmin._role", "Role")?.call1((role.as_str(),))
}

/// One group member as returned by `get_group_member_info`; fields not returned are `None`.
#[pyclass(frozen, eq, module = "timadmin")]
#[derive(Clone, PartialEq)]
pub struct GroupMember {
    pub(crate) inner: timadmin::GroupMember,
}

impl From<timadmin::GroupMember> for GroupMember {
    fn from(inner: timadmin::GroupMember) -> Self {
        GroupMember { inner }
    }
}

#[pymethods]
impl GroupMember {
    /// The member's account (`Member_Account`).
    #[getter]
    fn member_account(&self) -> &str {
        &self.inner.member_account
    }

    /// The member's role (`Role`): a `timadmin.Role`, which is also its REST spelling as a `str`.
    #[getter]
    fn role<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.role.as_ref().map(|role| role_to_py(py, role)).transpose()
    }

    /// When the member joined, Unix seconds (`JoinTime`).
    #[getter]
    fn join_time(&self) -> Option<u64> {
        self.inner.join_time
    }

    /// Sequence number of the last read message (`MsgSeq`).
    #[getter]
    fn msg_seq(&self) -> Option<u64> {
        self.inner.msg_seq
    }

    /// Message receiving option (`MsgFlag`).
    #[getter]
    fn msg_flag(&self) -> Option<&str> {
        self.inner.msg_flag.as_deref()
    }

    /// When the member last sent a message, Unix seconds (`LastSendMsgTime`).
    #[getter]
    fn last_send_msg_time(&self) -> Option<u64> {
        self.inner.last_send_msg_time
    }

    /// Muted until this Unix second; 0 = not muted (`MuteUntil`).
    #[getter]
    fn mute_until(&self) -> Option<u64> {
        self.inner.mute_until
    }

    /// The member's name card (`NameCard`).
    #[getter]
    fn name_card(&self) -> Option<&str> {
        self.inner.name_card.as_deref()
    }

    /// Custom member data as a new dict (`AppMemberDefinedData`).
    #[getter]
    fn app_member_defined_data<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(items) = &self.inner.app_member_defined_data else { return Ok(None) };
        let dict = PyDict::new(py);
        for kv in items {
            dict.set_item(&kv.key, &kv.value)?;
        }
        Ok(Some(dict))
    }

    /// The member with its REST field names (absent fields left out).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_dict(py, &self.inner)
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr(
            py,
            "GroupMember",
            vec![
                ("member_account", self.member_account().into_bound_py_any(py)?),
                ("role", self.inner.role.as_ref().map(|r| r.as_str()).into_bound_py_any(py)?),
                ("join_time", self.join_time().into_bound_py_any(py)?),
                ("msg_seq", self.msg_seq().into_bound_py_any(py)?),
                ("msg_flag", self.msg_flag().into_bound_py_any(py)?),
                ("last_send_msg_time", self.last_send_msg_time().into_bound_py_any(py)?),
                ("mute_until", self.mute_until().into_bound_py_any(py)?),
                ("name_card", self.name_card().into_bound_py_any(py)?),
                ("app_member_defined_data", self.app_member_defined_data(py)?.into_bound_py_any(py)?),
            ],
        )
    }
}

/// One `get_group_member_info` answer: the group's member count, this call's members, and the
/// community groups' `Next` cursor (`""` when done; `None` for other groups).
#[pyclass(frozen, eq, module = "timadmin")]
#[derive(Clone, PartialEq)]
pub struct GetGroupMemberInfoResponse {
    pub(crate) inner: timadmin::GetGroupMemberInfoResponse,
}

impl From<timadmin::GetGroupMemberInfoResponse> for GetGroupMemberInfoResponse {
    fn from(inner: timadmin::GetGroupMemberInfoResponse) -> Self {
        GetGroupMemberInfoResponse { inner }
    }
}

#[pymethods]
impl GetGroupMemberInfoResponse {
    /// Total members in the group (`MemberNum`).
    #[getter]
    fn member_num(&self) -> u64 {
        self.inner.member_num
    }

    /// This call's members, as a new list (`MemberList`).
    #[getter]
    fn member_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.member_list.iter().cloned().map(GroupMember::from))
    }

    /// The cursor for the next call of a community group (`Next`).
    #[getter]
    fn next(&self) -> Option<&str> {
        self.inner.next.as_deref()
    }

    /// The answer with its REST field names.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_dict(py, &self.inner)
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr(
            py,
            "GetGroupMemberInfoResponse",
            vec![
                ("member_num", self.member_num().into_bound_py_any(py)?),
                ("member_list", self.member_list(py)?.into_any()),
                ("next", self.next().into_bound_py_any(py)?),
            ],
        )
    }
}

/// A muted member: account and the Unix second the mute ends (4294967295 = for good).
#[pyclass(frozen, eq, module = "timadmin")]
#[derive(Clone, PartialEq)]
pub struct MutedAccount {
    pub(crate) inner: timadmin::MutedAccount,
}

#[pymethods]
impl MutedAccount {
    /// The muted member (`Member_Account`).
    #[getter]
    fn member_account(&self) -> &str {
        &self.inner.member_account
    }

    /// Muted until this Unix second (`MutedUntil`).
    #[getter]
    fn muted_until(&self) -> u64 {
        self.inner.muted_until
    }

    /// The entry with its REST field names.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_dict(py, &self.inner)
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr(
            py,
            "MutedAccount",
            vec![
                ("member_account", self.member_account().into_bound_py_any(py)?),
                ("muted_until", self.muted_until().into_bound_py_any(py)?),
            ],
        )
    }
}

/// One `get_group_muted_account` answer.
#[pyclass(frozen, eq, module = "timadmin")]
#[derive(Clone, PartialEq)]
pub struct GetGroupMutedAccountResponse {
    pub(crate) inner: timadmin::GetGroupMutedAccountResponse,
}

impl From<timadmin::GetGroupMutedAccountResponse> for GetGroupMutedAccountResponse {
    fn from(inner: timadmin::GetGroupMutedAccountResponse) -> Self {
        GetGroupMutedAccountResponse { inner }
    }
}

#[pymethods]
impl GetGroupMutedAccountResponse {
    /// The group asked about (`GroupId`).
    #[getter]
    fn group_id(&self) -> &str {
        &self.inner.group_id
    }

    /// Its muted members, as a new list (`MutedAccountList`).
    #[getter]
    fn muted_account_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.muted_account_list.iter().cloned().map(|inner| MutedAccount { inner }))
    }

    /// The answer with its REST field names.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_dict(py, &self.inner)
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr(
            py,
            "GetGroupMutedAccountResponse",
            vec![
                ("group_id", self.group_id().into_bound_py_any(py)?),
                ("muted_account_list", self.muted_account_list(py)?.into_any()),
            ],
        )
    }
}
