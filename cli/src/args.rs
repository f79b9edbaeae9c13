//! The command line: global connection options and the subcommands, parsed with clap.
//!
//! Every global option can come from a `TIM_*` environment variable; a flag on the command line
//! wins over the environment. Parsing only turns text into core types; every rule about what a
//! request may contain is checked by the core before it sends anything.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use timadmin::options::{DEFAULT_FLEET_SIZE, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RATE_LIMIT};
use timadmin::{settings, ApplyJoinOption, RateLimit, RedisFallback};

/// Default lifetime of `usersig generate` tokens: 180 days, as in the vendor's samples.
pub const DEFAULT_USERSIG_EXPIRE: u64 = 180 * 86_400;

/// Command-line client for the Tencent Cloud Chat (IM) group REST API.
///
/// Exit codes: 0 success; 1 the service answered with an error (or a UserSig did not verify);
/// 2 bad arguments (caught before any network call); 3 transport error or timeout.
#[derive(Debug, Parser)]
#[command(name = "timadmin", version, max_term_width = 110)]
pub struct Cli {
    /// Connection and logging options shared by every subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The parsed command line. `emulator` takes its own options (its `--rate-limit`,
    /// `--secret-key`, `--sdkappid` shadow the global ones there, with its own types), so only
    /// `-v` is taken from the global options for it.
    pub fn from_matches(matches: &clap::ArgMatches) -> Result<Cli, clap::Error> {
        use clap::FromArgMatches;
        if let Some(("emulator", sub)) = matches.subcommand() {
            let global = GlobalArgs { verbose: sub.get_count("verbose"), ..GlobalArgs::default() };
            return Ok(Cli {
                global,
                command: Command::Emulator(timadmin_emulator::cli::ServeArgs::from_arg_matches(sub)?),
            });
        }
        Cli::from_arg_matches(matches)
    }

    /// [`Cli::from_matches`] of `args` (tests).
    #[cfg(test)]
    pub fn parse_args<I: IntoIterator<Item = &'static str>>(args: I) -> Result<Cli, clap::Error> {
        use clap::CommandFactory;
        Cli::from_matches(&Cli::command().try_get_matches_from(args)?)
    }
}

