//! UserSig (TLSSigAPIv2): the signed token every REST call carries.
//!
//! Tokens built here are accepted by every official verifier and this module accepts theirs:
//! the MAC covers a fixed text (`TLS.identifier:…\nTLS.sdkappid:…\n…`), the token is a JSON
//! object compressed with zlib and encoded in a URL-safe base64 variant (`+`→`*`, `/`→`-`,
//! `=`→`_`). Verification does not care about JSON key order, spacing or compression level.
//!
//! ```
//! use timadmin::usersig;
//! let secret_key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
//! let sig = usersig::generate(1400000000, secret_key, "administrator", 86400).unwrap();
//! let claims = usersig::verify(1400000000, secret_key, "administrator", &sig).unwrap();
//! assert_eq!(claims.identifier, "administrator");
//! ```

use std::fmt;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::alphabet::Alphabet;
use base64::engine::general_purpose::{GeneralPurpose, PAD, STANDARD};
use base64::Engine;
use flate2::Compression;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// Largest token [`verify`] accepts (characters); real ones are a few hundred.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Byte limit of an account identifier (UserID), the service's documented maximum of 32 bytes:
/// the largest identifier a token is signed for, and the limit of every identifier the client
/// sends (`crate::validate` checks requests against it).
pub const MAX_IDENTIFIER_BYTES: usize = 32;

/// Largest userbuf a token is signed with (bytes). With the largest identifier and numbers the
/// token is then still under [`MAX_TOKEN_LEN`], so [`verify`] accepts every token [`generate`]
/// makes (about 58,700 characters at most).
pub const MAX_USERBUF_BYTES: usize = 32 * 1024;

/// zlib level used for new tokens: 0 (stored), as the official Go library does. Tokens are
/// ~200 bytes of JSON, so compression saves only ~50 characters, while running deflate costs
/// most of the signing time. A level-0 zlib stream is a fixed header, the bytes in stored
/// blocks and an Adler-32, so it is written directly rather than by zlib. Every verifier
/// accepts it.
pub const COMPRESSION_LEVEL: u32 = 0;

/// The token's base64 alphabet: standard, with `*` for `+` and `-` for `/` (`_` pads).
const TOKEN_ALPHABET: Alphabet = match Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-")
{
    Ok(alphabet) => alphabet,
    Err(_) => panic!("the token alphabet is 64 distinct ASCII characters"),
};
/// Encodes in [`TOKEN_ALPHABET`] (padding with `=`, turned into `_` by [`token_base64`]).
const TOKEN_ENGINE: GeneralPurpose = GeneralPurpose::new(&TOKEN_ALPHABET, PAD);

/// Where "now" comes from. Injected so tests can pin the clock.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now_unix(&self) -> u64;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    }
}

/// A clock stuck at one instant, for tests and reproducible vectors.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now_unix(&self) -> u64 {
        self.0
    }
}

/// A clock set by hand, for tests of expiry and renewal.
#[derive(Debug, Default)]
pub struct ManualClock(std::sync::atomic::AtomicU64);

impl ManualClock {
    /// A clock reading `now` (Unix seconds).
    pub fn new(now: u64) -> Self {
        ManualClock(std::sync::atomic::AtomicU64::new(now))
    }

    /// A clock reading the system time now.
    pub fn at_system_time() -> Self {
        Self::new(SystemClock.now_unix())
    }

    /// Sets the reading.
    pub fn set(&self, now: u64) {
        self.0.store(now, std::sync::atomic::Ordering::SeqCst);
    }

