//! `usersig doctor`: explains a UserSig. It decodes the claims (no key needed), verifies the
//! signature when the secret key is given, and says in plain words which service error the
//! token would get (70001, 70003, 70009, 70013, 70014) and what to check. It never prints the
//! key, nor the token (the user has it already).

use std::io::{self, Write};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use timadmin::usersig::{self, Clock, FixedClock, Signer, SystemClock, UnverifiedClaims, UserSigError};

use crate::args::DoctorArgs;
use crate::context::Context;
use crate::error::CliError;

/// One reason the service would refuse the token.
struct Finding {
    /// The service's error code.
    code: i64,
    /// What the code means.
    meaning: &'static str,
    /// What is wrong with this token, and what to check.
    explanation: String,
    /// The same failure as the verifier names it (for the exit status and stderr).
    error: UserSigError,
}

/// The service codes a UserSig can get, with their meaning.
const EXPIRED: (i64, &str) = (70001, "UserSig expired");
const INVALID: (i64, &str) = (70003, "UserSig invalid: bad format or signature field");
const WRONG_KEY: (i64, &str) = (70009, "UserSig verification failed: the key or SDKAppID does not match");
const IDENTIFIER_MISMATCH: (i64, &str) = (70013, "the identifier does not match the UserSig");
const SDKAPPID_MISMATCH: (i64, &str) = (70014, "the SDKAppID does not match the UserSig");