/// Options shared by every subcommand (accepted before or after the subcommand name).
///
/// One flag per client setting of the core's settings table (`--` and the setting's name with
/// `-` for `_`), in the same text form as its `TIM_*` variable. The variables are read by the
/// core (`ClientOptions::from_lookup`), not here; a flag wins over its variable.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The app's SDKAppID [env: TIM_SDKAPPID].
    #[arg(long, global = true, value_name = "ID")]
    pub sdkappid: Option<u64>,
    /// The app's secret key; the client signs its own admin UserSig with it [env: TIM_SECRET_KEY].
    /// (`--key` is its earlier name.)
    #[arg(long, alias = "key", global = true, value_name = "KEY")]
    pub secret_key: Option<String>,
    /// A pre-signed admin UserSig, used instead of --secret-key [env: TIM_USERSIG].
    #[arg(long, global = true, value_name = "USERSIG")]
    pub usersig: Option<String>,
    /// The app admin account calls are made as (for `usersig`: the user the token is for)
    /// [env: TIM_IDENTIFIER] [default: administrator].
    #[arg(long, global = true, value_name = "ID")]
    pub identifier: Option<String>,
    /// Service region: china, singapore, seoul, frankfurt, mumbai, silicon-valley, jakarta, tokyo
    /// [env: TIM_REGION].
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Send to this base URL instead of a region's domain (emulator, proxy) [env: TIM_BASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Per-attempt request timeout: seconds (`10`, `2.5`) or with a unit (`500ms`, `10s`); at
    /// most a day [env: TIM_TIMEOUT].
    #[arg(long, global = true, value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// Retries after a failed attempt (0 disables retrying) [env: TIM_MAX_RETRIES].
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
    /// Client-side calls per second per endpoint, or `off`.
    #[arg(long, global = true, value_parser = parse_rate_limit, value_name = "N|off",
        help = format!("Client-side calls per second per endpoint, or off (default {DEFAULT_RATE_LIMIT}) [env: TIM_RATE_LIMIT]"))]
    pub rate_limit: Option<RateLimit>,
    /// Lifetime of the admin UserSigs the client signs with --secret-key: seconds or with a unit
    /// (`3600`, `24h`); at least 60 s [env: TIM_USERSIG_LIFETIME] [default: 24h].
    #[arg(long, global = true, value_parser = parse_duration, value_name = "DURATION")]
    pub usersig_lifetime: Option<Duration>,
    /// Largest response body read, in bytes.
    #[arg(long, global = true, value_name = "BYTES",
        help = format!("Largest response body read, in bytes (default {DEFAULT_MAX_RESPONSE_BYTES}); a larger answer fails [env: TIM_MAX_RESPONSE_BYTES]"))]
    pub max_response_bytes: Option<u64>,
    /// HTTP calls in flight at once.
    #[arg(long, global = true, value_name = "N",
        help = format!("HTTP calls in flight at once (default {DEFAULT_MAX_IN_FLIGHT}) [env: TIM_MAX_IN_FLIGHT]"))]
    pub max_in_flight: Option<u32>,
    /// Allow a plain http:// --base-url to a host other than loopback: the UserSig then
    /// travels in clear text. Only for a trusted network path [env: TIM_ALLOW_INSECURE_HTTP].
    #[arg(long, global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true",
        value_parser = parse_bool, value_name = "BOOL")]
    pub allow_insecure_http: Option<bool>,
    /// Share --rate-limit with every process using this Redis and SDKAppID (a fleet):
    /// `redis://[:PASSWORD@]HOST:PORT/DB`. Prefer the environment variable when the URL holds a
    /// password (the command line is visible to other users); it is never printed
    /// [env: TIM_RATE_LIMIT_REDIS_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub rate_limit_redis_url: Option<String>,
    /// How many processes share the budget: while Redis is unreachable each keeps to
    /// --rate-limit / N per endpoint (with --redis-fallback local-share).
    #[arg(long, global = true, value_name = "N",
        help = format!("How many processes share the budget; while Redis is unreachable each keeps to --rate-limit / N (default {DEFAULT_FLEET_SIZE}) [env: TIM_FLEET_SIZE]"))]
    pub fleet_size: Option<u32>,
    /// While Redis is unreachable: `local-share` (default: each process keeps to its share of
    /// the budget) or `fail` (calls fail with exit code 3 until Redis answers)
    /// [env: TIM_REDIS_FALLBACK].
    #[arg(long, global = true, value_parser = parse_redis_fallback, value_name = "local-share|fail")]
    pub redis_fallback: Option<RedisFallback>,
    /// Log to stderr (-v info, -vv debug, -vvv trace). Logs never contain secrets.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// No progress bar and no notes on stderr (errors are still printed).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign or verify a UserSig (TLSSigAPIv2) with the app's secret key.
    Usersig {
        /// generate or verify.
        #[command(subcommand)]
        command: UsersigCommand,
    },
    /// List a group's members (get_group_member_info): one page, or the whole group with --all.
    #[command(visible_alias = "get-group-member-info")]
    Members(MembersArgs),
    /// List a group's muted accounts and when their mute ends (get_group_muted_account).
    #[command(visible_alias = "get-group-muted-account")]
    Muted(MutedArgs),
    /// Change a group's profile (modify_group_base_info); only the options given are changed.
    #[command(visible_alias = "modify-group-base-info")]
    Modify(ModifyArgs),
    /// Print the settings a client would run with, as JSON (secrets as "***"), for the flags and
    /// TIM_* variables given; sends nothing. Paste it into bug reports.
    Settings,
    /// Send any REST command with a JSON body and print the service's answer as JSON: the same
    /// signing, retries and rate limit (per command) as the other subcommands.
    Call(CallArgs),
    /// Run the local emulator in the foreground; prints one JSON line with its base URL,
    /// sdkappid, key and admin identifier, then serves until interrupted.
    Emulator(timadmin_emulator::cli::ServeArgs),
}

