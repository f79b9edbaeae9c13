//! Bulk admin jobs: `modify --from FILE`, `members --all --from FILE`, `muted --from FILE`.
//!
//! Every input is turned into a core request (the core's REST-body decoder and request
//! validation; no rule lives here), then sent by `--concurrency` worker threads through one
//! client, whose rate limiter paces every call (shared by a fleet when configured). One result
//! line per input says `ok` or the typed error; the exit code is non-zero when any input failed
//! (the highest of the failed inputs' codes: 1 service error, 2 invalid input, 3 transport).
//! `--dry-run` validates every input and prints what would be sent, sending nothing.
//! `modify --checkpoint FILE` resumes an interrupted job (see [`crate::checkpoint`]) and
//! modifies every group exactly once: an input in flight at the interruption is checked against
//! the group's state (`get_group_info`, through the core's raw call) and sent only when the group
//! does not hold it yet ([`already_applied`]).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use timadmin::options::DEFAULT_PAGE_SIZE;
use timadmin::{
    BlockingClient, Error, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest,
    PageOptions, Stats,
};

use crate::args::{BulkArgs, Format, MembersArgs, ModifyArgs, MutedArgs};
use crate::checkpoint::Checkpoint;
use crate::context::Context;
use crate::error::{core_exit_code, CliError, EXIT_USAGE};
use crate::output::{csv_field, muted_columns, Column};

/// Input lines read from a file: each line number with its REST body or why it has none.
type Bodies = Vec<(u64, Result<Value, Error>)>;

/// Runs before each input is sent: gets the worker's previous input and its result (to record
/// as done) and the next input (to record as started).
type BeforeSend<'a, T> = dyn Fn(Option<(&T, &Value)>, Option<&T>) -> io::Result<()> + Sync + 'a;

/// Writes one group's rows of an export and says how many.
type Fetch<'a, T> = dyn Fn(&BlockingClient, &str, &Export<T>) -> Result<u64, Error> + Sync + 'a;

/// One input of a bulk job: its line in the file, its group, and its request or why it has none.
struct Input<R> {
    line: u64,
    group_id: String,
    request: Result<R, Error>,
}

/// The inputs' file: its bytes (read once, so the checkpoint digest matches what is run).
fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    let read = if path == Path::new("-") {
        let mut buf = Vec::new();
        io::Read::read_to_end(&mut io::stdin().lock(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    read.map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))
}

/// Hex SHA-256 of the input, tying a checkpoint to it.
fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `path` is CSV (by its extension), else NDJSON.
fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// `modify` inputs from NDJSON (one REST body per line; blank lines skipped) or CSV (a `GroupId`
/// column, REST-named columns, `AppDefinedData.KEY` columns; an empty cell leaves a field alone).
fn modify_inputs(path: &Path, bytes: &[u8]) -> Result<Vec<Input<ModifyGroupBaseInfoRequest>>, CliError> {
    let bodies = if is_csv(path) { csv_bodies(path, bytes)? } else { ndjson_bodies(bytes) };
    Ok(bodies
        .into_iter()
        .map(|(line, body)| {
            let group_id = body.as_ref().ok().and_then(|b| b["GroupId"].as_str()).unwrap_or_default().to_owned();
            let request = body.and_then(|b| {
                let r = ModifyGroupBaseInfoRequest::from_rest(&b)?;
                timadmin::validate::modify_base_info(&r)?;
                Ok(r)
            });
            Input { line, group_id, request }
        })
        .collect())
}

/// Each non-blank line of NDJSON as JSON, with its line number.
fn ndjson_bodies(bytes: &[u8]) -> Bodies {
    String::from_utf8_lossy(bytes)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let body = serde_json::from_str(l).map_err(|e| Error::invalid("line", format!("is not JSON: {e}")));
            (i as u64 + 1, body)
        })
        .collect()
}

