//! `timadmin`: the Tencent Cloud Chat group REST API from the command line.
//!
//! A thin layer over the `timadmin` core: it parses arguments into core types, calls the core
//! (which validates, signs, retries, rate-limits and pages) and writes the answers. Data goes to
//! stdout, errors and notes to stderr; see [`error`] for the exit codes.

mod args;
mod bulk;
mod checkpoint;
mod commands;
mod context;
mod doctor;
mod error;
mod output;

use std::io::IsTerminal;

use clap::CommandFactory;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::error::{CliError, EXIT_USAGE};

/// Runs the command and exits with its code (see [`error`]).
fn main() {
    let code = match run() {
        Ok(()) => 0,
        Err(e) => {
            if let Some(message) = e.message() {
                eprintln!("{message}");
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}

/// Parses the command line and runs the subcommand.
fn run() -> Result<(), CliError> {
    let matches = Cli::command().after_long_help(environment_help()).try_get_matches().unwrap_or_else(|e| e.exit());
    let cli = Cli::from_matches(&matches).unwrap_or_else(|e| {
        // Not expected (the matches come from the same definition); report it as a usage error.
        let _ = e.print();
        std::process::exit(EXIT_USAGE)
    });
    init_logging(cli.global.verbose);
    let ctx = Context { global: &cli.global };
    match cli.command {
        Command::Usersig { ref command } => commands::usersig(&ctx, command),
        Command::Members(ref a) => commands::members(&ctx, a),
        Command::Muted(ref a) => commands::muted(&ctx, a),
        Command::Modify(ref a) => commands::modify(&ctx, a),
        Command::Settings => commands::settings(&ctx),
        Command::Call(ref a) => commands::call(&ctx, a),
        Command::Emulator(ref serve) => commands::emulator(serve.clone()),
    }
}

/// The `TIM_*` variables of the core's settings table, for `--help`.
fn environment_help() -> String {
    let mut text = String::from("Environment (read by the core; a flag wins over its variable):\n");
    for s in timadmin::settings::SETTINGS {
        if let Some(env) = s.env {
            text.push_str(&format!("  {env:<26} {}\n", s.flag()));
        }
    }
    text
}

/// `-v` logs timadmin's own events to stderr (info, `-vv` debug, `-vvv` trace). Only the
/// timadmin crates are enabled: their events never carry secrets, unlike, potentially, the
/// request URLs an HTTP library might log.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter =
        tracing_subscriber::EnvFilter::new(format!("timadmin={level},timadmin_cli={level},timadmin_emulator={level}"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
