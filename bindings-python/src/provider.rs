//! Python callables as the core's UserSig providers: `usersig_provider` (a function returning a
//! `str`) and `async_usersig_provider` (a coroutine function returning a `str`). An exception
//! becomes the provider's error message, naming the exception's type.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::ContextExt;
use timadmin::{AsyncUserSigProvider, UserSigProvider};

use crate::runtime::ForkSafeTokio;

/// `usersig_provider raised ValueError: ...`, for a Python exception.
fn describe(py: Python<'_>, setting: &str, e: &PyErr) -> String {
    let name = e.get_type(py).name().map(|n| n.to_string()).unwrap_or_else(|_| "Exception".to_owned());
    let text = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
    format!("{setting} raised {name}: {text}")
}

/// The UserSig a provider answered, which must be a `str`.
fn usersig(setting: &str, value: &Bound<'_, PyAny>) -> Result<String, String> {
    value.extract::<String>().map_err(|_| format!("{setting} must return a str"))
}

/// `usersig_provider`: called with the GIL held (from one of the core's blocking threads).
pub(crate) fn provider(callback: Py<PyAny>) -> Arc<dyn UserSigProvider> {
    Arc::new(move || -> Result<String, String> {
        Python::attach(|py| {
            let result = callback.bind(py).call0().map_err(|e| describe(py, "usersig_provider", &e))?;
            usersig("usersig_provider", &result)
        })
    })
}

/// `async_usersig_provider`: a coroutine function, awaited on the event loop of the
/// `AsyncClient` call that needs a UserSig; a synchronous `Client` (no event loop) runs it to
/// completion with `asyncio.run`.
struct AsyncProvider {
    callback: Arc<Py<PyAny>>,
}

const ASYNC: &str = "async_usersig_provider";

/// The coroutine's result, awaited on an event loop.
type Awaited = Pin<Box<dyn Future<Output = PyResult<Py<PyAny>>> + Send>>;

/// Where the provider's answer comes from.
enum Answer {
    /// Awaited on the event loop of the `AsyncClient` call.
    OnTheLoop(Awaited),
    /// Already run to completion (no event loop: the synchronous `Client`).
    Ready(String),
}

impl AsyncUserSigProvider for AsyncProvider {
    fn usersig(&self) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send>> {
        let callback = Arc::clone(&self.callback);
        Box::pin(async move {
            let answer = Python::attach(|py| -> Result<Answer, String> {
                let awaitable = callback.bind(py).call0().map_err(|e| describe(py, ASYNC, &e))?;
                if ForkSafeTokio::get_task_locals().is_some() {
                    let awaited = pyo3_async_runtimes::generic::into_future::<ForkSafeTokio>(awaitable)
                        .map_err(|e| describe(py, ASYNC, &e))?;
                    return Ok(Answer::OnTheLoop(Box::pin(awaited)));
                }
                let result = py
                    .import("asyncio")
                    .and_then(|asyncio| asyncio.call_method1("run", (awaitable,)))
                    .map_err(|e| describe(py, ASYNC, &e))?;
                usersig(ASYNC, &result).map(Answer::Ready)
            })?;
            match answer {
                Answer::Ready(sig) => Ok(sig),
                Answer::OnTheLoop(awaited) => {
                    let result = awaited.await;
                    Python::attach(|py| match result {
                        Ok(value) => usersig(ASYNC, value.bind(py)),
                        Err(e) => Err(describe(py, ASYNC, &e)),
                    })
                }
            }
        })
    }
}

/// The core's async provider over the coroutine function `callback`.
pub(crate) fn async_provider(callback: Py<PyAny>) -> Arc<dyn AsyncUserSigProvider> {
    Arc::new(AsyncProvider { callback: Arc::new(callback) })
}
