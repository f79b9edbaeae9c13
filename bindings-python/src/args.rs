//! Python arguments → core types: integers in range, durations, string lists, the client
//! options. Semantic checks and defaults stay in the core
//! (`timadmin::ClientOptions::build` for the client configuration).

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use timadmin::{AppDefinedDataUpdate, ClientOptions, Config, RateLimit, RedisFallback};

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
    let s = item.cast::<PyString>().map_err(|_| pyo3::exceptions::PyTypeError::new_err(type_error.to_owned()))?;
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
        return Err(pyo3::exceptions::PyTypeError::new_err(format!("{field} must be a list of str, not a single str")));
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

/// Keyword arguments received as `**kwargs`, taken one by one by name. What is left when
/// [`Kwargs::finish`] runs is an unexpected keyword, a `TypeError` worded like Python's own.
/// (`**kwargs` is always a fresh dict, so taking items out of it touches nothing of the caller.)
pub(crate) struct Kwargs<'py> {
    py: Python<'py>,
    /// The callable, for messages (`Client()`, `get_group_member_info()`).
    callable: &'static str,
    dict: Option<Bound<'py, PyDict>>,
}

impl<'py> Kwargs<'py> {
    /// The keyword arguments `dict` given to `callable`.
    pub(crate) fn new(py: Python<'py>, callable: &'static str, dict: Option<&Bound<'py, PyDict>>) -> Self {
        Kwargs { py, callable, dict: dict.cloned() }
    }

    /// Takes `name` out: `None` when absent, `Some(None)` when given as `None`.
    fn take_raw(&mut self, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.dict {
            Some(dict) => {
                let value = dict.get_item(name)?;
                if value.is_some() {
                    dict.del_item(name)?;
                }
                Ok(value)
            }
            None => Ok(None),
        }
    }

    /// Takes `name` out; absent and `None` are both "not given".
    fn take(&mut self, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.take_raw(name)?.filter(|v| !v.is_none()))
    }

    /// `name` extracted as `T`, or a `TypeError` naming the argument and the type wanted.
    fn typed<T: for<'a> FromPyObject<'a, 'py>>(&mut self, name: &str, wanted: &str) -> PyResult<Option<T>> {
        let Some(value) = self.take(name)? else { return Ok(None) };
        self.extract(name, &value, wanted).map(Some)
    }

    /// `value` of argument `name` as `T`, or a `TypeError` naming both.
    fn extract<T: for<'a> FromPyObject<'a, 'py>>(
        &self,
        name: &str,
        value: &Bound<'py, PyAny>,
        wanted: &str,
    ) -> PyResult<T> {
        value.extract::<T>().map_err(|_| {
            let given = value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_owned());
            pyo3::exceptions::PyTypeError::new_err(format!(
                "{}() argument '{name}' must be {wanted}, not {given}",
                self.callable
            ))
        })
    }

    /// A `str` argument (a lone surrogate is an `InvalidArgumentError` naming `name`).
    pub(crate) fn text(&mut self, name: &str) -> PyResult<Option<String>> {
        let Some(value) = self.take(name)? else { return Ok(None) };
        let wanted = format!("{}() argument '{name}' must be str", self.callable);
        Ok(Some(item_text(self.py, name, &value, &wanted)?))
    }

    /// A `bool` argument.
    pub(crate) fn flag(&mut self, name: &str) -> PyResult<Option<bool>> {
        self.typed::<bool>(name, "bool")
    }

    /// A number of seconds (`int` or `float`), as a `Duration`.
    pub(crate) fn seconds(&mut self, name: &str) -> PyResult<Option<Duration>> {
        let value = self.typed::<f64>(name, "a number of seconds")?;
        value.map(|v| seconds(self.py, name, v)).transpose()
    }

    /// A non-negative `int` that fits in `u32`.
    pub(crate) fn u32(&mut self, name: &str) -> PyResult<Option<u32>> {
        let value = self.typed::<i128>(name, "int")?;
        opt_u32(self.py, name, value)
    }

    /// A non-negative `int` that fits in `u64`.
    pub(crate) fn u64(&mut self, name: &str) -> PyResult<Option<u64>> {
        let value = self.typed::<i128>(name, "int")?;
        opt_u64(self.py, name, value)
    }

    /// A list of `str` given as any iterable of `str` (not a bare `str`).
    pub(crate) fn str_list(&mut self, name: &str) -> PyResult<Option<Vec<String>>> {
        let value = self.take(name)?;
        str_list(self.py, name, value.as_ref())
    }

    /// `app_defined_data`: a mapping of key → value, where `None` deletes the key.
    pub(crate) fn app_defined_data(&mut self, name: &str) -> PyResult<Option<Vec<AppDefinedDataUpdate>>> {
        let value = self.typed::<Bound<'py, PyDict>>(name, "dict")?;
        app_defined_data(self.py, value.as_ref())
    }

    /// Ends the parse: any keyword not taken is a `TypeError`.
    pub(crate) fn finish(self) -> PyResult<()> {
        let Some(dict) = self.dict else { return Ok(()) };
        match dict.keys().iter().next() {
            None => Ok(()),
            Some(key) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "{}() got an unexpected keyword argument {}",
                self.callable,
                key.repr()?
            ))),
        }
    }
}

