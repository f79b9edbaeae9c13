//! One HTTP attempt: URL building, the shared connection pool, failover to the backup domain,
//! and turning bodies and failures into typed results without leaking the UserSig.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::command::Command;
use crate::config::Config;
use crate::error::{clip, echoed, excerpt, Error, Result};
use crate::model::{Answer, Envelope};
use crate::ratelimit::{Permit, RateLimits};
use crate::stats::{InFlight, StatsCollector};

/// How long requests go to the backup domain after the primary could not be reached.
const FAILOVER_STICKINESS: Duration = Duration::from_secs(60);
/// How much of a non-200 answer's body is read (for the error's excerpt); the rest is dropped.
const NON_200_READ_BYTES: u64 = 4 * 1024;

/// The HTTP side of a client: one pool, the base URLs, and which of them is in favour.
pub(crate) struct Transport {
    http: reqwest::Client,
    primary: url::Url,
    backup: Option<url::Url>,
    sdkappid: u64,
    identifier: String,
    timeout: Duration,
    started: Instant,
    /// Milliseconds since `started` until which the backup is tried first (0: primary).
    backup_until_ms: AtomicU64,
    /// Largest body read from an answer.
    max_response_bytes: u64,
    /// One slot per HTTP attempt in flight, shared by every clone of the client.
    in_flight: tokio::sync::Semaphore,
    /// What the client (every clone) has done: [`crate::stats`].
    pub(crate) stats: StatsCollector,
}

/// One of the client's in-flight slots, counted in the stats while held.
pub(crate) struct Slot<'a> {
    _permit: tokio::sync::SemaphorePermit<'a>,
    _counted: InFlight<'a>,
}

