//! The CLI's failures, their exit codes and how they are reported on stderr.
//!
//! 0 success; 1 the service answered with an error (or a UserSig did not verify); 2 bad
//! arguments, caught before any network call; 3 transport error, timeout or a broken answer.

use std::io;

use timadmin::usersig::UserSigError;
use timadmin::Error;
use timadmin_emulator::EmulatorError;

/// Exit code: the service answered with an error.
pub const EXIT_SERVICE: i32 = 1;
/// Exit code: bad arguments.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: transport error or timeout.
pub const EXIT_TRANSPORT: i32 = 3;

/// Why a command failed. No variant carries the secret key or a UserSig.
#[derive(Debug)]
pub enum CliError {
    /// The options do not make a usable command (missing or conflicting settings).
    Usage(String),
    /// The core refused or failed the call.
    Core(Error),
    /// `usersig verify`: the token does not verify.
    NotVerified(UserSigError),
    /// Writing the output failed.
    Io(io::Error),
    /// The emulator could not start or stopped with an error.
    Emulator(EmulatorError),
    /// A bulk job ran, but `failed` of its `total` inputs failed (each has its result line);
    /// `code` is the highest exit code among them.
    Failed {
        /// Inputs that failed.
        failed: usize,
        /// Inputs in the job.
        total: usize,
        /// The exit code.
        code: i32,
    },
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Core(e)
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError::Io(e)
    }
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::NotVerified(_) => EXIT_SERVICE,
            CliError::Core(e) => core_exit_code(e),
            CliError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
            CliError::Io(_) => EXIT_TRANSPORT,
            CliError::Emulator(EmulatorError::Runtime(_)) => EXIT_TRANSPORT,
            CliError::Emulator(_) => EXIT_USAGE,
            CliError::Failed { code, .. } => *code,
        }
    }

    /// The message for stderr; `None` when nothing should be said (the reader of our output
    /// went away, e.g. `timadmin members g --all | head`).
    pub fn message(&self) -> Option<String> {
        Some(match self {
            CliError::Usage(m) => format!("error: {m}"),
            CliError::NotVerified(e) => format!("error: the UserSig does not verify: {e}"),
            CliError::Core(Error::Api { code, info, kind }) => {
                format!("error: service error {code}: {info} ({})", kind.description())
            }
            CliError::Core(Error::InvalidArgument { field, reason }) => match timadmin::settings::SETTINGS
                .iter()
                .find(|s| s.name == field || s.env == Some(field.as_str()))
            {
                // A client setting: say where it can be given.
                Some(s) => match s.env {
                    Some(env) => format!("error: invalid argument {field}: {reason} (set with {} or {env})", s.flag()),
                    None => format!("error: invalid argument {field}: {reason}"),
                },
                None => format!("error: invalid argument {field}: {reason}"),
            },
            CliError::Core(e) => format!("error: {e}"),
            CliError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe => return None,
            CliError::Io(e) => format!("error: cannot write the output: {e}"),
            CliError::Emulator(e) => format!("error: emulator: {e}"),
            CliError::Failed { failed, total, .. } => {
                format!("error: {failed} of {total} inputs failed (see their result lines)")
            }
        })
    }
}

/// Exit code of a core error: service errors 1, anything caught before sending 2, anything
/// that went wrong on the way (network, timeout, HTTP, undecodable or inconsistent answers, the
/// shared rate limiter's Redis unreachable with `--redis-fallback fail`) 3.
pub fn core_exit_code(e: &Error) -> i32 {
    match e {
        Error::Api { .. } => EXIT_SERVICE,
        Error::InvalidArgument { .. } | Error::UserSig(_) | Error::Credentials(_) => EXIT_USAGE,
        _ => EXIT_TRANSPORT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn exit_codes() {
        assert_eq!(CliError::from(Error::api(10010, "gone")).exit_code(), 1);
        assert_eq!(CliError::from(Error::invalid("Name", "too long")).exit_code(), 2);
        assert_eq!(CliError::from(Error::Transport("refused".into())).exit_code(), 3);
        assert_eq!(CliError::from(Error::Timeout(Duration::from_secs(1))).exit_code(), 3);
        assert_eq!(CliError::from(Error::RateLimiterUnavailable("redis down".into())).exit_code(), 3);
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
        assert_eq!(CliError::NotVerified(UserSigError::SignatureMismatch).exit_code(), 1);
        assert_eq!(CliError::Io(io::Error::from(io::ErrorKind::BrokenPipe)).exit_code(), 0);
        assert!(CliError::Io(io::Error::from(io::ErrorKind::BrokenPipe)).message().is_none());
    }

    #[test]
    fn service_errors_say_what_the_code_means() {
        let m = CliError::from(Error::api(10010, "group not found")).message().unwrap();
        assert_eq!(m, "error: service error 10010: group not found (the group does not exist or was deleted)");
    }
}
