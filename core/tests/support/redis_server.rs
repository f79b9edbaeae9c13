//! A throwaway `redis-server` for tests and benchmarks: loopback, a free port, no persistence,
//! killed when dropped. Shared by the core's unit tests, its `fleet` integration test and the
//! fleet benchmark in bench/benches/fleet.rs (`#[path]`-included). Needs `redis-server` on PATH
//! (Debian: `apt-get install redis-server`; `make test` installs it).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) `redis-server` child process.
pub struct RedisServer {
    port: u16,
    extra: Vec<String>,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server on a free loopback port. Panics (a test failure) when `redis-server`
    /// cannot be started, saying how to install it.
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    /// [`RedisServer::start`] with more `redis-server` arguments (e.g. `--requirepass`).
    pub fn start_with(extra: &[&str]) -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("no free loopback port");
        let mut server = RedisServer { port, extra: extra.iter().map(|s| s.to_string()).collect(), child: None };
        server.restart();
        server
    }

    /// `redis://127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server (SIGKILL: as abrupt as a crash) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port (empty: nothing is persisted) and waits until
    /// it answers PING.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--loglevel", "warning", "--dir", &std::env::temp_dir().to_string_lossy()])
            .args(&self.extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start redis-server ({e}); install it: apt-get install redis-server (make test does)")
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.answers() {
            assert!(Instant::now() < deadline, "redis-server on port {} did not answer PING within 10 s", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the server answers PING (or asks for a password: it is up).
    pub fn answers(&self) -> bool {
        self.command("PING").is_some_and(|r| r.starts_with("+PONG") || r.starts_with("-NOAUTH"))
    }

    /// Sends one inline command and returns the raw reply (a test's peek at the keys).
    pub fn command(&self, line: &str) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        stream.write_all(format!("{line}\r\n").as_bytes()).ok()?;
        let mut buf = [0u8; 4096];
        let n = stream.read(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
