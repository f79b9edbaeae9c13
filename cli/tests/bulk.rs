//! Bulk admin jobs end to end against the emulator over loopback: `modify --from` (NDJSON and
//! CSV) with one result line per input and the exit code, `--dry-run` (nothing sent),
//! `members --all --from` and `muted --from` exports with a `GroupId` column, and `--checkpoint`
//! resuming a job killed with SIGKILL, checked on the emulator's call log.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{emulator, run, tim, tim_run};
use serde_json::{json, Value};
use timadmin_emulator::{Emulator, Fault, FaultKind, GroupType};

const MODIFY: &str = "modify_group_base_info";

/// A fresh directory for a test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("timadmin-bulk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `n` generated Public groups `@TGS#bulkNNNN` with one member each; their IDs.
fn groups(emu: &Emulator, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let id = format!("@TGS#bulk{i:04}");
            emu.control().generate_group(GroupType::Public, &id, 1).unwrap();
            id
        })
        .collect()
}

/// The result lines (JSON objects) by input line number.
fn by_line(results: &[Value]) -> BTreeMap<u64, Value> {
    results.iter().map(|r| (r["line"].as_u64().expect("a line number"), r.clone())).collect()
}

/// Successful modify calls the emulator logged, per GroupId.
fn modified(emu: &Emulator) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for call in emu.control().calls() {
        if call.command == MODIFY && call.error_code == Some(0) {
            let g = call.body.as_ref().and_then(|b| b["GroupId"].as_str()).unwrap_or_default().to_owned();
            *counts.entry(g).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn ndjson_one_result_per_input_and_nonzero_exit_on_failure() {
    let emu = emulator();
    let ids = groups(&emu, 3);
    let dir = scratch("ndjson");
    let file = dir.join("jobs.ndjson");
    let text = format!(
        "{{\"GroupId\":\"{}\",\"Name\":\"first\"}}\n\n{{\"GroupId\":\"@TGS#missing\",\"Name\":\"x\"}}\n\
         {{\"GroupId\":\"{}\",\"Nmae\":\"typo\"}}\n{{\"GroupId\":\"{}\",\"ShutUpAllMember\":\"On\",\"AppDefinedData\":[{{\"Key\":\"k\",\"Value\":\"v\"}}]}}\n",
        ids[0], ids[1], ids[2]
    );
    std::fs::write(&file, text).unwrap();
    let out = tim_run(&emu, &["modify", "--from", file.to_str().unwrap()]);
    // A service error (1) and an invalid line (2): the highest code.
    let out = out.expect_code(2);
    let results = by_line(&out.ndjson());
    assert_eq!(results.keys().copied().collect::<Vec<_>>(), [1, 3, 4, 5], "one result per input line");
    assert_eq!(results[&1]["ok"], true);
    assert_eq!(results[&1]["GroupId"], ids[0].as_str());
    assert_eq!(results[&3]["ok"], false);
    assert_eq!(results[&3]["error"]["code"], 10010);
    assert_eq!(results[&3]["error"]["kind"], "group_not_found");
    assert_eq!(results[&4]["error"]["kind"], "invalid_argument");
    assert_eq!(results[&4]["error"]["field"], "Nmae");
    assert_eq!(results[&5]["ok"], true);
    assert!(out.stderr.contains("2 of 4 inputs failed"), "{}", out.stderr);
    out.assert_never_shows(emu.key());
    // The service saw the good lines and the missing group, never the invalid one.
    assert_eq!(emu.control().group(&ids[0]).unwrap().name, "first");
    let g2 = emu.control().group(&ids[2]).unwrap();
    assert_eq!(g2.shut_up_all_member, "On");
    assert!(g2.app_defined_data.iter().any(|kv| kv.key == "k" && kv.value == "v"));
    assert_eq!(emu.control().calls().iter().filter(|c| c.command == MODIFY).count(), 3);
    assert_ne!(emu.control().group(&ids[1]).unwrap().name, "typo");

    // Only service errors: exit 1.
    std::fs::write(&file, "{\"GroupId\":\"@TGS#missing\",\"Name\":\"x\"}\n").unwrap();
    tim_run(&emu, &["modify", "--from", file.to_str().unwrap()]).expect_code(1);
    // All good: exit 0, results to --results.
    let results_file = dir.join("results.ndjson");
    std::fs::write(&file, format!("{{\"GroupId\":\"{}\",\"Name\":\"again\"}}\n", ids[1])).unwrap();
    let out =
        tim_run(&emu, &["modify", "--from", file.to_str().unwrap(), "--results", results_file.to_str().unwrap()]).ok();
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&results_file).unwrap();
    assert!(written.contains("\"ok\":true"), "{written}");
    assert_eq!(emu.control().group(&ids[1]).unwrap().name, "again");
}

#[test]
fn csv_with_group_id_and_rest_named_columns() {
    let emu = emulator();
    let ids = groups(&emu, 2);
    let dir = scratch("csv");
    let file = dir.join("jobs.csv");
    std::fs::write(
        &file,
        format!(
            "GroupId,Name,MaxMemberNum,ApplyJoinOption,AppDefinedData.tier\n{},\"Team, A\",500,NeedPermission,gold\n{},,,,\n",
            ids[0], ids[1]
        ),
    )
    .unwrap();
    let before = emu.control().group(&ids[1]).unwrap();
    let out = tim_run(&emu, &["modify", "--from", file.to_str().unwrap()]).ok();
    let results = by_line(&out.ndjson());
    assert_eq!(results.keys().copied().collect::<Vec<_>>(), [2, 3]);
    let g = emu.control().group(&ids[0]).unwrap();
    assert_eq!(g.name, "Team, A");
    assert_eq!(g.max_member_num, 500);
    assert_eq!(g.apply_join_option, "NeedPermission");
    assert!(g.app_defined_data.iter().any(|kv| kv.key == "tier" && kv.value == "gold"));
    // Empty cells change nothing.
    let after = emu.control().group(&ids[1]).unwrap();
    assert_eq!((after.name, after.max_member_num), (before.name, before.max_member_num));
    // Lines are sent concurrently: find the first line's request by its GroupId.
    let sent: Vec<Value> = emu.control().calls().into_iter().filter_map(|c| c.body).collect();
    let first = sent.iter().find(|b| b["GroupId"] == ids[0].as_str()).expect("the first line was sent");
    assert_eq!(first["MaxMemberNum"], 500, "a number on the wire");

    // A CSV without a GroupId column is refused before anything is sent.
    std::fs::write(&file, "Name\nx\n").unwrap();
    emu.control().clear_calls();
    let out = tim_run(&emu, &["modify", "--from", file.to_str().unwrap()]).expect_code(2);
    assert!(out.stderr.contains("GroupId"), "{}", out.stderr);
    assert!(emu.control().calls().is_empty());
}

#[test]
fn dry_run_validates_every_line_and_sends_nothing() {
    let emu = emulator();
    let ids = groups(&emu, 2);
    let dir = scratch("dry");
    let file = dir.join("jobs.ndjson");
    let long_name = "x".repeat(31);
    std::fs::write(
        &file,
        format!(
            "{{\"GroupId\":\"{}\",\"Name\":\"ok\"}}\n{{\"GroupId\":\"{}\",\"Name\":\"{long_name}\"}}\n",
            ids[0], ids[1]
        ),
    )
    .unwrap();
    emu.control().clear_calls();
    let out = tim_run(&emu, &["modify", "--from", file.to_str().unwrap(), "--dry-run"]).expect_code(2);
    let results = by_line(&out.ndjson());
    assert_eq!(results[&1]["would_send"], serde_json::json!({"GroupId": ids[0], "Name": "ok"}));
    // The core's own rule (Name at most 30 bytes) caught line 2.
    assert_eq!(results[&2]["error"]["field"], "Name");
    assert!(emu.control().calls().is_empty(), "a dry run sent {:?}", emu.control().calls());
    assert_ne!(emu.control().group(&ids[0]).unwrap().name, "ok");

    let groups_file = dir.join("groups.txt");
    std::fs::write(&groups_file, format!("{}\n", ids[0])).unwrap();
    let out = tim_run(&emu, &["members", "--all", "--from", groups_file.to_str().unwrap(), "--dry-run"]).ok();
    assert!(out.stderr.contains("would_send"), "{}", out.stderr);
    tim_run(&emu, &["muted", "--from", groups_file.to_str().unwrap(), "--dry-run"]).ok();
    assert!(emu.control().calls().is_empty());
}

#[test]
fn members_and_muted_exports_carry_a_group_id_column() {
    let emu = emulator();
    let dir = scratch("export");
    let file = dir.join("groups.txt");
    std::fs::write(&file, "@TGS#2DEMOPUB\n# a comment\n\n@TGS#_demo\n@TGS#gone\n").unwrap();
    let out =
        tim_run(&emu, &["members", "--all", "--from", file.to_str().unwrap(), "--format", "ndjson"]).expect_code(1);
    let rows = out.ndjson();
    let per_group = |g: &str| rows.iter().filter(|r| r["GroupId"] == g).count();
    assert_eq!(per_group("@TGS#2DEMOPUB"), 5);
    assert_eq!(per_group("@TGS#_demo"), 5);
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r["Member_Account"].is_string()));
    // Result lines go to stderr here (stdout is the data): one per group.
    let results: Vec<Value> = out.stderr.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let results = by_line(&results);
    assert_eq!(results.keys().copied().collect::<Vec<_>>(), [1, 4, 5]);
    assert_eq!(results[&1]["rows"], 5);
    assert_eq!(results[&5]["error"]["code"], 10010);

    let csv =
        tim_run(&emu, &["members", "--all", "--from", file.to_str().unwrap(), "--format", "csv", "-q"]).expect_code(1);
    let lines = csv.lines();
    assert!(lines[0].starts_with("GroupId,Member_Account,"), "{}", lines[0]);
    assert_eq!(lines.len(), 11);
    assert!(lines.iter().any(|l| l.starts_with("@TGS#_demo,m1,")), "{}", csv.stdout);

    let muted = tim_run(&emu, &["muted", "--from", file.to_str().unwrap()]).expect_code(1);
    let rows = muted.ndjson();
    let pairs: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r["GroupId"].as_str().unwrap().to_owned(), r["Member_Account"].as_str().unwrap().to_owned()))
        .collect();
    let expected: BTreeSet<(String, String)> =
        [("@TGS#2DEMOPUB", "peter"), ("@TGS#2DEMOPUB", "tommy"), ("@TGS#_demo", "m2")]
            .into_iter()
            .map(|(g, m)| (g.to_owned(), m.to_owned()))
            .collect();
    assert_eq!(pairs, expected);
}