fn finding((code, meaning): (i64, &'static str), error: UserSigError, explanation: String) -> Finding {
    Finding { code, meaning, explanation, error }
}

/// Runs `usersig doctor`: exit 0 when nothing that was checked would make the service refuse the
/// token, 1 when something would, 2 on bad options.
pub fn run(ctx: &Context<'_>, args: &DoctorArgs) -> Result<(), CliError> {
    let given = ctx.given()?;
    let key = given.secret_key.as_deref();
    if key == Some("") {
        return Err(CliError::Usage("--secret-key (or TIM_SECRET_KEY) is empty".into()));
    }
    // The identifier has a default (administrator); only a value the user gave is an expectation.
    let expected_identifier = given.identifier.as_deref();
    let now = SystemClock.now_unix();
    let report = diagnose(&args.token, given.sdkappid, expected_identifier, key, now);
    let mut out = io::stdout().lock();
    out.write_all(report.text.as_bytes())?;
    out.flush()?;
    match report.refusal {
        // Exit 1, with the reason on stderr, as `usersig verify` does.
        Some(error) => Err(CliError::NotVerified(error)),
        None => Ok(()),
    }
}

/// The doctor's report and the first reason the service would refuse the token, if any.
struct Report {
    text: String,
    refusal: Option<UserSigError>,
}

/// Examines `token` against what the caller expects, at `now`. Pure: no I/O, so every verdict
/// can be produced from a test.
fn diagnose(token: &str, sdkappid: Option<u64>, identifier: Option<&str>, key: Option<&str>, now: u64) -> Report {
    let mut text = String::new();
    let mut findings = Vec::new();
    let claims = match usersig::decode(token.trim()) {
        Ok(claims) => Some(claims),
        Err(e) => {
            findings.push(finding(
                INVALID,
                e.clone(),
                format!(
                    "The text cannot be read as a TLSSigAPIv2 UserSig ({}). Pass the whole token, exactly as \
                 generated: no quotes, spaces or line breaks, not cut short, not URL-encoded twice. Tokens \
                 of the old TLSSigAPI (v1, public/private key pair) are not accepted: sign with \
                 TLSSigAPIv2 and the app's secret key.",
                    reason(&e)
                ),
            ));
            None
        }
    };
    if token.trim() != token && claims.is_some() {
        text.push_str("Note: the token has leading or trailing whitespace; the service does not strip it.\n\n");
        let error = UserSigError::Malformed("whitespace around the token".into());
        findings.push(finding(INVALID, error, "Remove the spaces or line breaks around the token.".into()));
    }
    if let Some(c) = &claims {
        text.push_str(&describe(c, now));
        check_claims(c, sdkappid, identifier, now, &mut findings, &mut text);
        text.push_str(&signature_line(c, token.trim(), key, &mut findings));
    }
    text.push('\n');
    match findings.first() {
        None if key.is_some() => text.push_str(
            "Verdict: the service would accept this token: the signature is valid for this key, it has not \
             expired, and it matches the SDKAppID and identifier given.\n",
        ),
        None => text.push_str(
            "Verdict: nothing wrong in the claims, but the signature was NOT checked. Run again with \
             --secret-key (or TIM_SECRET_KEY) to check it against the app's key.\n",
        ),
        Some(first) => {
            text.push_str(&format!(
                "Verdict: the service would refuse this token with {} ({}).\n",
                first.code, first.meaning
            ));
            for f in &findings {
                text.push_str(&format!("\n{} {}:\n{}\n", f.code, f.meaning, wrap(&f.explanation)));
            }
        }
    }
    if key.is_none() || sdkappid.is_none() || identifier.is_none() {
        let mut missing = Vec::new();
        if key.is_none() {
            missing.push("--secret-key (the signature)");
        }
        if sdkappid.is_none() {
            missing.push("--sdkappid (the app you call)");
        }
        if identifier.is_none() {
            missing.push("--identifier (the account you call as)");
        }
        text.push_str(&format!("\nNot checked, for want of: {}.\n", missing.join(", ")));
    }
    Report { text, refusal: findings.into_iter().next().map(|f| f.error) }
}

/// The claims, with times in UTC and relative to now.
fn describe(c: &UnverifiedClaims, now: u64) -> String {
    let userbuf = match &c.userbuf {
        None => "none".to_owned(),
        Some(b) => format!("{} bytes, base64 {}", b.len(), STANDARD.encode(b)),
    };
    format!(
        "UserSig claims (decoded; not proof of anything until the signature is verified):\n\
         \x20 identifier  {}\n\
         \x20 SDKAppID    {}\n\
         \x20 issued      {} ({})\n\
         \x20 expires     {} ({}); lifetime {} s ({})\n\
         \x20 userbuf     {}\n\n",
        c.identifier,
        c.sdkappid,
        utc(c.time),
        relative(c.time, now),
        utc(c.expires_at()),
        relative(c.expires_at(), now),
        c.expire,
        span(c.expire),
        userbuf
    )
}

/// Identifier, SDKAppID and expiry, in the order the verifier checks them.
fn check_claims(
    c: &UnverifiedClaims,
    sdkappid: Option<u64>,
    identifier: Option<&str>,
    now: u64,
    findings: &mut Vec<Finding>,
    text: &mut String,
) {
    if let Some(expected) = identifier {
        if expected != c.identifier {
            let error =
                UserSigError::IdentifierMismatch { expected: expected.to_owned(), actual: c.identifier.clone() };
            findings.push(finding(
                IDENTIFIER_MISMATCH,
                error,
                format!(
                    "The token was made for identifier {:?}, but requests are made as {expected:?} (the \
                 `identifier` query parameter). Sign the token for the admin account you call with \
                 (an app admin, such as administrator), or call as {:?} if that is an app admin.",
                    c.identifier, c.identifier
                ),
            ));
        }
    }
    if let Some(expected) = sdkappid {
        if expected != c.sdkappid {
            let error = UserSigError::SdkAppIdMismatch { expected, actual: c.sdkappid };
            findings.push(finding(
                SDKAPPID_MISMATCH,
                error,
                format!(
                    "The token was made for SDKAppID {}, but requests carry sdkappid={expected}. Use the \
                 SDKAppID of the app whose secret key signed the token, or sign with the key of app \
                 {expected}.",
                    c.sdkappid
                ),
            ));
        }
    }
    if now > c.expires_at() {
        let error = UserSigError::Expired { expired_at: c.expires_at(), now };
        findings.push(finding(
            EXPIRED,
            error,
            format!(
                "The token expired {} ago ({}). Sign a new one; a client given the secret key (timadmin's) \
             signs and renews its own. If it was signed moments ago, the signing machine's clock is \
             wrong (it said {}; this machine says {}) or its expire was too short.",
                span(now - c.expires_at()),
                utc(c.expires_at()),
                utc(c.time),
                utc(now)
            ),
        ));
    }
    if c.time > now.saturating_add(300) {
        text.push_str(&format!(
            "Note: the token was issued {} in the future: the signing machine's clock is ahead of this \
             one. Check both clocks (NTP).\n\n",
            span(c.time - now)
        ));
    }
}

/// The signature check: with the key, against the token's own claims (so that each mismatch
/// is reported once, above, and a wrong key is told apart from a wrong SDKAppID).
fn signature_line(c: &UnverifiedClaims, token: &str, key: Option<&str>, findings: &mut Vec<Finding>) -> String {
    let Some(key) = key else {
        return "Signature: not checked (no --secret-key).\n".into();
    };
    // At the issue time, the token cannot have expired: only the signature is judged.
    let checked = Signer::with_clock(c.sdkappid, key, Arc::new(FixedClock(c.time)))
        .and_then(|signer| signer.verify(&c.identifier, token, None));
    match checked {
        Ok(_) => "Signature: valid for this secret key.\n".into(),
        Err(UserSigError::SignatureMismatch) => {
            findings.push(finding(
                WRONG_KEY,
                UserSigError::SignatureMismatch,
                format!(
                    "The signature does not match this secret key. Check that the key is the one of app {} \
                 (console: Applications > the app > Basic Information > Key), copied whole, with no \
                 extra characters, and used as text (not hex-decoded). Each app has its own key, and \
                 an app lives in one region: the domain you call (console.tim.qq.com, \
                 adminapisgp.im.qcloud.com, ...) must be that app's region. If the key is right, the \
                 token was altered after signing.",
                    c.sdkappid
                ),
            ));
            "Signature: DOES NOT MATCH this secret key.\n".into()
        }
        Err(e) => {
            findings.push(finding(
                INVALID,
                e.clone(),
                format!("The token's fields cannot be checked ({}). Sign a new token with TLSSigAPIv2.", reason(&e)),
            ));
            "Signature: cannot be checked (malformed token).\n".into()
        }
    }
}

/// The failure in words, without the prefixes of the error's Display.
fn reason(e: &UserSigError) -> String {
    match e {
        UserSigError::Malformed(r) | UserSigError::InvalidInput(r) => r.clone(),
        other => other.to_string(),
    }
}

/// Wraps `text` at about 96 columns, indented by two spaces.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > 96 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// `YYYY-MM-DD hh:mm:ss UTC` of a Unix second.
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3_600, rem % 3_600 / 60, rem % 60)
}

