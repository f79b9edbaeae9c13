//! One HTTP attempt: URL building, the shared connection pool, failover to the backup domain,
//! and turning bodies and failures into typed results without leaking the UserSig.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::config::Config;
use crate::error::{excerpt, Error, Result};
use crate::model::Envelope;

/// The REST command words timadmin speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `get_group_member_info`
    GetGroupMemberInfo,
    /// `get_group_muted_account`
    GetGroupMutedAccount,
    /// `modify_group_base_info`
    ModifyGroupBaseInfo,
}

impl Command {
    /// The command word in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::GetGroupMemberInfo => "get_group_member_info",
            Command::GetGroupMutedAccount => "get_group_muted_account",
            Command::ModifyGroupBaseInfo => "modify_group_base_info",
        }
    }

    /// How many command words there are.
    pub(crate) const COUNT: usize = 3;

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How long requests go to the backup domain after the primary could not be reached.
const FAILOVER_STICKINESS: Duration = Duration::from_secs(60);

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
}

/// Builds the reqwest client: rustls with the ring provider and the platform's roots, no
/// OpenSSL, keep-alive pool.
pub(crate) fn http_client() -> Result<reqwest::Client> {
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
        .tcp_keepalive(Duration::from_secs(60))
        .user_agent(concat!("timadmin/", env!("CARGO_PKG_VERSION")))
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

/// Builds `{base}/v4/group_open_http_svc/{command}?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`.
pub fn request_url(base: &url::Url, command: Command, sdkappid: u64, identifier: &str, usersig: &str, random: u32) -> url::Url {
    let mut url = base.clone();
    {
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{path}/v4/group_open_http_svc/{}", command.as_str()));
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
            http: http_client()?,
            primary,
            backup,
            sdkappid: config.sdkappid,
            identifier: config.identifier.clone(),
            timeout: config.timeout,
            started: Instant::now(),
            backup_until_ms: AtomicU64::new(0),
        })
    }

    fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn backup_in_favour(&self) -> bool {
        self.backup.is_some() && self.elapsed_ms() < self.backup_until_ms.load(Ordering::Relaxed)
    }

    /// Sends one attempt, moving to the backup domain when the preferred one cannot be reached.
    /// Returns the body of a 200 answer.
    pub(crate) async fn post(&self, command: Command, body: &[u8], usersig: &SecretString) -> Result<Vec<u8>> {
        let sig = Auth::expose(usersig);
        let on_backup = self.backup_in_favour();
        let first = if on_backup { self.backup.as_ref().unwrap_or(&self.primary) } else { &self.primary };
        match self.send(first, command, body, sig).await {
            Err(e) if unreachable(&e) && !on_backup && self.backup.is_some() => {
                let backup = self.backup.as_ref().unwrap_or(&self.primary);
                tracing::warn!(%command, host = backup.host_str().unwrap_or(""), error = %e, "primary domain unreachable; trying the backup domain");
                self.backup_until_ms
                    .store(self.elapsed_ms() + FAILOVER_STICKINESS.as_millis() as u64, Ordering::Relaxed);
                self.send(backup, command, body, sig).await
            }
            other => other,
        }
    }

    async fn send(&self, base: &url::Url, command: Command, body: &[u8], sig: &str) -> Result<Vec<u8>> {
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
        let bytes = response.bytes().await.map_err(|e| self.map_error(e))?;
        if status != 200 {
            return Err(Error::HttpStatus {
                status,
                excerpt: excerpt(&bytes, sig),
            });
        }
        Ok(bytes.to_vec())
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

/// Reads the envelope; a failure becomes [`Error::Api`], success is decoded as `T`.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], usersig: &str) -> Result<T> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| Error::Decode {
        reason: e.to_string(),
        excerpt: excerpt(body, usersig),
    })?;
    let code = envelope.error_code.unwrap_or(0);
    let failed = envelope.action_status.as_deref() == Some("FAIL");
    if code != 0 || failed {
        let mut info = envelope.error_info.unwrap_or_default();
        if !usersig.is_empty() {
            info = info.replace(usersig, "[redacted]");
        }
        return Err(Error::api(code, info));
    }
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        reason: e.to_string(),
        excerpt: excerpt(body, usersig),
    })
}

/// Decodes a response body as the client does (envelope, then `T`). Exposed for the shared
/// vector tests of the bindings; not part of the stable API.
#[doc(hidden)]
pub fn decode_for_tests<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    decode(body, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GetGroupMemberInfoResponse;

    #[test]
    fn url_has_every_query_parameter() {
        let base = url::Url::parse("https://console.tim.qq.com/").unwrap();
        let u = request_url(&base, Command::GetGroupMemberInfo, 88888888, "admin", "a*b-c_", 4294967295);
        assert_eq!(
            u.as_str(),
            "https://console.tim.qq.com/v4/group_open_http_svc/get_group_member_info?sdkappid=88888888&identifier=admin&usersig=a*b-c_&random=4294967295&contenttype=json"
        );
        let proxied = url::Url::parse("http://127.0.0.1:8080/prefix/").unwrap();
        let u = request_url(&proxied, Command::ModifyGroupBaseInfo, 1, "a b", "s", 0);
        assert_eq!(u.path(), "/prefix/v4/group_open_http_svc/modify_group_base_info");
        assert!(u.as_str().contains("identifier=a+b"));
    }

    #[test]
    fn decode_classifies() {
        let ok: GetGroupMemberInfoResponse =
            decode(br#"{"ActionStatus":"OK","ErrorCode":0,"MemberNum":1,"MemberList":[]}"#, "sig").unwrap();
        assert_eq!(ok.member_num, 1);
        let e = decode::<GetGroupMemberInfoResponse>(br#"{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone"}"#, "sig")
            .unwrap_err();
        assert_eq!(e.code(), Some(10010));
        let e = decode::<GetGroupMemberInfoResponse>(br#"{"ActionStatus":"OK","ErrorCode":0,"Memb"#, "sig").unwrap_err();
        assert!(matches!(e, Error::Decode { .. }));
        let e = decode::<GetGroupMemberInfoResponse>(b"<html>sig</html>", "sig").unwrap_err();
        assert!(!e.to_string().contains("sig<"), "{e}");
    }
}
