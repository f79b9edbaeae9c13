//! The `serve` command line, shared by the `timadmin-emulator` binary and the `timadmin` CLI's
//! `emulator` subcommand: parse [`ServeArgs`], call [`run`] (blocking) or [`serve`] (async).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use crate::config::{EmulatorConfig, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_RATE_LIMIT_PER_SEC, DEFAULT_SDKAPPID};
use crate::error::EmulatorError;
use crate::server::Emulator;

/// Options of the emulator server command.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// TCP port to listen on (0 = pick a free one; the chosen URL is printed).
    #[arg(long, default_value_t = 0, env = "TIMADMIN_EMULATOR_PORT")]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "TIMADMIN_EMULATOR_HOST")]
    pub host: IpAddr,
    /// Fixture file to load at start (format: see the emulator README).
    #[arg(long, value_name = "FILE", env = "TIMADMIN_EMULATOR_SEED")]
    pub seed: Option<PathBuf>,
    /// Also create community group `@TGS#_demo` with N generated members (replaces a seeded one).
    #[arg(long, value_name = "N")]
    pub community_members: Option<usize>,
    /// SDKAppID to accept.
    #[arg(long, default_value_t = DEFAULT_SDKAPPID, env = "TIMADMIN_EMULATOR_SDKAPPID")]
    pub sdkappid: u64,
    /// Secret key UserSigs must be signed with (`--key` is its earlier name).
    #[arg(long, alias = "key", default_value = DEFAULT_KEY, env = "TIMADMIN_EMULATOR_KEY", hide_env_values = true)]
    pub secret_key: String,
    /// App admin identifier(s); repeat for several. Default: administrator.
    #[arg(long = "admin", value_name = "IDENTIFIER")]
    pub admins: Vec<String>,
    /// Calls per second allowed per command.
    #[arg(long, default_value_t = DEFAULT_RATE_LIMIT_PER_SEC)]
    pub rate_limit: u32,
    /// Disable rate limiting.
    #[arg(long)]
    pub no_rate_limit: bool,
    /// Leak sweeps only: append every distinct UserSig received to FILE.
    #[arg(long, value_name = "FILE", env = "TIMADMIN_EMULATOR_USERSIG_LOG")]
    pub usersig_log: Option<PathBuf>,
    /// Serve HTTPS with a self-signed certificate for 127.0.0.1, ::1 and localhost, made at
    /// start and written as PEM (its path is in the ready line as `tls_cert`).
    #[arg(long)]
    pub tls: bool,
    /// With --tls: where to write the certificate (PEM). Default: `timadmin-emulator-PORT.pem`
    /// in the temporary directory.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub tls_cert: Option<PathBuf>,
}

impl ServeArgs {
    /// The emulator configuration these options describe.
    pub fn to_config(&self) -> EmulatorConfig {
        EmulatorConfig {
            sdkappid: self.sdkappid,
            key: self.secret_key.clone(),
            admins: if self.admins.is_empty() { vec![DEFAULT_ADMIN.to_owned()] } else { self.admins.clone() },
            rate_limit_per_sec: if self.no_rate_limit { None } else { Some(self.rate_limit) },
            seed_file: self.seed.clone(),
            community_members: self.community_members,
            usersig_log: self.usersig_log.clone(),
            tls: self.tls,
            ..EmulatorConfig::default()
        }
    }

    /// The address to listen on.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

/// The JSON line printed on stdout once the server listens:
/// `{"base_url":"http://127.0.0.1:PORT","sdkappid":N,"secret_key":"...","key":"...","identifier":"administrator"}`
/// (`key` repeats `secret_key` for readers written before the rename). With `--tls` the base URL
/// is `https://…` and `tls_cert` is the path of the certificate's PEM (pass it as `tls_cert`).
pub fn ready_line(emu: &Emulator, tls_cert: Option<&Path>) -> String {
    let mut line = serde_json::json!({
        "base_url": emu.base_url(),
        "sdkappid": emu.sdkappid(),
        "secret_key": emu.key(),
        "key": emu.key(),
        "identifier": emu.admin_identifier(),
    });
    if let (Some(path), Some(fields)) = (tls_cert, line.as_object_mut()) {
        fields.insert("tls_cert".into(), path.display().to_string().into());
    }
    line.to_string()
}

/// Writes the certificate of a `--tls` emulator to `path` (or the default path) and returns
/// the path written.
fn write_cert(emu: &Emulator, path: Option<&Path>) -> Result<Option<PathBuf>, EmulatorError> {
    let Some(pem) = emu.tls_cert_pem() else { return Ok(None) };
    let path = match path {
        Some(p) => p.to_owned(),
        None => std::env::temp_dir().join(format!("timadmin-emulator-{}.pem", emu.local_addr().port())),
    };
    std::fs::write(&path, pem)?;
    Ok(Some(path))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Starts the emulator on the current runtime, prints the ready line on stdout, and serves
/// until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), EmulatorError> {
    use std::io::Write;
    let emu = Emulator::start_on(args.addr(), args.to_config()).await?;
    let cert = write_cert(&emu, args.tls_cert.as_deref())?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", ready_line(&emu, cert.as_deref()))?;
        out.flush()?;
    }
    shutdown_signal().await;
    emu.stop();
    Ok(())
}

/// Blocking form of [`serve`]: builds its own runtime. Must not be called from inside a tokio
/// runtime (use [`serve`] there); doing so returns an error instead of panicking.
pub fn run(args: ServeArgs) -> Result<(), EmulatorError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(EmulatorError::Runtime("cli::run called inside a tokio runtime; use cli::serve".into()));
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(serve(args))
}
