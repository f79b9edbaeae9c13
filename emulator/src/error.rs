//! Errors of the emulator's library API (starting, seeding). REST errors are replies, not these.

/// Why the emulator could not start or a seed/group could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// Binding the listening socket or reading a file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The configuration cannot work (e.g. empty key, zero sdkappid, no admin).
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// A fixture document is not valid JSON or does not follow the fixture format.
    #[error("invalid fixture: {0}")]
    Fixture(String),
    /// A group violates an invariant (bad ID, duplicate member, unknown role, ...).
    #[error("invalid group {group_id:?}: {reason}")]
    InvalidGroup {
        /// The offending group's ID.
        group_id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The server thread or runtime failed.
    #[error("emulator runtime error: {0}")]
    Runtime(String),
}
