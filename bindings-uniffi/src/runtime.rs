//! The tokio runtime the bindings run the core on. Kotlin and Swift poll our futures from their
//! own threads; the core needs tokio's timers, IO and worker threads, so every call is spawned
//! onto one multi-thread runtime owned by this library and awaited through its join handle.
//! Dropping the awaiting future (a cancelled coroutine or Swift task) aborts the call.

use std::future::Future;
use std::sync::OnceLock;

use crate::error::TimAdminError;

static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// The library's runtime (core's [`timadmin::process::new_runtime`]), built on first use.
pub(crate) fn handle() -> Result<tokio::runtime::Handle, TimAdminError> {
    let runtime = RUNTIME.get_or_init(|| timadmin::process::new_runtime("timadmin-uniffi").map_err(|e| e.to_string()));
    match runtime {
        Ok(runtime) => Ok(runtime.handle().clone()),
        Err(e) => Err(TimAdminError::Runtime { detail: e.clone() }),
    }
}

/// Aborts the spawned task when the future awaiting it is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `future` on the library's runtime and waits for it without blocking the caller's
/// thread. Cancelling the caller cancels the work.
pub(crate) async fn run<T, F>(future: F) -> Result<T, TimAdminError>
where
    F: Future<Output = Result<T, TimAdminError>> + Send + 'static,
    T: Send + 'static,
{
    let mut task = AbortOnDrop(handle()?.spawn(future));
    match (&mut task.0).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(TimAdminError::Runtime { detail: "the call panicked inside timadmin".into() }),
        Err(_) => Err(TimAdminError::Runtime { detail: "the call was cancelled".into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn dropping_the_caller_aborts_the_call() {
        let finished = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&finished);
        let call = run(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            flag.store(true, Ordering::SeqCst);
            Ok(())
        });
        // Poll once (spawns the task), then drop the caller's future, as a cancelled
        // coroutine does.
        futures::executor::block_on(async {
            let mut call = Box::pin(call);
            assert!(futures::poll!(call.as_mut()).is_pending());
        });
        std::thread::sleep(Duration::from_millis(600));
        assert!(!finished.load(Ordering::SeqCst), "the spawned call ran on after its caller was dropped");
    }

    #[test]
    fn results_and_panics_come_back_as_values() {
        let ok = futures::executor::block_on(run(async { Ok(7) }));
        assert_eq!(ok, Ok(7));
        let panicked: Result<(), TimAdminError> = futures::executor::block_on(run(async { panic!("boom") }));
        assert!(matches!(panicked, Err(TimAdminError::Runtime { .. })));
    }
}