/// Journal lines `started` but never `done` (the inputs in flight when the process died).
fn in_doubt(checkpoint: &Path) -> BTreeSet<u64> {
    let text = std::fs::read_to_string(checkpoint).unwrap();
    let (mut started, mut done) = (BTreeSet::new(), BTreeSet::new());
    for line in text.lines().skip(1) {
        let Ok(v) = serde_json::from_str::<Value>(line) else { continue };
        if let Some(l) = v["started"].as_u64() {
            started.insert(l);
        }
        if let Some(l) = v["done"].as_u64() {
            done.insert(l);
        }
    }
    started.difference(&done).copied().collect()
}

/// Journal lines recorded done.
fn done_count(checkpoint: &Path) -> usize {
    std::fs::read_to_string(checkpoint).map(|t| t.matches("\"done\"").count()).unwrap_or(0)
}

#[test]
fn checkpoint_resumes_after_sigkill_without_modifying_any_group_twice_or_skipping_one() {
    const GROUPS: usize = 300;
    const CONCURRENCY: usize = 4;
    let emu = emulator();
    let ids = groups(&emu, GROUPS);
    let dir = scratch("resume");
    let input = dir.join("big.ndjson");
    let checkpoint = dir.join("ck");
    let text: String = ids.iter().map(|g| format!("{{\"GroupId\":\"{g}\",\"Name\":\"renamed\"}}\n")).collect();
    std::fs::write(&input, text).unwrap();
    emu.control().clear_calls();
    let args = [
        "modify",
        "--from",
        input.to_str().unwrap(),
        "--checkpoint",
        checkpoint.to_str().unwrap(),
        "--concurrency",
        "4",
        "--rate-limit",
        "60",
    ];

    // Run at a low rate and SIGKILL it once a third of the groups are recorded done, preferably
    // at a moment when an input in flight has already reached the service (its group modified in
    // the call log, its answer not yet recorded): the case resume must not send again. To find
    // such a moment the job is paused (SIGSTOP) and looked at; if there is none, it goes on
    // (SIGCONT) and is looked at again, for a few seconds, then killed anyway.
    let mut child = tim(&emu).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while done_count(&checkpoint) < GROUPS / 3 {
        assert!(Instant::now() < deadline, "the job made no progress");
        assert!(child.try_wait().unwrap().is_none(), "the job ended before it was killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let signal = |name: &str| {
        let pid = child.id().to_string();
        std::process::Command::new("kill").args(["-s", name, &pid]).status().unwrap().success()
    };
    let looking = Instant::now() + Duration::from_secs(5);
    while Instant::now() < looking && done_count(&checkpoint) < GROUPS * 2 / 3 {
        assert!(signal("STOP"));
        std::thread::sleep(Duration::from_millis(5));
        let reached = modified(&emu);
        if in_doubt(&checkpoint).iter().any(|l| reached.contains_key(&ids[*l as usize - 1])) {
            break;
        }
        assert!(signal("CONT"));
        std::thread::sleep(Duration::from_millis(3));
    }
    child.kill().unwrap(); // SIGKILL (also ends a stopped process)
    child.wait().unwrap();
    let doubt = in_doubt(&checkpoint);
    let before = modified(&emu);
    let done_before = done_count(&checkpoint);
    assert!(before.len() < GROUPS, "killed mid-run");
    assert!(doubt.len() <= CONCURRENCY, "at most one input in flight per worker: {doubt:?}");

    // Resume to the end.
    let out = run(tim(&emu).args(args)).ok();
    // The call log: every group modified exactly once (none twice, none skipped), the in-doubt
    // inputs included: each was read first and sent only if its modify had not reached the service.
    let after = modified(&emu);
    let line_of = |g: &str| ids.iter().position(|x| x == g).unwrap() as u64 + 1;
    let (mut once, mut twice, mut skipped) = (0, 0, 0);
    for g in &ids {
        match after.get(g).copied().unwrap_or(0) {
            0 => skipped += 1,
            1 => once += 1,
            _ => twice += 1,
        }
        assert_eq!(emu.control().group(g).unwrap().name, "renamed");
    }
    let reads: Vec<String> = emu
        .control()
        .calls()
        .into_iter()
        .filter(|c| c.command == "get_group_info")
        .filter_map(|c| c.body.and_then(|b| b["GroupIdList"][0].as_str().map(str::to_owned)))
        .collect();
    let results = by_line(&out.ndjson());
    assert_eq!(results.len(), GROUPS, "one result line per input");
    assert!(results.values().all(|r| r["ok"] == true));
    let from_checkpoint = results.values().filter(|r| r["from_checkpoint"] == true).count();
    let checked: BTreeSet<u64> =
        results.values().filter(|r| r["in_doubt"] == true).map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(checked, doubt, "exactly the inputs in flight at the kill are marked in doubt");
    assert!(from_checkpoint >= done_before);
    // Each in-doubt input is read once, and found applied exactly when its modify had reached
    // the service before the kill.
    assert_eq!(reads.iter().map(|g| line_of(g)).collect::<BTreeSet<_>>(), doubt, "reads: {reads:?}");
    assert_eq!(reads.len(), doubt.len(), "one read per in-doubt input: {reads:?}");
    let applied = doubt.iter().filter(|l| before.contains_key(&ids[**l as usize - 1])).count();

    eprintln!(
        "resume figures: {GROUPS} groups; killed after {} modified ({done_before} recorded done), {} in doubt \
         ({applied} of them had reached the service); after resume: {once} modified exactly once, {twice} twice, \
         {skipped} skipped; {} modify calls in total, {} get_group_info reads",
        before.values().sum::<usize>(),
        doubt.len(),
        after.values().sum::<usize>(),
        reads.len()
    );
    assert_eq!((once, twice, skipped), (GROUPS, 0, 0), "every group modified exactly once");
    for line in &doubt {
        let g = &ids[*line as usize - 1];
        assert_eq!(results[line]["already_applied"], before.contains_key(g), "{g}: {}", results[line]);
    }
}

/// The hex SHA-256 of `bytes`, as a checkpoint's header holds for its input.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Calls the emulator logged of `command` for group `g` (its `GroupId`, or the first of its
/// `GroupIdList`).
fn calls_for(emu: &Emulator, command: &str, g: &str) -> usize {
    emu.control()
        .calls()
        .iter()
        .filter(|c| c.command == command)
        .filter(|c| c.body.as_ref().is_some_and(|b| b["GroupId"].as_str().or(b["GroupIdList"][0].as_str()) == Some(g)))
        .count()
}

#[test]
fn an_in_doubt_input_whose_modify_reached_the_service_is_not_sent_again() {
    let emu = emulator();
    let ids = groups(&emu, 4);
    let dir = scratch("doubt");
    let input = dir.join("jobs.ndjson");
    let checkpoint = dir.join("ck");
    let body = |g: &str| {
        format!(
            "{{\"GroupId\":\"{g}\",\"Name\":\"renamed\",\"MaxMemberNum\":500,\"ShutUpAllMember\":\"On\",\
             \"AppDefinedData\":[{{\"Key\":\"k\",\"Value\":\"v\"}},{{\"Key\":\"gone\",\"Value\":\"\"}}]}}\n"
        )
    };
    let text: String = [ids[0].as_str(), &ids[1], &ids[2], &ids[3], "@TGS#missing"].map(body).concat();
    std::fs::write(&input, &text).unwrap();
    // Group 0's modify reached the service before the "crash"; group 2's only in part (its name,
    // not its custom data): both as a first request that was cut short would leave them.
    let apply = |g: &str, custom: bool| {
        emu.control()
            .update_group(g, |grp| {
                grp.name = "renamed".into();
                if custom {
                    grp.max_member_num = 500;
                    grp.shut_up_all_member = "On".into();
                    grp.app_defined_data.push(timadmin_emulator::KeyValue::new("k", "v"));
                }
            })
            .unwrap();
    };
    apply(&ids[0], true);
    apply(&ids[2], false);
    emu.control().update_group(&ids[0], |g| g.app_defined_data.retain(|kv| kv.key != "gone")).unwrap();
    // A journal as a job killed with lines 1, 2, 3 and 5 in flight leaves it (line 4 never started).
    let header = format!(
        "{{\"checkpoint\":\"timadmin-bulk/1\",\"job\":\"modify\",\"input_sha256\":\"{}\",\"inputs\":5}}\n",
        sha256_hex(text.as_bytes())
    );
    std::fs::write(&checkpoint, header + "{\"started\":1}\n{\"started\":2}\n{\"started\":3}\n{\"started\":5}\n")
        .unwrap();
    emu.control().clear_calls();

    let args = ["modify", "--from", input.to_str().unwrap(), "--checkpoint", checkpoint.to_str().unwrap()];
    // The missing group's read fails (10010 in its GroupInfo entry): a service error, exit 1.
    let out = tim_run(&emu, &args).expect_code(1);
    let results = by_line(&out.ndjson());
    assert_eq!(results.len(), 5, "{}", out.stdout);
    // Line 1: already applied, nothing sent.
    assert_eq!(results[&1]["ok"], true);
    assert_eq!((&results[&1]["in_doubt"], &results[&1]["already_applied"]), (&json!(true), &json!(true)));
    assert_eq!(calls_for(&emu, MODIFY, &ids[0]), 0, "an applied in-doubt modify was sent again");
    assert_eq!(calls_for(&emu, "get_group_info", &ids[0]), 1);
    // Lines 2 and 3: not (fully) applied: read, then sent once.
    for (line, g) in [(2, &ids[1]), (3, &ids[2])] {
        assert_eq!(results[&line]["ok"], true, "{}", results[&line]);
        assert_eq!((&results[&line]["in_doubt"], &results[&line]["already_applied"]), (&json!(true), &json!(false)));
        assert_eq!((calls_for(&emu, "get_group_info", g), calls_for(&emu, MODIFY, g)), (1, 1), "{g}");
    }
    // Line 4: never started: sent without a read.
    assert!(results[&4]["in_doubt"].is_null() && results[&4]["ok"] == true);
    assert_eq!((calls_for(&emu, "get_group_info", &ids[3]), calls_for(&emu, MODIFY, &ids[3])), (0, 1));
    // Line 5: the read failed, typed; the modify was not sent blind.
    assert_eq!(results[&5]["ok"], false);
    assert_eq!(results[&5]["in_doubt"], true);
    assert_eq!(results[&5]["error"]["code"], 10010);
    assert_eq!(calls_for(&emu, MODIFY, "@TGS#missing"), 0);
    for g in &ids {
        let grp = emu.control().group(g).unwrap();
        assert_eq!((grp.name.as_str(), grp.max_member_num, grp.shut_up_all_member.as_str()), ("renamed", 500, "On"));
        assert!(grp.app_defined_data.iter().any(|kv| kv.key == "k" && kv.value == "v"), "{g}");
    }
    assert!(out.stderr.contains("in doubt checked against the group first"), "{}", out.stderr);
}

#[test]
fn an_in_doubt_input_whose_read_fails_is_not_sent_blind() {
    let emu = emulator();
    let ids = groups(&emu, 1);
    let dir = scratch("doubt-read");
    let input = dir.join("jobs.ndjson");
    let checkpoint = dir.join("ck");
    let text = format!("{{\"GroupId\":\"{}\",\"Name\":\"renamed\"}}\n", ids[0]);
    std::fs::write(&input, &text).unwrap();
    let header = format!(
        "{{\"checkpoint\":\"timadmin-bulk/1\",\"job\":\"modify\",\"input_sha256\":\"{}\",\"inputs\":1}}\n",
        sha256_hex(text.as_bytes())
    );
    std::fs::write(&checkpoint, header + "{\"started\":1}\n").unwrap();
    // Every read of the group's state fails (retries included).
    emu.control().inject_fault(
        Fault::new(FaultKind::ErrorCode { code: 10007, info: "no permission".into() })
            .times(100)
            .for_command("get_group_info"),
    );
    emu.control().clear_calls();
    let out =
        tim_run(&emu, &["modify", "--from", input.to_str().unwrap(), "--checkpoint", checkpoint.to_str().unwrap()])
            .expect_code(1);
    let result = &out.ndjson()[0];
    assert_eq!(
        (&result["ok"], &result["in_doubt"], &result["error"]["code"]),
        (&json!(false), &json!(true), &json!(10007))
    );
    assert!(calls_for(&emu, "get_group_info", &ids[0]) >= 1);
    assert_eq!(calls_for(&emu, MODIFY, &ids[0]), 0, "sent blind after a failed read");
    assert_ne!(emu.control().group(&ids[0]).unwrap().name, "renamed");
}

#[test]
fn concurrency_is_bounded_by_max_in_flight() {
    let emu = emulator();
    let dir = scratch("conc");
    let file = dir.join("jobs.ndjson");
    std::fs::write(&file, "{\"GroupId\":\"@TGS#2DEMOPUB\",\"Name\":\"n\"}\n").unwrap();
    let out =
        tim_run(&emu, &["modify", "--from", file.to_str().unwrap(), "--concurrency", "9", "--max-in-flight", "8"]);
    let out = out.expect_code(2);
    assert!(out.stderr.contains("--concurrency"), "{}", out.stderr);
    assert!(emu.control().calls().is_empty());
}

/// Quotes `s` for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn progress_bar_on_a_terminal_only() {
    let emu = emulator();
    let ids = groups(&emu, 40);
    let dir = scratch("tty");
    let file = dir.join("jobs.ndjson");
    let text: String = ids.iter().map(|g| format!("{{\"GroupId\":\"{g}\",\"Name\":\"t\"}}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let results = dir.join("results.ndjson");
    // 40 calls at 20/s: about two seconds, so the bar's steady tick surely draws.
    let args =
        ["modify", "--from", file.to_str().unwrap(), "--rate-limit", "20", "--results", results.to_str().unwrap()];
    let base = [
        env!("CARGO_BIN_EXE_timadmin"),
        "--sdkappid",
        &emu.sdkappid().to_string(),
        "--secret-key",
        emu.key(),
        "--base-url",
        &emu.base_url(),
    ];
    let command = base.iter().chain(args.iter()).map(|a| sh_quote(a)).collect::<Vec<_>>().join(" ");
    // A pseudo-terminal from util-linux `script`: stderr is the terminal.
    let tty = run(std::process::Command::new("script").env("SHELL", "/bin/sh").env("TERM", "xterm").args([
        "-qec",
        &command,
        "/dev/null",
    ]))
    .ok();
    assert!(tty.stdout.contains("/40 groups"), "the terminal shows the bar:\n{}", tty.stdout);
    tty.assert_never_shows(emu.key());
    // Off a terminal: no bar, only the summary.
    let piped = tim_run(&emu, &args).ok();
    assert!(!piped.stderr.contains("/40 groups"), "{}", piped.stderr);
    assert!(piped.stderr.contains("modify: 40 inputs, 40 ok"), "{}", piped.stderr);
    assert_eq!(std::fs::read_to_string(&results).unwrap().lines().count(), 40);
}

#[test]
fn the_summary_line_shows_the_clients_stats_unless_quiet() {
    let emu = emulator();
    let ids = groups(&emu, 2);
    let dir = scratch("stats");
    let file = dir.join("jobs.ndjson");
    let text = format!(
        "{{\"GroupId\":\"{}\",\"Name\":\"a\"}}\n{{\"GroupId\":\"@TGS#missing\",\"Name\":\"x\"}}\n{{\"GroupId\":\"{}\",\"Name\":\"b\"}}\n",
        ids[0], ids[1]
    );
    std::fs::write(&file, text).unwrap();
    // One retried 502: three inputs, three logical calls, one retry, one service error.
    emu.control().inject_fault(timadmin_emulator::Fault::new(timadmin_emulator::FaultKind::HttpStatus(502)).times(1));
    let out = tim_run(&emu, &["modify", "--from", file.to_str().unwrap(), "--concurrency", "1"]).expect_code(1);
    let summary = out.stderr.lines().find(|l| l.starts_with("modify: ")).unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(summary.starts_with("modify: 3 inputs, 2 ok, 1 failed in "), "{summary}");
    assert!(
        summary.contains("; modify_group_base_info: 3 calls, 1 errors (group_not_found 1), 1 retries, p50 "),
        "{summary}"
    );
    assert!(summary.contains(" ms, p99 ") && summary.contains("rate-limit wait "), "{summary}");
    // -q: nothing but the result lines.
    let quiet = tim_run(&emu, &["-q", "modify", "--from", file.to_str().unwrap()]).expect_code(1);
    assert!(!quiet.stderr.contains("calls"), "{}", quiet.stderr);
    // A dry run makes no calls: no stats.
    let dry = tim_run(&emu, &["modify", "--from", file.to_str().unwrap(), "--dry-run"]).ok();
    assert!(!dry.stderr.contains("calls"), "{}", dry.stderr);
}
