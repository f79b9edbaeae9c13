//! The one error type of timadmin, and the classification of the service's error codes.

use std::fmt;
use std::time::Duration;

use crate::usersig::UserSigError;

/// Result alias used throughout timadmin.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong. No variant ever carries the secret key or a UserSig.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with `ActionStatus: FAIL` and a non-zero `ErrorCode`.
    #[error("service error {code} ({}): {info}", kind.description())]
    Api {
        /// The service's `ErrorCode`.
        code: i64,
        /// The service's `ErrorInfo`.
        info: String,
        /// What the code means, for the codes the reference names.
        kind: ApiErrorKind,
    },
    /// The request never got a complete HTTP answer (connect refused, reset, DNS, TLS...).
    #[error("transport error: {0}")]
    Transport(String),
    /// No answer within the configured request timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// The HTTP status was not 200 (the service only does that when the network fails).
    #[error("unexpected HTTP status {status}; body starts: {excerpt:?}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, secret-free.
        excerpt: String,
    },
    /// The answer's body was larger than the client's `max_response_bytes`; reading stopped
    /// there (announced by Content-Length, or counted while streaming). Not retried.
    #[error("response body over the limit of {limit} bytes (max_response_bytes); not read further")]
    BodyTooLarge {
        /// The limit in bytes that was exceeded.
        limit: u64,
    },
    /// The body was not the JSON the endpoint documents.
    #[error("undecodable response ({reason}); body starts: {excerpt:?}")]
    Decode {
        /// What the decoder said.
        reason: String,
        /// The start of the body, secret-free.
        excerpt: String,
    },
    /// A caller-supplied value was rejected before any network call.
    #[error("invalid argument {field}: {reason}")]
    InvalidArgument {
        /// The REST name of the field (or the config setting) at fault.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Signing or verifying a UserSig failed. (A UserSig argument out of bounds,
    /// [`UserSigError::InvalidArgument`], converts to [`Error::InvalidArgument`] instead.)
    #[error(transparent)]
    UserSig(UserSigError),
    /// The credential provider callback failed or returned nothing usable.
    #[error("credential provider failed: {0}")]
    Credentials(String),
    /// The server broke the paging protocol (repeated cursor, no progress).
    #[error("paging protocol violation: {0}")]
    Paging(String),
    /// A blocking call was made where it cannot run (e.g. inside an async runtime).
    #[error("runtime error: {0}")]
    Runtime(String),
    /// The shared rate limiter's Redis cannot be reached and the client is configured to fail
    /// calls rather than fall back to a local limit (`RedisFallback::Fail`). Nothing was sent.
    /// The text names the server without its password.
    #[error("shared rate limiter unavailable: {0}")]
    RateLimiterUnavailable(String),
}

/// A UserSig failure as a core error: an argument out of bounds is an
/// [`Error::InvalidArgument`] like any other, the rest [`Error::UserSig`].
impl From<UserSigError> for Error {
    fn from(e: UserSigError) -> Self {
        match e {
            UserSigError::InvalidArgument { field, reason } => Error::InvalidArgument { field, reason },
            other => Error::UserSig(other),
        }
    }
}

impl Error {
    /// Shorthand for an [`Error::InvalidArgument`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument { field: field.into(), reason: reason.into() }
    }

    /// Builds an [`Error::Api`] from the service's code and info.
    pub fn api(code: i64, info: impl Into<String>) -> Self {
        Error::Api { code, info: info.into(), kind: ApiErrorKind::from_code(code) }
    }

    /// The service's ErrorCode, when the service answered with one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The classified service error, when the service answered with one.
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        match self {
            Error::Api { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// A stable snake_case name of what went wrong, the same in every host (stats, result lines
    /// of the CLI's bulk jobs, tracing's `error_kind`): the [`ApiErrorKind::id`] of a service
    /// error (`group_not_found`, `rate_limited`, ...), else the variant's name (`transport`,
    /// `timeout`, `http_status`, `body_too_large`, `decode`, `invalid_argument`, `usersig`,
    /// `credentials`, `paging`, `runtime`, `rate_limiter_unavailable`).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Api { kind, .. } => kind.id(),
            Error::InvalidArgument { .. } => "invalid_argument",
            Error::Transport(_) => "transport",
            Error::Timeout(_) => "timeout",
            Error::HttpStatus { .. } => "http_status",
            Error::BodyTooLarge { .. } => "body_too_large",
            Error::Decode { .. } => "decode",
            Error::UserSig(_) => "usersig",
            Error::Credentials(_) => "credentials",
            Error::Paging(_) => "paging",
            Error::Runtime(_) => "runtime",
            Error::RateLimiterUnavailable(_) => "rate_limiter_unavailable",
        }
    }

    /// Whether trying the same call again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) | Error::RateLimiterUnavailable(_) => true,
            Error::HttpStatus { status, .. } => *status >= 500 || *status == 429,
            Error::Api { kind, .. } => kind.is_retryable(),
            _ => false,
        }
    }

    /// Whether a retry should wait longer than usual (the service said "too fast").
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::Api { kind: ApiErrorKind::RateLimited, .. })
            || matches!(self, Error::HttpStatus { status: 429, .. })
    }
}

