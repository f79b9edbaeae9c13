//! The running server: the REST entry point (envelope checks, faults, rate limit, dispatch)
//! and the `Emulator` handle. Shared state is in `shared`, the `Control` handle in `control`.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures::StreamExt;
use serde_json::{Map, Value};
use timadmin::usersig::UserSigError;
use tokio::sync::watch;

use crate::config::EmulatorConfig;
use crate::control::Control;
use crate::error::EmulatorError;
use crate::faults::FaultKind;
use crate::handlers::{self, Command, Ctx, SERVICE_PREFIX};
use crate::inspect;
use crate::protocol::{self, codes, fail, Reply};
use crate::shared::{lock, CallRecord, Shared};
use crate::tls::{TlsIdentity, TlsListener};

/// Largest request body read, in bytes; larger bodies get 60002.
const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;
/// How long a stopping server waits for in-flight requests before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);
fn router(shared: Arc<Shared>) -> Router {
    Router::new().nest("/__emulator", inspect::routes()).fallback(rest_entry).with_state(shared)
}

/// Decodes a query string into pairs; `Err` on bad percent-encoding or non-UTF-8.
fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    fn decode(s: &str) -> Result<String, String> {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = bytes
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or_else(|| format!("bad percent-encoding in {s:?}"))?;
                    out.push(hex);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).map_err(|_| "query parameter is not UTF-8".to_owned())
    }
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

/// What the query string said (for the call log and for checking).
#[derive(Default)]
struct QueryInfo {
    pairs: Vec<(String, String)>,
    error: Option<String>,
}

impl QueryInfo {
    fn parse(query: Option<&str>) -> QueryInfo {
        match parse_query(query.unwrap_or("")) {
            Ok(pairs) => QueryInfo { pairs, error: None },
            Err(e) => QueryInfo { pairs: Vec::new(), error: Some(e) },
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn duplicate(&self) -> Option<&str> {
        self.pairs
            .iter()
            .enumerate()
            .find(|(i, (k, _))| self.pairs[..*i].iter().any(|(k2, _)| k2 == k))
            .map(|(_, (k, _))| k.as_str())
    }
}

fn parse_digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn json_reply(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Every non-inspection request lands here.
async fn rest_entry(State(sh): State<Arc<Shared>>, req: Request) -> Response {
    let arrived = protocol::now_unix_ms();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let command_name = path.strip_prefix(SERVICE_PREFIX).unwrap_or(&path).to_owned();
    let _in_flight = sh.arrive(&command_name);
    let query = QueryInfo::parse(parts.uri.query());
    if let Some(usersig) = query.get("usersig") {
        sh.log_usersig(usersig);
    }
    let bytes = axum::body::to_bytes(body, MAX_REQUEST_BYTES).await.map_err(|e| e.to_string());
    let mut rec = CallRecord {
        command: command_name.clone(),
        method: parts.method.to_string(),
        sdkappid: query.get("sdkappid").and_then(parse_digits),
        identifier: query.get("identifier").map(str::to_owned),
        random: query.get("random").and_then(parse_digits),
        body: bytes.as_ref().ok().and_then(|b| serde_json::from_slice(b).ok()),
        error_code: None,
        http_status: 200,
        fault: None,
        timestamp_ms: arrived,
    };
    let fault = lock(&sh.faults).take(&command_name);
    rec.fault = fault.as_ref().map(FaultKind::label);
    let mut truncate = false;
    match fault {
        Some(FaultKind::ErrorCode { code, info }) => {
            let reply = fail(code, &info);
            rec.error_code = Some(code);
            sh.record(rec);
            return json_reply(StatusCode::OK, reply.body);
        }
        Some(FaultKind::HttpStatus(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            rec.http_status = status.as_u16();
            sh.record(rec);
            let html = format!("<html><body><h1>{status}</h1>injected by timadmin-emulator</body></html>");
            return (status, [(header::CONTENT_TYPE, "text/html")], html).into_response();
        }
        Some(FaultKind::CloseConnection) => {
            rec.http_status = 0;
            sh.record(rec);
            let stream = futures::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("connection closed by injected fault"))
            });
            return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream))
                .into_response();
        }
        Some(FaultKind::Reply { status, body, location }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            rec.http_status = status.as_u16();
            sh.record(rec);
            let body = echo_usersig(&body, query.get("usersig").unwrap_or(""));
            let mut response = json_reply(status, body.into_bytes());
            if let Some(location) = location.and_then(|l| header::HeaderValue::from_str(&l).ok()) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return response;
        }
        Some(FaultKind::LargeBody { bytes, content_length }) => {
            sh.record(rec);
            return large_body(bytes, content_length);
        }
        Some(FaultKind::Delay(d)) => {
            let mut stop = sh.shutdown.clone();
            tokio::select! {
                _ = tokio::time::sleep(d) => {}
                _ = stop.wait_for(|s| *s) => {}
            }
        }
        Some(FaultKind::TruncatedBody) => truncate = true,
        None => {}
    }
    let mut reply = process(&sh, &parts.method, &command_name, &query, bytes);
    rec.error_code = Some(reply.code);
    sh.record(rec);
    if truncate {
        let half = reply.body.len() / 2;
        reply.body.truncate(half);
    }
    json_reply(StatusCode::OK, reply.body)
}

