//! `timadmin-emulator`: serves the emulated Tencent Cloud Chat group REST API until killed.
//! Prints one JSON line on stdout when ready: `{"base_url":...,"sdkappid":...,"secret_key":...,"key":...,"identifier":...}`
//! (plus `"tls_cert":PATH` with `--tls`, which serves HTTPS with a self-signed certificate).

use clap::Parser;

/// Local stand-in for the Tencent Cloud Chat group REST endpoints.
#[derive(Debug, Parser)]
#[command(name = "timadmin-emulator", version, about)]
struct Cli {
    #[command(flatten)]
    serve: timadmin_emulator::cli::ServeArgs,
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = timadmin_emulator::cli::run(cli.serve) {
        eprintln!("timadmin-emulator: {e}");
        std::process::exit(1);
    }
}
