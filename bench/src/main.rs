//! `timadmin-bench`: the Rust side of `make bench`. Each subcommand measures one thing against a
//! baseline run in the same process and prints one JSON line; `bench/run.sh` starts the servers,
//! runs every subcommand (and the Python and C benches) and prints the summary table.
//!
//! - `calls`: sequential or concurrent calls of `get_group_muted_account` against a fixed-response
//!   server, by the async client, the blocking client, or a bare reqwest loop (the baseline).
//! - `limiter`: N calls through the client-side rate limiter against an emulator without a limit
//!   of its own; wall time and the busiest 1-second window, counted on the emulator's call log.
//! - `paging`: every member of a group through the pager; wall time, calls and peak RSS.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use futures::TryStreamExt;
use serde_json::json;
use timadmin::usersig;
use timadmin::{BlockingClient, Client, ClientOptions, GetGroupMutedAccountRequest, PageOptions, RateLimit};

/// The group the fixed-response server answers for.
const GROUP: &str = "@TGS#2DEMOPUB";
/// The SDKAppID and key every bench uses (the emulator's defaults).
const SDKAPPID: u64 = 1400000000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

#[derive(Parser)]
#[command(about = "timadmin benchmarks (run through bench/run.sh)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Calls per second, p50 and p99 latency of one client kind.
    Calls {
        /// The fixed-response server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        base_url: String,
        /// Who makes the calls.
        #[arg(long, value_enum)]
        mode: Mode,
        /// Calls in flight at once.
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
        /// How long to measure (after a short warm-up).
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
    /// The client-side limiter: `calls` calls at `rate`/s against an unlimited emulator.
    Limiter {
        /// Calls per second per endpoint.
        #[arg(long, default_value_t = 200.0)]
        rate: f64,
        /// Calls to make.
        #[arg(long, default_value_t = 1000)]
        calls: usize,
        /// Calls in flight at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Pages a whole group from an emulator and reports wall time, calls and peak RSS.
    Paging {
        /// The emulator, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        base_url: String,
        /// The group to page.
        #[arg(long)]
        group: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// timadmin's async `Client`.
    Timadmin,
    /// timadmin's `BlockingClient` (one thread per call in flight).
    Blocking,
    /// A bare reqwest POST of the same URL and body (the baseline).
    Reqwest,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Calls { base_url, mode, concurrency, seconds } => calls(&base_url, mode, concurrency, seconds),
        Command::Limiter { rate, calls, concurrency } => limiter(rate, calls, concurrency),
        Command::Paging { base_url, group } => paging(&base_url, &group),
    };
    match result {
        Ok(line) => println!("{line}"),
        Err(e) => {
            eprintln!("timadmin-bench: {e}");
            std::process::exit(1);
        }
    }
}

type BenchResult = Result<serde_json::Value, Box<dyn std::error::Error>>;

fn options(base_url: &str, rate_limit: RateLimit) -> ClientOptions {
    ClientOptions {
        secret_key: Some(KEY.into()),
        base_url: Some(base_url.into()),
        rate_limit: Some(rate_limit),
        max_retries: Some(0),
        ..ClientOptions::new(SDKAPPID)
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, std::io::Error> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
}

/// Latencies in microseconds of every call made while measuring.
#[derive(Default)]
struct Samples(Vec<u64>);

impl Samples {
    fn summary(mut self, elapsed: Duration, label: &str) -> serde_json::Value {
        self.0.sort_unstable();
        let pct = |p: f64| -> u64 {
            if self.0.is_empty() {
                0
            } else {
                self.0[((self.0.len() - 1) as f64 * p).round() as usize]
            }
        };
        json!({
            "bench": label,
            "calls": self.0.len(),
            "calls_per_sec": self.0.len() as f64 / elapsed.as_secs_f64(),
            "p50_us": pct(0.50),
            "p99_us": pct(0.99),
        })
    }
}

/// Runs `call` from `concurrency` tasks for `seconds` after a warm-up of a quarter of that.
async fn drive_async<F, Fut>(concurrency: usize, seconds: f64, call: F) -> Result<(Samples, Duration), String>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let warmup = Duration::from_secs_f64(seconds / 4.0);
    let measure = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                let t0 = Instant::now();
                call().await?;
                let now = Instant::now();
                let since = now - start;
                if since > warmup + measure {
                    break;
                }
                if t0 - start >= warmup {
                    samples.push((now - t0).as_micros() as u64);
                }
            }
            Ok::<_, String>(samples)
        }));
    }
    let mut all = Samples::default();
    for task in tasks {
        all.0.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok((all, measure))
}