/// The service error codes the reference names, grouped by what a caller does about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 10002: internal error, try again.
    InternalError,
    /// 10003: invalid command word.
    InvalidCommand,
    /// 10004: invalid parameter.
    InvalidParameter,
    /// 10007: no permission (the identifier is not an app admin).
    PermissionDenied,
    /// 10010: the group does not exist or was deleted.
    GroupNotFound,
    /// 10015: invalid group ID.
    InvalidGroupId,
    /// 10018: the response would exceed 1 MB; ask for fewer members.
    ResponseTooLarge,
    /// 10026: the command word is disabled for this SDKAppID.
    CommandDisabled,
    /// 80001: text failed content filtering.
    ContentFiltered,
    /// 60002: HTTP parse error.
    HttpParseError,
    /// 60003: JSON parse error.
    JsonParseError,
    /// 60004/60005: account or signature error in the request.
    AccountOrSignature,
    /// 60006: SDKAppID invalid.
    InvalidSdkAppId,
    /// 60007/60011: call rate over the limit.
    RateLimited,
    /// 60008: service timeout or bad HTTP request.
    ServiceTimeout,
    /// 60009: bad request resource (URL).
    BadResource,
    /// 60010: needs an app admin.
    AdminRequired,
    /// 70001: UserSig expired.
    UserSigExpired,
    /// 70003: UserSig invalid.
    UserSigInvalid,
    /// 70009: UserSig verification failed (wrong key).
    UserSigVerificationFailed,
    /// 70013: identifier does not match the UserSig.
    IdentifierMismatch,
    /// 70014: SDKAppID does not match the UserSig.
    SdkAppIdMismatch,
    /// 70169/70202/70500: internal timeout or error, try later.
    InternalTimeout,
    /// Any code the reference does not name.
    Other,
}

impl ApiErrorKind {
    /// Classifies a service ErrorCode.
    pub fn from_code(code: i64) -> Self {
        use ApiErrorKind::*;
        match code {
            10002 => InternalError,
            10003 => InvalidCommand,
            10004 => InvalidParameter,
            10007 => PermissionDenied,
            10010 => GroupNotFound,
            10015 => InvalidGroupId,
            10018 => ResponseTooLarge,
            10026 => CommandDisabled,
            80001 => ContentFiltered,
            60002 => HttpParseError,
            60003 => JsonParseError,
            60004 | 60005 => AccountOrSignature,
            60006 => InvalidSdkAppId,
            60007 | 60011 => RateLimited,
            60008 => ServiceTimeout,
            60009 => BadResource,
            60010 => AdminRequired,
            70001 => UserSigExpired,
            70003 => UserSigInvalid,
            70009 => UserSigVerificationFailed,
            70013 => IdentifierMismatch,
            70014 => SdkAppIdMismatch,
            70169 | 70202 | 70500 => InternalTimeout,
            _ => Other,
        }
    }