/// Builds the reqwest client: rustls with the ring provider and the platform's roots, no
/// OpenSSL, keep-alive pool, and no redirects: the service never redirects, and following one
/// would send the request (and the UserSig in its URL) wherever a server points, re-sending
/// the body on 307 or turning a modify into a GET on 302. At most `max_idle` idle connections
/// per host are kept (the client's `max_in_flight`), so sockets opened by a burst do not linger.
pub(crate) fn http_client(max_idle: usize) -> Result<reqwest::Client> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
        .map_err(|e| Error::Transport(format!("cannot load the platform's TLS roots: {e}")))?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Transport(format!("TLS setup failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(max_idle)
        .tcp_keepalive(Duration::from_secs(60))
        .user_agent(concat!("timadmin/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Transport(reqwest_message(&e.without_url())))
}

/// The text of a reqwest error and its causes; called only on errors stripped of their URL.
fn reqwest_message(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Builds `{base}/v4/{service}/{command}?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`.
pub fn request_url(
    base: &url::Url,
    command: &Command,
    sdkappid: u64,
    identifier: &str,
    usersig: &str,
    random: u32,
) -> url::Url {
    let mut url = base.clone();
    {
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{path}/v4/{}", command.path()));
    }
    url.query_pairs_mut()
        .clear()
        .append_pair("sdkappid", &sdkappid.to_string())
        .append_pair("identifier", identifier)
        .append_pair("usersig", usersig)
        .append_pair("random", &random.to_string())
        .append_pair("contenttype", "json");
    url
}

impl Transport {
    pub(crate) fn new(config: &Config) -> Result<Self> {
        let (primary, backup) = config.endpoint.urls();
        Ok(Transport {
            http: http_client(config.max_in_flight as usize)?,
            primary,
            backup,
            sdkappid: config.sdkappid,
            identifier: config.identifier.clone(),
            timeout: config.timeout,
            started: Instant::now(),
            backup_until_ms: AtomicU64::new(0),
            max_response_bytes: config.max_response_bytes,
            in_flight: tokio::sync::Semaphore::new(config.max_in_flight as usize),
            stats: StatsCollector::default(),
        })
    }

    fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn backup_in_favour(&self) -> bool {
        self.backup.is_some() && self.elapsed_ms() < self.backup_until_ms.load(Ordering::Relaxed)
    }

    /// One of the client's `max_in_flight` slots, to hold for the whole of one HTTP attempt
    /// (its credentials, its rate permit, the request and the reading of the answer).
    pub(crate) async fn slot(&self) -> Result<Slot<'_>> {
        let permit = self
            .in_flight
            .acquire()
            .await
            .map_err(|_| Error::Runtime("the client's in-flight limiter is closed".into()))?;
        Ok(Slot { _permit: permit, _counted: self.stats.attempt_in_flight() })
    }

    /// A rate permit for `command`, its wait counted in the stats (when a limit is configured:
    /// `Ok(None)` means there is none).
    async fn permit(&self, command: &Command, limits: &RateLimits) -> Result<Option<Permit>> {
        let waiting = Instant::now();
        let permit = limits.permit(command).await;
        if !matches!(permit, Ok(None)) {
            self.stats.rate_limit_wait(command.as_str(), waiting.elapsed());
        }
        permit
    }

    /// Sends one attempt, moving to the backup domain when the preferred one cannot be reached.
    /// Returns the body of a 200 answer. The caller holds an in-flight [`slot`](Self::slot).
    /// Each request sent (the first, and the one to the backup domain) takes its own permit
    /// from `limits` right before it goes out and holds it until its answer is read or it
    /// failed; a limiter's refusal is returned as is.
    /// `secrets[0]` is the UserSig to send; all of `secrets` are scrubbed from error excerpts.
    pub(crate) async fn post(
        &self,
        command: &Command,
        body: &[u8],
        secrets: &[&str],
        limits: &RateLimits,
    ) -> Result<Vec<u8>> {
        let sig = secrets.first().copied().unwrap_or("");
        let on_backup = self.backup_in_favour();
        let first = if on_backup { self.backup.as_ref().unwrap_or(&self.primary) } else { &self.primary };
        let permit = self.permit(command, limits).await?;
        let sent = self.send(first, command, body, sig, secrets).await;
        drop(permit);
        match sent {
            Err(e) if unreachable(&e) && !on_backup && self.backup.is_some() => {
                let backup = self.backup.as_ref().unwrap_or(&self.primary);
                tracing::warn!(%command, host = backup.host_str().unwrap_or(""), error = %e, "primary domain unreachable; trying the backup domain");
                self.backup_until_ms
                    .store(self.elapsed_ms() + FAILOVER_STICKINESS.as_millis() as u64, Ordering::Relaxed);
                self.stats.retry(command.as_str());
                let _permit = self.permit(command, limits).await?;
                self.send(backup, command, body, sig, secrets).await
            }
            other => other,
        }
    }

    async fn send(
        &self,
        base: &url::Url,
        command: &Command,
        body: &[u8],
        sig: &str,
        secrets: &[&str],
    ) -> Result<Vec<u8>> {
        let random: u32 = rand::random();
        let url = request_url(base, command, self.sdkappid, &self.identifier, sig, random);
        tracing::debug!(%command, host = base.host_str().unwrap_or(""), random, "sending request");
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_vec())
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.map_error(e))?;
        let status = response.status().as_u16();
        if status != 200 {
            // Only the start of the body is wanted, for the excerpt; a failed read of the rest
            // does not hide the status.
            let bytes = self.read_body(response, NON_200_READ_BYTES, false).await.unwrap_or_default();
            return Err(Error::HttpStatus { status, excerpt: excerpt(&bytes, secrets) });
        }
        self.read_body(response, self.max_response_bytes, true).await
    }

    /// Reads a body chunk by chunk, holding at most `limit` bytes: a Content-Length over the
    /// limit fails before anything is read, and a body that grows past it (chunked, or longer
    /// than announced) fails as soon as it does. With `strict` false the body is cut at the
    /// limit instead of failing.
    async fn read_body(&self, mut response: reqwest::Response, limit: u64, strict: bool) -> Result<Vec<u8>> {
        let announced = response.content_length();
        if strict && announced.is_some_and(|len| len > limit) {
            return Err(Error::BodyTooLarge { limit });
        }
        let mut body = Vec::with_capacity(announced.unwrap_or(0).min(limit) as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.map_error(e))? {
            let room = limit.saturating_sub(body.len() as u64) as usize;
            if chunk.len() > room {
                if strict {
                    return Err(Error::BodyTooLarge { limit });
                }
                body.extend_from_slice(&chunk[..room]);
                break;
            }
            body.extend_from_slice(&chunk);
            if announced.is_some_and(|len| body.len() as u64 >= len) {
                // All announced bytes are here: waiting for the end-of-body frame would cost one
                // more wake-up between the connection task and the caller (profiled: ~60 us per
                // call for a blocking caller on this 2-core machine).
                break;
            }
        }
        Ok(body)
    }

    fn map_error(&self, e: reqwest::Error) -> Error {
        let e = e.without_url();
        if e.is_timeout() {
            Error::Timeout(self.timeout)
        } else if e.is_connect() {
            Error::Transport(format!("cannot connect: {}", reqwest_message(&e)))
        } else {
            Error::Transport(reqwest_message(&e))
        }
    }
}

/// Connect failures and timeouts are what send a call to the backup domain.
fn unreachable(e: &Error) -> bool {
    match e {
        Error::Timeout(_) => true,
        Error::Transport(msg) => msg.starts_with("cannot connect"),
        _ => false,
    }
}

/// A [`Error::Decode`] whose reason and excerpt are free of `secrets` (a decoder's message may
/// quote the body, and the body may echo the UserSig).
fn decode_error(reason: &str, body: &[u8], secrets: &[&str]) -> Error {
    Error::Decode { reason: echoed(reason, secrets), excerpt: excerpt(body, secrets) }
}

/// Reads the envelope (`ActionStatus` and `ErrorCode` required); a failure becomes
/// [`Error::Api`], a success is decoded as `T` (see [`Answer`]). Server text in errors has
/// `secrets` and their fragments redacted.
pub(crate) fn decode<T: Answer>(body: &[u8], secrets: &[&str]) -> Result<T> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| decode_error(&e.to_string(), body, secrets))?;
    let failed = envelope.action_status == "FAIL";
    if envelope.error_code != 0 || failed {
        let info = envelope.error_info.unwrap_or_default();
        return Err(Error::api(envelope.error_code, echoed(&info, secrets)));
    }
    if envelope.action_status != "OK" {
        let reason = format!("ActionStatus {:?} is neither OK nor FAIL", clip(&envelope.action_status, 40));
        return Err(decode_error(&reason, body, secrets));
    }
    T::from_body(body).map_err(|reason| decode_error(&reason, body, secrets))
}