/// `in 3 days` / `5 minutes ago` / `now`.
fn relative(at: u64, now: u64) -> String {
    match at.cmp(&now) {
        std::cmp::Ordering::Equal => "now".into(),
        std::cmp::Ordering::Greater => format!("in {}", span(at - now)),
        std::cmp::Ordering::Less => format!("{} ago", span(now - at)),
    }
}

/// A duration in its largest whole unit: `3 days`, `1 hour`, `42 seconds`.
fn span(secs: u64) -> String {
    let (n, unit) = match secs {
        s if s >= 86_400 * 365 => (s / (86_400 * 365), "year"),
        s if s >= 86_400 => (s / 86_400, "day"),
        s if s >= 3_600 => (s / 3_600, "hour"),
        s if s >= 60 => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(4_294_967_295), "2106-02-07 06:28:15 UTC");
        assert!(utc(u64::MAX).ends_with("UTC"));
    }

    #[test]
    fn spans_and_relative_times() {
        assert_eq!(span(1), "1 second");
        assert_eq!(span(59), "59 seconds");
        assert_eq!(span(3_600 * 5 + 10), "5 hours");
        assert_eq!(span(180 * 86_400), "180 days");
        assert_eq!(relative(10, 10), "now");
        assert_eq!(relative(70, 10), "in 1 minute");
        assert_eq!(relative(10, 7_210), "2 hours ago");
    }
}
