//! The GCRA the shared limiter runs in Redis: the script (`gcra.lua`), its keys, the parameters
//! for a rate, and what its answers mean.
//!
//! A call may go when the Redis server's clock has reached its slot minus a tolerance `τ`; the
//! next slot is then one emission interval `T` later. The tolerance lets a caller whose timer
//! woke a little late still take its slot (tokio's timer has millisecond resolution), so that a
//! saturated fleet keeps its pace instead of losing the lateness on every call.
//!
//! `T` is not `1 s / rate` but `(1 s + τ + m) / rate`: any `rate + 1` permits are then at least
//! `rate·T - τ = 1 s + m` apart, so a one-second window of the *service* sees at most `rate`
//! calls even when, between Redis and the service (scheduling, network), one call is delayed up
//! to `m` more than the call `rate` permits after it. With `τ` = 5 ms and `m` = 15 ms this costs
//! 2 % of the budget: 196 calls/s at a 200 calls/s limit. (Measured on a busy 2-core machine,
//! calls of one fleet reached the emulator with several milliseconds of jitter: `m` = 5 ms let
//! 201 calls into some one-second windows, 15 ms did not.)

use std::time::Duration;

use crate::command::Command;

/// How long before its slot a call may go (`τ`).
pub(crate) const TOLERANCE: Duration = Duration::from_millis(5);
/// The delay between Redis and the service that still keeps every one-second window within the
/// rate (`m`).
pub(crate) const JITTER_MARGIN: Duration = Duration::from_millis(15);

/// The Lua script: one permit per call (see the comments in the file).
pub(crate) const SCRIPT: &str = include_str!("gcra.lua");

/// The script's parameters for one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gcra {
    /// The emission interval `T`, in microseconds.
    pub(crate) interval_us: u64,
    /// The tolerance `τ`, in microseconds.
    pub(crate) tolerance_us: u64,
}

impl Gcra {
    /// The parameters that keep every one-second window at or under `per_second` calls (a
    /// positive, finite rate; the configuration checks it).
    pub(crate) fn for_rate(per_second: f64) -> Gcra {
        let tolerance_us = TOLERANCE.as_micros() as f64;
        let margin_us = JITTER_MARGIN.as_micros() as f64;
        let interval_us = ((1_000_000.0 + tolerance_us + margin_us) / per_second).ceil();
        Gcra {
            // `as` saturates: a rate too small to express waits "forever" rather than panicking.
            interval_us: (interval_us as u64).max(1),
            tolerance_us: tolerance_us as u64,
        }
    }

    /// The most calls any half-open window of `window` can hold at these parameters: `n` calls
    /// need `(n - 1) T - τ < window`.
    #[cfg(test)]
    pub(crate) fn max_calls_in(&self, window: Duration) -> u64 {
        let window = window.as_micros() as u64;
        (window + self.tolerance_us).div_ceil(self.interval_us)
    }
}

/// The key of one command's budget: `timadmin:rl:{<sdkappid>}:<command word>` for the group
/// service (the key of earlier versions, so that a fleet mixing them shares one budget), and
/// `timadmin:rl:{<sdkappid>}:<service>/<command>` for the others. The braces are a Redis Cluster
/// hash tag: an app's keys live on one node.
pub(crate) fn key(sdkappid: u64, command: &Command) -> String {
    format!("timadmin:rl:{{{sdkappid}}}:{}", command.as_str())
}

/// What the script answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The call may go now; its slot is booked.
    Allowed,
    /// The call may go after this wait (nothing was booked: ask again then).
    Wait(Duration),
}

impl Verdict {
    /// The script's reply `{allowed, wait_us}`.
    pub(crate) fn from_reply((allowed, wait_us): (i64, i64)) -> Verdict {
        if allowed == 1 {
            Verdict::Allowed
        } else {
            Verdict::Wait(Duration::from_micros(wait_us.max(0) as u64))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_every_second_within_the_rate() {
        let g = Gcra::for_rate(200.0);
        assert_eq!(g, Gcra { interval_us: 5100, tolerance_us: 5000 });
        for rate in [1.0, 3.0, 66.0, 200.0, 1000.0, 5000.0] {
            let g = Gcra::for_rate(rate);
            assert!(g.max_calls_in(Duration::from_secs(1) + JITTER_MARGIN) <= rate as u64, "{rate}: {g:?}");
            // ...that is, permits `rate` apart are at least a second and the margin apart.
            assert!((rate as u64) * g.interval_us - g.tolerance_us >= 1_015_000, "{rate}: {g:?}");
        }
        assert_eq!(Gcra::for_rate(1e12).interval_us, 1);
    }

    #[test]
    fn keys_and_replies() {
        assert_eq!(key(1400000000, &Command::GET_GROUP_MEMBER_INFO), "timadmin:rl:{1400000000}:get_group_member_info");
        let sendmsg = Command::parse("openim/sendmsg").unwrap();
        assert_eq!(key(1400000000, &sendmsg), "timadmin:rl:{1400000000}:openim/sendmsg");
        assert_eq!(Verdict::from_reply((1, 0)), Verdict::Allowed);
        assert_eq!(Verdict::from_reply((0, 4200)), Verdict::Wait(Duration::from_micros(4200)));
        assert_eq!(Verdict::from_reply((0, -3)), Verdict::Wait(Duration::ZERO));
    }
}