/// Each CSV record as a REST body (the file's line number of the record).
fn csv_bodies(path: &Path, bytes: &[u8]) -> Result<Bodies, CliError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| CliError::Usage(format!("{}: cannot read the CSV header: {e}", path.display())))?
        .clone();
    if !headers.iter().any(|h| h == "GroupId") {
        return Err(CliError::Usage(format!("{}: the CSV header has no GroupId column", path.display())));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let line = match &record {
            Ok(r) => r.position().map_or(0, |p| p.line()),
            Err(e) => e.position().map_or(0, |p| p.line()),
        };
        let body = record.map_err(|e| Error::invalid("line", format!("is not a CSV record: {e}"))).map(|r| {
            let mut map = Map::new();
            let mut custom = Vec::new();
            for (name, cell) in headers.iter().zip(r.iter()) {
                if cell.is_empty() && name != "GroupId" {
                    continue;
                }
                if let Some(key) = name.strip_prefix("AppDefinedData.") {
                    custom.push(json!({"Key": key, "Value": cell}));
                } else if name == "MaxMemberNum" {
                    // A number in JSON when it reads as one; the core names anything else.
                    map.insert(name.to_owned(), cell.parse::<u64>().map_or_else(|_| json!(cell), |n| json!(n)));
                } else {
                    map.insert(name.to_owned(), json!(cell));
                }
            }
            if !custom.is_empty() {
                map.insert("AppDefinedData".into(), Value::Array(custom));
            }
            Value::Object(map)
        });
        out.push((line, body));
    }
    Ok(out)
}

/// Group IDs, one per line (blank lines and lines starting with `#` skipped; spaces trimmed).
fn group_id_lines(bytes: &[u8]) -> Vec<(u64, String)> {
    String::from_utf8_lossy(bytes)
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim().to_owned()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The typed error of a failed input, as in a result line: `kind`, `code` (service errors),
/// `field` (invalid input) and the core's message, which never holds a secret.
pub fn error_json(e: &Error) -> Value {
    let kind = e.kind();
    let mut v = json!({"kind": kind, "code": e.code(), "message": e.to_string(), "exit_code": core_exit_code(e)});
    if let Error::InvalidArgument { field, .. } = e {
        v["field"] = json!(field);
    }
    v
}

/// A result line.
fn result_json(line: u64, group_id: &str, outcome: Result<Value, &Error>) -> Value {
    match outcome {
        Ok(extra) => {
            let mut v = json!({"line": line, "GroupId": group_id, "ok": true});
            if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
                m.extend(x);
            }
            v
        }
        Err(e) => json!({"line": line, "GroupId": group_id, "ok": false, "error": error_json(e)}),
    }
}

/// Where result lines go, counting failures and the worst exit code; draws the progress bar.
struct Results {
    out: Box<dyn Write + Send>,
    bar: Option<ProgressBar>,
    total: usize,
    failed: usize,
    exit_code: i32,
}