    /// Worth retrying with backoff, per the reference.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ApiErrorKind::InternalError
                | ApiErrorKind::ServiceTimeout
                | ApiErrorKind::InternalTimeout
                | ApiErrorKind::RateLimited
        )
    }

    /// A credential problem that a fresh UserSig may cure (expired, invalid, failed verification).
    pub fn is_stale_credential(self) -> bool {
        matches!(
            self,
            ApiErrorKind::UserSigExpired | ApiErrorKind::UserSigInvalid | ApiErrorKind::UserSigVerificationFailed
        )
    }

    /// Any authentication or account problem (6000x account/signature, 700xx UserSig codes).
    pub fn is_auth(self) -> bool {
        matches!(
            self,
            ApiErrorKind::AccountOrSignature
                | ApiErrorKind::UserSigExpired
                | ApiErrorKind::UserSigInvalid
                | ApiErrorKind::UserSigVerificationFailed
                | ApiErrorKind::IdentifierMismatch
                | ApiErrorKind::SdkAppIdMismatch
        )
    }

    /// A stable snake_case identifier (`group_not_found`, `rate_limited`, ...), the same in
    /// every host; [`ApiErrorKind::description`] is the English text beside it.
    pub fn id(self) -> &'static str {
        use ApiErrorKind::*;
        match self {
            InternalError => "internal_error",
            InvalidCommand => "invalid_command",
            InvalidParameter => "invalid_parameter",
            PermissionDenied => "permission_denied",
            GroupNotFound => "group_not_found",
            InvalidGroupId => "invalid_group_id",
            ResponseTooLarge => "response_too_large",
            CommandDisabled => "command_disabled",
            ContentFiltered => "content_filtered",
            HttpParseError => "http_parse_error",
            JsonParseError => "json_parse_error",
            AccountOrSignature => "account_or_signature",
            InvalidSdkAppId => "invalid_sdkappid",
            RateLimited => "rate_limited",
            ServiceTimeout => "service_timeout",
            BadResource => "bad_resource",
            AdminRequired => "admin_required",
            UserSigExpired => "usersig_expired",
            UserSigInvalid => "usersig_invalid",
            UserSigVerificationFailed => "usersig_verification_failed",
            IdentifierMismatch => "identifier_mismatch",
            SdkAppIdMismatch => "sdkappid_mismatch",
            InternalTimeout => "internal_timeout",
            Other => "other",
        }
    }

    /// A short human explanation of the code.
    pub fn description(self) -> &'static str {
        use ApiErrorKind::*;
        match self {
            InternalError => "internal server error, try again",
            InvalidCommand => "invalid command word",
            InvalidParameter => "invalid parameter",
            PermissionDenied => "no permission: the identifier is not an app admin",
            GroupNotFound => "the group does not exist or was deleted",
            InvalidGroupId => "invalid group ID",
            ResponseTooLarge => "response over 1 MB: request fewer members per page",
            CommandDisabled => "command word disabled for this SDKAppID",
            ContentFiltered => "text failed content filtering",
            HttpParseError => "HTTP parse error",
            JsonParseError => "JSON parse error",
            AccountOrSignature => "account or signature error in the request",
            InvalidSdkAppId => "SDKAppID invalid",
            RateLimited => "call rate over the limit",
            ServiceTimeout => "service timeout or bad HTTP request",
            BadResource => "bad request resource (URL)",
            AdminRequired => "needs an app admin",
            UserSigExpired => "UserSig expired",
            UserSigInvalid => "UserSig invalid",
            UserSigVerificationFailed => "UserSig verification failed (wrong secret key?)",
            IdentifierMismatch => "identifier does not match the UserSig",
            SdkAppIdMismatch => "SDKAppID does not match the UserSig",
            InternalTimeout => "internal timeout or error, try later",
            Other => "unclassified service error",
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// Shortest run of a secret's characters that is redacted wherever it appears in text shown to
/// people: a server echoing the UserSig (or the key) minus a few characters must not print the
/// rest of it. Secrets shorter than this are redacted only where they appear whole.
pub const MIN_REDACTED_FRAGMENT: usize = 16;

/// Longest excerpt of a body shown in an error, in characters.
const EXCERPT_CHARS: usize = 120;
/// How much of a body is looked at to make an excerpt (the excerpt is far shorter; the margin
/// lets a secret fragment that starts inside the excerpt be recognised as one).
const EXCERPT_SCAN_BYTES: usize = 16 * 1024;
/// Longest server-supplied text (ErrorInfo, decoder messages) kept in an error, in characters.
pub(crate) const MAX_ECHOED_CHARS: usize = 1024;

/// `text` with every run of at least [`MIN_REDACTED_FRAGMENT`] bytes that also occurs in one
/// of `secrets` (and every whole occurrence of a shorter secret) replaced by `[redacted]`.
/// Linear in the text: each 16-byte window is looked up in the set of the secrets' windows.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let bytes = text.as_bytes();
    let mut hidden = vec![false; bytes.len()];
    let mut any = false;
    for secret in secrets.iter().map(|s| s.as_bytes()).filter(|s| !s.is_empty()) {
        if secret.len() < MIN_REDACTED_FRAGMENT {
            let mut from = 0;
            while let Some(at) = find(&bytes[from..], secret) {
                let start = from + at;
                hidden[start..start + secret.len()].iter_mut().for_each(|h| *h = true);
                any = true;
                from = start + 1;
            }
            continue;
        }
        let windows: std::collections::HashSet<&[u8]> = secret.windows(MIN_REDACTED_FRAGMENT).collect();
        // Marks are made up to `covered` so that overlapping windows cost nothing extra.
        let mut covered = 0;
        for (i, window) in bytes.windows(MIN_REDACTED_FRAGMENT).enumerate() {
            if windows.contains(window) {
                let end = i + MIN_REDACTED_FRAGMENT;
                hidden[i.max(covered)..end].iter_mut().for_each(|h| *h = true);
                covered = end;
                any = true;
            }
        }
    }
    if !any {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for (i, c) in text.char_indices() {
        if hidden[i..i + c.len_utf8()].iter().any(|h| *h) {
            if !in_run {
                out.push_str("[redacted]");
                in_run = true;
            }
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// At most `max` characters of `text`, marked with `…` when cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Server-supplied text (ErrorInfo, a decoder's message quoting the body) made safe to show:
/// secrets and their fragments redacted, then clipped to [`MAX_ECHOED_CHARS`].
pub(crate) fn echoed(text: &str, secrets: &[&str]) -> String {
    let scan = clip(text, MAX_ECHOED_CHARS + EXCERPT_SCAN_BYTES / 4);
    clip(&redact(&scan, secrets), MAX_ECHOED_CHARS)
}

/// The first bytes of a body, made safe to show: at most 120 characters, with every secret in
/// `secrets` (the UserSig in use, the secret key) and every long fragment of one redacted.
pub(crate) fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let head = &body[..body.len().min(EXCERPT_SCAN_BYTES)];
    let text = String::from_utf8_lossy(head);
    redact(&text, secrets).chars().take(EXCERPT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(ApiErrorKind::from_code(10010), ApiErrorKind::GroupNotFound);
        assert_eq!(ApiErrorKind::from_code(60011), ApiErrorKind::RateLimited);
        assert_eq!(ApiErrorKind::from_code(12345), ApiErrorKind::Other);
        for code in [10002, 60008, 70169, 70202, 70500, 60007, 60011] {
            assert!(Error::api(code, "").is_retryable(), "{code}");
        }
        for code in [10004, 10007, 10010, 10018, 70001] {
            assert!(!Error::api(code, "").is_retryable(), "{code}");
        }
        assert!(Error::api(60007, "").is_rate_limited());
        assert!(Error::HttpStatus { status: 502, excerpt: String::new() }.is_retryable());
        assert!(Error::RateLimiterUnavailable("redis://127.0.0.1:6379/0: timed out".into()).is_retryable());
        assert!(!Error::HttpStatus { status: 404, excerpt: String::new() }.is_retryable());
        assert!(ApiErrorKind::from_code(70001).is_stale_credential());
        assert!(ApiErrorKind::from_code(60005).is_auth());
        assert_eq!(ApiErrorKind::GroupNotFound.id(), "group_not_found");
        assert_eq!(ApiErrorKind::RateLimited.id(), "rate_limited");
        assert_eq!(Error::api(10010, "").kind(), "group_not_found");
        assert_eq!(Error::Timeout(Duration::from_secs(1)).kind(), "timeout");
        assert_eq!(Error::invalid("GroupId", "empty").kind(), "invalid_argument");
    }

    #[test]
    fn excerpt_redacts_and_truncates() {
        let body = format!("{{\"x\":\"{}\"}}{}", "SIG", "y".repeat(500));
        let e = excerpt(body.as_bytes(), &["SIG"]);
        assert!(!e.contains("SIG"));
        assert_eq!(e.chars().count(), 120);
    }

    const SIG: &str = "eJwtzEELgjAYxvHvsnPIu7kZCh0iMYLoUEOhm7Qpb5GLOUcRffdMPT6-P8-zEPkpC9pbIAqNYrG4cuOqbRGlDMq09pbeRcU1d*fSkYQxRo6gqMV7H8RNmT9mI*4";

    #[test]
    fn a_partial_usersig_is_redacted() {
        // The server echoes the UserSig minus a few characters at either end, or a piece of it.
        for echoed_sig in [&SIG[3..], &SIG[..SIG.len() - 3], &SIG[40..56], &SIG[10..SIG.len() - 7]] {
            let body = format!("{{\"ErrorInfo\":\"bad usersig {echoed_sig} here\"}}");
            let e = excerpt(body.as_bytes(), &[SIG]);
            assert!(e.contains("bad usersig [redacted] here"), "{e}");
            for start in 0..SIG.len() - MIN_REDACTED_FRAGMENT {
                assert!(!e.contains(&SIG[start..start + MIN_REDACTED_FRAGMENT]), "{e}");
            }
        }
        // Fragments shorter than the threshold are ordinary text.
        let short = &SIG[20..20 + MIN_REDACTED_FRAGMENT - 1];
        assert_eq!(redact(short, &[SIG]), short);
        // The key too, and several secrets at once; text around them survives, multi-byte too.
        let key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
        let text = format!("群 {} and {} 群", &key[2..30], &SIG[5..25]);
        assert_eq!(redact(&text, &[SIG, key]), "群 [redacted] and [redacted] 群");
        // A short secret is redacted where it appears whole.
        assert_eq!(redact("a tok b", &["tok"]), "a [redacted] b");
        assert_eq!(redact("nothing here", &[]), "nothing here");
    }

    #[test]
    fn echoed_text_is_clipped() {
        let long = "x".repeat(10 * MAX_ECHOED_CHARS);
        assert_eq!(echoed(&long, &[]).chars().count(), MAX_ECHOED_CHARS + 1);
        assert_eq!(clip("abc", 2), "ab…");
        assert_eq!(clip("abc", 3), "abc");
    }
}
