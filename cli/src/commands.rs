//! The subcommands: build a core request from the options, call the core, write the answer.

use std::io::{self, BufWriter, IsTerminal, Write};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use timadmin::options::DEFAULT_PAGE_SIZE;
use timadmin::usersig::{self, Claims};
use timadmin::{
    AppDefinedDataUpdate, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest,
    PageOptions,
};

use crate::args::{CallArgs, Format, MembersArgs, ModifyArgs, MutedArgs, Userbuf, UsersigCommand};
use crate::context::Context;
use crate::error::CliError;
use crate::output::{muted_columns, select_member_columns, RecordWriter};

/// `settings`: the effective settings as JSON, sending nothing.
pub fn settings(ctx: &Context<'_>) -> Result<(), CliError> {
    let config = ctx.config()?;
    let text = serde_json::to_string_pretty(&config.settings()).map_err(io::Error::other)?;
    let mut out = stdout();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// `call`: any REST command with a JSON object body (the argument, or stdin for `-` or none);
/// prints the answer object as one line of JSON. The core checks the command and the body.
pub fn call(ctx: &Context<'_>, a: &CallArgs) -> Result<(), CliError> {
    let text = match a.json.as_deref() {
        Some(json) if json != "-" => json.to_owned(),
        _ => io::read_to_string(io::stdin().lock())?,
    };
    let body: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| timadmin::Error::invalid("body", format!("not JSON: {e}")))?;
    let client = ctx.client()?;
    let answer = client.call(&a.command, &body)?;
    let mut out = stdout();
    writeln!(out, "{answer}")?;
    out.flush()?;
    Ok(())
}

/// The format asked for, else table on a terminal and ndjson otherwise.
fn format_or_default(format: Option<Format>) -> Format {
    format.unwrap_or(if io::stdout().is_terminal() { Format::Table } else { Format::Ndjson })
}

/// Buffered stdout; callers flush after each batch so output streams.
fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

/// `usersig generate` / `usersig verify` / `usersig doctor`.
pub fn usersig(ctx: &Context<'_>, command: &UsersigCommand) -> Result<(), CliError> {
    if let UsersigCommand::Doctor(args) = command {
        // Needs neither an SDKAppID nor a key.
        return crate::doctor::run(ctx, args);
    }
    let (sdkappid, key, identifier) = ctx.signing()?;
    let (key, identifier) = (key.as_str(), identifier.as_str());
    let mut out = stdout();
    match command {
        UsersigCommand::Generate { expire, userbuf_base64 } => {
            let token = match userbuf_base64 {
                Some(Userbuf(buf)) => usersig::generate_with_userbuf(sdkappid, key, identifier, *expire, buf),
                None => usersig::generate(sdkappid, key, identifier, *expire),
            }
            .map_err(timadmin::Error::from)?;
            writeln!(out, "{token}")?;
        }
        UsersigCommand::Verify { userbuf_base64, token } => {
            // Inputs that cannot verify anything are usage errors; a token that fails is exit 1.
            if identifier.is_empty() || key.is_empty() || sdkappid == 0 {
                return Err(CliError::Usage(
                    "verify needs a non-empty --identifier and --secret-key and a non-zero --sdkappid".into(),
                ));
            }
            let claims = match userbuf_base64 {
                Some(Userbuf(buf)) => usersig::verify_with_userbuf(sdkappid, key, identifier, token, buf),
                None => usersig::verify(sdkappid, key, identifier, token),
            }
            .map_err(CliError::NotVerified)?;
            let text = serde_json::to_string_pretty(&claims_json(&claims)).map_err(io::Error::other)?;
            writeln!(out, "{text}")?;
        }
        UsersigCommand::Doctor(_) => {} // handled above
    }
    out.flush()?;
    Ok(())
}

/// The claims of a verified UserSig, as printed by `usersig verify`.
#[derive(serde::Serialize)]
struct ClaimsJson<'a> {
    identifier: &'a str,
    sdkappid: u64,
    time: u64,
    expire: u64,
    expires_at: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    userbuf_base64: Option<String>,
}

/// The claims of a verified UserSig as JSON (the userbuf in standard base64).
fn claims_json(c: &Claims) -> ClaimsJson<'_> {
    ClaimsJson {
        identifier: &c.identifier,
        sdkappid: c.sdkappid,
        time: c.time,
        expire: c.expire,
        expires_at: c.expires_at(),
        userbuf_base64: c.userbuf.as_ref().map(|b| STANDARD.encode(b)),
    }
}

/// Clears the progress bar however the command ends.
struct Progress(Option<ProgressBar>);