    /// Moves the reading forward.
    pub fn advance(&self, secs: u64) {
        self.0.fetch_add(secs, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_unix(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The fields a verified UserSig carries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Claims {
    /// The user the token was issued for.
    pub identifier: String,
    /// The app it was issued by.
    pub sdkappid: u64,
    /// Issue time, Unix seconds.
    pub time: u64,
    /// Lifetime in seconds from `time`.
    pub expire: u64,
    /// The optional user buffer (raw bytes).
    pub userbuf: Option<Vec<u8>>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Claims {
    /// Unix second after which the token is no longer valid.
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

/// Why a UserSig could not be made or did not verify. Never contains the secret key or the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserSigError {
    /// Not base64, not zlib, not JSON, or a required field is missing or mistyped.
    #[error("malformed UserSig: {0}")]
    Malformed(String),
    /// The token was issued for another identifier.
    #[error("UserSig identifier mismatch: token is for {actual:?}, expected {expected:?}")]
    IdentifierMismatch {
        /// The identifier the caller expected.
        expected: String,
        /// The identifier in the token.
        actual: String,
    },
    /// The token was issued by another app.
    #[error("UserSig sdkappid mismatch: token is for {actual}, expected {expected}")]
    SdkAppIdMismatch {
        /// The sdkappid the caller expected.
        expected: u64,
        /// The sdkappid in the token.
        actual: u64,
    },
    /// `now > time + expire`.
    #[error("UserSig expired at {expired_at} (now {now})")]
    Expired {
        /// Unix second the token expired.
        expired_at: u64,
        /// The clock's reading when verified.
        now: u64,
    },
    /// The userbuf is missing, unexpected or different.
    #[error("UserSig userbuf mismatch")]
    UserbufMismatch,
    /// The MAC does not match: wrong secret key or tampered token.
    #[error("UserSig signature mismatch (wrong secret key or altered token)")]
    SignatureMismatch,
    /// The inputs cannot make a token (empty identifier or secret key, zero sdkappid).
    #[error("cannot sign UserSig: {0}")]
    InvalidInput(String),
    /// An argument is beyond what verifiers and the service accept: an identifier over
    /// [`MAX_IDENTIFIER_BYTES`] or a userbuf over [`MAX_USERBUF_BYTES`]. Every host reports it
    /// as its `InvalidArgument` error (core: [`crate::Error::InvalidArgument`]) with `field`.
    #[error("invalid argument {field}: {reason}")]
    InvalidArgument {
        /// The argument at fault: `identifier` or `userbuf`.
        field: String,
        /// Why it was refused.
        reason: String,
    },
}

impl UserSigError {
    /// A stable snake_case identifier of the failure (`malformed`, `identifier_mismatch`,
    /// `sdkappid_mismatch`, `expired`, `userbuf_mismatch`, `signature_mismatch`,
    /// `invalid_input`, `invalid_argument`), the same in every host.
    pub fn reason(&self) -> &'static str {
        match self {
            UserSigError::Malformed(_) => "malformed",
            UserSigError::IdentifierMismatch { .. } => "identifier_mismatch",
            UserSigError::SdkAppIdMismatch { .. } => "sdkappid_mismatch",
            UserSigError::Expired { .. } => "expired",
            UserSigError::UserbufMismatch => "userbuf_mismatch",
            UserSigError::SignatureMismatch => "signature_mismatch",
            UserSigError::InvalidInput(_) => "invalid_input",
            UserSigError::InvalidArgument { .. } => "invalid_argument",
        }
    }
}

/// Signs UserSigs for one app. Holds the keyed HMAC state so each token costs only the
/// message hashing; cheap to clone and safe to share between threads.
#[derive(Clone)]
pub struct Signer {
    sdkappid: u64,
    mac: HmacSha256,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("sdkappid", &self.sdkappid).field("secret_key", &"[redacted]").finish()
    }
}

impl Signer {
    /// A signer for `sdkappid` with the console's `secret_key` (used as UTF-8 bytes, not hex).
    pub fn new(sdkappid: u64, secret_key: &str) -> Result<Self, UserSigError> {
        Self::with_clock(sdkappid, secret_key, Arc::new(SystemClock))
    }

    /// Same as [`Signer::new`], with an injected clock.
    pub fn with_clock(sdkappid: u64, secret_key: &str, clock: Arc<dyn Clock>) -> Result<Self, UserSigError> {
        if sdkappid == 0 || sdkappid > u64::from(u32::MAX) {
            return Err(UserSigError::InvalidInput(format!("sdkappid {sdkappid} is not in 1..=4294967295")));
        }
        if secret_key.is_empty() {
            return Err(UserSigError::InvalidInput("secret key must not be empty".into()));
        }
        let mac = HmacSha256::new_from_slice(secret_key.as_bytes())
            .map_err(|_| UserSigError::InvalidInput("secret key rejected by HMAC".into()))?;
        Ok(Signer { sdkappid, mac, clock })
    }

    /// Same as [`Signer::new`], taking the secret key as a secret.
    pub fn from_secret(sdkappid: u64, secret_key: &SecretString) -> Result<Self, UserSigError> {
        Self::new(sdkappid, secret_key.expose_secret())
    }

    /// The app this signer signs for.
    pub fn sdkappid(&self) -> u64 {
        self.sdkappid
    }

    /// The clock's current reading.
    pub fn now(&self) -> u64 {
        self.clock.now_unix()
    }

    /// A token for `identifier`, valid `expire` from now. Refuses (with
    /// [`UserSigError::InvalidArgument`]) an identifier over [`MAX_IDENTIFIER_BYTES`] or a userbuf
    /// over [`MAX_USERBUF_BYTES`]: the token would be refused by the service or by [`verify`].
    pub fn sign(&self, identifier: &str, expire: u64, userbuf: Option<&[u8]>) -> Result<String, UserSigError> {
        self.sign_at(identifier, self.clock.now_unix(), expire, userbuf)
    }

    /// A token issued at `time` (Unix seconds), with the bounds of [`Signer::sign`].
    pub fn sign_at(
        &self,
        identifier: &str,
        time: u64,
        expire: u64,
        userbuf: Option<&[u8]>,
    ) -> Result<String, UserSigError> {
        check_identifier(identifier)?;
        check_bounds(identifier, userbuf)?;
        let userbuf_b64 = userbuf.map(|b| STANDARD.encode(b));
        let mac = self.mac_array(identifier, time, expire, userbuf_b64.as_deref());
        let mut sig = [0u8; 44];
        let sig_len = STANDARD
            .encode_slice(mac, &mut sig)
            .map_err(|_| UserSigError::InvalidInput("cannot encode the MAC".into()))?;
        let mut numbers = itoa::Buffer::new();
        let mut json = Vec::with_capacity(160 + identifier.len() + userbuf_b64.as_ref().map_or(0, String::len));
        json.extend_from_slice(b"{\"TLS.ver\":\"2.0\",\"TLS.identifier\":");
        push_json_string(&mut json, identifier);
        json.extend_from_slice(b",\"TLS.sdkappid\":");
        json.extend_from_slice(numbers.format(self.sdkappid).as_bytes());
        json.extend_from_slice(b",\"TLS.expire\":");
        json.extend_from_slice(numbers.format(expire).as_bytes());
        json.extend_from_slice(b",\"TLS.time\":");
        json.extend_from_slice(numbers.format(time).as_bytes());
        json.extend_from_slice(b",\"TLS.sig\":\"");
        json.extend_from_slice(&sig[..sig_len]);
        json.push(b'"');
        if let Some(ub) = &userbuf_b64 {
            json.extend_from_slice(b",\"TLS.userbuf\":\"");
            json.extend_from_slice(ub.as_bytes());
            json.push(b'"');
        }
        json.push(b'}');
        Ok(token_base64(&zlib_stored(&json)))
    }

    /// The base64 `TLS.sig` for these fields (exposed for cross-implementation vectors).
    pub fn mac_b64(&self, identifier: &str, time: u64, expire: u64, userbuf_b64: Option<&str>) -> String {
        STANDARD.encode(self.mac_array(identifier, time, expire, userbuf_b64))
    }

    /// HMAC-SHA256 of the signed text, from a copy of the keyed state (the key schedule is
    /// done once, in [`Signer::new`]).
    fn mac_array(&self, identifier: &str, time: u64, expire: u64, userbuf_b64: Option<&str>) -> [u8; 32] {
        let mut numbers = itoa::Buffer::new();
        let mut mac = self.mac.clone();
        mac.update(b"TLS.identifier:");
        mac.update(identifier.as_bytes());
        mac.update(b"\nTLS.sdkappid:");
        mac.update(numbers.format(self.sdkappid).as_bytes());
        mac.update(b"\nTLS.time:");
        mac.update(numbers.format(time).as_bytes());
        mac.update(b"\nTLS.expire:");
        mac.update(numbers.format(expire).as_bytes());
        mac.update(b"\n");
        if let Some(ub) = userbuf_b64 {
            mac.update(b"TLS.userbuf:");
            mac.update(ub.as_bytes());
            mac.update(b"\n");
        }
        mac.finalize().into_bytes().into()
    }

    /// Verifies `usersig` for `identifier` against this signer's app and secret key, at the clock's now.
    pub fn verify(&self, identifier: &str, usersig: &str, userbuf: Option<&[u8]>) -> Result<Claims, UserSigError> {
        check_identifier(identifier)?;
        let now = self.clock.now_unix();
        let token = decode_token(usersig)?;
        if token.identifier != identifier {
            return Err(UserSigError::IdentifierMismatch { expected: identifier.to_owned(), actual: token.identifier });
        }
        if token.sdkappid != self.sdkappid {
            return Err(UserSigError::SdkAppIdMismatch { expected: self.sdkappid, actual: token.sdkappid });
        }
        let expired_at = token.time.saturating_add(token.expire);
        if now > expired_at {
            return Err(UserSigError::Expired { expired_at, now });
        }
        let token_userbuf = match &token.userbuf_b64 {
            Some(s) => {
                Some(STANDARD.decode(s).map_err(|_| UserSigError::Malformed("TLS.userbuf is not base64".into()))?)
            }
            None => None,
        };
        if let Some(expected) = userbuf {
            if token_userbuf.as_deref() != Some(expected) {
                return Err(UserSigError::UserbufMismatch);
            }
        }
        let expected_mac = self.mac_array(&token.identifier, token.time, token.expire, token.userbuf_b64.as_deref());
        let given_mac =
            STANDARD.decode(&token.sig).map_err(|_| UserSigError::Malformed("TLS.sig is not base64".into()))?;
        if given_mac.len() != expected_mac.len() || !bool::from(given_mac.ct_eq(&expected_mac)) {
            return Err(UserSigError::SignatureMismatch);
        }
        Ok(Claims {
            identifier: token.identifier,
            sdkappid: token.sdkappid,
            time: token.time,
            expire: token.expire,
            userbuf: token_userbuf,
        })
    }
}

/// An identifier must be non-empty and free of control characters: the MAC covers
/// `TLS.identifier:{identifier}\n...`, so a newline in it could make one token's signed text
/// read like another's.
fn check_identifier(identifier: &str) -> Result<(), UserSigError> {
    if identifier.is_empty() {
        return Err(UserSigError::InvalidInput("identifier must not be empty".into()));
    }
    if identifier.chars().any(char::is_control) {
        return Err(UserSigError::InvalidInput("identifier must not contain control characters".into()));
    }
    Ok(())
}

/// What a token may carry: an identifier the service accepts (at most [`MAX_IDENTIFIER_BYTES`])
/// and a userbuf that keeps the token within what [`verify`] reads (at most
/// [`MAX_USERBUF_BYTES`]).
fn check_bounds(identifier: &str, userbuf: Option<&[u8]>) -> Result<(), UserSigError> {
    if identifier.len() > MAX_IDENTIFIER_BYTES {
        return Err(UserSigError::InvalidArgument {
            field: "identifier".into(),
            reason: format!("is {} bytes of UTF-8; the maximum is {MAX_IDENTIFIER_BYTES} bytes", identifier.len()),
        });
    }
    if let Some(userbuf) = userbuf.filter(|b| b.len() > MAX_USERBUF_BYTES) {
        return Err(UserSigError::InvalidArgument {
            field: "userbuf".into(),
            reason: format!("is {} bytes; the maximum is {MAX_USERBUF_BYTES} bytes", userbuf.len()),
        });
    }
    Ok(())
}

/// A token for `identifier` of app `sdkappid`, signed with `secret_key`, valid for
/// `expire` from now. An identifier over [`MAX_IDENTIFIER_BYTES`] is refused with
/// [`UserSigError::InvalidArgument`].
pub fn generate(sdkappid: u64, secret_key: &str, identifier: &str, expire: u64) -> Result<String, UserSigError> {
    Signer::new(sdkappid, secret_key)?.sign(identifier, expire, None)
}

/// Same as [`generate`], binding a `userbuf` (arbitrary bytes, at most [`MAX_USERBUF_BYTES`])
/// into the token.
pub fn generate_with_userbuf(
    sdkappid: u64,
    secret_key: &str,
    identifier: &str,
    expire: u64,
    userbuf: &[u8],
) -> Result<String, UserSigError> {
    Signer::new(sdkappid, secret_key)?.sign(identifier, expire, Some(userbuf))
}

/// Verifies a token against `secret_key` and returns its claims, or says exactly what failed.
pub fn verify(sdkappid: u64, secret_key: &str, identifier: &str, usersig: &str) -> Result<Claims, UserSigError> {
    Signer::new(sdkappid, secret_key)?.verify(identifier, usersig, None)
}

/// Same as [`verify`], also requiring the token to carry exactly `userbuf`.
pub fn verify_with_userbuf(
    sdkappid: u64,
    secret_key: &str,
    identifier: &str,
    usersig: &str,
    userbuf: &[u8],
) -> Result<Claims, UserSigError> {
    Signer::new(sdkappid, secret_key)?.verify(identifier, usersig, Some(userbuf))
}

/// Reads the claims of a token without checking its signature (e.g. to learn its expiry).
/// Never trust these claims for authorization.
pub fn decode_unverified(usersig: &str) -> Result<Claims, UserSigError> {
    let token = decode_token(usersig)?;
    let userbuf = match &token.userbuf_b64 {
        Some(s) => Some(STANDARD.decode(s).map_err(|_| UserSigError::Malformed("TLS.userbuf is not base64".into()))?),
        None => None,
    };
    Ok(Claims {
        identifier: token.identifier,
        sdkappid: token.sdkappid,
        time: token.time,
        expire: token.expire,
        userbuf,
    })
}

/// The claims of a UserSig read by [`decode`], whose signature was **not** checked. Anyone can
/// write a token carrying these values: use them to diagnose a token (whom and which app it
/// names, when it expires), never to authorize anything. [`verify`] gives trusted [`Claims`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnverifiedClaims {
    /// The user the token says it was issued for.
    pub identifier: String,
    /// The app the token says issued it.
    pub sdkappid: u64,
    /// Claimed issue time, Unix seconds.
    pub time: u64,
    /// Claimed lifetime in seconds from `time`.
    pub expire: u64,
    /// The optional user buffer (raw bytes).
    pub userbuf: Option<Vec<u8>>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl UnverifiedClaims {
    /// Unix second after which the token is no longer valid (`time + expire`, saturating).
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

/// Reads a UserSig's claims **without verifying its signature**: no key needed, nothing
/// trusted. Bounded like [`verify`] (tokens over 64 KiB, or inflating past 64 KiB, are refused)
/// and never panics; a token that cannot be read is [`UserSigError::Malformed`], the failure the
/// service reports as 70003. Errors never contain the token.
///
/// ```
/// use timadmin::usersig;
/// let key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
/// let sig = usersig::generate(1400000000, key, "administrator", 86400).unwrap();
/// let unverified = usersig::decode(&sig).unwrap();
/// assert_eq!((unverified.identifier.as_str(), unverified.sdkappid), ("administrator", 1400000000));
/// assert_eq!(unverified.expires_at(), unverified.time + 86400);
/// ```
pub fn decode(usersig: &str) -> Result<UnverifiedClaims, UserSigError> {
    let claims = decode_unverified(usersig)?;
    Ok(UnverifiedClaims {
        identifier: claims.identifier,
        sdkappid: claims.sdkappid,
        time: claims.time,
        expire: claims.expire,
        userbuf: claims.userbuf,
    })
}

/// A token's fields as found in its JSON.
struct Token {
    identifier: String,
    sdkappid: u64,
    time: u64,
    expire: u64,
    sig: String,
    userbuf_b64: Option<String>,
}

/// The JSON fields; numbers may come as numbers or (some implementations) numeric strings.
#[derive(Deserialize)]
struct RawToken {
    #[serde(rename = "TLS.identifier")]
    identifier: Option<String>,
    #[serde(rename = "TLS.sdkappid")]
    sdkappid: Option<serde_json::Value>,
    #[serde(rename = "TLS.time")]
    time: Option<serde_json::Value>,
    #[serde(rename = "TLS.expire")]
    expire: Option<serde_json::Value>,
    #[serde(rename = "TLS.sig")]
    sig: Option<String>,
    #[serde(rename = "TLS.userbuf")]
    userbuf: Option<String>,
}

fn json_number(v: Option<serde_json::Value>, name: &str) -> Result<u64, UserSigError> {
    match v {
        Some(serde_json::Value::Number(n)) => {
            n.as_u64().ok_or_else(|| UserSigError::Malformed(format!("{name} is not an unsigned integer")))
        }
        Some(serde_json::Value::String(s)) => {
            s.parse().map_err(|_| UserSigError::Malformed(format!("{name} is not an unsigned integer")))
        }
        Some(_) => Err(UserSigError::Malformed(format!("{name} is not an unsigned integer"))),
        None => Err(UserSigError::Malformed(format!("{name} is missing"))),
    }
}

fn decode_token(usersig: &str) -> Result<Token, UserSigError> {
    if usersig.is_empty() {
        return Err(UserSigError::Malformed("empty token".into()));
    }
    if usersig.len() > MAX_TOKEN_LEN {
        return Err(UserSigError::Malformed("token too long".into()));
    }
    let std_b64: String = usersig
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            other => other,
        })
        .collect();
    let compressed = STANDARD.decode(std_b64.as_bytes()).map_err(|_| UserSigError::Malformed("not base64".into()))?;
    let mut json = Vec::with_capacity(compressed.len() * 2);
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .take(MAX_TOKEN_LEN as u64)
        .read_to_end(&mut json)
        .map_err(|_| UserSigError::Malformed("not a zlib stream".into()))?;
    let raw: RawToken =
        serde_json::from_slice(&json).map_err(|_| UserSigError::Malformed("not a JSON object".into()))?;
    Ok(Token {
        identifier: raw.identifier.ok_or_else(|| UserSigError::Malformed("TLS.identifier is missing".into()))?,
        sdkappid: json_number(raw.sdkappid, "TLS.sdkappid")?,
        time: json_number(raw.time, "TLS.time")?,
        expire: json_number(raw.expire, "TLS.expire")?,
        sig: raw.sig.ok_or_else(|| UserSigError::Malformed("TLS.sig is missing".into()))?,
        userbuf_b64: raw.userbuf,
    })
}

/// Appends `s` as a JSON string: as is between quotes when nothing needs escaping (the usual
/// identifier), else escaped by serde_json.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // serde_json's string escaping cannot fail for a &str.
        out.extend_from_slice(serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\"")).as_bytes());
    }
}