impl Results {
    fn new(ctx: &Context<'_>, args: &BulkArgs, to_stderr: bool, total: usize, noun: &str) -> Result<Results, CliError> {
        let out: Box<dyn Write + Send> = match &args.results {
            Some(path) => Box::new(BufWriter::new(
                File::create(path).map_err(|e| CliError::Usage(format!("cannot create {}: {e}", path.display())))?,
            )),
            None if to_stderr => Box::new(io::stderr()),
            None => Box::new(io::stdout()),
        };
        let bar = (ctx.chatty() && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let template =
                format!("{{spinner}} {{bar:40.cyan/blue}} {{human_pos}}/{{human_len}} {noun} {{per_sec}} eta {{eta}}");
            bar.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Ok(Results { out, bar, total, failed: 0, exit_code: 0 })
    }

    /// Writes one result line (flushed, so a killed job's output is complete up to here).
    fn write(&mut self, result: &Value) -> io::Result<()> {
        if result["ok"] != json!(true) {
            self.failed += 1;
            let code = result["error"]["exit_code"].as_i64().map_or(EXIT_USAGE, |c| c as i32);
            self.exit_code = self.exit_code.max(code);
        }
        let text = format!("{result}\n");
        let out = &mut self.out;
        let mut write = || {
            out.write_all(text.as_bytes())?;
            out.flush()
        };
        match &self.bar {
            Some(bar) => {
                bar.suspend(write)?;
                bar.inc(1);
                Ok(())
            }
            None => write(),
        }
    }

    /// Clears the bar, prints the one-line summary (unless quiet): the inputs, then what the
    /// client did (its [`Stats`], when calls were made), and turns failures into the exit code.
    fn finish(
        self,
        ctx: &Context<'_>,
        job: &str,
        started: Instant,
        notes: &str,
        stats: Option<&Stats>,
    ) -> Result<(), CliError> {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if ctx.chatty() {
            eprintln!(
                "{job}: {} inputs, {} ok, {} failed{notes} in {:.1} s{}",
                self.total,
                self.total - self.failed,
                self.failed,
                started.elapsed().as_secs_f64(),
                stats.map(stats_summary).unwrap_or_default()
            );
        }
        if self.failed == 0 {
            Ok(())
        } else {
            Err(CliError::Failed { failed: self.failed, total: self.total, code: self.exit_code })
        }
    }
}

/// What the client did, for the summary line: per command used, `; COMMAND: N calls, N errors
/// (KIND N, ...), N retries, p50 X ms, p99 X ms, rate-limit wait X s (max X s)`.
fn stats_summary(stats: &Stats) -> String {
    let mut text = String::new();
    for (command, c) in &stats.commands {
        let kinds: Vec<String> = c.errors.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        let kinds = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
        text.push_str(&format!(
            "; {command}: {} calls, {} errors{kinds}, {} retries, p50 {:.1} ms, p99 {:.1} ms, rate-limit wait {:.1} s (max {:.2} s)",
            c.calls,
            c.failed(),
            c.retries,
            c.latency_ms.p50,
            c.latency_ms.p99,
            c.rate_limit_wait_ms.total / 1e3,
            c.rate_limit_wait_ms.max / 1e3,
        ));
    }
    text
}

/// The worker count: `--concurrency`, at least 1 and at most the client's `max_in_flight`.
fn concurrency(ctx: &Context<'_>, args: &BulkArgs) -> Result<usize, CliError> {
    let max = ctx.config()?.settings()["max_in_flight"].as_u64().unwrap_or(1) as usize;
    if args.concurrency == 0 || args.concurrency > max {
        return Err(CliError::Usage(format!(
            "--concurrency must be from 1 to the client's max_in_flight ({max}); got {}",
            args.concurrency
        )));
    }
    Ok(args.concurrency)
}

/// Runs `work` over `todo` on `workers` threads; each finished item's result goes through
/// `results` in completion order. `before_send(prev_done, next)` runs before each item is sent
/// (the checkpoint's fsync) and after the previous one's answer.
fn run_workers<T: Sync>(
    workers: usize,
    todo: &[T],
    results: &mut Results,
    before_send: &BeforeSend<'_, T>,
    work: &(dyn Fn(&T) -> Value + Sync),
) -> Result<(), CliError> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failure: Mutex<Option<io::Error>> = Mutex::new(None);
    let (tx, rx) = mpsc::channel::<Value>();
    let write_error = std::thread::scope(|scope| {
        for _ in 0..workers.min(todo.len()).max(1) {
            let tx = tx.clone();
            let (next, stop, failure) = (&next, &stop, &failure);
            scope.spawn(move || {
                let mut previous: Option<(&T, Value)> = None;
                loop {
                    let item =
                        if stop.load(Ordering::SeqCst) { None } else { todo.get(next.fetch_add(1, Ordering::SeqCst)) };
                    if let Err(e) = before_send(previous.as_ref().map(|(t, v)| (*t, v)), item) {
                        stop.store(true, Ordering::SeqCst);
                        *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                        return;
                    }
                    if let Some((_, result)) = previous.take() {
                        if tx.send(result).is_err() {
                            stop.store(true, Ordering::SeqCst);
                        }
                    }
                    let Some(item) = item else { return };
                    previous = Some((item, work(item)));
                }
            });
        }
        drop(tx);
        let mut write_error = None;
        for result in rx {
            if write_error.is_none() {
                if let Err(e) = results.write(&result) {
                    stop.store(true, Ordering::SeqCst);
                    write_error = Some(e);
                }
            }
        }
        write_error
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(CliError::Usage(format!("cannot write the checkpoint: {e}")));
    }
    match write_error {
        Some(e) => Err(CliError::Io(e)),
        None => Ok(()),
    }
}

/// `modify --from FILE [--checkpoint CK]`.
pub fn modify(ctx: &Context<'_>, a: &ModifyArgs, from: &Path) -> Result<(), CliError> {
    let started = Instant::now();
    let bytes = read_input(from)?;
    let inputs = modify_inputs(from, &bytes)?;
    let mut results = Results::new(ctx, &a.bulk, false, inputs.len(), "groups")?;
    if a.bulk.dry_run {
        for input in &inputs {
            let outcome = input.request.as_ref().map(|r| json!({"dry_run": true, "would_send": r}));
            results.write(&result_json(input.line, &input.group_id, outcome))?;
        }
        return results.finish(ctx, "modify --dry-run", started, "; nothing sent", None);
    }
    let workers = concurrency(ctx, &a.bulk)?;
    let checkpoint = match &a.checkpoint {
        Some(path) => Some(Checkpoint::open(path, "modify", &digest(&bytes), inputs.len())?),
        None => None,
    };
    let client = ctx.client()?;
    let (mut resumed, mut in_doubt) = (0, 0);
    let mut todo = Vec::new();
    for input in &inputs {
        let recorded = checkpoint.as_ref().and_then(|c| c.done(input.line));
        match (&input.request, recorded) {
            (Err(e), _) => results.write(&result_json(input.line, &input.group_id, Err(e)))?,
            (Ok(_), Some(previous)) => {
                let mut previous = previous.clone();
                previous["from_checkpoint"] = json!(true);
                results.write(&previous)?;
                resumed += 1;
            }
            (Ok(request), None) => {
                let doubt = checkpoint.as_ref().is_some_and(|c| c.in_doubt(input.line));
                in_doubt += usize::from(doubt);
                todo.push((input, request, doubt));
            }
        }
    }
    let before_send = |done: Option<(&(&Input<_>, &ModifyGroupBaseInfoRequest, bool), &Value)>,
                       next: Option<&(&Input<_>, &ModifyGroupBaseInfoRequest, bool)>| {
        match &checkpoint {
            Some(c) => c.record(done.map(|((i, _, _), v)| (i.line, v)), next.map(|(i, _, _)| i.line)),
            None => Ok(()),
        }
    };
    let work = |(input, request, doubt): &(&Input<ModifyGroupBaseInfoRequest>, &ModifyGroupBaseInfoRequest, bool)| {
        if !*doubt {
            let outcome = client.modify_group_base_info(request);
            return result_json(input.line, &input.group_id, outcome.as_ref().map(|()| json!({})));
        }
        // In doubt: its request may have reached the service. Read the group first and send
        // only when the state does not hold the request yet; a failed read sends nothing.
        let mut v = match already_applied(&client, request) {
            Ok(true) => result_json(input.line, &input.group_id, Ok(json!({"already_applied": true}))),
            Ok(false) => {
                let outcome = client.modify_group_base_info(request);
                result_json(input.line, &input.group_id, outcome.as_ref().map(|()| json!({"already_applied": false})))
            }
            Err(e) => result_json(input.line, &input.group_id, Err(&e)),
        };
        v["in_doubt"] = json!(true);
        v
    };
    run_workers(workers, &todo, &mut results, &before_send, &work)?;
    let notes = match (resumed, in_doubt) {
        (0, 0) => String::new(),
        _ => format!(" ({resumed} recorded by the checkpoint, {in_doubt} in doubt checked against the group first)"),
    };
    results.finish(ctx, "modify", started, &notes, Some(&client.stats()))
}

/// The REST command that reads a group's state.
const GET_GROUP_INFO: &str = "group_open_http_svc/get_group_info";

/// Whether the group of `request` already holds every field `request` sets (read with
/// `get_group_info`, asking only for those fields): then an in-doubt modify had reached the
/// service and must not be sent again. `Ok(false)` when any field differs or cannot be compared
/// (absent from the answer); `Err` when the read fails (the group's own `ErrorCode` included).
fn already_applied(client: &BlockingClient, request: &ModifyGroupBaseInfoRequest) -> Result<bool, Error> {
    let r = request;
    // Each set base field: its name in get_group_info's answer and the value that means "applied".
    let mut expected: Vec<(&str, Value)> = Vec::new();
    for (name, value) in [
        ("Name", r.name.as_ref().map(|v| json!(v))),
        ("Introduction", r.introduction.as_ref().map(|v| json!(v))),
        ("Notification", r.notification.as_ref().map(|v| json!(v))),
        ("FaceUrl", r.face_url.as_ref().map(|v| json!(v))),
        ("MaxMemberNum", r.max_member_num.map(|v| json!(v))),
        ("ApplyJoinOption", r.apply_join_option.map(|v| json!(v.as_str()))),
        // `MuteAllMember` or `ShutUpAllMember` in the modify body; `ShutUpAllMember` in the answer.
        ("ShutUpAllMember", r.shut_up_all_member.map(|on| json!(if on { "On" } else { "Off" }))),
    ] {
        if let Some(value) = value {
            expected.push((name, value));
        }
    }
    let custom = r.app_defined_data.as_deref().unwrap_or_default();
    if expected.is_empty() && custom.is_empty() {
        // Nothing to compare: send it as before (a modify that sets nothing changes nothing).
        return Ok(false);
    }
    let base: Vec<&str> = expected.iter().map(|(name, _)| *name).collect();
    let keys: Vec<&str> = custom.iter().map(|u| u.key.as_str()).collect();
    let mut filter = json!({"GroupBaseInfoFilter": base});
    if !keys.is_empty() {
        filter["AppDefinedDataFilter_Group"] = json!(keys);
    }
    let answer = client.call(GET_GROUP_INFO, &json!({"GroupIdList": [r.group_id], "ResponseFilter": filter}))?;
    let undecodable = |reason: &str| Error::Decode {
        reason: format!("get_group_info: {reason}"),
        excerpt: answer.to_string().chars().take(200).collect(),
    };
    let entry = answer["GroupInfo"]
        .as_array()
        .and_then(|list| list.iter().find(|g| g["GroupId"].as_str() == Some(r.group_id.as_str())))
        .ok_or_else(|| undecodable("the answer has no GroupInfo entry for the group"))?;
    match entry["ErrorCode"].as_i64() {
        Some(0) => {}
        Some(code) => return Err(Error::api(code, entry["ErrorInfo"].as_str().unwrap_or_default())),
        None => return Err(undecodable("the group's entry has no ErrorCode")),
    }
    if expected.iter().any(|(name, value)| entry.get(*name) != Some(value)) {
        return Ok(false);
    }
    if custom.is_empty() {
        return Ok(true);
    }
    // Custom data: a set key holds its value; a deleted key (no value, or "") is absent. Without
    // the list in the answer nothing can be compared.
    let Some(held) = entry["AppDefinedData"].as_array() else {
        return Ok(false);
    };
    let value_of = |key: &str| held.iter().find(|kv| kv["Key"].as_str() == Some(key)).map(|kv| &kv["Value"]);
    Ok(custom.iter().all(|u| match u.value.as_deref() {
        Some(v) if !v.is_empty() => value_of(&u.key) == Some(&json!(v)),
        _ => value_of(&u.key).is_none(),
    }))
}

/// Rows of an export: NDJSON objects with `GroupId` first, or CSV with a `GroupId` column.
struct Export<T> {
    out: Mutex<Box<dyn Write + Send>>,
    csv: bool,
    columns: Vec<Column<T>>,
}

impl<T: serde::Serialize> Export<T> {
    fn new(format: Option<Format>, columns: Vec<Column<T>>) -> Result<Export<T>, CliError> {
        let csv = match format.unwrap_or(Format::Ndjson) {
            Format::Ndjson => false,
            Format::Csv => true,
            other => return Err(CliError::Usage(format!("bulk exports write ndjson or csv, not {other:?}"))),
        };
        let mut out: Box<dyn Write + Send> = Box::new(BufWriter::new(io::stdout()));
        if csv {
            let header: Vec<&str> = std::iter::once("GroupId").chain(columns.iter().map(|c| c.name)).collect();
            writeln!(out, "{}", header.join(","))?;
        }
        Ok(Export { out: Mutex::new(out), csv, columns })
    }