/// The options of `Client(sdkappid, **options)` and `AsyncClient(...)` (the Python
/// `timadmin.ClientOptions`: one keyword per setting of the core's table,
/// `timadmin::settings::SETTINGS`), converted to core types. Absent options stay unset (the
/// core's defaults, or the environment's for `from_env`), except `rate_limit=None`, which turns
/// the limiter off. The core checks them ([`ClientOptions::build`]).
pub(crate) fn client_options(
    py: Python<'_>,
    class: &'static str,
    sdkappid: Option<i128>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<ClientOptions> {
    let mut kw = Kwargs::new(py, class, options);
    let mut secret_key = kw.text("secret_key")?;
    if let Some(key) = kw.text("key")? {
        crate::errors::deprecated(py, "key=... is deprecated: the option is called secret_key")?;
        if secret_key.replace(key).is_some() {
            return Err(invalid(py, "secret_key", "give secret_key only (key is its deprecated name)"));
        }
    }
    let usersig_provider = match kw.take("usersig_provider")? {
        Some(cb) if !cb.is_callable() => {
            return Err(pyo3::exceptions::PyTypeError::new_err("usersig_provider must be callable"))
        }
        cb => cb.map(|cb| crate::provider::provider(cb.unbind())),
    };
    let async_usersig_provider = match kw.take("async_usersig_provider")? {
        Some(cb) if !cb.is_callable() => {
            return Err(pyo3::exceptions::PyTypeError::new_err("async_usersig_provider must be callable"))
        }
        cb => cb.map(|cb| crate::provider::async_provider(cb.unbind())),
    };
    // Absent: unset; `None`: no limiter.
    let rate_limit = match kw.take_raw("rate_limit")? {
        None => None,
        Some(v) if v.is_none() => Some(RateLimit::Off),
        Some(v) => Some(RateLimit::PerSecond(kw.extract("rate_limit", &v, "a number of calls per second or None")?)),
    };
    let options = ClientOptions {
        sdkappid: sdkappid.map(|id| to_u64(py, "sdkappid", id)).transpose()?,
        secret_key,
        usersig: kw.text("usersig")?,
        usersig_provider,
        async_usersig_provider,
        identifier: kw.text("identifier")?,
        region: kw.text("region")?,
        base_url: kw.text("base_url")?,
        timeout: kw.seconds("timeout")?,
        max_retries: kw.u32("max_retries")?,
        rate_limit,
        usersig_lifetime: kw.seconds("usersig_lifetime")?,
        max_response_bytes: kw.u64("max_response_bytes")?,
        allow_insecure_http: kw.flag("allow_insecure_http")?,
        max_in_flight: kw.u32("max_in_flight")?,
        rate_limit_redis_url: kw.text("rate_limit_redis_url")?,
        fleet_size: kw.u32("fleet_size")?,
        redis_fallback: kw
            .text("redis_fallback")?
            .map(|text| text.parse::<RedisFallback>())
            .transpose()
            .map_err(|e| to_py(py, e))?,
    };
    kw.finish()?;
    Ok(options)
}

/// `Client(sdkappid, **options)`: the options built by the core.
pub(crate) fn client_config(
    py: Python<'_>,
    class: &'static str,
    sdkappid: i128,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Config> {
    client_options(py, class, Some(sdkappid), options)?.build().map_err(|e| to_py(py, e))
}

/// `Client.from_env(**options)`: the options over the `TIM_*` environment variables, read and
/// checked by the core (`ClientOptions::build_over_lookup`; an error names the variable at fault).
pub(crate) fn env_config(py: Python<'_>, class: &'static str, options: Option<&Bound<'_, PyDict>>) -> PyResult<Config> {
    let options = client_options(py, class, None, options)?;
    // The process environment as Python's `os.environ` leaves it (it writes through putenv).
    options.build_over_lookup(|name| std::env::var(name).ok()).map_err(|e| to_py(py, e))
}