/// The `${USERSIG}` / `${USERSIG_PARTIAL}` placeholders of a `Reply` fault's body.
fn echo_usersig(body: &str, usersig: &str) -> String {
    let partial = usersig.get(2..usersig.len().saturating_sub(3)).unwrap_or("");
    body.replace("${USERSIG_PARTIAL}", partial).replace("${USERSIG}", usersig)
}

/// The static filler a `LargeBody` fault streams: JSON whitespace.
static FILLER: [u8; 64 * 1024] = [b' '; 64 * 1024];
const LARGE_BODY_HEAD: &[u8] =
    br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","GroupId":"@TGS#large","MemberNum":0,"#;
const LARGE_BODY_TAIL: &[u8] = br#""MemberList":[],"MutedAccountList":[]}"#;

/// A 200 answer of `bytes` bytes (head, whitespace, tail: valid JSON when long enough) or an
/// endless one, streamed in 64 KiB chunks without holding the body.
fn large_body(bytes: Option<u64>, content_length: bool) -> Response {
    let fixed = (LARGE_BODY_HEAD.len() + LARGE_BODY_TAIL.len()) as u64;
    let head = futures::stream::iter([Ok::<Bytes, std::io::Error>(Bytes::from_static(LARGE_BODY_HEAD))]);
    let body = match bytes {
        None => Body::from_stream(head.chain(futures::stream::repeat_with(|| Ok(Bytes::from_static(&FILLER))))),
        Some(total) => {
            let total = total.max(fixed);
            let mut left = total - fixed;
            let filler = futures::stream::iter(std::iter::from_fn(move || {
                if left == 0 {
                    return None;
                }
                let n = left.min(FILLER.len() as u64) as usize;
                left -= n as u64;
                Some(Ok(Bytes::from_static(&FILLER[..n])))
            }));
            let tail = futures::stream::iter([Ok(Bytes::from_static(LARGE_BODY_TAIL))]);
            let stream = head.chain(filler).chain(tail);
            let mut response =
                (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream))
                    .into_response();
            if content_length {
                response.headers_mut().insert(header::CONTENT_LENGTH, header::HeaderValue::from(total));
            }
            return response;
        }
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The service's checks, in order: command, method, query, rate limit, UserSig, admin, body, handler.
fn process(sh: &Shared, method: &Method, command_name: &str, query: &QueryInfo, bytes: Result<Bytes, String>) -> Reply {
    let Some(command) = Command::from_name(command_name) else {
        return match handlers::is_command_path(command_name) {
            true => fail(
                codes::INVALID_COMMAND,
                &format!("invalid command word {command_name:?}: the emulator serves {}", handlers::served_commands()),
            ),
            false => fail(codes::BAD_RESOURCE, &format!("unknown request resource {command_name:?}")),
        };
    };
    if method != Method::POST {
        return fail(codes::HTTP_PARSE, &format!("method {method} is not allowed; use POST"));
    }
    if let Some(e) = &query.error {
        return fail(codes::HTTP_PARSE, e);
    }
    if let Some(k) = query.duplicate() {
        return fail(codes::HTTP_PARSE, &format!("query parameter {k:?} is given more than once"));
    }
    let cfg = &sh.config;
    let sdkappid = match query.get("sdkappid") {
        None => return fail(codes::SDKAPPID_INVALID, "query parameter sdkappid is missing"),
        Some(s) => match parse_digits::<u64>(s) {
            None => return fail(codes::SDKAPPID_INVALID, &format!("sdkappid {s:?} is not a number")),
            Some(v) => v,
        },
    };
    if sdkappid != cfg.sdkappid {
        return fail(codes::SDKAPPID_INVALID, &format!("sdkappid {sdkappid} is not a valid SDKAppID"));
    }
    let identifier = match query.get("identifier") {
        None | Some("") => return fail(codes::ACCOUNT_OR_SIG_MISSING, "query parameter identifier is missing"),
        Some(s) => s,
    };
    let usersig = match query.get("usersig") {
        None | Some("") => return fail(codes::ACCOUNT_OR_SIG_MISSING, "query parameter usersig is missing"),
        Some(s) => s,
    };
    match query.get("random") {
        None => return fail(codes::HTTP_PARSE, "query parameter random is missing"),
        Some(s) => {
            if parse_digits::<u32>(s).is_none() {
                return fail(codes::HTTP_PARSE, &format!("random {s:?} is not an integer in 0..=4294967295"));
            }
        }
    }
    match query.get("contenttype") {
        Some("json") => {}
        None => return fail(codes::HTTP_PARSE, "query parameter contenttype is missing (must be json)"),
        Some(other) => {
            return fail(codes::HTTP_PARSE, &format!("contenttype {other:?} is not supported (must be json)"))
        }
    }
    if !lock(&sh.rate).allow(command.name()) {
        return fail(codes::RATE_LIMITED, &format!("{} called more often than the limit", command.name()));
    }
    if let Err(e) = sh.signer.verify(identifier, usersig, None) {
        let code = match e {
            UserSigError::Expired { .. } => codes::SIG_EXPIRED,
            UserSigError::SignatureMismatch => codes::SIG_MISMATCH,
            UserSigError::IdentifierMismatch { .. } => codes::SIG_IDENTIFIER_MISMATCH,
            UserSigError::SdkAppIdMismatch { .. } => codes::SIG_SDKAPPID_MISMATCH,
            UserSigError::Malformed(_)
            | UserSigError::UserbufMismatch
            | UserSigError::InvalidInput(_)
            | UserSigError::InvalidArgument { .. } => codes::SIG_INVALID,
        };
        return fail(code, &e.to_string());
    }
    if !cfg.admins.iter().any(|a| a == identifier) {
        return fail(codes::NO_PERMISSION, &format!("{identifier:?} is not an app admin"));
    }
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return fail(codes::HTTP_PARSE, &format!("cannot read request body: {e}")),
    };
    let body: Map<String, Value> = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return fail(codes::JSON_PARSE, "request body must be a JSON object"),
        Err(e) => return fail(codes::JSON_PARSE, &format!("request body is not valid JSON: {e}")),
    };
    let ctx = Ctx {
        max_response_bytes: cfg.max_response_bytes,
        extra_fields: cfg.extra_response_fields,
        now: protocol::now_unix(),
    };
    let mut store = lock(&sh.store);
    handlers::dispatch(command, &mut store, &body, &ctx)
}