/// `usersig` subcommands.
#[derive(Debug, Subcommand)]
pub enum UsersigCommand {
    /// Print a UserSig for --identifier, signed with --secret-key (`gen` for short).
    #[command(visible_alias = "gen")]
    Generate {
        /// Lifetime in seconds.
        #[arg(long, default_value_t = DEFAULT_USERSIG_EXPIRE, value_name = "SECS")]
        expire: u64,
        /// Bind these bytes (given in standard base64) into the token.
        #[arg(long, value_parser = parse_base64, value_name = "B64")]
        userbuf_base64: Option<Userbuf>,
    },
    /// Verify a UserSig for --identifier against --secret-key and print its claims as JSON;
    /// exit 1 with the reason when it does not verify.
    Verify {
        /// Also require the token to carry exactly these bytes (standard base64).
        #[arg(long, value_parser = parse_base64, value_name = "B64")]
        userbuf_base64: Option<Userbuf>,
        /// The UserSig to check.
        #[arg(value_name = "USERSIG")]
        token: String,
    },
    /// Diagnose a UserSig: print its claims (no key needed), verify it with --secret-key, and
    /// explain which service error it would get (70001, 70003, 70009, 70013, 70014) and what to
    /// check. --sdkappid and --identifier, when given, are what calls use. Exit 1 if it would be
    /// refused.
    Doctor(DoctorArgs),
}

/// Raw userbuf bytes decoded from base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Userbuf(pub Vec<u8>);

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns with human-readable times (the default on a terminal).
    Table,
    /// One JSON array of REST objects.
    Json,
    /// One REST object per line (the default when stdout is not a terminal).
    Ndjson,
    /// A header row, then one row per item (RFC 4180 quoting).
    Csv,
}