/// Base64 in the token alphabet, padded with `_`.
fn token_base64(bytes: &[u8]) -> String {
    let mut out = TOKEN_ENGINE.encode(bytes);
    let padding = out.bytes().rev().take_while(|&b| b == b'=').count();
    out.truncate(out.len() - padding);
    out.extend(std::iter::repeat_n('_', padding));
    out
}

/// The zlib stream of `data` at level 0: the header (`78 01`), the bytes in stored deflate
/// blocks of at most 65,535 bytes, and the Adler-32 of `data`. For token-sized input this is
/// byte for byte what zlib writes at level 0.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    const MAX_BLOCK: usize = 65_535;
    let blocks = data.len().div_ceil(MAX_BLOCK).max(1);
    let mut out = Vec::with_capacity(2 + data.len() + 5 * blocks + 4);
    out.extend_from_slice(&[0x78, 0x01]);
    if data.is_empty() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    }
    for (i, block) in data.chunks(MAX_BLOCK).enumerate() {
        out.push(u8::from(i + 1 == blocks));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let mut adler = adler2::Adler32::new();
    adler.write_slice(data);
    out.extend_from_slice(&adler.checksum().to_be_bytes());
    out
}

/// Compresses with a fresh zlib encoder at `level` (0–9). Used by tests and benchmarks to build
/// tokens the way other implementations do.
#[doc(hidden)]
pub fn zlib_with_level(input: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(input);
    enc.finish().unwrap_or_default()
}