fn calls(base_url: &str, mode: Mode, concurrency: usize, seconds: f64) -> BenchResult {
    let label = match mode {
        Mode::Timadmin => format!("rust-async-c{concurrency}"),
        Mode::Blocking => format!("rust-blocking-c{concurrency}"),
        Mode::Reqwest => format!("reqwest-c{concurrency}"),
    };
    match mode {
        Mode::Timadmin => {
            let rt = runtime()?;
            let (samples, elapsed) = rt.block_on(async {
                let client = Client::new(options(base_url, RateLimit::Off).build()?)?;
                let request = Arc::new(GetGroupMutedAccountRequest::new(GROUP));
                let result = drive_async(concurrency, seconds, move || {
                    let client = client.clone();
                    let request = Arc::clone(&request);
                    async move { client.get_group_muted_account(&request).await.map(|_| ()).map_err(|e| e.to_string()) }
                })
                .await?;
                Ok::<_, Box<dyn std::error::Error>>(result)
            })?;
            Ok(samples.summary(elapsed, &label))
        }
        Mode::Reqwest => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let rt = runtime()?;
            let usersig = usersig::generate(SDKAPPID, KEY, "administrator", 86400)?;
            let base = url::Url::parse(base_url)?;
            let (samples, elapsed) = rt.block_on(async {
                let http = reqwest::Client::new();
                let result = drive_async(concurrency, seconds, move || {
                    let http = http.clone();
                    let url = timadmin::transport::request_url(
                        &base,
                        &timadmin::Command::GET_GROUP_MUTED_ACCOUNT,
                        SDKAPPID,
                        "administrator",
                        &usersig,
                        rand_u32(),
                    );
                    async move {
                        let response = http
                            .post(url)
                            .header("content-type", "application/json")
                            .body(format!("{{\"GroupId\":\"{GROUP}\"}}"))
                            .send()
                            .await
                            .map_err(|e| e.without_url().to_string())?;
                        response.bytes().await.map(|_| ()).map_err(|e| e.without_url().to_string())
                    }
                })
                .await?;
                Ok::<_, Box<dyn std::error::Error>>(result)
            })?;
            Ok(samples.summary(elapsed, &label))
        }
        Mode::Blocking => {
            let client = Arc::new(BlockingClient::new(options(base_url, RateLimit::Off).build()?)?);
            let warmup = Duration::from_secs_f64(seconds / 4.0);
            let measure = Duration::from_secs_f64(seconds);
            let start = Instant::now();
            let threads: Vec<_> = (0..concurrency)
                .map(|_| {
                    let client = Arc::clone(&client);
                    std::thread::spawn(move || {
                        let request = GetGroupMutedAccountRequest::new(GROUP);
                        let mut samples = Vec::new();
                        loop {
                            let t0 = Instant::now();
                            client.get_group_muted_account(&request).map_err(|e| e.to_string())?;
                            let now = Instant::now();
                            if now - start > warmup + measure {
                                break;
                            }
                            if t0 - start >= warmup {
                                samples.push((now - t0).as_micros() as u64);
                            }
                        }
                        Ok::<_, String>(samples)
                    })
                })
                .collect();
            let mut all = Samples::default();
            for t in threads {
                all.0.extend(t.join().map_err(|_| "a bench thread panicked")??);
            }
            Ok(all.summary(measure, &label))
        }
    }
}

/// A random `u32` for the `random` query parameter, as the client sends.
fn rand_u32() -> u32 {
    static NEXT: AtomicU64 = AtomicU64::new(0x9E37_79B9);
    let x = NEXT.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    (x ^ (x >> 29)) as u32
}

fn limiter(rate: f64, calls: usize, concurrency: usize) -> BenchResult {
    let rt = runtime()?;
    rt.block_on(async {
        let emulator = timadmin_emulator::Emulator::start(timadmin_emulator::EmulatorConfig {
            rate_limit_per_sec: None,
            seed_file: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../emulator/fixtures/demo.json").into()),
            call_log_capacity: calls + 100,
            ..Default::default()
        })
        .await?;
        let client = Client::new(options(&emulator.base_url(), RateLimit::PerSecond(rate)).build()?)?;
        let remaining = Arc::new(AtomicU64::new(calls as u64));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let client = client.clone();
            let remaining = Arc::clone(&remaining);
            tasks.push(tokio::spawn(async move {
                let request = GetGroupMutedAccountRequest::new(GROUP);
                while remaining.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                    client.get_group_muted_account(&request).await.map_err(|e| e.to_string())?;
                }
                Ok::<_, String>(())
            }));
        }
        for t in tasks {
            t.await.map_err(|e| e.to_string())??;
        }
        let elapsed = start.elapsed();
        let stamps: Vec<u64> = emulator.control().calls().iter().map(|c| c.timestamp_ms).collect();
        let worst = busiest_window(&stamps, 1000);
        emulator.stop();
        let expected = (calls as f64 - 1.0) / rate;
        Ok(json!({
            "bench": format!("limiter-{rate}"),
            "calls": stamps.len(),
            "seconds": elapsed.as_secs_f64(),
            "expected_seconds": expected,
            "achieved_per_sec": (stamps.len() as f64 - 1.0) / elapsed.as_secs_f64(),
            "worst_1s_window": worst,
        }))
    })
}

/// The most timestamps (ms) inside any window of `width_ms`.
fn busiest_window(stamps: &[u64], width_ms: u64) -> usize {
    let mut sorted = stamps.to_vec();
    sorted.sort_unstable();
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..sorted.len() {
        while sorted[hi] - sorted[lo] >= width_ms {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

/// Peak resident set size of this process, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn paging(base_url: &str, group: &str) -> BenchResult {
    let rt = runtime()?;
    rt.block_on(async {
        let client = Client::new(options(base_url, RateLimit::Off).build()?)?;
        let start = Instant::now();
        let pager = client.members(group, PageOptions::default())?;
        let mut members = 0u64;
        let mut pages = Box::pin(pager.pages());
        let mut calls = 0u64;
        while let Some(page) = pages.try_next().await? {
            calls += 1;
            members += page.members.len() as u64;
        }
        Ok(json!({
            "bench": format!("paging-{group}"),
            "members": members,
            "calls": calls,
            "seconds": start.elapsed().as_secs_f64(),
            "peak_rss_kib": peak_rss_kib(),
        }))
    })
}
