//! Shared helpers: an in-process emulator seeded with the demo fixture, and a runner for the
//! built `timadmin` binary that captures exit code, stdout and stderr.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use timadmin_emulator::{Emulator, EmulatorConfig};

/// The demo fixture of the emulator crate.
pub fn demo_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../emulator/fixtures/demo.json")
}

/// An emulator on loopback seeded with the demo fixture (through its Control).
pub fn emulator() -> Emulator {
    let emu = Emulator::start_blocking(EmulatorConfig::default()).expect("emulator starts");
    emu.control().seed_file(&demo_fixture()).expect("demo fixture loads");
    emu
}

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing both streams on failure.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "unexpected exit code\n--- stdout:\n{}\n--- stderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts success.
    pub fn ok(self) -> Run {
        self.expect_code(0)
    }

    /// stdout lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// stdout parsed as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// stdout parsed as NDJSON.
    pub fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("line is not JSON ({e}): {l}")))
            .collect()
    }

    /// Asserts that neither stream contains `secret`.
    pub fn assert_never_shows(&self, secret: &str) {
        assert!(!secret.is_empty());
        assert!(!self.stdout.contains(secret), "stdout shows a secret:\n{}", self.stdout);
        assert!(!self.stderr.contains(secret), "stderr shows a secret:\n{}", self.stderr);
    }
}

/// The `timadmin` binary with no `TIM_*` (or emulator) variables inherited from the caller.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_timadmin"));
    for (name, _) in std::env::vars_os() {
        let n = name.to_string_lossy();
        if n.starts_with("TIM_") || n.starts_with("TIMADMIN_") || n == "RUST_LOG" {
            cmd.env_remove(&name);
        }
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// The binary pointed at `emu` with flags (`--sdkappid`, `--secret-key`, `--base-url`).
pub fn tim(emu: &Emulator) -> Command {
    let mut cmd = bare();
    cmd.args(["--sdkappid", &emu.sdkappid().to_string(), "--secret-key", emu.key(), "--base-url", &emu.base_url()]);
    cmd
}

/// Runs a command to completion.
pub fn run(cmd: &mut Command) -> Run {
    let Output { status, stdout, stderr } = cmd.output().expect("timadmin runs");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `timadmin` against `emu` with `args`.
pub fn tim_run(emu: &Emulator, args: &[&str]) -> Run {
    run(tim(emu).args(args))
}

/// `Member_Account` of each JSON object.
pub fn accounts(items: &[Value]) -> Vec<String> {
    items.iter().map(|v| v["Member_Account"].as_str().expect("Member_Account is a string").to_owned()).collect()
}
