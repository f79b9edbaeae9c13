//! One error type for Kotlin (`TimAdminException` and its subclasses) and Swift
//! (`TimAdminError`), mirroring `timadmin::Error` variant for variant. No variant ever carries
//! the secret key or a UserSig: the core's messages are secret-free and are passed on as is.

use std::time::Duration;

/// Everything a call can fail with.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum TimAdminError {
    /// The service answered with an error code (`ActionStatus: FAIL`).
    #[error("service error {code} ({kind}): {info}")]
    Api {
        /// The service's `ErrorCode`.
        code: i64,
        /// The service's `ErrorInfo`.
        info: String,
        /// A stable snake_case name of the code (`group_not_found`, `rate_limited`, ...).
        kind: String,
        /// What the code means, in English.
        description: String,
    },
    /// A value was rejected before any network call.
    #[error("invalid argument {field}: {reason}")]
    InvalidArgument {
        /// The setting or REST field at fault (`sdkappid`, `GroupId`, `Limit`, ...).
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// No complete HTTP answer (connection refused or reset, DNS, TLS, ...).
    #[error("transport error: {detail}")]
    Transport {
        /// What failed.
        detail: String,
    },
    /// No answer within the configured timeout.
    #[error("request timed out after {after:?}")]
    Timeout {
        /// The timeout that ran out.
        after: Duration,
    },
    /// An HTTP status other than 200.
    #[error("unexpected HTTP status {status}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, secret-free.
        excerpt: String,
    },
    /// The answer was not the JSON the endpoint documents.
    #[error("undecodable response: {reason}")]
    Decode {
        /// What the decoder said.
        reason: String,
        /// The start of the body, secret-free.
        excerpt: String,
    },
    /// Signing or verifying a UserSig failed.
    #[error("UserSig error ({reason}): {detail}")]
    UserSig {
        /// A stable snake_case reason (`expired`, `signature_mismatch`, `malformed`, ...).
        reason: String,
        /// The English explanation.
        detail: String,
    },
    /// The UserSig provider failed, timed out or returned nothing usable.
    #[error("credential provider failed: {detail}")]
    Credentials {
        /// What went wrong.
        detail: String,
    },
    /// The server broke the paging protocol (repeated cursor, no progress).
    #[error("paging protocol violation: {detail}")]
    Paging {
        /// What the server did.
        detail: String,
    },
    /// The library's runtime could not run the call.
    #[error("runtime error: {detail}")]
    Runtime {
        /// What happened.
        detail: String,
    },
    /// The answer's body was larger than the client's `maxResponseBytes`; reading stopped
    /// there. Not retried.
    #[error("response body over the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The shared rate limiter's Redis cannot be reached and the client was configured with
    /// `RedisFallback.FAIL` (Kotlin) / `.fail` (Swift): nothing was sent. Try again later (Redis is tried again at most
    /// every second).
    #[error("shared rate limiter unavailable: {detail}")]
    RateLimiterUnavailable {
        /// Which server (without its password) and what failed.
        detail: String,
    },
}

impl From<timadmin::Error> for TimAdminError {
    fn from(e: timadmin::Error) -> Self {
        use timadmin::Error as E;
        match e {
            E::Api { code, info, kind } => TimAdminError::Api {
                code,
                info,
                kind: kind.id().to_owned(),
                description: kind.description().to_owned(),
            },
            E::InvalidArgument { field, reason } => TimAdminError::InvalidArgument { field, reason },
            E::Transport(detail) => TimAdminError::Transport { detail },
            E::Timeout(after) => TimAdminError::Timeout { after },
            E::HttpStatus { status, excerpt } => TimAdminError::HttpStatus { status, excerpt },
            E::Decode { reason, excerpt } => TimAdminError::Decode { reason, excerpt },
            E::UserSig(e) => TimAdminError::UserSig { reason: e.reason().to_owned(), detail: e.to_string() },
            E::Credentials(detail) => TimAdminError::Credentials { detail },
            E::Paging(detail) => TimAdminError::Paging { detail },
            E::BodyTooLarge { limit } => TimAdminError::BodyTooLarge { limit },
            E::RateLimiterUnavailable(detail) => TimAdminError::RateLimiterUnavailable { detail },
            other => TimAdminError::Runtime { detail: other.to_string() },
        }
    }
}

impl From<timadmin::usersig::UserSigError> for TimAdminError {
    fn from(e: timadmin::usersig::UserSigError) -> Self {
        timadmin::Error::from(e).into()
    }
}

/// A Kotlin/Swift `UserSigProvider` that threw something other than `TimAdminException`.
impl From<uniffi::UnexpectedUniFFICallbackError> for TimAdminError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TimAdminError::Credentials { detail: format!("the UserSigProvider threw: {}", e.reason) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_map_variant_for_variant() {
        let api: TimAdminError = timadmin::Error::api(10010, "no such group").into();
        assert_eq!(
            api,
            TimAdminError::Api {
                code: 10010,
                info: "no such group".into(),
                kind: "group_not_found".into(),
                description: "the group does not exist or was deleted".into(),
            }
        );
        let invalid: TimAdminError = timadmin::Error::invalid("GroupId", "must not be empty").into();
        assert!(matches!(invalid, TimAdminError::InvalidArgument { ref field, .. } if field == "GroupId"));
        let sig: TimAdminError = timadmin::usersig::UserSigError::SignatureMismatch.into();
        assert!(matches!(sig, TimAdminError::UserSig { ref reason, .. } if reason == "signature_mismatch"));
        let timeout: TimAdminError = timadmin::Error::Timeout(Duration::from_secs(2)).into();
        assert_eq!(timeout, TimAdminError::Timeout { after: Duration::from_secs(2) });
        let redis: TimAdminError = timadmin::Error::RateLimiterUnavailable("redis down".into()).into();
        assert_eq!(redis, TimAdminError::RateLimiterUnavailable { detail: "redis down".into() });
    }
}