impl Progress {
    /// A spinner-and-bar on stderr, or nothing when disabled.
    fn new(enabled: bool) -> Self {
        if !enabled {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {bar:40.cyan/blue} {human_pos}/{human_len} members {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// Records one page: `fetched` more members of `member_num`.
    fn page(&self, fetched: usize, member_num: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(member_num);
            bar.inc(fetched as u64);
        }
    }

    /// Runs `f` with the bar hidden, so output on the same terminal does not garble it.
    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// `members`: one page, or every page with `--all`.
pub fn members(ctx: &Context<'_>, a: &MembersArgs) -> Result<(), CliError> {
    let group_id = match (&a.bulk.from, &a.group_id) {
        (Some(from), _) => return crate::bulk::members(ctx, a, from),
        (None, g) => g.clone().unwrap_or_default(),
    };
    let client = ctx.client()?;
    let format = format_or_default(a.format);
    let columns =
        select_member_columns(a.member_info_filter.as_deref(), a.app_defined_data_filter_group_member.is_some());
    if a.all {
        let options = PageOptions {
            page_size: a.limit.unwrap_or(DEFAULT_PAGE_SIZE),
            member_info_filter: a.member_info_filter.clone(),
            member_role_filter: a.member_role_filter.clone(),
            app_defined_data_filter_group_member: a.app_defined_data_filter_group_member.clone(),
        };
        // The core names the page size `page_size`; here the user set it with `--limit`.
        let mut pager = client.members(group_id.clone(), options).map_err(|e| match e {
            timadmin::Error::InvalidArgument { field, reason } if field == "page_size" => {
                timadmin::Error::invalid("--limit", reason)
            }
            other => other,
        })?;
        let progress = Progress::new(ctx.chatty() && io::stderr().is_terminal());
        let mut writer = RecordWriter::new(stdout(), format, columns);
        while let Some(page) = pager.next_page()? {
            progress.page(page.members.len(), page.member_num);
            progress.suspend(|| writer.batch(&page.members))?;
        }
        let written = writer.count();
        progress.suspend(|| writer.finish())?;
        drop(progress);
        if ctx.chatty() {
            eprintln!("{written} members (MemberNum {})", pager.member_num().unwrap_or(0));
        }
        return Ok(());
    }
    let request = GetGroupMemberInfoRequest {
        member_info_filter: a.member_info_filter.clone(),
        member_role_filter: a.member_role_filter.clone(),
        app_defined_data_filter_group_member: a.app_defined_data_filter_group_member.clone(),
        limit: a.limit,
        offset: a.offset,
        next: a.next.clone(),
        ..GetGroupMemberInfoRequest::new(group_id)
    };
    let response = client.get_group_member_info(&request)?;
    let mut writer = RecordWriter::new(stdout(), format, columns);
    writer.batch(&response.member_list)?;
    writer.finish()?;
    if ctx.chatty() {
        let got = response.member_list.len() as u64;
        let more = match (&response.next, request.offset) {
            (Some(next), _) if !next.is_empty() => format!("; next page: --next {next}"),
            (Some(_), _) => "; last page".to_owned(),
            (None, offset) => {
                let end = offset.unwrap_or(0) + got;
                if got > 0 && end < response.member_num {
                    format!("; next page: --offset {end}")
                } else {
                    String::new()
                }
            }
        };
        eprintln!("{got} members (MemberNum {}){more}", response.member_num);
    }
    Ok(())
}

/// `muted`: the muted accounts of a group or topic.
pub fn muted(ctx: &Context<'_>, a: &MutedArgs) -> Result<(), CliError> {
    let group_id = match (&a.bulk.from, &a.group_id) {
        (Some(from), _) => return crate::bulk::muted(ctx, a, from),
        (None, g) => g.clone().unwrap_or_default(),
    };
    let client = ctx.client()?;
    let request = GetGroupMutedAccountRequest { group_id, topic_id: a.topic_id.clone() };
    let response = client.get_group_muted_account(&request)?;
    let mut writer = RecordWriter::new(stdout(), format_or_default(a.format), muted_columns());
    writer.batch(&response.muted_account_list)?;
    writer.finish()?;
    Ok(())
}

/// `modify`: change the given profile fields.
pub fn modify(ctx: &Context<'_>, a: &ModifyArgs) -> Result<(), CliError> {
    let mut updates: Vec<AppDefinedDataUpdate> =
        a.app_defined_data.iter().map(|(k, v)| AppDefinedDataUpdate::set(k.clone(), v.clone())).collect();
    updates.extend(a.delete_app_defined_data.iter().map(|k| AppDefinedDataUpdate::delete(k.clone())));
    let request = ModifyGroupBaseInfoRequest {
        name: a.name.clone(),
        introduction: a.introduction.clone(),
        notification: a.notification.clone(),
        face_url: a.face_url.clone(),
        max_member_num: a.max_member_num,
        apply_join_option: a.apply_join_option,
        shut_up_all_member: a.shut_up_all_member,
        app_defined_data: (!updates.is_empty()).then_some(updates),
        ..ModifyGroupBaseInfoRequest::new(a.group_id.clone().unwrap_or_default())
    };
    let changed = changed_fields(&request);
    if let Some(from) = &a.bulk.from {
        if !changed.is_empty() {
            return Err(CliError::Usage(format!("--from takes every change from its file; drop --{}", changed[0])));
        }
        return crate::bulk::modify(ctx, a, from);
    }
    if changed.is_empty() {
        return Err(CliError::Usage(
            "nothing to modify: give at least one of --name, --introduction, --notification, --face-url, \
             --max-member-num, --apply-join-option, --shut-up-all-member, --app-defined-data, --delete-app-defined-data"
                .into(),
        ));
    }
    let client = ctx.client()?;
    client.modify_group_base_info(&request)?;
    let mut out = stdout();
    writeln!(out, "modified {}: {}", request.group_id, changed.join(", "))?;
    out.flush()?;
    Ok(())
}

/// The REST names of the fields a modify request changes.
fn changed_fields(r: &ModifyGroupBaseInfoRequest) -> Vec<&'static str> {
    [
        ("Name", r.name.is_some()),
        ("Introduction", r.introduction.is_some()),
        ("Notification", r.notification.is_some()),
        ("FaceUrl", r.face_url.is_some()),
        ("MaxMemberNum", r.max_member_num.is_some()),
        ("ApplyJoinOption", r.apply_join_option.is_some()),
        ("ShutUpAllMember", r.shut_up_all_member.is_some()),
        ("AppDefinedData", r.app_defined_data.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

/// `emulator`: serve in the foreground via the emulator crate's own command.
pub fn emulator(args: timadmin_emulator::cli::ServeArgs) -> Result<(), CliError> {
    timadmin_emulator::cli::run(args).map_err(CliError::Emulator)
}
