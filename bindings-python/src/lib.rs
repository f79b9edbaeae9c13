//! Python bindings for timadmin: the extension module `timadmin._timadmin`.
//!
//! A thin translation layer: Python arguments become the core's request types, the core's
//! responses become immutable Python value objects, and the core's `Error` variants become the
//! exception classes of `timadmin._errors`. Paging, validation, retries, signing and rate
//! limiting all happen in the `timadmin` crate.

use pyo3::prelude::*;

mod aio;
mod args;
mod blocking;
mod emulator;
mod errors;
mod logging;
mod models;
mod provider;
mod raw;
mod requests;
mod runtime;
mod usersig;

/// Exports the core's defaults (`timadmin::options`) as module constants, so Python sees the
/// values a client actually uses: durations as seconds (`DEFAULT_TIMEOUT` a float,
/// `DEFAULT_USERSIG_LIFETIME` whole seconds), the region by name, sizes in bytes.
fn add_defaults(m: &Bound<'_, PyModule>) -> PyResult<()> {
    use timadmin::options;
    m.add("DEFAULT_IDENTIFIER", options::DEFAULT_IDENTIFIER)?;
    m.add("DEFAULT_REGION", options::DEFAULT_REGION.name())?;
    m.add("DEFAULT_TIMEOUT", options::DEFAULT_TIMEOUT.as_secs_f64())?;
    m.add("DEFAULT_MAX_RETRIES", options::DEFAULT_MAX_RETRIES)?;
    m.add("DEFAULT_RATE_LIMIT", options::DEFAULT_RATE_LIMIT)?;
    m.add("DEFAULT_PAGE_SIZE", options::DEFAULT_PAGE_SIZE)?;
    m.add("DEFAULT_USERSIG_LIFETIME", options::DEFAULT_USERSIG_LIFETIME.as_secs())?;
    m.add("DEFAULT_MAX_RESPONSE_BYTES", options::DEFAULT_MAX_RESPONSE_BYTES)?;
    m.add("DEFAULT_MAX_IN_FLIGHT", options::DEFAULT_MAX_IN_FLIGHT)?;
    m.add("DEFAULT_FLEET_SIZE", options::DEFAULT_FLEET_SIZE)?;
    m.add("DEFAULT_REDIS_FALLBACK", options::DEFAULT_REDIS_FALLBACK.as_str())?;
    Ok(())
}

/// The extension module.
#[pymodule]
fn _timadmin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install(m.py());
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    add_defaults(m)?;
    m.add_function(wrap_pyfunction!(usersig::generate_usersig, m)?)?;
    m.add_function(wrap_pyfunction!(usersig::verify_usersig, m)?)?;
    m.add_class::<usersig::Claims>()?;
    m.add_function(wrap_pyfunction!(usersig::decode_usersig, m)?)?;
    m.add_class::<usersig::UnverifiedClaims>()?;
    m.add_class::<models::GroupMember>()?;
    m.add_class::<models::GetGroupMemberInfoResponse>()?;
    m.add_class::<models::MutedAccount>()?;
    m.add_class::<models::GetGroupMutedAccountResponse>()?;
    m.add_class::<blocking::Client>()?;
    m.add_class::<blocking::MemberPager>()?;
    m.add_class::<aio::AsyncClient>()?;
    m.add_class::<aio::AsyncMemberPager>()?;
    m.add_class::<emulator::Emulator>()?;
    m.add("_DEMO_FIXTURE_JSON", emulator::DEMO_FIXTURE_JSON)?;
    Ok(())
}
