//! Python arguments → core types: integers in range, durations, string lists, the client
//! options and the `usersig_provider` callback. Semantic checks and defaults stay in the core
//! (`timadmin::ClientOptions::build` for the client configuration).

use std::sync::Arc;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use timadmin::{AppDefinedDataUpdate, ClientOptions, Config, RateLimit, RedisFallback, UserSigProvider};

use crate::errors::{invalid, to_py};

/// A `str` argument as UTF-8. Python strings may hold lone surrogates (`"\ud800"`, or what
/// `os.fsdecode` makes of undecodable bytes), which no UTF-8 string can: such a `str` raises
/// timadmin's `InvalidArgumentError` (a `ValueError`) instead of a bare `UnicodeEncodeError`.
/// PyO3 adds the note "while processing '<argument>'", from which the exception also takes its
/// `field` (see `_errors.py`). Anything that is not a `str` is still a `TypeError`.
pub(crate) struct Text(pub String);

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Text {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let s = obj.cast::<PyString>().map_err(PyErr::from)?;
        text_of(obj.py(), "", &s)
    }
}

/// The UTF-8 text of `s`, or an `InvalidArgumentError` for `field` naming where the first lone
/// surrogate is.
fn text_of(py: Python<'_>, field: &str, s: &Bound<'_, PyString>) -> PyResult<Text> {
    match s.to_cow() {
        Ok(t) => Ok(Text(t.into_owned())),
        Err(e) => {
            let at = e
                .value(py)
                .getattr("start")
                .and_then(|v| v.extract::<usize>())
                .map(|i| format!(" at index {i}"))
                .unwrap_or_default();
            Err(invalid(
                py,
                field,
                format!("is not valid Unicode text: it holds a lone surrogate{at}, which cannot be encoded as UTF-8"),
            ))
        }
    }
}

/// A `str` item of a list or mapping argument (`field` names the argument).
fn item_text(py: Python<'_>, field: &str, item: &Bound<'_, PyAny>, type_error: &str) -> PyResult<String> {
    let s = item
        .cast::<PyString>()
        .map_err(|_| pyo3::exceptions::PyTypeError::new_err(type_error.to_owned()))?;
    Ok(text_of(py, field, s)?.0)
}

/// A non-negative integer argument that must fit in `u64`.
pub(crate) fn to_u64(py: Python<'_>, field: &str, value: i128) -> PyResult<u64> {
    u64::try_from(value).map_err(|_| invalid(py, field, format!("{value} is not in 0..=18446744073709551615")))
}

/// A non-negative integer argument that must fit in `u32`.
pub(crate) fn to_u32(py: Python<'_>, field: &str, value: i128) -> PyResult<u32> {
    u32::try_from(value).map_err(|_| invalid(py, field, format!("{value} is not in 0..=4294967295")))
}

/// Optional variant of [`to_u32`].
pub(crate) fn opt_u32(py: Python<'_>, field: &str, value: Option<i128>) -> PyResult<Option<u32>> {
    value.map(|v| to_u32(py, field, v)).transpose()
}

/// Optional variant of [`to_u64`].
pub(crate) fn opt_u64(py: Python<'_>, field: &str, value: Option<i128>) -> PyResult<Option<u64>> {
    value.map(|v| to_u64(py, field, v)).transpose()
}

/// A list of strings given as any iterable of `str` (a bare `str` is rejected, not split).
pub(crate) fn str_list(py: Python<'_>, field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<String>>> {
    let Some(value) = value else { return Ok(None) };
    if value.is_none() {
        return Ok(None);
    }
    if value.is_instance_of::<PyString>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{field} must be a list of str, not a single str"
        )));
    }
    let mut out = Vec::new();
    for item in value.try_iter()? {
        out.push(item_text(py, field, &item?, &format!("{field} must contain only str items"))?);
    }
    Ok(Some(out))
}

