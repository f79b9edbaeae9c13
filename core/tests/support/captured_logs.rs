//! Captures what the core logs (its `tracing` events) while a test runs, so a test can look
//! for the lines it expects and for secrets that must never appear.

use std::sync::{Arc, Mutex};

use tracing::subscriber::DefaultGuard;

/// The text logged on this thread since [`CapturedLogs::start`], until it is dropped.
pub struct CapturedLogs {
    buffer: Arc<Mutex<Vec<u8>>>,
    _guard: DefaultGuard,
}

/// A `Write` into the shared buffer.
#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLogs {
    /// Starts capturing this thread's events at `level` and above (no colours).
    pub fn start(level: tracing::Level) -> Self {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink(Arc::clone(&buffer));
        let subscriber =
            tracing_subscriber::fmt().with_max_level(level).with_ansi(false).with_writer(move || sink.clone()).finish();
        CapturedLogs { buffer, _guard: tracing::subscriber::set_default(subscriber) }
    }

    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}
