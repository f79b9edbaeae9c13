//! The REST commands: what a request is sent as (`/v4/{service}/{command}`), and what the rate
//! limit counts per.

use std::borrow::Cow;
use std::fmt;

use crate::error::{Error, Result};

/// The service of the three typed endpoints.
pub(crate) const GROUP_SERVICE: &str = "group_open_http_svc";
/// The longest service name or command word accepted.
pub const MAX_SEGMENT_LEN: usize = 64;

/// A REST command: its path below `v4/`, `{service}/{command}` (for example
/// `group_open_http_svc/get_group_member_info` or `openim/sendmsg`). Valid by construction:
/// the typed endpoints' constants, or [`Command::parse`]. Cheap to clone for the constants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Command(Cow<'static, str>);

impl Command {
    /// `group_open_http_svc/get_group_member_info`
    pub const GET_GROUP_MEMBER_INFO: Command = Command(Cow::Borrowed("group_open_http_svc/get_group_member_info"));
    /// `group_open_http_svc/get_group_muted_account`
    pub const GET_GROUP_MUTED_ACCOUNT: Command = Command(Cow::Borrowed("group_open_http_svc/get_group_muted_account"));
    /// `group_open_http_svc/modify_group_base_info`
    pub const MODIFY_GROUP_BASE_INFO: Command = Command(Cow::Borrowed("group_open_http_svc/modify_group_base_info"));

    /// The commands of the typed endpoints.
    pub const TYPED: [Command; 3] =
        [Command::GET_GROUP_MEMBER_INFO, Command::GET_GROUP_MUTED_ACCOUNT, Command::MODIFY_GROUP_BASE_INFO];

    /// Checks a command path: exactly `service/command`, each segment 1 to 64
    /// characters of `[A-Za-z0-9_]`. Nothing else is accepted (no leading slash, no `..`, query,
    /// fragment, percent-escape, colon, whitespace or host), so the path cannot leave `/v4/` nor
    /// add to the query. A refusal is [`Error::InvalidArgument`] for the field `command`.
    pub fn parse(path: &str) -> Result<Command> {
        let invalid =
            |why: &str| Error::invalid("command", format!("{why}; expected service/command, e.g. openim/sendmsg"));
        let Some((service, word)) = path.split_once('/') else {
            return Err(invalid("a command path has exactly one '/'"));
        };
        for segment in [service, word] {
            if segment.is_empty() {
                return Err(invalid("a command path's service and command are not empty"));
            }
            if segment.len() > MAX_SEGMENT_LEN {
                return Err(invalid(&format!("a service or command is at most {MAX_SEGMENT_LEN} characters")));
            }
            if !segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(invalid("a command path holds only A-Z, a-z, 0-9, '_' and one '/'"));
            }
        }
        match Command::TYPED.into_iter().find(|c| c.path() == path) {
            Some(typed) => Ok(typed),
            None => Ok(Command(Cow::Owned(path.to_owned()))),
        }
    }

    /// The path below `v4/`: `service/command`.
    pub fn path(&self) -> &str {
        &self.0
    }

    /// The service part of the path (`group_open_http_svc`, `openim`, …).
    pub fn service(&self) -> &str {
        self.0.split_once('/').map_or("", |(service, _)| service)
    }

    /// The command word, the part after the service (`get_group_member_info`, `sendmsg`, …).
    pub fn word(&self) -> &str {
        self.0.split_once('/').map_or(&self.0, |(_, word)| word)
    }

    /// The command's short name, what logs, stats and the rate limit's shared keys call it:
    /// the command word for the group service (`get_group_member_info`, as in earlier versions,
    /// so that old and new processes of a fleet share one budget), else the whole path
    /// (`openim/sendmsg`).
    pub fn as_str(&self) -> &str {
        if self.service() == GROUP_SERVICE {
            self.word()
        } else {
            self.path()
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_commands_parse_to_their_constants() {
        for c in Command::TYPED {
            assert_eq!(Command::parse(c.path()).unwrap(), c);
            assert!(matches!(Command::parse(c.path()).unwrap().0, Cow::Borrowed(_)));
            assert_eq!(c.service(), GROUP_SERVICE);
        }
        assert_eq!(Command::GET_GROUP_MEMBER_INFO.word(), "get_group_member_info");
        assert_eq!(Command::GET_GROUP_MEMBER_INFO.as_str(), "get_group_member_info");
        let sendmsg = Command::parse("openim/sendmsg").unwrap();
        assert_eq!((sendmsg.service(), sendmsg.word(), sendmsg.as_str()), ("openim", "sendmsg", "openim/sendmsg"));
        assert_eq!(sendmsg.to_string(), "openim/sendmsg");
        assert_eq!(Command::MODIFY_GROUP_BASE_INFO.to_string(), "modify_group_base_info");
    }

    #[test]
    fn bad_paths_are_refused_with_the_command_field() {
        let long = format!("openim/{}", "a".repeat(MAX_SEGMENT_LEN + 1));
        for bad in ["", "sendmsg", "/openim/sendmsg", "openim/", "/", "a/b/c", "../x", "openim/send msg", &long] {
            let e = Command::parse(bad).unwrap_err();
            assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "command"), "{bad:?}: {e:?}");
        }
        assert!(Command::parse(&format!("openim/{}", "a".repeat(MAX_SEGMENT_LEN))).is_ok());
    }
}
