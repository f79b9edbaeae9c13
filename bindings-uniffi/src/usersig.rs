//! TLSSigAPIv2 UserSigs: sign, verify and decode, for back-end tools written in Kotlin or Swift.
//! An app never signs: it gets UserSigs from its back end through a `UserSigProvider`.

use timadmin::usersig::{self, Claims, UnverifiedClaims};

use crate::error::TimAdminError;

/// Signs a UserSig for `identifier`, valid `expire` seconds from now, binding `userbuf` (raw
/// bytes, the token's `TLS.userbuf`) into it when given.
#[uniffi::export(default(userbuf = None))]
pub fn generate_usersig(
    sdkappid: u64,
    secret_key: String,
    identifier: String,
    expire: u64,
    userbuf: Option<Vec<u8>>,
) -> Result<String, TimAdminError> {
    Ok(match userbuf {
        Some(userbuf) => usersig::generate_with_userbuf(sdkappid, &secret_key, &identifier, expire, &userbuf)?,
        None => usersig::generate(sdkappid, &secret_key, &identifier, expire)?,
    })
}

/// Verifies `usersig` for `identifier` with `secretKey` and returns its claims (with the token's
/// `userbuf`, if any). With `userbuf` the token must carry exactly those bytes. Throws `UserSig`
/// with a `reason` (`expired`, `signature_mismatch`, `identifier_mismatch`, `userbuf_mismatch`,
/// ...).
#[uniffi::export(default(userbuf = None))]
pub fn verify_usersig(
    sdkappid: u64,
    secret_key: String,
    identifier: String,
    usersig: String,
    userbuf: Option<Vec<u8>>,
) -> Result<Claims, TimAdminError> {
    Ok(match userbuf {
        Some(userbuf) => usersig::verify_with_userbuf(sdkappid, &secret_key, &identifier, &usersig, &userbuf)?,
        None => usersig::verify(sdkappid, &secret_key, &identifier, &usersig)?,
    })
}

/// Reads the claims of `usersig` **without verifying its signature** (no key needed, nothing
/// trusted): whom and which app it names, when it expires, its `userbuf`, to diagnose a token.
/// Never use them to authorize anything (`verifyUsersig` does that). Throws `UserSig` with reason
/// `malformed` for a token that cannot be read; the error never contains the token.
#[uniffi::export]
pub fn decode_usersig(usersig: String) -> Result<UnverifiedClaims, TimAdminError> {
    Ok(usersig::decode(&usersig)?)
}
