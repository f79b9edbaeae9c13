//! The async client: validation, rate limiting, credentials, retries, and the three endpoints.

use std::sync::Arc;

use serde::Serialize;
use tracing::Instrument;

use crate::auth::Auth;
use crate::command::Command;
use crate::config::{Config, RetryPolicy};
use crate::error::{Error, Result};
use crate::model::{
    Answer, Empty, GetGroupMemberInfoRequest, GetGroupMemberInfoResponse, GetGroupMutedAccountRequest,
    GetGroupMutedAccountResponse, ModifyGroupBaseInfoRequest,
};
use crate::ratelimit::RateLimits;
use crate::stats::{CallRecord, Stats};
use crate::transport::{decode, Transport};
use crate::validate;

/// A configured connection to the service. Cheap to clone; clones share the connection pool,
/// the cached UserSig and the rate limiter. `Send + Sync`: share one across tasks and threads.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    sdkappid: u64,
    identifier: String,
    transport: Transport,
    auth: Auth,
    limits: RateLimits,
    retry: RetryPolicy,
    /// The effective settings, as [`Client::settings`] shows them.
    settings: serde_json::Value,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("sdkappid", &self.inner.sdkappid)
            .field("identifier", &self.inner.identifier)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config` (checked when it was built by [`crate::ClientOptions`]). Makes no
    /// network call.
    pub fn new(config: Config) -> Result<Self> {
        Ok(Client {
            inner: Arc::new(Inner {
                sdkappid: config.sdkappid,
                identifier: config.identifier.clone(),
                transport: Transport::new(&config)?,
                auth: Auth::new(&config)?,
                limits: RateLimits::new(&config)?,
                retry: config.retry.clone(),
                settings: config.settings(),
            }),
        })
    }

    /// A client configured from the `TIM_*` environment variables (see
    /// [`crate::ClientOptions::from_env`]).
    pub fn from_env() -> Result<Self> {
        Self::new(crate::ClientOptions::from_env()?)
    }

    /// The app this client calls as.
    pub fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// The admin identifier this client calls as.
    pub fn identifier(&self) -> &str {
        &self.inner.identifier
    }

    /// The settings this client runs with, every one default-filled, as one JSON object keyed
    /// by the core's setting names; secrets are `"***"` (format: [`crate::settings`]). Operators
    /// paste it into bug reports; every host shows the same document.
    pub fn settings(&self) -> serde_json::Value {
        self.inner.settings.clone()
    }

    /// [`Client::settings`] as JSON text.
    pub fn settings_json(&self) -> String {
        self.inner.settings.to_string()
    }

    /// What this client (every clone of it) has done so far: calls, errors by kind, retries,
    /// rate-limit waits and latency per command, and the peak of attempts in flight. The
    /// format is in [`crate::stats`].
    pub fn stats(&self) -> Stats {
        self.inner.transport.stats.snapshot()
    }

    /// [`Client::stats`] as the JSON document of [`crate::stats`]; every host returns it as is.
    pub fn stats_json(&self) -> String {
        self.stats().to_json()
    }

    /// Group member profiles, one call (see [`Client::members`] to page through a whole group).
    /// A community group's first page needs no `next`: `Next: ""` is sent for it.
    pub async fn get_group_member_info(
        &self,
        request: &GetGroupMemberInfoRequest,
    ) -> Result<GetGroupMemberInfoResponse> {
        validate::member_info(request)?;
        self.send(Command::GET_GROUP_MEMBER_INFO, &*validate::member_info_to_send(request)).await
    }

    /// One page for the pager, which sets `Offset` or `Next` itself and follows the server when
    /// its answers carry a cursor.
    pub(crate) async fn member_info_page(
        &self,
        request: &GetGroupMemberInfoRequest,
    ) -> Result<GetGroupMemberInfoResponse> {
        validate::member_info_fields(request)?;
        self.send(Command::GET_GROUP_MEMBER_INFO, request).await
    }

    /// The muted members of a group (or of one of its topics).
    pub async fn get_group_muted_account(
        &self,
        request: &GetGroupMutedAccountRequest,
    ) -> Result<GetGroupMutedAccountResponse> {
        validate::muted_account(request)?;
        self.send(Command::GET_GROUP_MUTED_ACCOUNT, request).await
    }

    /// Changes a group's profile; only the fields set in `request` change.
    pub async fn modify_group_base_info(&self, request: &ModifyGroupBaseInfoRequest) -> Result<()> {
        validate::modify_base_info(request)?;
        let _: Empty = self.send(Command::MODIFY_GROUP_BASE_INFO, request).await?;
        Ok(())
    }

    /// Sends any REST command with a JSON body and returns the service's answer: `command` is
    /// the path below `v4/`, `service/command` (`"openim/sendmsg"`,
    /// `"group_open_http_svc/forbid_send_msg"`, …; checked by [`Command::parse`]), `body` a JSON
    /// object. The call takes the same path as the typed ones: signing, region and failover,
    /// the in-flight cap, the answer's size cap, retries and redaction, and the rate limit of
    /// its command (a raw call of a typed endpoint's command shares that endpoint's budget).
    ///
    /// The answer must carry the envelope (`ActionStatus`, `ErrorCode`): a failure is the same
    /// [`Error::Api`] a typed call gets; a success is the whole answer object, envelope
    /// included. A bad `command` or a `body` that is not an object is
    /// [`Error::InvalidArgument`] (field `command` or `body`) before anything is sent; so is a
    /// new command for a client that already sent 512 distinct commands (the most it keeps rate
    /// budgets and stats for, the typed endpoints' included).
    ///
    /// **Retries** follow the client's [`RetryPolicy`], as for typed calls, whatever the
    /// command: the request is sent again after a timeout, a broken connection, an HTTP 5xx or
    /// 429, or a service error marked retryable ([`ApiErrorKind::is_retryable`]: internal error,
    /// service timeouts, rate limited); after a rejected UserSig (once, with a fresh one); and
    /// on the backup domain when the primary timed out or refused the connection. A refused
    /// connection, a rate-limit refusal and a rejected UserSig mean the service did not act.
    /// But after a timeout, a connection broken after the request left, an HTTP 5xx or an
    /// internal error or timeout of the service, it may have acted, and the re-sent request
    /// acts again: a non-idempotent command such as `openim/sendmsg` can then be done twice
    /// (use its own de-duplication field, `MsgRandom` for `sendmsg`, or a client with
    /// `max_retries` 0 for such calls).
    ///
    /// [`ApiErrorKind::is_retryable`]: crate::ApiErrorKind::is_retryable
    pub async fn call(&self, command: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
        let command = Command::parse(command)?;
        if !body.is_object() {
            return Err(Error::invalid("body", "the body of a REST command is a JSON object"));
        }
        self.inner.limits.admit(&command)?;
        let RawAnswer(answer) = self.send(command, body).await?;
        Ok(answer)
    }

    /// `text` with the client's secrets (the current UserSig, the secret key) and every long
    /// fragment of them redacted: for server-supplied text put into errors and logs.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.inner.auth.redact(text)
    }

    /// Sends `request` as `command` with retries; the body is serialized once.
    ///
    /// Each HTTP attempt (the first, every retry, every failover to the backup domain) holds,
    /// in this order: one of the client's `max_in_flight` slots, the UserSig, and then its own
    /// rate permit, taken by the transport immediately before the request is sent. So a stall
    /// of the service (slots held) or of the UserSig provider makes calls wait *before* they
    /// count against the rate, and when it ends they leave at the rate, not all at once. The
    /// slot is given back before a retry's backoff.
    ///
    /// Recorded in the client's [stats](crate::stats), and traced as one `timadmin.call` span
    /// (field `command`) around one `timadmin.attempt` span per attempt (fields `command`,
    /// `attempt` from 1, and `error_code` and `error_kind` when the attempt failed).
    async fn send<Req: Serialize, Resp: Answer>(&self, command: Command, request: &Req) -> Result<Resp> {
        let record = self.inner.transport.stats.call_started(command.as_str());
        let span = tracing::info_span!("timadmin.call", command = command.as_str());
        let result = self.attempts(&command, request, &record).instrument(span).await;
        record.finish(result.as_ref().map(|_| ()));
        result
    }

    /// The attempts of one [`send`](Self::send).
    async fn attempts<Req: Serialize, Resp: Answer>(
        &self,
        command: &Command,
        request: &Req,
        record: &CallRecord,
    ) -> Result<Resp> {
        let inner = &*self.inner;
        let body = serde_json::to_vec(request).map_err(|e| Error::invalid("request", e.to_string()))?;
        let mut retries = 0u32;
        let mut refreshed_credentials = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if attempt > 1 {
                record.retry();
            }
            let span = tracing::info_span!(
                "timadmin.attempt",
                command = command.as_str(),
                attempt,
                error_code = tracing::field::Empty,
                error_kind = tracing::field::Empty,
            );
            let outcome = async {
                let _slot = inner.transport.slot().await?;
                let (usersig, generation) = inner.auth.usersig().await?;
                let secrets = inner.auth.secrets(&usersig);
                let sent = inner.transport.post(command, &body, &secrets, &inner.limits).await;
                Ok::<_, Error>((sent.and_then(|bytes| decode::<Resp>(&bytes, &secrets)), generation))
            }
            .instrument(span.clone())
            .await
            .inspect_err(|e| failed_attempt(&span, e))?;
            let (error, generation) = match outcome {
                (Ok(response), _) => return Ok(response),
                (Err(e), generation) => (e, generation),
            };
            failed_attempt(&span, &error);
            // A limiter that forbids the call (shared limiter down, fallback `Fail`) fails it at
            // once: the client's retries would only wait on the same state.
            if matches!(error, Error::RateLimiterUnavailable(_)) {
                return Err(error);
            }
            let stale = error.api_kind().is_some_and(|k| k.is_stale_credential());
            if stale && !refreshed_credentials && inner.auth.invalidate(generation) {
                tracing::info!(%command, code = error.code(), "UserSig rejected; asking for a fresh one");
                refreshed_credentials = true;
                continue;
            }
            if error.is_retryable() && retries < inner.retry.max_retries {
                let wait = inner.retry.backoff(retries, error.is_rate_limited());
                retries += 1;
                tracing::warn!(%command, retry = retries, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(error);
        }
    }
}

/// Records why an attempt failed on its span (the code only for the service's errors).
fn failed_attempt(span: &tracing::Span, error: &Error) {
    span.record("error_kind", error.kind());
    if let Some(code) = error.code() {
        span.record("error_code", code);
    }
}

/// The answer of a raw call: the whole object (its envelope checked by [`decode`]).
struct RawAnswer(serde_json::Value);

impl Answer for RawAnswer {
    const RESULT_FIELDS: &'static [&'static str] = &[];

    fn from_body(body: &[u8]) -> std::result::Result<Self, String> {
        match serde_json::from_slice(body) {
            Ok(object @ serde_json::Value::Object(_)) => Ok(RawAnswer(object)),
            Ok(_) => Err("the answer is not a JSON object".to_owned()),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Credentials;

    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn client_is_shareable() {
        assert_send_sync::<Client>();
    }

    #[tokio::test]
    async fn bad_input_fails_before_the_network() {
        // Port 9 on loopback: nothing listens; a request would fail with a transport error.
        let config = Config::new(1400000000, Credentials::secret_key("k")).with_base_url("http://127.0.0.1:9").unwrap();
        let client = Client::new(config).unwrap();
        let e = client.get_group_member_info(&GetGroupMemberInfoRequest::new("")).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "GroupId"), "{e:?}");
        let mut m = ModifyGroupBaseInfoRequest::new("g");
        m.name = Some("x".repeat(31));
        let e = client.modify_group_base_info(&m).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "Name"), "{e:?}");
        let body = serde_json::json!({"GroupId": "g"});
        let e = client.call("/v4/openim/sendmsg", &body).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "command"), "{e:?}");
        let e = client.call("openim/sendmsg", &serde_json::json!([1])).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "body"), "{e:?}");
    }
}