/// Decodes a response body as the client does (envelope, then `T`). Exposed for the shared
/// vector tests of the bindings; not part of the stable API.
#[doc(hidden)]
pub fn decode_for_tests<T: Answer>(body: &[u8]) -> Result<T> {
    decode(body, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Empty, GetGroupMemberInfoResponse, GetGroupMutedAccountResponse};

    #[test]
    fn url_has_every_query_parameter() {
        let base = url::Url::parse("https://console.tim.qq.com/").unwrap();
        let u = request_url(&base, &Command::GET_GROUP_MEMBER_INFO, 88888888, "admin", "a*b-c_", 4294967295);
        assert_eq!(
            u.as_str(),
            "https://console.tim.qq.com/v4/group_open_http_svc/get_group_member_info?sdkappid=88888888&identifier=admin&usersig=a*b-c_&random=4294967295&contenttype=json"
        );
        let proxied = url::Url::parse("http://127.0.0.1:8080/prefix/").unwrap();
        let u = request_url(&proxied, &Command::MODIFY_GROUP_BASE_INFO, 1, "a b", "s", 0);
        assert_eq!(u.path(), "/prefix/v4/group_open_http_svc/modify_group_base_info");
        let sendmsg = Command::parse("openim/sendmsg").unwrap();
        let raw = request_url(&base, &sendmsg, 1, "admin", "s", 0);
        assert_eq!(raw.path(), "/v4/openim/sendmsg");
        assert_eq!(raw.query(), Some("sdkappid=1&identifier=admin&usersig=s&random=0&contenttype=json"));
        assert!(u.as_str().contains("identifier=a+b"));
    }

    #[test]
    fn decode_classifies() {
        let ok: GetGroupMemberInfoResponse =
            decode(br#"{"ActionStatus":"OK","ErrorCode":0,"MemberNum":1,"MemberList":[]}"#, &["sig"]).unwrap();
        assert_eq!(ok.member_num, 1);
        let e = decode::<GetGroupMemberInfoResponse>(
            br#"{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone"}"#,
            &["sig"],
        )
        .unwrap_err();
        assert_eq!(e.code(), Some(10010));
        let e =
            decode::<GetGroupMemberInfoResponse>(br#"{"ActionStatus":"OK","ErrorCode":0,"Memb"#, &["sig"]).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }));
        let e = decode::<GetGroupMemberInfoResponse>(b"<html>sig</html>", &["sig"]).unwrap_err();
        assert!(!e.to_string().contains("sig<"), "{e}");
    }

    fn decode_reason<T: Answer + std::fmt::Debug>(body: &str) -> String {
        match decode::<T>(body.as_bytes(), &[]) {
            Err(Error::Decode { reason, .. }) => reason,
            other => panic!("{body}: expected a Decode error, got {other:?}"),
        }
    }

    #[test]
    fn the_envelope_is_required() {
        for body in ["{}", r#"{"MemberNum":1,"MemberList":[]}"#, r#"{"ErrorCode":0,"MemberNum":1}"#] {
            assert!(decode_reason::<GetGroupMemberInfoResponse>(body).contains("ActionStatus"), "{body}");
        }
        let reason = decode_reason::<GetGroupMutedAccountResponse>(r#"{"ActionStatus":"OK","GroupId":"g"}"#);
        assert!(reason.contains("ErrorCode"), "{reason}");
        assert!(decode_reason::<Empty>(r#"{"ActionStatus":"FINE","ErrorCode":0}"#).contains("neither OK nor FAIL"));
        // A FAIL without a code is still the service's failure.
        let e = decode::<Empty>(br#"{"ActionStatus":"FAIL","ErrorCode":0}"#, &[]).unwrap_err();
        assert_eq!(e.code(), Some(0));
    }

    #[test]
    fn a_success_answer_must_carry_a_result_field() {
        let reason = decode_reason::<GetGroupMemberInfoResponse>(r#"{"ActionStatus":"OK","ErrorCode":0}"#);
        assert!(reason.contains("MemberNum or MemberList or Next"), "{reason}");
        let reason = decode_reason::<GetGroupMutedAccountResponse>(
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","Other":1}"#,
        );
        assert!(reason.contains("GroupId or MutedAccountList"), "{reason}");
        // Any one of them is enough; an empty list may be left out; unknown fields are ignored.
        let r: GetGroupMemberInfoResponse =
            decode(br#"{"ActionStatus":"OK","ErrorCode":0,"MemberNum":0,"X":1}"#, &[]).unwrap();
        assert_eq!((r.member_num, r.member_list.len()), (0, 0));
        let r: GetGroupMutedAccountResponse =
            decode(br#"{"ActionStatus":"OK","ErrorCode":0,"GroupId":"g"}"#, &[]).unwrap();
        assert!(r.muted_account_list.is_empty());
        // The envelope is modify_group_base_info's whole answer.
        decode::<Empty>(br#"{"ActionStatus":"OK","ErrorCode":0}"#, &[]).unwrap();
    }

    #[test]
    fn decoder_messages_quoting_the_body_are_redacted() {
        let sig = "eJwtzEELgjAYxvHvsnPIu7kZCh0iMYLoUEOhm7Qpb5GLOUcRffdMPT6";
        // serde quotes a mistyped string value in its message.
        let body = format!(r#"{{"ActionStatus":"OK","ErrorCode":0,"MemberNum":"{}"}}"#, &sig[2..]);
        let e = decode::<GetGroupMemberInfoResponse>(body.as_bytes(), &[sig]).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(shown.contains("[redacted]") && !shown.contains(&sig[10..26]), "{shown}");
        let body =
            format!(r#"{{"ActionStatus":"FAIL","ErrorCode":70003,"ErrorInfo":"bad sig {}"}}"#, &sig[..sig.len() - 4]);
        let e = decode::<Empty>(body.as_bytes(), &[sig]).unwrap_err();
        assert!(!e.to_string().contains(&sig[10..26]), "{e}");
    }
}
