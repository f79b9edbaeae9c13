//! The REST wire conventions: error codes, the reply envelope, and strict body-field readers.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

/// Error codes the emulator replies with (names follow the vendor's descriptions).
pub mod codes {
    /// Internal error, try again (used by fault injection examples).
    pub const INTERNAL: i64 = 10002;
    /// Invalid command word: a `v4/{service}/{command}` path whose command the emulator does
    /// not serve.
    pub const INVALID_COMMAND: i64 = 10003;
    /// Invalid parameter: unknown field, wrong type, out-of-range value.
    pub const INVALID_PARAMETER: i64 = 10004;
    /// No permission: identifier is not an app admin, or the group type does not support the command.
    pub const NO_PERMISSION: i64 = 10007;
    /// The group does not exist (unknown topics are 10004).
    pub const GROUP_NOT_FOUND: i64 = 10010;
    /// Invalid group ID (empty, too long, whitespace).
    pub const INVALID_GROUP_ID: i64 = 10015;
    /// The reply would exceed the size cap (1 MB).
    pub const RESPONSE_TOO_LARGE: i64 = 10018;
    /// HTTP request could not be parsed: wrong method, bad `random`/`contenttype`, duplicate or
    /// undecodable query parameters, unreadable body.
    pub const HTTP_PARSE: i64 = 60002;
    /// The body is not a JSON object.
    pub const JSON_PARSE: i64 = 60003;
    /// `identifier` or `usersig` missing from the query.
    pub const ACCOUNT_OR_SIG_MISSING: i64 = 60004;
    /// `sdkappid` missing, not a number, or not this emulator's app.
    pub const SDKAPPID_INVALID: i64 = 60006;
    /// Call rate over the limit.
    pub const RATE_LIMITED: i64 = 60007;
    /// A request path that is not a REST command (`/`, `/v4`, other shapes).
    pub const BAD_RESOURCE: i64 = 60009;
    /// UserSig expired.
    pub const SIG_EXPIRED: i64 = 70001;
    /// UserSig undecodable.
    pub const SIG_INVALID: i64 = 70003;
    /// UserSig signed with another key.
    pub const SIG_MISMATCH: i64 = 70009;
    /// UserSig issued for another identifier.
    pub const SIG_IDENTIFIER_MISMATCH: i64 = 70013;
    /// UserSig issued for another SDKAppID.
    pub const SIG_SDKAPPID_MISMATCH: i64 = 70014;
}

/// A failed call: code and human-readable info, replied as `ActionStatus: FAIL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: i64,
    pub info: String,
}

impl ApiError {
    pub(crate) fn new(code: i64, info: impl Into<String>) -> Self {
        ApiError { code, info: info.into() }
    }
    pub(crate) fn param(info: impl Into<String>) -> Self {
        ApiError::new(codes::INVALID_PARAMETER, info)
    }
}

/// A reply body together with the ErrorCode it carries (for the call log).
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub code: i64,
    pub body: Vec<u8>,
}

#[derive(Serialize)]
struct FailBody<'a> {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: i64,
    #[serde(rename = "ErrorInfo")]
    error_info: &'a str,
}

/// `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"", ...rest}`.
#[derive(Serialize)]
pub(crate) struct OkBody<T: Serialize> {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: i64,
    #[serde(rename = "ErrorInfo")]
    error_info: &'static str,
    #[serde(flatten)]
    rest: T,
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Self {
        fail(e.code, &e.info)
    }
}

/// A FAIL reply.
pub(crate) fn fail(code: i64, info: &str) -> Reply {
    let body = serde_json::to_vec(&FailBody { action_status: "FAIL", error_code: code, error_info: info })
        .unwrap_or_else(|_| {
            format!("{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":{code},\"ErrorInfo\":\"\"}}").into_bytes()
        });
    Reply { code, body }
}

/// An OK reply carrying `rest`'s fields, or 10018 if it would exceed `max_bytes`.
pub(crate) fn ok<T: Serialize>(rest: T, max_bytes: usize) -> Result<Reply, ApiError> {
    let mut w = CappedWriter { buf: Vec::with_capacity(256), max: max_bytes, over: false };
    let body = OkBody { action_status: "OK", error_code: 0, error_info: "", rest };
    match serde_json::to_writer(&mut w, &body) {
        Ok(()) => Ok(Reply { code: 0, body: w.buf }),
        Err(_) if w.over => Err(ApiError::new(
            codes::RESPONSE_TOO_LARGE,
            format!("the reply exceeds {max_bytes} bytes; pull fewer members per call (Limit)"),
        )),
        Err(e) => Err(ApiError::new(codes::INTERNAL, format!("cannot encode reply: {e}"))),
    }
}

/// A writer that fails as soon as more than `max` bytes are written, so a huge reply is
/// abandoned early instead of being built in full.
struct CappedWriter {
    buf: Vec<u8>,
    max: usize,
    over: bool,
}

impl Write for CappedWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > self.max {
            self.over = true;
            return Err(io::Error::other("reply too large"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Rejects any field not in `allowed`, naming it (so misspelt fields are caught).
pub(crate) fn check_fields(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    for name in body.keys() {
        if !allowed.contains(&name.as_str()) {
            return Err(ApiError::param(format!(
                "unknown field {name:?} in request body (accepted fields: {})",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

fn type_error(name: &str, expected: &str, got: &Value) -> ApiError {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    ApiError::param(format!("field {name:?} must be {expected}, got {got}"))
}

/// An optional string field (`null` is a type error: omit unset fields instead).
pub(crate) fn opt_str<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(type_error(name, "a string", other)),
    }
}

/// A required string field.
pub(crate) fn req_str<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    opt_str(body, name)?.ok_or_else(|| ApiError::param(format!("required field {name:?} is missing")))
}

/// An optional non-negative integer field.
pub(crate) fn opt_u64(body: &Map<String, Value>, name: &str) -> Result<Option<u64>, ApiError> {
    match body.get(name) {
        None => Ok(None),
        Some(v @ Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| type_error(name, "a non-negative integer", v)),
        Some(other) => Err(type_error(name, "a non-negative integer", other)),
    }
}

/// An optional array-of-strings field.
pub(crate) fn opt_str_array<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<Vec<&'a str>>, ApiError> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.as_str()),
                other => Err(type_error(&format!("{name}[]"), "a string", other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(type_error(name, "an array of strings", other)),
    }
}

/// The required `GroupId`: missing/mistyped → 10004, empty/too long → 10015.
pub(crate) fn group_id(body: &Map<String, Value>) -> Result<&str, ApiError> {
    let id = req_str(body, "GroupId")?;
    crate::state::check_group_id(id).map_err(|reason| ApiError::new(codes::INVALID_GROUP_ID, reason))?;
    Ok(id)
}

/// Current Unix time in seconds.
pub(crate) fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Current Unix time in milliseconds.
pub(crate) fn now_unix_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