/// `members` options.
#[derive(Debug, Args)]
pub struct MembersArgs {
    /// The group ID (community groups start with `@TGS#_`).
    #[arg(value_name = "GROUP_ID", required_unless_present = "from", conflicts_with = "from")]
    pub group_id: Option<String>,
    /// Bulk export (`--all --from FILE`): FILE lists group IDs, one per line; every member of
    /// every group is written with a `GroupId` column (ndjson or csv).
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// Members per call (with --all: the page size).
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Index of the first member (ordinary groups).
    #[arg(long, value_name = "N", conflicts_with_all = ["next", "all"])]
    pub offset: Option<u64>,
    /// Cursor from the previous page (community groups; the first page is "").
    #[arg(long, value_name = "CURSOR", conflicts_with = "all")]
    pub next: Option<String>,
    /// Page through the whole group, streaming members out as they arrive.
    #[arg(long)]
    pub all: bool,
    /// Member fields to return (MemberInfoFilter), e.g. Role,JoinTime,NameCard. (`--fields` is
    /// its earlier name.)
    #[arg(long, alias = "fields", value_delimiter = ',', value_parser = trimmed, value_name = "FIELD,...")]
    pub member_info_filter: Option<Vec<String>>,
    /// Roles to return (MemberRoleFilter): Owner, Admin, Member. (`--roles` is its earlier name.)
    #[arg(long, alias = "roles", value_delimiter = ',', value_parser = trimmed, value_name = "ROLE,...")]
    pub member_role_filter: Option<Vec<String>>,
    /// Custom member-data keys to return (AppDefinedDataFilter_GroupMember). (`--app-data-keys`
    /// is its earlier name.)
    #[arg(long, alias = "app-data-keys", value_delimiter = ',', value_parser = trimmed, value_name = "KEY,...")]
    pub app_defined_data_filter_group_member: Option<Vec<String>>,
    /// Output format (default: table on a terminal, ndjson otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `muted` options.
#[derive(Debug, Args)]
pub struct MutedArgs {
    /// The group ID.
    #[arg(value_name = "GROUP_ID", required_unless_present = "from", conflicts_with = "from")]
    pub group_id: Option<String>,
    /// Bulk export (`--from FILE`): FILE lists group IDs, one per line; every muted account of
    /// every group is written with a `GroupId` column (ndjson or csv).
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// A topic of a topic-enabled community group (TopicId). (`--topic` is its earlier name.)
    #[arg(long, alias = "topic", value_name = "TOPIC_ID")]
    pub topic_id: Option<String>,
    /// Output format (default: table on a terminal, ndjson otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `call` arguments.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The REST command, the path below v4/: service/command (e.g. openim/sendmsg,
    /// group_open_http_svc/forbid_send_msg).
    pub command: String,
    /// The request body, a JSON object; `-` or nothing reads it from stdin.
    pub json: Option<String>,
}

/// `modify` options.
#[derive(Debug, Args)]
pub struct ModifyArgs {
    /// The group ID.
    #[arg(value_name = "GROUP_ID", required_unless_present = "from", conflicts_with = "from")]
    pub group_id: Option<String>,
    /// Bulk job (`--from FILE`): FILE is NDJSON, one modify_group_base_info REST body per line,
    /// or CSV (`.csv`) with a GroupId column, REST-named columns and `AppDefinedData.KEY` columns
    /// (an empty cell changes nothing).
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// With --from: journal progress to FILE and resume from it after Ctrl-C, a crash or a kill
    /// (every group modified exactly once: an input recorded done is never sent again; one in
    /// flight at the kill is sent only if get_group_info shows the group does not hold it yet).
    #[arg(long, value_name = "FILE", requires = "from", conflicts_with = "dry_run")]
    pub checkpoint: Option<std::path::PathBuf>,
    /// New group name (at most 30 bytes of UTF-8).
    #[arg(long)]
    pub name: Option<String>,
    /// New introduction (at most 240 bytes).
    #[arg(long)]
    pub introduction: Option<String>,
    /// New announcement (at most 300 bytes).
    #[arg(long)]
    pub notification: Option<String>,
    /// New profile photo URL (at most 100 bytes).
    #[arg(long, value_name = "URL")]
    pub face_url: Option<String>,
    /// New maximum number of members.
    #[arg(long, value_name = "N")]
    pub max_member_num: Option<u32>,
    /// Who may join: FreeAccess, NeedPermission or DisableApply.
    #[arg(long, value_parser = parse_apply_join_option, value_name = "OPTION")]
    pub apply_join_option: Option<ApplyJoinOption>,
    /// Mute everyone but the owner and admins: on or off.
    #[arg(long, value_parser = parse_on_off, value_name = "on|off")]
    pub shut_up_all_member: Option<bool>,
    /// Set a custom group field, an AppDefinedData item (repeatable). (`--app-data` is its
    /// earlier name.)
    #[arg(long, alias = "app-data", value_parser = parse_key_value, value_name = "KEY=VALUE")]
    pub app_defined_data: Vec<(String, String)>,
    /// Delete a custom group field: an AppDefinedData item with an empty value (repeatable).
    /// (`--delete-app-data` is its earlier name.)
    #[arg(long, alias = "delete-app-data", value_name = "KEY")]
    pub delete_app_defined_data: Vec<String>,
}

/// A list item with surrounding spaces removed (`--roles "Owner, Admin"`).
fn trimmed(s: &str) -> Result<String, String> {
    Ok(s.trim().to_owned())
}

/// `local-share` or `fail`, as the core parses them.
fn parse_redis_fallback(s: &str) -> Result<RedisFallback, String> {
    RedisFallback::from_str(s).map_err(|e| match e {
        timadmin::Error::InvalidArgument { reason, .. } => reason,
        other => other.to_string(),
    })
}

/// A core error's reason, for clap's message (clap names the flag).
fn reason(e: timadmin::Error) -> String {
    match e {
        timadmin::Error::InvalidArgument { reason, .. } => reason,
        other => other.to_string(),
    }
}

/// A duration in the core's text form (`10`, `2.5`, `500ms`, `10s`, `5m`, `24h`); its range is
/// the core's rule, checked when the client is built.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    settings::parse_duration("duration", s).map_err(reason)
}

/// A rate limit in the core's text form: calls per second, or `off`.
fn parse_rate_limit(s: &str) -> Result<RateLimit, String> {
    settings::parse_rate_limit("rate_limit", s).map_err(reason)
}

/// A boolean in the core's text form (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`).
fn parse_bool(s: &str) -> Result<bool, String> {
    settings::parse_bool("bool", s).map_err(reason)
}

/// Standard base64 (with or without padding) → bytes.
fn parse_base64(s: &str) -> Result<Userbuf, String> {
    let t = s.trim();
    STANDARD
        .decode(t)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t))
        .map(Userbuf)
        .map_err(|e| format!("not standard base64: {e}"))
}