/// A running emulator. Stops on [`Emulator::stop`] or when dropped.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    tls_cert_pem: Option<String>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator").field("addr", &self.addr).field("sdkappid", &self.shared.config.sdkappid).finish()
    }
}

fn loopback_if_unspecified(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => SocketAddr::from((Ipv4Addr::LOCALHOST, a.port())),
        SocketAddr::V6(a) if a.ip().is_unspecified() => SocketAddr::from((Ipv6Addr::LOCALHOST, a.port())),
        other => other,
    }
}

async fn serve<L>(listener: L, app: Router, shutdown: watch::Receiver<bool>)
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    let mut graceful = shutdown.clone();
    let mut hard = shutdown;
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        // Also ends when the sender (the Emulator) is dropped.
        let _ = graceful.wait_for(|s| *s).await;
    });
    tokio::select! {
        r = server => {
            if let Err(e) = r {
                tracing::warn!("emulator server ended with an error: {e}");
            }
        }
        _ = async {
            let _ = hard.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {}
    }
}

impl Emulator {
    /// Starts on `127.0.0.1:0` (an ephemeral port) on the current tokio runtime.
    pub async fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on `addr` on the current tokio runtime (seeding first, per `config`).
    pub async fn start_on(addr: SocketAddr, config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let tls = if config.tls { Some(TlsIdentity::self_signed(local.ip())?) } else { None };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{}", loopback_if_unspecified(local));
        let (tx, rx) = watch::channel(false);
        let shared = Shared::new(config, base_url, rx.clone())?;
        let app = router(Arc::clone(&shared));
        let task = match &tls {
            Some(identity) => tokio::spawn(serve(TlsListener::new(listener, identity, rx.clone())?, app, rx)),
            None => tokio::spawn(serve(listener, app, rx)),
        };
        let tls_cert_pem = tls.map(|identity| identity.cert_pem);
        Ok(Emulator { shared, addr: local, shutdown: tx, task: Some(task), thread: None, tls_cert_pem })
    }

