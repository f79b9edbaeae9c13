//! The raw call's translations: a Python body to JSON (through the standard `json` module, so
//! any JSON-serializable value goes), and the answer's JSON back to Python objects. The core
//! checks the command and that the body is an object.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::to_py;
use crate::models::json_to_py;

/// `body` as JSON, or an `InvalidArgumentError` for `body` when `json.dumps` cannot write it
/// (a value JSON has no form for, a NaN).
pub(crate) fn body(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    let invalid = |reason: String| to_py(py, timadmin::Error::invalid("body", reason));
    let options = PyDict::new(py);
    options.set_item("allow_nan", false)?;
    let text: String = py
        .import("json")?
        .call_method("dumps", (body,), Some(&options))
        .map_err(|e| invalid(format!("not JSON-serializable: {e}")))?
        .extract()?;
    serde_json::from_str(&text).map_err(|e| invalid(format!("not JSON: {e}")))
}

/// An answer object, converted to a `dict` when handed to Python.
pub(crate) struct Json(pub serde_json::Value);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0)
    }
}
