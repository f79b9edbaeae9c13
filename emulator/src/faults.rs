//! Fault injection: make the next N calls (optionally of one command) misbehave, to test a
//! client's retries, timeouts and error handling. Faults are consumed in the order injected.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a call misbehaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Reply HTTP 200 with `ActionStatus: FAIL` and this code/info; the request is not processed.
    ErrorCode {
        /// The `ErrorCode` to reply.
        code: i64,
        /// The `ErrorInfo` to reply.
        info: String,
    },
    /// Reply this HTTP status (e.g. 502) with a small HTML body, like a failing gateway; the
    /// request is not processed. Invalid status numbers become 502.
    HttpStatus(u16),
    /// Process the request normally, then send only the first half of the JSON body (HTTP 200,
    /// with a matching Content-Length), so the client sees invalid JSON.
    TruncatedBody,
    /// Wait this long, then process the request and reply normally (use a delay longer than
    /// the client's timeout). Server shutdown cuts the wait short.
    Delay(Duration),
    /// Do not process the request; start a reply and abort the connection, so the client sees
    /// a transport error.
    CloseConnection,
    /// A hostile or broken server: reply exactly this HTTP `status` and `body` (with a
    /// `Location` header when `location` is set, e.g. a 302 or 307 elsewhere); the request is not
    /// processed. In `body`, `${USERSIG}` is replaced by the request's UserSig and
    /// `${USERSIG_PARTIAL}` by it without its first 2 and last 3 characters (a server echoing
    /// credentials); invalid status numbers become 502.
    Reply {
        /// The HTTP status.
        status: u16,
        /// The body, sent as `application/json`.
        body: String,
        /// A `Location` header.
        location: Option<String>,
    },
    /// A huge answer: HTTP 200 and a JSON success body of `bytes` bytes (whitespace-padded, so
    /// a client that reads it all can decode it), or an endless one when `bytes` is `None`. It
    /// is streamed in 64 KiB chunks from one static buffer, so the emulator's memory stays
    /// flat. With `content_length` the size is announced up front; otherwise the body is
    /// chunked. The request is not processed.
    LargeBody {
        /// Body size; `None` streams until the client hangs up.
        bytes: Option<u64>,
        /// Announce the size in a Content-Length header (ignored for endless bodies).
        content_length: bool,
    },
}

impl FaultKind {
    /// A short label used in the call log (`"error_code:10002"`, `"http_status:502"`, ...).
    pub fn label(&self) -> String {
        match self {
            FaultKind::ErrorCode { code, .. } => format!("error_code:{code}"),
            FaultKind::HttpStatus(s) => format!("http_status:{s}"),
            FaultKind::TruncatedBody => "truncated_body".into(),
            FaultKind::Delay(d) => format!("delay:{}ms", d.as_millis()),
            FaultKind::CloseConnection => "close_connection".into(),
            FaultKind::Reply { status, .. } => format!("reply:{status}"),
            FaultKind::LargeBody { bytes: Some(n), .. } => format!("large_body:{n}"),
            FaultKind::LargeBody { bytes: None, .. } => "large_body:endless".into(),
        }
    }
}

/// A fault to apply to the next `times` calls, of `command` only when set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What to do.
    pub kind: FaultKind,
    /// How many calls it affects (0 = none).
    pub times: u32,
    /// Only calls of this command (e.g. `"get_group_member_info"`); `None` = every call.
    pub command: Option<String>,
}

impl Fault {
    /// A fault affecting the next call of any command.
    pub fn new(kind: FaultKind) -> Self {
        Fault { kind, times: 1, command: None }
    }

    /// Affect the next `n` matching calls instead of one.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Affect only calls of `command`.
    pub fn for_command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }
}

/// The JSON form of a fault used by `POST /__emulator/faults` (and `GET`):
/// `{"kind": "error_code"|"http_status"|"truncated_body"|"delay"|"close_connection"|"reply"|"large_body",
///   "code": i64, "info": str, "status": u16, "millis": u64, "times": u32, "command": str,
///   "body": str, "location": str, "bytes": u64, "content_length": bool}`
/// (`reply` takes `status` (default 200), `body` (default `""`) and `location`; `large_body`
/// takes `bytes` (absent: endless) and `content_length` (default false)).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// The kind (snake_case name of a [`FaultKind`] variant).
    pub kind: String,
    /// ErrorCode for `error_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// ErrorInfo for `error_code` (default "injected fault").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// HTTP status for `http_status` (default 502).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Delay in milliseconds for `delay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub millis: Option<u64>,
    /// Calls affected (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Only this command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Body for `reply`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `Location` header for `reply`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Body size for `large_body` (absent: endless).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Whether `large_body` announces its size in a Content-Length header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_length: Option<bool>,
}