    /// Writes one group's batch of items (under a lock: rows of different groups never mix).
    fn batch(&self, group_id: &str, items: &[T]) -> io::Result<()> {
        let mut text = String::new();
        for item in items {
            if self.csv {
                let cells: Vec<String> = std::iter::once(csv_field(group_id))
                    .chain(self.columns.iter().map(|c| csv_field(&(c.cell)(item, false))))
                    .collect();
                text.push_str(&cells.join(","));
            } else {
                let mut v = json!({"GroupId": group_id});
                if let (Value::Object(m), Ok(Value::Object(x))) = (&mut v, serde_json::to_value(item)) {
                    m.extend(x);
                }
                text.push_str(&v.to_string());
            }
            text.push('\n');
        }
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        out.write_all(text.as_bytes())?;
        out.flush()
    }
}

/// Runs an export over the group IDs of `from`: `fetch(client, group_id, export)` writes a
/// group's rows and says how many.
fn export<T: serde::Serialize>(
    ctx: &Context<'_>,
    args: &BulkArgs,
    from: &Path,
    job: &str,
    export: Export<T>,
    validate: &(dyn Fn(&str) -> Result<Value, Error> + Sync),
    fetch: &Fetch<'_, T>,
) -> Result<(), CliError> {
    let started = Instant::now();
    let groups = group_id_lines(&read_input(from)?);
    let mut results = Results::new(ctx, args, true, groups.len(), "groups")?;
    let checked: Vec<(u64, String, Result<Value, Error>)> = groups
        .into_iter()
        .map(|(line, g)| {
            let v = validate(&g);
            (line, g, v)
        })
        .collect();
    if args.dry_run {
        for (line, g, v) in &checked {
            let outcome = v.as_ref().map(|body| json!({"dry_run": true, "would_send": body}));
            results.write(&result_json(*line, g, outcome))?;
        }
        return results.finish(ctx, &format!("{job} --dry-run"), started, "; nothing sent", None);
    }
    let workers = concurrency(ctx, args)?;
    let client = ctx.client()?;
    let mut todo = Vec::new();
    for (line, g, v) in &checked {
        match v {
            Err(e) => results.write(&result_json(*line, g, Err(e)))?,
            Ok(_) => todo.push((*line, g.as_str())),
        }
    }
    let export = &export;
    let work = |(line, g): &(u64, &str)| {
        let outcome = fetch(&client, g, export);
        result_json(*line, g, outcome.as_ref().map(|n| json!({"rows": n})))
    };
    run_workers(workers, &todo, &mut results, &|_, _| Ok(()), &work)?;
    results.finish(ctx, job, started, "", Some(&client.stats()))
}

/// `members --all --from FILE`: every member of every group, one row each with its `GroupId`.
pub fn members(ctx: &Context<'_>, a: &MembersArgs, from: &Path) -> Result<(), CliError> {
    if !a.all {
        return Err(CliError::Usage("members --from needs --all (every member of every group)".into()));
    }
    let options = PageOptions {
        page_size: a.limit.unwrap_or(DEFAULT_PAGE_SIZE),
        member_info_filter: a.member_info_filter.clone(),
        member_role_filter: a.member_role_filter.clone(),
        app_defined_data_filter_group_member: a.app_defined_data_filter_group_member.clone(),
    };
    let columns = crate::output::select_member_columns(
        a.member_info_filter.as_deref(),
        a.app_defined_data_filter_group_member.is_some(),
    );
    let validate = |g: &str| {
        let request = GetGroupMemberInfoRequest {
            member_info_filter: options.member_info_filter.clone(),
            member_role_filter: options.member_role_filter.clone(),
            app_defined_data_filter_group_member: options.app_defined_data_filter_group_member.clone(),
            limit: Some(options.page_size),
            ..GetGroupMemberInfoRequest::new(g)
        };
        timadmin::validate::member_info(&request)?;
        Ok(json!(timadmin::validate::member_info_to_send(&request)))
    };
    let fetch = |client: &BlockingClient, g: &str, out: &Export<timadmin::GroupMember>| {
        let mut pager = client.members(g, options.clone())?;
        let mut rows = 0;
        while let Some(page) = pager.next_page()? {
            out.batch(g, &page.members).map_err(|e| Error::Runtime(format!("cannot write the output: {e}")))?;
            rows += page.members.len() as u64;
        }
        Ok(rows)
    };
    export(ctx, &a.bulk, from, "members", Export::new(a.format, columns)?, &validate, &fetch)
}

/// `muted --from FILE`: the muted accounts of every group, one row each with its `GroupId`.
pub fn muted(ctx: &Context<'_>, a: &MutedArgs, from: &Path) -> Result<(), CliError> {
    let request = |g: &str| GetGroupMutedAccountRequest { group_id: g.to_owned(), topic_id: a.topic_id.clone() };
    let validate = |g: &str| {
        let r = request(g);
        timadmin::validate::muted_account(&r)?;
        Ok(json!({"GroupId": r.group_id, "TopicId": r.topic_id}))
    };
    let fetch = |client: &BlockingClient, g: &str, out: &Export<timadmin::MutedAccount>| {
        let response = client.get_group_muted_account(&request(g))?;
        out.batch(g, &response.muted_account_list)
            .map_err(|e| Error::Runtime(format!("cannot write the output: {e}")))?;
        Ok(response.muted_account_list.len() as u64)
    };
    export(ctx, &a.bulk, from, "muted", Export::new(a.format, muted_columns())?, &validate, &fetch)
}
