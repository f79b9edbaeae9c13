//! TLSSigAPIv2 UserSigs: sign and verify, for back-end tools written in Kotlin or Swift. An app
//! never signs: it gets UserSigs from its back end through a `UserSigProvider`.

use crate::error::TimAdminError;
use crate::model::Claims;

/// Signs a UserSig for `identifier`, valid `expireSecs` seconds from now.
#[uniffi::export]
pub fn generate_user_sig(
    sdkappid: u64,
    secret_key: String,
    identifier: String,
    expire_secs: u64,
) -> Result<String, TimAdminError> {
    Ok(timadmin::usersig::generate(sdkappid, &secret_key, &identifier, expire_secs)?)
}

/// Verifies `usersig` for `identifier` with `secretKey` and returns its claims; throws
/// `UserSig` with a `reason` (`expired`, `signature_mismatch`, `identifier_mismatch`, ...).
#[uniffi::export]
pub fn verify_user_sig(
    sdkappid: u64,
    secret_key: String,
    identifier: String,
    usersig: String,
) -> Result<Claims, TimAdminError> {
    Ok(timadmin::usersig::verify(sdkappid, &secret_key, &identifier, &usersig)?.into())
}