    /// Starts on `127.0.0.1:0` on a dedicated thread with its own runtime: for synchronous
    /// callers (Python, C tests, CLI). Safe to call inside or outside a tokio runtime.
    pub fn start_blocking(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        Self::start_blocking_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config)
    }

    /// Same as [`Emulator::start_blocking`], listening on `addr`.
    pub fn start_blocking_on(addr: SocketAddr, config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<Emulator, EmulatorError>>();
        let thread = std::thread::Builder::new().name("timadmin-emulator".into()).spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(EmulatorError::Io(e)));
                    return;
                }
            };
            rt.block_on(async move {
                match Emulator::start_on(addr, config).await {
                    Ok(mut emu) => {
                        let task = emu.task.take();
                        if ready_tx.send(Ok(emu)).is_ok() {
                            if let Some(task) = task {
                                let _ = task.await;
                            }
                        }
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
            rt.shutdown_timeout(Duration::from_millis(200));
        })?;
        let mut emu =
            ready_rx.recv().map_err(|_| EmulatorError::Runtime("emulator thread exited before starting".into()))??;
        emu.thread = Some(thread);
        Ok(emu)
    }

    /// `http://HOST:PORT` (`https://` with [`EmulatorConfig::tls`]) to use as the client's
    /// endpoint (unspecified hosts become loopback).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// With [`EmulatorConfig::tls`]: the self-signed certificate it serves, in PEM, for clients
    /// to trust (`curl --cacert`, a Java truststore, `SSL_CERT_FILE`). `None` over plain HTTP.
    pub fn tls_cert_pem(&self) -> Option<&str> {
        self.tls_cert_pem.as_deref()
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The SDKAppID the emulator accepts.
    pub fn sdkappid(&self) -> u64 {
        self.shared.config.sdkappid
    }

    /// The secret key UserSigs must be signed with.
    pub fn key(&self) -> &str {
        &self.shared.config.key
    }

    /// The first app admin identifier (default `administrator`).
    pub fn admin_identifier(&self) -> &str {
        self.shared.admin_identifier()
    }

    /// A cheap, clonable, thread-safe handle to inspect and change the emulator's state.
    pub fn control(&self) -> Control {
        self.shared.control()
    }

    /// Stops serving: in-flight requests get up to a second to finish. Dropping does the same.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // An async-started server task ends by itself once signalled; nothing to await in Drop.
        let _ = self.task.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parsing() {
        let q = parse_query("a=1&b=x%2Ay&c=&d&&e=a+b").unwrap();
        assert_eq!(q[1], ("b".into(), "x*y".into()));
        assert_eq!(q[2], ("c".into(), "".into()));
        assert_eq!(q[3], ("d".into(), "".into()));
        assert_eq!(q[4], ("e".into(), "a b".into()));
        assert!(parse_query("a=%zz").is_err());
        assert!(parse_query("a=%f").is_err());
        assert!(parse_query("a=%ff").is_err());
    }

    #[test]
    fn digits_only() {
        assert_eq!(parse_digits::<u32>("4294967295"), Some(u32::MAX));
        assert_eq!(parse_digits::<u32>("4294967296"), None);
        assert_eq!(parse_digits::<u32>("+1"), None);
        assert_eq!(parse_digits::<u32>("-1"), None);
        assert_eq!(parse_digits::<u32>(""), None);
    }
}