/// `app_defined_data`: a mapping of key → value, where `None` deletes the key.
pub(crate) fn app_defined_data(
    py: Python<'_>,
    value: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<Vec<AppDefinedDataUpdate>>> {
    let Some(dict) = value else { return Ok(None) };
    let mut out = Vec::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let key = item_text(py, "app_defined_data", &k, "app_defined_data keys must be str")?;
        if v.is_none() {
            out.push(AppDefinedDataUpdate::delete(key));
        } else {
            let value = item_text(py, "app_defined_data", &v, "app_defined_data values must be str or None")?;
            out.push(AppDefinedDataUpdate::set(key, value));
        }
    }
    Ok(Some(out))
}

/// Seconds as a float → `Duration`, rejecting negative, NaN and infinite values.
pub(crate) fn seconds(py: Python<'_>, field: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| invalid(py, field, format!("{value} is not a finite, non-negative number of seconds")))
}

/// Wraps a Python callable into the core's UserSig provider: it is called with the GIL held,
/// must return a non-empty `str`; exceptions become an error message naming the exception type.
fn provider(callback: Py<PyAny>) -> Arc<dyn UserSigProvider> {
    Arc::new(move || -> Result<String, String> {
        Python::attach(|py| {
            let result = callback.bind(py).call0().map_err(|e| {
                let name = e
                    .get_type(py)
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|_| "Exception".to_owned());
                let text = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
                format!("usersig_provider raised {name}: {text}")
            })?;
            result
                .extract::<String>()
                .map_err(|_| "usersig_provider must return a str".to_owned())
        })
    })
}

/// The constructor arguments shared by `Client` and `AsyncClient`; `None` means "the core's
/// default", except for `rate_limit`, where `None` turns the limiter off.
pub(crate) struct ClientArgs<'py> {
    pub sdkappid: i128,
    pub key: Option<Text>,
    pub usersig: Option<Text>,
    pub usersig_provider: Option<Bound<'py, PyAny>>,
    pub identifier: Option<Text>,
    pub region: Option<Text>,
    pub base_url: Option<Text>,
    pub timeout: Option<f64>,
    pub max_retries: Option<i128>,
    pub rate_limit: Option<f64>,
    pub max_response_bytes: i128,
    pub allow_insecure_http: bool,
    pub max_in_flight: i128,
    pub rate_limit_redis_url: Option<String>,
    pub fleet_size: Option<i128>,
    pub redis_fallback: Option<String>,
}

impl ClientArgs<'_> {
    /// Converts the Python values to core types and lets the core's [`ClientOptions::build`]
    /// check them and fill in the defaults.
    pub(crate) fn into_config(self, py: Python<'_>) -> PyResult<Config> {
        let usersig_provider = match self.usersig_provider {
            Some(cb) if !cb.is_callable() => {
                return Err(pyo3::exceptions::PyTypeError::new_err("usersig_provider must be callable"))
            }
            cb => cb.map(|cb| provider(cb.unbind())),
        };
        ClientOptions {
            sdkappid: Some(to_u64(py, "sdkappid", self.sdkappid)?),
            secret_key: self.key.map(Into::into),
            usersig: self.usersig.map(Into::into),
            usersig_provider,
            identifier: self.identifier.map(Into::into),
            region: self.region.map(Into::into),
            base_url: self.base_url.map(Into::into),
            timeout: self.timeout.map(|t| seconds(py, "timeout", t)).transpose()?,
            max_retries: opt_u32(py, "max_retries", self.max_retries)?,
            rate_limit: Some(self.rate_limit.map_or(RateLimit::Off, RateLimit::PerSecond)),
            max_response_bytes: Some(to_u64(py, "max_response_bytes", self.max_response_bytes)?),
            allow_insecure_http: Some(self.allow_insecure_http),
            max_in_flight: Some(to_u32(py, "max_in_flight", self.max_in_flight)?),
            rate_limit_redis_url: self.rate_limit_redis_url,
            fleet_size: opt_u32(py, "fleet_size", self.fleet_size)?,
            redis_fallback: self
                .redis_fallback
                .map(|text| text.parse::<RedisFallback>())
                .transpose()
                .map_err(|e| to_py(py, e))?,
            ..ClientOptions::default()
        }
        .build()
        .map_err(|e| to_py(py, e))
    }
}