/// Turns standard base64 into the token alphabet. Used by tests to build foreign tokens.
#[doc(hidden)]
pub fn encode_token_bytes(compressed: &[u8]) -> String {
    token_base64(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    #[test]
    fn stored_zlib_is_what_zlib_writes_at_level_0() {
        for len in [0usize, 1, 200, 4_000, 65_535, 65_536, 140_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let ours = zlib_stored(&data);
            if len <= 4_000 {
                assert!(ours == zlib_with_level(&data, 0), "{len} bytes: not what zlib writes at level 0");
            }
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(ours.as_slice()).read_to_end(&mut back).unwrap();
            assert!(back == data, "{len} bytes do not inflate back");
        }
    }

    #[test]
    fn token_alphabet_maps_plus_slash_and_padding() {
        for bytes in [&[0xfbu8, 0xff][..], &[0xfb, 0xff, 0xfe], &[0xff], b""] {
            let standard = STANDARD.encode(bytes).replace('+', "*").replace('/', "-").replace('=', "_");
            assert_eq!(token_base64(bytes), standard);
        }
        let mut json = Vec::new();
        push_json_string(&mut json, "a\"b\n");
        assert_eq!(json, br#""a\"b\n""#);
    }

    fn pinned() -> Signer {
        Signer::with_clock(1400000000, KEY, Arc::new(FixedClock(1700000000))).unwrap()
    }

    #[test]
    fn reference_vector_mac() {
        let s = pinned();
        assert_eq!(s.mac_b64("xiaojun", 1700000000, 15552000, None), "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
        assert_eq!(
            s.mac_b64("xiaojun", 1700000000, 15552000, Some("YWJj")),
            "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM="
        );
    }

    #[test]
    fn round_trip_with_and_without_userbuf() {
        let s = pinned();
        let t = s.sign("xiaojun", 15552000, None).unwrap();
        let c = s.verify("xiaojun", &t, None).unwrap();
        assert_eq!((c.time, c.expire, c.userbuf), (1700000000, 15552000, None));
        let t = s.sign("xiaojun", 15552000, Some(b"abc")).unwrap();
        let c = s.verify("xiaojun", &t, Some(b"abc")).unwrap();
        assert_eq!(c.userbuf.as_deref(), Some(&b"abc"[..]));
        assert_eq!(s.verify("xiaojun", &t, Some(b"abd")), Err(UserSigError::UserbufMismatch));
    }

    #[test]
    fn each_failure_is_named() {
        let s = pinned();
        let t = s.sign("xiaojun", 100, None).unwrap();
        assert!(matches!(s.verify("bob", &t, None), Err(UserSigError::IdentifierMismatch { .. })));
        let other_app = Signer::with_clock(1400000001, KEY, Arc::new(FixedClock(1700000000))).unwrap();
        assert!(matches!(other_app.verify("xiaojun", &t, None), Err(UserSigError::SdkAppIdMismatch { .. })));
        let later = Signer::with_clock(1400000000, KEY, Arc::new(FixedClock(1700000101))).unwrap();
        assert_eq!(
            later.verify("xiaojun", &t, None),
            Err(UserSigError::Expired { expired_at: 1700000100, now: 1700000101 })
        );
        let at_edge = Signer::with_clock(1400000000, KEY, Arc::new(FixedClock(1700000100))).unwrap();
        assert!(at_edge.verify("xiaojun", &t, None).is_ok());
        let wrong_key = Signer::with_clock(1400000000, "other", Arc::new(FixedClock(1700000000))).unwrap();
        assert_eq!(wrong_key.verify("xiaojun", &t, None), Err(UserSigError::SignatureMismatch));
        assert!(matches!(s.verify("xiaojun", "!!!", None), Err(UserSigError::Malformed(_))));
        assert!(matches!(s.verify("xiaojun", "", None), Err(UserSigError::Malformed(_))));
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(matches!(Signer::new(0, KEY), Err(UserSigError::InvalidInput(_))));
        assert!(matches!(Signer::new(1, ""), Err(UserSigError::InvalidInput(_))));
        assert!(matches!(pinned().sign("", 1, None), Err(UserSigError::InvalidInput(_))));
        assert!(matches!(Signer::new(4294967296, KEY), Err(UserSigError::InvalidInput(_))));
        assert!(Signer::new(4294967295, KEY).is_ok());
        for bad in ["a\nTLS.sdkappid:1", "nul\0", "\r"] {
            assert!(matches!(pinned().sign(bad, 1, None), Err(UserSigError::InvalidInput(_))), "{bad:?}");
            let t = pinned().sign("xiaojun", 100, None).unwrap();
            assert!(matches!(pinned().verify(bad, &t, None), Err(UserSigError::InvalidInput(_))), "{bad:?}");
        }
    }

    #[test]
    fn generate_refuses_what_verify_or_the_service_would() {
        let s = pinned();
        let refused = |r: Result<String, UserSigError>, field: &str| match r {
            Err(e @ UserSigError::InvalidArgument { .. }) => {
                assert_eq!(e.reason(), "invalid_argument");
                let core = crate::Error::from(e);
                assert!(matches!(&core, crate::Error::InvalidArgument { field: f, .. } if f == field), "{core:?}");
            }
            other => panic!("{field}: {other:?}"),
        };
        // The identifier: the service's 32 bytes of UTF-8, counted in bytes.
        assert!(s.sign(&"a".repeat(MAX_IDENTIFIER_BYTES), 60, None).is_ok());
        assert!(s.sign(&"é".repeat(MAX_IDENTIFIER_BYTES / 2), 60, None).is_ok());
        refused(s.sign(&"a".repeat(MAX_IDENTIFIER_BYTES + 1), 60, None), "identifier");
        refused(s.sign(&"é".repeat(MAX_IDENTIFIER_BYTES / 2 + 1), 60, None), "identifier");
        // The issue's case: a ~49 KB identifier made a token that verify refused as too long.
        refused(generate(1400000000, KEY, &"a".repeat(49_000), 60), "identifier");
        // The userbuf: up to MAX_USERBUF_BYTES, with or without the one-shot function.
        refused(s.sign("xiaojun", 60, Some(&vec![7; MAX_USERBUF_BYTES + 1])), "userbuf");
        refused(generate_with_userbuf(1400000000, KEY, "xiaojun", 60, &vec![7; MAX_USERBUF_BYTES + 1]), "userbuf");
        // The largest token generate makes (longest escaped identifier, largest numbers and
        // userbuf) is within what verify reads, and verifies.
        let widest = "\"".repeat(MAX_IDENTIFIER_BYTES);
        let userbuf = vec![0xff; MAX_USERBUF_BYTES];
        let big = Signer::with_clock(u64::from(u32::MAX), KEY, Arc::new(FixedClock(1700000000))).unwrap();
        let token = big.sign_at(&widest, u64::MAX, u64::MAX, Some(&userbuf)).unwrap();
        assert!(token.len() <= MAX_TOKEN_LEN, "{} > {MAX_TOKEN_LEN}", token.len());
        let claims = big.verify(&widest, &token, Some(&userbuf)).unwrap();
        assert_eq!((claims.identifier, claims.userbuf), (widest, Some(userbuf)));
        // ...and a little more userbuf would not have verified: the bound is not arbitrary.
        let beyond = {
            let userbuf_b64 = STANDARD.encode(vec![0xff; MAX_USERBUF_BYTES + 6 * 1024]);
            let json = format!(
                r#"{{"TLS.ver":"2.0","TLS.identifier":"x","TLS.sdkappid":1,"TLS.expire":1,"TLS.time":1,"TLS.sig":"","TLS.userbuf":"{userbuf_b64}"}}"#
            );
            token_base64(&zlib_stored(json.as_bytes()))
        };
        assert_eq!(decode_unverified(&beyond), Err(UserSigError::Malformed("token too long".into())));
    }

    /// A real zlib (the C library) inflates `stream` to exactly `data`.
    fn real_zlib_inflates(stream: &[u8], data: &[u8]) -> Result<(), String> {
        let mut out = vec![0u8; data.len() + 1];
        let mut out_len = out.len() as libz_sys::uLongf;
        // SAFETY: `out` has `out_len` writable bytes and `stream` is `stream.len()` readable bytes.
        let status = unsafe {
            libz_sys::uncompress(out.as_mut_ptr(), &mut out_len, stream.as_ptr(), stream.len() as libz_sys::uLong)
        };
        if status != libz_sys::Z_OK {
            return Err(format!("zlib's uncompress said {status}"));
        }
        if out_len as usize != data.len() || out[..data.len()] != *data {
            return Err(format!("zlib inflated {out_len} bytes, not the {} given", data.len()));
        }
        Ok(())
    }

    proptest::proptest! {
        /// The hand-written level-0 stream, any size from 0 to 300,000 bytes (stored blocks are at
        /// most 65,535 bytes: sizes around their multiples are drawn often), is a zlib stream the
        /// C zlib inflates back, Adler-32 checked, not only flate2's miniz_oxide.
        #[test]
        fn stored_zlib_is_inflated_by_the_real_zlib(
            len in proptest::prop_oneof![
                0usize..=300_000,
                (0usize..=4, 0usize..=2).prop_map(|(blocks, d)| (blocks * 65_535 + d).saturating_sub(1)),
            ],
            seed in proptest::prelude::any::<u64>(),
        ) {
            use rand::{RngCore, SeedableRng};
            let mut data = vec![0u8; len];
            rand::rngs::StdRng::seed_from_u64(seed).fill_bytes(&mut data);
            let stream = zlib_stored(&data);
            proptest::prop_assert_eq!(stream.len(), 2 + len + 5 * len.div_ceil(65_535).max(1) + 4);
            if let Err(e) = real_zlib_inflates(&stream, &data) {
                return Err(proptest::test_runner::TestCaseError::fail(format!("{len} bytes: {e}")));
            }
        }
    }

    #[test]
    fn debug_hides_key() {
        assert!(!format!("{:?}", pinned()).contains(KEY));
    }
}
