//! `generate_usersig` / `verify_usersig` / `decode_usersig`: the core's TLSSigAPIv2 signing
//! (`timadmin::usersig`), its `Claims` and its `UnverifiedClaims`.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pyo3::IntoPyObjectExt;
use timadmin::usersig;

use crate::args::{to_u64, Text};
use crate::errors::usersig_error;

/// The fields of a verified UserSig.
#[pyclass(frozen, eq, module = "timadmin")]
#[derive(Clone, PartialEq)]
pub struct Claims {
    inner: usersig::Claims,
}

#[pymethods]
impl Claims {
    /// The user the token was issued for.
    #[getter]
    fn identifier(&self) -> &str {
        &self.inner.identifier
    }

    /// The app that issued it.
    #[getter]
    fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// Issue time, Unix seconds.
    #[getter]
    fn time(&self) -> u64 {
        self.inner.time
    }

    /// Lifetime in seconds from `time`.
    #[getter]
    fn expire(&self) -> u64 {
        self.inner.expire
    }

    /// The Unix second after which the token is no longer valid (`time + expire`).
    #[getter]
    fn expires_at(&self) -> u64 {
        self.inner.expires_at()
    }

    /// The user buffer bound into the token, if any.
    #[getter]
    fn userbuf<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.userbuf.as_deref().map(|b| PyBytes::new(py, b))
    }

    /// The claims with the token's field names (`TLS.identifier`, ...).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Fields::from(&self.inner).to_dict(py)
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Fields::from(&self.inner).repr(py, "Claims")
    }
}

/// The token fields both claim types show, for their shared `to_dict` and `__repr__`.
struct Fields<'a> {
    identifier: &'a str,
    sdkappid: u64,
    time: u64,
    expire: u64,
    userbuf: Option<&'a [u8]>,
}

impl<'a> From<&'a usersig::Claims> for Fields<'a> {
    fn from(c: &'a usersig::Claims) -> Self {
        Fields {
            identifier: &c.identifier,
            sdkappid: c.sdkappid,
            time: c.time,
            expire: c.expire,
            userbuf: c.userbuf.as_deref(),
        }
    }
}

impl<'a> From<&'a usersig::UnverifiedClaims> for Fields<'a> {
    fn from(c: &'a usersig::UnverifiedClaims) -> Self {
        Fields {
            identifier: &c.identifier,
            sdkappid: c.sdkappid,
            time: c.time,
            expire: c.expire,
            userbuf: c.userbuf.as_deref(),
        }
    }
}

impl Fields<'_> {
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("TLS.identifier", self.identifier)?;
        d.set_item("TLS.sdkappid", self.sdkappid)?;
        d.set_item("TLS.time", self.time)?;
        d.set_item("TLS.expire", self.expire)?;
        if let Some(ub) = self.userbuf {
            d.set_item("TLS.userbuf", PyBytes::new(py, ub))?;
        }
        Ok(d)
    }

    fn repr(&self, py: Python<'_>, type_name: &str) -> PyResult<String> {
        let userbuf = self.userbuf.map(|b| PyBytes::new(py, b));
        Ok(format!(
            "{type_name}(identifier={}, sdkappid={}, time={}, expire={}, userbuf={})",
            self.identifier.into_bound_py_any(py)?.repr()?,
            self.sdkappid,
            self.time,
            self.expire,
            userbuf.into_bound_py_any(py)?.repr()?,
        ))
    }
}

/// Signs a UserSig (TLSSigAPIv2) for `identifier`, valid `expire` seconds from now (default
/// `DEFAULT_USERSIG_LIFETIME`).
#[pyfunction]
#[pyo3(signature = (sdkappid, secret_key, identifier, expire = i128::from(timadmin::options::DEFAULT_USERSIG_LIFETIME.as_secs()), userbuf = None))]
pub fn generate_usersig(
    py: Python<'_>,
    sdkappid: i128,
    secret_key: Text,
    identifier: Text,
    expire: i128,
    userbuf: Option<&[u8]>,
) -> PyResult<String> {
    let (key, identifier) = (secret_key.0.as_str(), identifier.0.as_str());
    let sdkappid = to_u64(py, "sdkappid", sdkappid)?;
    let expire = to_u64(py, "expire", expire)?;
    let result = match userbuf {
        Some(buf) => usersig::generate_with_userbuf(sdkappid, key, identifier, expire, buf),
        None => usersig::generate(sdkappid, key, identifier, expire),
    };
    result.map_err(|e| usersig_error(py, e))
}

/// Verifies a UserSig and returns its claims; raises `UserSigError` saying what failed.
#[pyfunction]
#[pyo3(signature = (sdkappid, secret_key, identifier, usersig, userbuf = None))]
pub fn verify_usersig(
    py: Python<'_>,
    sdkappid: i128,
    secret_key: Text,
    identifier: Text,
    usersig: Text,
    userbuf: Option<&[u8]>,
) -> PyResult<Claims> {
    let (key, identifier, usersig) = (secret_key.0.as_str(), identifier.0.as_str(), usersig.0.as_str());
    let sdkappid = to_u64(py, "sdkappid", sdkappid)?;
    let result = match userbuf {
        Some(buf) => usersig::verify_with_userbuf(sdkappid, key, identifier, usersig, buf),
        None => usersig::verify(sdkappid, key, identifier, usersig),
    };
    result.map(|inner| Claims { inner }).map_err(|e| usersig_error(py, e))
}

/// The claims of a UserSig read by `decode_usersig`, whose signature was **not** checked: anyone
/// can write a token carrying these values. Use them to diagnose a token (whom and which app it
/// names, when it expires), never to authorize anything; `verify_usersig` gives trusted `Claims`.
#[pyclass(frozen, eq, module = "timadmin")]
#[derive(Clone, PartialEq)]
pub struct UnverifiedClaims {
    inner: usersig::UnverifiedClaims,
}

#[pymethods]
impl UnverifiedClaims {
    /// The user the token says it was issued for (unverified).
    #[getter]
    fn identifier(&self) -> &str {
        &self.inner.identifier
    }

    /// The app the token says issued it (unverified).
    #[getter]
    fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// Claimed issue time, Unix seconds (unverified).
    #[getter]
    fn time(&self) -> u64 {
        self.inner.time
    }

    /// Claimed lifetime in seconds from `time` (unverified).
    #[getter]
    fn expire(&self) -> u64 {
        self.inner.expire
    }

    /// The Unix second after which the token is no longer valid (`time + expire`, unverified).
    #[getter]
    fn expires_at(&self) -> u64 {
        self.inner.expires_at()
    }

    /// The user buffer the token carries, if any (unverified).
    #[getter]
    fn userbuf<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.userbuf.as_deref().map(|b| PyBytes::new(py, b))
    }

    /// The claims with the token's field names (`TLS.identifier`, ...).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Fields::from(&self.inner).to_dict(py)
    }

    /// A readable representation; never shows a secret.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Fields::from(&self.inner).repr(py, "UnverifiedClaims")
    }
}

/// Reads a UserSig's claims **without verifying its signature** (no key needed, nothing
/// trusted): to diagnose a token. Raises `UserSigError` (reason `malformed`) for a token that
/// cannot be read; the error never contains the token.
#[pyfunction]
pub fn decode_usersig(py: Python<'_>, usersig: Text) -> PyResult<UnverifiedClaims> {
    usersig::decode(usersig.0.as_str()).map(|inner| UnverifiedClaims { inner }).map_err(|e| usersig_error(py, e))
}
