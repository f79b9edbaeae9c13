//! The checkpoint of a bulk job: an append-only journal that lets `--checkpoint FILE` resume
//! after Ctrl-C, a crash or SIGKILL.
//!
//! The file is text, one JSON object per line:
//! - a header `{"checkpoint":"timadmin-bulk/1","job":"modify","input_sha256":"…","inputs":N}`;
//!   a checkpoint made for another input file (or another job) is refused;
//! - `{"started":LINE}` written and fsync'd *before* the input of that line is sent;
//! - `{"done":LINE,"result":{…}}` written and fsync'd after its answer, before its result line is
//!   printed (a worker writes its last `done` and its next `started` in one write and one fsync).
//!
//! On resume an input with a `done` record is never sent again (its recorded result is reported
//! again, marked `"from_checkpoint":true`). An input `started` but not `done` was in flight when
//! the process died: the request may or may not have reached the service (at most
//! `--concurrency` such inputs per interruption). The job runner ([`crate::bulk`]) reads such a
//! group's state first (`get_group_info`) and sends the modify only when the state does not hold
//! it yet; its result is marked `"in_doubt":true` (and `"already_applied"`). So every group is
//! modified exactly once. A torn last line (the process died mid-write) is cut off: the write it
//! belonged to was never fsync'd, so nothing relied on it.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::error::CliError;

/// The format tag of the header line.
const FORMAT: &str = "timadmin-bulk/1";

/// An open checkpoint journal and what it says was done before.
pub struct Checkpoint {
    file: Mutex<File>,
    /// Recorded results by input line.
    done: HashMap<u64, Value>,
    /// Lines started but never recorded done.
    in_doubt: HashSet<u64>,
}

impl Checkpoint {
    /// Opens (or creates) the checkpoint at `path` for `job` over an input with this digest and
    /// number of inputs.
    pub fn open(path: &Path, job: &str, input_sha256: &str, inputs: usize) -> Result<Checkpoint, CliError> {
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| CliError::Usage(format!("cannot open the checkpoint {shown}: {e}")))?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("cannot read the checkpoint {shown}: {e}")))?;
        // Cut off a torn last line: it was never fsync'd as a whole.
        let complete = text.rfind('\n').map_or(0, |i| i + 1);
        if complete < text.len() {
            file.set_len(complete as u64)?;
            file.seek(SeekFrom::End(0))?;
            text.truncate(complete);
        }
        let header = json!({"checkpoint": FORMAT, "job": job, "input_sha256": input_sha256, "inputs": inputs});
        let mut lines = text.lines();
        let mut done = HashMap::new();
        let mut started = HashSet::new();
        match lines.next() {
            None => {
                writeln!(file, "{header}")?;
                file.sync_all()?;
                // Make the new file's directory entry durable too.
                if let Some(dir) = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p }) {
                    if let Ok(d) = File::open(dir) {
                        let _ = d.sync_all();
                    }
                }
            }
            Some(first) => {
                let found: Value = serde_json::from_str(first)
                    .map_err(|_| CliError::Usage(format!("{shown} is not a timadmin checkpoint")))?;
                if found != header {
                    return Err(CliError::Usage(format!(
                        "the checkpoint {shown} was made for another input or job ({} of {} over sha256 {}); \
                         use a new checkpoint file",
                        found["job"], found["inputs"], found["input_sha256"]
                    )));
                }
                for (n, line) in lines.enumerate() {
                    let record: Value = serde_json::from_str(line)
                        .map_err(|_| CliError::Usage(format!("the checkpoint {shown} is damaged at line {}", n + 2)))?;
                    if let Some(l) = record["started"].as_u64() {
                        started.insert(l);
                    } else if let Some(l) = record["done"].as_u64() {
                        done.insert(l, record["result"].clone());
                    } else {
                        return Err(CliError::Usage(format!("the checkpoint {shown} is damaged at line {}", n + 2)));
                    }
                }
            }
        }
        let in_doubt = started.into_iter().filter(|l| !done.contains_key(l)).collect();
        Ok(Checkpoint { file: Mutex::new(file), done, in_doubt })
    }

    /// The recorded result of `line`, if it was done before.
    pub fn done(&self, line: u64) -> Option<&Value> {
        self.done.get(&line)
    }

    /// Whether `line` was in flight when an earlier run stopped.
    pub fn in_doubt(&self, line: u64) -> bool {
        self.in_doubt.contains(&line)
    }

    /// Appends `done` (a line and its result) and/or `started` (a line about to be sent) in one
    /// write, and returns once they are on disk.
    pub fn record(&self, done: Option<(u64, &Value)>, started: Option<u64>) -> io::Result<()> {
        let mut text = String::new();
        if let Some((line, result)) = done {
            text.push_str(&json!({"done": line, "result": result}).to_string());
            text.push('\n');
        }
        if let Some(line) = started {
            text.push_str(&json!({"started": line}).to_string());
            text.push('\n');
        }
        if text.is_empty() {
            return Ok(());
        }
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(text.as_bytes())?;
        file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resumes_done_and_in_doubt_lines_and_cuts_a_torn_tail() {
        let dir = std::env::temp_dir().join(format!("timadmin-ck-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ck");
        let _ = std::fs::remove_file(&path);
        {
            let ck = Checkpoint::open(&path, "modify", "abc", 3).unwrap();
            ck.record(None, Some(1)).unwrap();
            ck.record(Some((1, &json!({"ok": true}))), Some(2)).unwrap();
        }
        // A torn record, as if killed mid-write.
        OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"done\":2,\"res").unwrap();
        let ck = Checkpoint::open(&path, "modify", "abc", 3).unwrap();
        assert_eq!(ck.done(1), Some(&json!({"ok": true})));
        assert!(ck.done(2).is_none());
        assert!(ck.in_doubt(2) && !ck.in_doubt(1) && !ck.in_doubt(3));
        ck.record(Some((2, &json!({"ok": true}))), None).unwrap();
        drop(ck);
        let ck = Checkpoint::open(&path, "modify", "abc", 3).unwrap();
        assert!(ck.done(2).is_some() && !ck.in_doubt(2));
        drop(ck);
        assert!(matches!(Checkpoint::open(&path, "modify", "other", 3), Err(CliError::Usage(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