impl TryFrom<FaultSpec> for Fault {
    type Error = String;
    fn try_from(s: FaultSpec) -> Result<Self, Self::Error> {
        let kind = match s.kind.as_str() {
            "error_code" => FaultKind::ErrorCode {
                code: s.code.ok_or("error_code needs \"code\"")?,
                info: s.info.unwrap_or_else(|| "injected fault".into()),
            },
            "http_status" => FaultKind::HttpStatus(s.status.unwrap_or(502)),
            "truncated_body" => FaultKind::TruncatedBody,
            "delay" => FaultKind::Delay(Duration::from_millis(s.millis.ok_or("delay needs \"millis\"")?)),
            "close_connection" => FaultKind::CloseConnection,
            "reply" => FaultKind::Reply {
                status: s.status.unwrap_or(200),
                body: s.body.unwrap_or_default(),
                location: s.location,
            },
            "large_body" => FaultKind::LargeBody { bytes: s.bytes, content_length: s.content_length.unwrap_or(false) },
            other => {
                return Err(format!(
                    "unknown fault kind {other:?} (error_code, http_status, truncated_body, delay, close_connection, reply, large_body)"
                ))
            }
        };
        Ok(Fault { kind, times: s.times.unwrap_or(1), command: s.command })
    }
}

impl From<&Fault> for FaultSpec {
    fn from(f: &Fault) -> Self {
        let mut s = FaultSpec {
            kind: String::new(),
            code: None,
            info: None,
            status: None,
            millis: None,
            times: Some(f.times),
            command: f.command.clone(),
            body: None,
            location: None,
            bytes: None,
            content_length: None,
        };
        match &f.kind {
            FaultKind::ErrorCode { code, info } => {
                s.kind = "error_code".into();
                s.code = Some(*code);
                s.info = Some(info.clone());
            }
            FaultKind::HttpStatus(st) => {
                s.kind = "http_status".into();
                s.status = Some(*st);
            }
            FaultKind::TruncatedBody => s.kind = "truncated_body".into(),
            FaultKind::Delay(d) => {
                s.kind = "delay".into();
                s.millis = Some(d.as_millis() as u64);
            }
            FaultKind::CloseConnection => s.kind = "close_connection".into(),
            FaultKind::Reply { status, body, location } => {
                s.kind = "reply".into();
                s.status = Some(*status);
                s.body = Some(body.clone());
                s.location = location.clone();
            }
            FaultKind::LargeBody { bytes, content_length } => {
                s.kind = "large_body".into();
                s.bytes = *bytes;
                s.content_length = Some(*content_length);
            }
        }
        s
    }
}

/// Pending faults, in injection order.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: Vec<Fault>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push(fault);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }

    pub(crate) fn list(&self) -> Vec<Fault> {
        self.pending.clone()
    }

    /// Consumes one use of the first fault matching `command`.
    pub(crate) fn take(&mut self, command: &str) -> Option<FaultKind> {
        let idx = self.pending.iter().position(|f| f.command.as_deref().is_none_or(|c| c == command))?;
        let f = &mut self.pending[idx];
        let kind = f.kind.clone();
        f.times -= 1;
        if f.times == 0 {
            self.pending.remove(idx);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumed_in_order_and_by_command() {
        let mut q = FaultQueue::default();
        q.push(Fault::new(FaultKind::TruncatedBody).for_command("b"));
        q.push(Fault::new(FaultKind::HttpStatus(502)).times(2));
        q.push(Fault::new(FaultKind::CloseConnection).times(0));
        assert_eq!(q.take("a"), Some(FaultKind::HttpStatus(502)));
        assert_eq!(q.take("b"), Some(FaultKind::TruncatedBody));
        assert_eq!(q.take("b"), Some(FaultKind::HttpStatus(502)));
        assert_eq!(q.take("b"), None);
    }

    #[test]
    fn spec_round_trip() {
        let f = Fault::new(FaultKind::ErrorCode { code: 10002, info: "x".into() }).times(3).for_command("c");
        let spec = FaultSpec::from(&f);
        assert_eq!(Fault::try_from(spec).unwrap(), f);
        for f in [
            Fault::new(FaultKind::Reply {
                status: 307,
                body: "{}".into(),
                location: Some("http://127.0.0.1:9/".into()),
            }),
            Fault::new(FaultKind::LargeBody { bytes: Some(1 << 31), content_length: true }),
            Fault::new(FaultKind::LargeBody { bytes: None, content_length: false }),
        ] {
            assert_eq!(Fault::try_from(FaultSpec::from(&f)).unwrap(), f);
        }
        let bad: FaultSpec = serde_json::from_str(r#"{"kind":"nope"}"#).unwrap();
        assert!(Fault::try_from(bad).is_err());
    }
}
