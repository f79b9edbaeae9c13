//! How an emulator instance is set up: the app it pretends to be, who may call it, limits.

use std::path::PathBuf;

/// The default SDKAppID of an emulator: the one used in the vendor's documentation vectors.
pub const DEFAULT_SDKAPPID: u64 = 1_400_000_000;
/// The default secret key (the documentation's test key; never a real one).
pub const DEFAULT_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
/// The default app admin identifier.
pub const DEFAULT_ADMIN: &str = "administrator";
/// The documented per-endpoint rate: 200 calls per second.
pub const DEFAULT_RATE_LIMIT_PER_SEC: u32 = 200;
/// Replies larger than this many bytes fail with 10018, like the service's 1 MB cap.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1_000_000;
/// How many calls the call log keeps (oldest dropped first).
pub const DEFAULT_CALL_LOG_CAPACITY: usize = 10_000;

/// Settings of one emulator instance. Build with `EmulatorConfig::default()` and adjust fields.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The SDKAppID the emulator accepts; requests for another app fail with 60006.
    pub sdkappid: u64,
    /// The secret key UserSigs must be signed with.
    pub key: String,
    /// Identifiers treated as app admins; any other (correctly signed) identifier gets 10007.
    pub admins: Vec<String>,
    /// Calls accepted per command in any sliding one-second window (more get 60007); `None` or
    /// `Some(0)` disables limiting.
    pub rate_limit_per_sec: Option<u32>,
    /// Replies larger than this fail with 10018 (default 1,000,000 bytes).
    pub max_response_bytes: usize,
    /// Maximum number of calls kept in the call log.
    pub call_log_capacity: usize,
    /// A fixture file loaded at start (and again by `reset`).
    pub seed_file: Option<PathBuf>,
    /// Fixture JSON loaded at start after `seed_file` (and again by `reset`).
    pub seed_json: Option<String>,
    /// If set, a community group `@TGS#_demo` with this many generated members is created at
    /// start, after the seeds (replacing a seeded `@TGS#_demo`), and again by `reset`.
    pub community_members: Option<usize>,
    /// Add fields the documentation does not list (e.g. `ShutUpUntil` on members) to replies,
    /// as the real service does, so clients prove they ignore unknown fields. Default true.
    pub extra_response_fields: bool,
    /// A test facility for leak sweeps: append every distinct UserSig the emulator receives to
    /// this file (one per line), so a sweep can look for them in everything a test run printed.
    /// Default `None`: UserSigs are never recorded anywhere (not in the call log either).
    pub usersig_log: Option<PathBuf>,
    /// Serve HTTPS with a self-signed certificate for `127.0.0.1`, `::1` and `localhost` made at
    /// start (see [`Emulator::tls_cert_pem`](crate::Emulator::tls_cert_pem)), for clients that
    /// only speak `https://`. Default false (plain HTTP).
    pub tls: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            sdkappid: DEFAULT_SDKAPPID,
            key: DEFAULT_KEY.to_owned(),
            admins: vec![DEFAULT_ADMIN.to_owned()],
            rate_limit_per_sec: Some(DEFAULT_RATE_LIMIT_PER_SEC),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            call_log_capacity: DEFAULT_CALL_LOG_CAPACITY,
            seed_file: None,
            seed_json: None,
            community_members: None,
            extra_response_fields: true,
            usersig_log: None,
            tls: false,
        }
    }
}