/// `FreeAccess`, `NeedPermission` or `DisableApply`, as the core parses them.
fn parse_apply_join_option(s: &str) -> Result<ApplyJoinOption, String> {
    ApplyJoinOption::from_str(s.trim()).map_err(|e| match e {
        timadmin::Error::InvalidArgument { reason, .. } => reason,
        other => other.to_string(),
    })
}

/// `on`/`off` (any case) → true/false.
fn parse_on_off(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("{s:?} is neither on nor off")),
    }
}

/// `KEY=VALUE` (split at the first `=`; the value may be empty or contain `=`).
fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("{s:?} is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn emulator_options_share_names_with_global_ones_without_clashing() {
        // The emulator's own --secret-key/--sdkappid/--rate-limit shadow the global options
        // there; --key stays an alias of --secret-key in both.
        for key_flag in ["--secret-key", "--key"] {
            let cli = Cli::parse_args([
                "timadmin",
                "emulator",
                "--port",
                "0",
                key_flag,
                "k",
                "--sdkappid",
                "7",
                "--rate-limit",
                "5",
            ])
            .unwrap();
            let Command::Emulator(serve) = cli.command else { panic!("not parsed as emulator") };
            assert_eq!(serve.secret_key, "k");
        }
        let cli = Cli::parse_args([
            "timadmin",
            "emulator",
            "--port",
            "0",
            "--secret-key",
            "k",
            "--sdkappid",
            "7",
            "--rate-limit",
            "5",
        ])
        .unwrap();
        match cli.command {
            Command::Emulator(serve) => {
                assert_eq!(serve.secret_key, "k");
                assert_eq!(serve.sdkappid, 7);
                assert_eq!(serve.rate_limit, 5);
            }
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let a = Cli::try_parse_from(["timadmin", "--sdkappid", "1", "members", "g", "--rate-limit", "off"]).unwrap();
        assert_eq!(a.global.sdkappid, Some(1));
        assert_eq!(a.global.rate_limit, Some(RateLimit::Off));
        let b = Cli::try_parse_from(["timadmin", "usersig", "gen", "--identifier", "alice"]).unwrap();
        assert_eq!(b.global.identifier.as_deref(), Some("alice"));
    }

    #[test]
    fn value_parsers() {
        assert_eq!(parse_duration("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_rate_limit("off"), Ok(RateLimit::Off));
        assert_eq!(parse_rate_limit("0.5"), Ok(RateLimit::PerSecond(0.5)));
        assert_eq!(parse_on_off("On"), Ok(true));
        assert_eq!(parse_on_off("off"), Ok(false));
        assert!(parse_on_off("maybe").is_err());
        assert_eq!(parse_key_value("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(parse_key_value("a="), Ok(("a".into(), String::new())));
        assert!(parse_key_value("=b").is_err());
        assert!(parse_key_value("ab").is_err());
        assert_eq!(parse_base64("AAE="), Ok(Userbuf(vec![0, 1])));
        assert_eq!(parse_base64("AAE"), Ok(Userbuf(vec![0, 1])));
        assert!(parse_base64("*").is_err());
        assert_eq!(parse_apply_join_option("FreeAccess"), Ok(ApplyJoinOption::FreeAccess));
        assert!(parse_apply_join_option("free").is_err());
    }
}

/// Default worker threads of a bulk job.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Options every bulk command takes.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// Run a bulk job over every input of FILE (see the command's help for the format), paced at
    /// --rate-limit; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Calls in flight at once in a bulk job (at most --max-in-flight).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY, requires = "from")]
    pub concurrency: usize,
    /// Validate every input and print what would be sent; send nothing.
    #[arg(long, requires = "from")]
    pub dry_run: bool,
    /// Write the result lines (one JSON object per input) to FILE instead of stdout (`modify`)
    /// or stderr (exports, whose stdout is the data).
    #[arg(long, value_name = "FILE", requires = "from")]
    pub results: Option<PathBuf>,
}

/// `usersig doctor` options (the expected `--sdkappid`, `--identifier` and the `--secret-key`
/// are the global options).
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The UserSig to diagnose.
    #[arg(value_name = "USERSIG")]
    pub token: String,
}
