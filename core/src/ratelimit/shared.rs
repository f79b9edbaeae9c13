//! The limiter shared by a fleet: every process asks one Redis server for each permit, so that
//! all of them together keep each endpoint of the app under the budget.
//!
//! One permit is one round trip: the GCRA script of [`super::gcra`] (EVALSHA, and EVAL when the
//! server has not seen it, which `redis::Script` does) on the key of the app and command. An
//! answer "wait N µs" sleeps on the tokio timer and asks again. Every Redis operation is bounded
//! by [`REDIS_TIMEOUT`]; a failure or a slow answer switches to the configured fallback (see
//! [`super::fallback`]), logged once, and Redis is tried again at most every
//! [`REDIS_RETRY_INTERVAL`] until it answers, which switches back (logged once). Across either
//! switch, with the `local-share` fallback, the process keeps to its share of the budget in every
//! window, counting the calls it sent on Redis permits too (see [`super::fallback`]): no
//! one-second window across a switch holds more than the budget.
//!
//! The connection is the `redis` crate's tokio multiplexed connection, shared by every task of
//! the client, made on first use and dropped after a failure; the retry schedule above is the
//! reconnection policy. (The crate's `ConnectionManager` reconnects on its own, but a client
//! freed while one of its reconnections is in flight leaks it: the reconnection future holds
//! the manager that holds the future, which valgrind reports in the C suite.)

use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;

use super::fallback::{Change, Departures, Health, Route, SHARE_WINDOW};
use super::gcra::{self, Gcra, Verdict};
use super::{Limiter, LocalLimiter, PerCommand};
use crate::command::Command;
use crate::config::{RedisFallback, RedisUrl, SharedRateLimit, REDIS_RETRY_INTERVAL, REDIS_TIMEOUT};
use crate::error::{Error, Result};

/// The longest one sleep between two questions to Redis (a long wait is re-examined).
const MAX_SLEEP: Duration = Duration::from_secs(1);

/// How long a process keeps to its share after Redis answers again: until every other process
/// of the fleet has tried Redis again (each does once per [`REDIS_RETRY_INTERVAL`], a try taking
/// up to [`REDIS_TIMEOUT`]), and the last window of their fallback calls has passed.
const SETTLE: Duration = Duration::from_millis(
    (REDIS_RETRY_INTERVAL.as_millis() + 2 * REDIS_TIMEOUT.as_millis() + SHARE_WINDOW.as_millis()) as u64,
);

/// What a call does while Redis is down.
enum Fallback {
    /// Keep to this process's share of the budget.
    LocalShare(Box<Share>),
    /// Fail the call.
    Fail,
}

/// This process's share of the budget (`rate / fleet_size` per endpoint): paced by a local
/// limiter while Redis is down, and counted in a window of every call it sends, so that a
/// switch in either direction keeps every window within the share.
struct Share {
    local: LocalLimiter,
    windows: PerCommand<ShareWindow>,
}

/// One command's window of this process's departures.
struct ShareWindow {
    departures: std::sync::Mutex<Departures>,
    /// Held from "the window has room" to "the call is recorded", so that concurrent calls
    /// cannot all see the same room.
    gate: tokio::sync::Mutex<()>,
}

impl ShareWindow {
    fn departures(&self) -> std::sync::MutexGuard<'_, Departures> {
        // Each update is one push or pop: a panic elsewhere cannot leave it half done.
        self.departures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a call leaving now.
    fn departed(&self) {
        self.departures().record(Instant::now());
    }

    /// Waits until the share has room for a call; the room is the holder's until the guard is
    /// dropped (record the call before).
    async fn room(&self) -> tokio::sync::MutexGuard<'_, ()> {
        let gate = self.gate.lock().await;
        self.wait_for_room().await;
        gate
    }

    async fn wait_for_room(&self) {
        loop {
            let free_at = self.departures().free_at(Instant::now());
            match free_at {
                None => return,
                Some(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
            }
        }
    }
}

impl Share {
    fn new(per_second: f64) -> Result<Self> {
        Ok(Share {
            local: LocalLimiter::new(per_second, "fleet_size")?,
            windows: PerCommand::new(move || ShareWindow {
                departures: std::sync::Mutex::new(Departures::new(per_second)),
                gate: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// `command`'s window, made on first use.
    fn window(&self, command: &Command) -> Result<std::sync::Arc<ShareWindow>> {
        self.windows.get(command)
    }

    /// Makes `command`'s state, or refuses it (too many distinct commands).
    fn admit(&self, command: &Command) -> Result<()> {
        self.local.admit(command)?;
        self.window(command).map(drop)
    }

    /// A permit of the fallback: the local share's pace, within the share's window.
    async fn wait(&self, command: &Command) -> Result<()> {
        let window = self.window(command)?;
        let _gate = window.room().await;
        self.local.wait(command).await?;
        // Calls on Redis permits (a switch back under way) may have filled the window meanwhile.
        window.wait_for_room().await;
        window.departed();
        Ok(())
    }
}

/// The shared limiter of one client.
pub(crate) struct SharedLimiter {
    client: redis::Client,
    /// Made on first use (it needs the caller's runtime) and dropped after a failure, so that a
    /// retry starts from a fresh connection on the runtime of the call that makes it. The lock
    /// is held while connecting, so that concurrent calls share one connection attempt.
    connection: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    script: redis::Script,
    sdkappid: u64,
    gcra: Gcra,
    health: Health,
    fallback: Fallback,
    url: RedisUrl,
    /// The URL's password as written and decoded, scrubbed from anything the driver says.
    password: Option<(String, String)>,
}

impl SharedLimiter {
    /// A limiter sharing `per_second` per endpoint of app `sdkappid` with every process that
    /// uses the same Redis. Makes no network call.
    pub(crate) fn new(sdkappid: u64, per_second: f64, shared: &SharedRateLimit) -> Result<Self> {
        let password = shared.redis_url.password();
        let client = redis::Client::open(shared.redis_url.expose())
            .map_err(|e| Error::invalid("rate_limit_redis_url", scrub(&e.to_string(), password.as_ref())))?;
        let fallback = match shared.fallback {
            RedisFallback::LocalShare => {
                let share = per_second / f64::from(shared.fleet_size.max(1));
                Fallback::LocalShare(Box::new(Share::new(share)?))
            }
            RedisFallback::Fail => Fallback::Fail,
        };
        Ok(SharedLimiter {
            client,
            connection: tokio::sync::Mutex::new(None),
            script: redis::Script::new(gcra::SCRIPT),
            sdkappid,
            gcra: Gcra::for_rate(per_second),
            health: Health::new(REDIS_RETRY_INTERVAL, SETTLE),
            fallback,
            url: shared.redis_url.clone(),
            password,
        })
    }

    /// The shared connection, made on the current runtime when there is none.
    async fn connection(&self) -> std::result::Result<MultiplexedConnection, String> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = &*slot {
            return Ok(connection.clone());
        }
        if tokio::runtime::Handle::try_current().is_err() {
            return Err("no tokio runtime to connect from".to_owned());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT));
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(|e| self.scrub(&e.to_string()))?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    /// Drops the shared connection after a failure (unless another call is making a new one).
    fn forget_connection(&self) {
        if let Ok(mut slot) = self.connection.try_lock() {
            slot.take();
        }
    }

    /// One question to Redis, connecting first if needed, all bounded by [`REDIS_TIMEOUT`]:
    /// may `command` go now?
    async fn ask(&self, command: &Command) -> std::result::Result<Verdict, String> {
        let mut invocation = self.script.key(gcra::key(self.sdkappid, command));
        invocation.arg(self.gcra.interval_us).arg(self.gcra.tolerance_us);
        let attempt = async {
            let mut connection = self.connection().await?;
            invocation.invoke_async::<(i64, i64)>(&mut connection).await.map_err(|e| self.scrub(&e.to_string()))
        };
        match tokio::time::timeout(REDIS_TIMEOUT, attempt).await {
            Ok(Ok(reply)) => Ok(Verdict::from_reply(reply)),
            Ok(Err(reason)) => Err(reason),
            Err(_) => Err(format!("no answer within {} ms", REDIS_TIMEOUT.as_millis())),
        }
    }

    fn scrub(&self, text: &str) -> String {
        scrub(text, self.password.as_ref())
    }

    /// Logs a switch between Redis and the fallback.
    fn log(&self, change: Change, reason: Option<&str>) {
        match change {
            Change::WentDown => match &self.fallback {
                Fallback::LocalShare(share) => tracing::warn!(
                    redis = self.url.redacted(),
                    reason = reason.unwrap_or_default(),
                    local_limit_per_second = share.local.per_second(),
                    "shared rate limit unavailable: falling back to this process's share of the budget \
                     (rate_limit / fleet_size per endpoint) until Redis answers"
                ),
                Fallback::Fail => tracing::warn!(
                    redis = self.url.redacted(),
                    reason = reason.unwrap_or_default(),
                    "shared rate limit unavailable: failing calls until Redis answers"
                ),
            },
            Change::CameBack { after } => tracing::info!(
                redis = self.url.redacted(),
                down_ms = after.as_millis() as u64,
                "shared rate limit restored: Redis answers again"
            ),
        }
    }

    /// A permit from the fallback, or the error of the `Fail` fallback.
    async fn fall_back(&self, command: &Command) -> Result<()> {
        match &self.fallback {
            Fallback::LocalShare(share) => share.wait(command).await,
            Fallback::Fail => {
                let reason = self.health.down_reason().unwrap_or_else(|| "unreachable".to_owned());
                Err(Error::RateLimiterUnavailable(format!(
                    "Redis at {} ({reason}); calls fail until it answers (tried again every {} s)",
                    self.url.redacted(),
                    REDIS_RETRY_INTERVAL.as_secs()
                )))
            }
        }
    }

    /// The share of the `local-share` fallback; `None` with the `Fail` fallback.
    fn share(&self) -> Option<&Share> {
        match &self.fallback {
            Fallback::LocalShare(share) => Some(share),
            Fallback::Fail => None,
        }
    }

    /// Waits for a permit: from Redis while it answers, else from the fallback. Around a switch
    /// (probing, settling) a Redis permit is also taken within this process's share.
    async fn wait(&self, command: &Command) -> Result<()> {
        let window = match self.share() {
            Some(share) => Some(share.window(command)?),
            None => None,
        };
        loop {
            let route = self.health.route(Instant::now());
            if route == Route::Fallback {
                return self.fall_back(command).await;
            }
            let gate = match (&window, route) {
                (Some(window), Route::Probe | Route::Settling) => Some(window.room().await),
                _ => None,
            };
            match self.ask(command).await {
                Ok(verdict) => {
                    if let Some(change) = self.health.succeeded(Instant::now()) {
                        self.log(change, None);
                    }
                    match verdict {
                        Verdict::Allowed => {
                            // Every call counts against the share, so that a fallback starting
                            // now knows what this process just sent.
                            if let Some(window) = &window {
                                window.departed();
                            }
                            return Ok(());
                        }
                        Verdict::Wait(wait) => {
                            drop(gate);
                            tokio::time::sleep(wait.min(MAX_SLEEP)).await;
                        }
                    }
                }
                Err(reason) => {
                    drop(gate);
                    // A fresh connection for the next try (this one may be broken or belong to a
                    // runtime that is gone).
                    self.forget_connection();
                    tracing::debug!(redis = self.url.redacted(), reason = %reason, "shared rate limit: Redis failed");
                    if let Some(change) = self.health.failed(Instant::now(), reason.clone()) {
                        self.log(change, Some(&reason));
                    }
                    // The loop now routes to the fallback until the next try.
                }
            }
        }
    }
}

impl Limiter for SharedLimiter {
    fn acquire<'a>(&'a self, command: &'a Command) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.wait(command))
    }

    fn admit(&self, command: &Command) -> Result<()> {
        match self.share() {
            Some(share) => share.admit(command),
            None => Ok(()),
        }
    }
}

/// `text` with the password (as written and decoded) replaced.
fn scrub(text: &str, password: Option<&(String, String)>) -> String {
    match password {
        Some((raw, decoded)) => text.replace(raw.as_str(), "[redacted]").replace(decoded.as_str(), "[redacted]"),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratelimit::redis_server::RedisServer;

    fn shared(url: &str, fallback: RedisFallback) -> SharedRateLimit {
        SharedRateLimit { fallback, fleet_size: 2, ..SharedRateLimit::new(url).unwrap() }
    }

    /// A limiter on `server` with explicit GCRA parameters (milliseconds, to read the answers).
    fn limiter(server: &RedisServer, interval_ms: u64, tolerance_ms: u64) -> SharedLimiter {
        let mut l = SharedLimiter::new(7, 10.0, &shared(&server.url(), RedisFallback::Fail)).unwrap();
        l.gcra = Gcra { interval_us: interval_ms * 1000, tolerance_us: tolerance_ms * 1000 };
        l
    }

    fn pttl(server: &RedisServer, command: &Command) -> i64 {
        let reply = server.command(&format!("PTTL {}", gcra::key(7, command))).unwrap();
        reply.trim().trim_start_matches(':').parse().unwrap()
    }

    #[test]
    fn scrubbing() {
        let pw = ("p%40ss".to_owned(), "p@ss".to_owned());
        assert_eq!(scrub("auth p@ss and p%40ss failed", Some(&pw)), "auth [redacted] and [redacted] failed");
        assert_eq!(scrub("refused", None), "refused");
    }

    #[tokio::test]
    async fn the_script_books_slots_and_says_how_long_to_wait() {
        let server = RedisServer::start();
        let l = limiter(&server, 10_000, 0);
        let c = &Command::GET_GROUP_MEMBER_INFO;
        assert_eq!(l.ask(c).await, Ok(Verdict::Allowed));
        // The next slot is 10 s away on the server's clock; the key expires when it is reached.
        let Ok(Verdict::Wait(wait)) = l.ask(c).await else { panic!("a second call must wait") };
        assert!(wait > Duration::from_millis(9_000) && wait <= Duration::from_secs(10), "{wait:?}");
        let ttl = pttl(&server, c);
        assert!(ttl > 9_000 && ttl <= 10_000, "PTTL {ttl}");
        // Asking again books nothing: the wait only shrinks.
        let Ok(Verdict::Wait(again)) = l.ask(c).await else { panic!() };
        assert!(again <= wait);
        // Commands and apps have separate keys.
        assert_eq!(l.ask(&Command::GET_GROUP_MUTED_ACCOUNT).await, Ok(Verdict::Allowed));
        assert_eq!(pttl(&server, &Command::MODIFY_GROUP_BASE_INFO), -2, "untouched key does not exist");
        let other_app = SharedLimiter::new(8, 10.0, &shared(&server.url(), RedisFallback::Fail)).unwrap();
        assert_eq!(other_app.ask(c).await, Ok(Verdict::Allowed));
    }

    #[tokio::test]
    async fn a_call_may_go_within_the_tolerance_before_its_slot() {
        let server = RedisServer::start();
        let l = limiter(&server, 10_000, 4_000);
        let c = &Command::GET_GROUP_MEMBER_INFO;
        assert_eq!(l.ask(c).await, Ok(Verdict::Allowed));
        let Ok(Verdict::Wait(wait)) = l.ask(c).await else { panic!() };
        assert!(wait > Duration::from_millis(5_000) && wait <= Duration::from_millis(6_000), "{wait:?}");
    }

    #[tokio::test]
    async fn keys_expire_when_their_slot_passes() {
        let server = RedisServer::start();
        let l = limiter(&server, 50, 0);
        let c = &Command::GET_GROUP_MEMBER_INFO;
        assert_eq!(l.ask(c).await, Ok(Verdict::Allowed));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(pttl(&server, c), -2, "the key is gone once its TAT is past");
        assert_eq!(l.ask(c).await, Ok(Verdict::Allowed));
    }

    #[tokio::test]
    async fn a_flushed_script_is_loaded_again() {
        let server = RedisServer::start();
        let l = limiter(&server, 1, 0);
        let c = &Command::GET_GROUP_MEMBER_INFO;
        assert_eq!(l.ask(c).await, Ok(Verdict::Allowed));
        assert!(server.command("SCRIPT FLUSH").unwrap().starts_with("+OK"));
        // EVALSHA answers NOSCRIPT; redis::Script then sends the source with EVAL.
        tokio::time::sleep(Duration::from_millis(2)).await;
        assert_eq!(l.ask(c).await, Ok(Verdict::Allowed));
    }

    #[tokio::test]
    async fn limiters_of_different_clients_share_the_budget() {
        let server = RedisServer::start();
        // Two "processes" at 20 calls/s in total: 12 permits span at least 11 T - τ.
        let a = SharedLimiter::new(7, 20.0, &shared(&server.url(), RedisFallback::Fail)).unwrap();
        let b = SharedLimiter::new(7, 20.0, &shared(&server.url(), RedisFallback::Fail)).unwrap();
        let started = Instant::now();
        for i in 0..12 {
            let l = if i % 2 == 0 { &a } else { &b };
            l.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        }
        let g = Gcra::for_rate(20.0);
        let floor = Duration::from_micros(11 * g.interval_us - g.tolerance_us);
        assert!(started.elapsed() >= floor, "{:?} < {floor:?}", started.elapsed());
    }

    #[tokio::test]
    async fn unreachable_redis_fails_fast_with_the_fail_fallback() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
        let l = SharedLimiter::new(7, 200.0, &shared(&url, RedisFallback::Fail)).unwrap();
        for _ in 0..3 {
            let e = l.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap_err();
            let text = e.to_string();
            assert!(matches!(e, Error::RateLimiterUnavailable(_)), "{e:?}");
            assert!(text.contains(&format!("redis://127.0.0.1:{port}/0")) && !text.contains("hunter2"), "{text}");
        }
    }

    #[tokio::test]
    async fn unreachable_redis_falls_back_to_the_local_share() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let l = SharedLimiter::new(7, 200.0, &shared(&format!("redis://127.0.0.1:{port}"), RedisFallback::LocalShare))
            .unwrap();
        let Fallback::LocalShare(share) = &l.fallback else { panic!() };
        assert_eq!(share.local.per_second(), 100.0, "200 calls/s shared by a fleet of 2");
        for _ in 0..3 {
            l.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        }
        assert!(l.health.down_reason().is_some());
    }

    #[tokio::test]
    async fn a_silent_redis_is_given_up_on_after_the_timeout() {
        // Accepts connections and never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let hold = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let l =
            SharedLimiter::new(7, 200.0, &shared(&format!("redis://127.0.0.1:{port}"), RedisFallback::Fail)).unwrap();
        let e = l.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap_err();
        assert!(e.to_string().contains("no answer within 100 ms") || e.to_string().contains("timed out"), "{e}");
        hold.abort();
    }

    #[tokio::test]
    async fn recovers_when_redis_comes_back() {
        let mut server = RedisServer::start();
        let l = SharedLimiter::new(7, 200.0, &shared(&server.url(), RedisFallback::Fail)).unwrap();
        let c = &Command::GET_GROUP_MEMBER_INFO;
        l.acquire(c).await.unwrap();
        server.stop();
        assert!(matches!(l.acquire(c).await, Err(Error::RateLimiterUnavailable(_))));
        server.restart();
        // Still failing until the retry time, then the next call tries Redis and gets through.
        tokio::time::sleep(REDIS_RETRY_INTERVAL + Duration::from_millis(50)).await;
        l.acquire(c).await.unwrap();
        assert_eq!(l.health.down_reason(), None);
        assert!(pttl(&server, c) > 0, "the permit came from Redis");
    }

    /// The most of `times` in any window [t, t + 1 s), t one of them.
    fn worst_second(times: &[Instant]) -> usize {
        times
            .iter()
            .map(|&t| times.iter().filter(|&&u| u >= t && u < t + Duration::from_secs(1)).count())
            .max()
            .unwrap_or(0)
    }

    /// A limiter sharing 20 calls/s with a fleet of 2 (a share of 10) on `url`, local-share.
    fn share_of_ten(url: &str) -> SharedLimiter {
        SharedLimiter::new(7, 20.0, &shared(url, RedisFallback::LocalShare)).unwrap()
    }

    #[tokio::test]
    async fn falling_back_counts_what_redis_just_allowed() {
        let mut server = RedisServer::start();
        let l = share_of_ten(&server.url());
        let c = &Command::GET_GROUP_MEMBER_INFO;
        let mut sent = Vec::new();
        // Ten calls on Redis permits (the GCRA spaces them about 51 ms apart)...
        for _ in 0..10 {
            l.acquire(c).await.unwrap();
            sent.push(Instant::now());
        }
        assert!(l.health.down_reason().is_none());
        // ...then Redis dies: the fallback's share already holds those ten.
        server.stop();
        for _ in 0..6 {
            l.acquire(c).await.unwrap();
            sent.push(Instant::now());
        }
        assert!(l.health.down_reason().is_some());
        assert!(worst_second(&sent) <= 10, "{} calls in one second across the switch", worst_second(&sent));
    }

    #[tokio::test]
    async fn coming_back_keeps_to_the_share_while_others_may_be_on_their_fallback() {
        let mut server = RedisServer::start();
        server.stop();
        let l = share_of_ten(&server.url());
        let c = &Command::GET_GROUP_MEMBER_INFO;
        let mut sent = Vec::new();
        // Redis is down: the fallback sends the share (about 100 ms apart)...
        for _ in 0..9 {
            l.acquire(c).await.unwrap();
            sent.push(Instant::now());
        }
        assert!(l.health.down_reason().is_some());
        // ...Redis returns, empty, and the next try switches back to it: the GCRA alone would
        // allow ten more within half a second; the share holds them back.
        server.restart();
        while l.health.down_reason().is_some() {
            l.acquire(c).await.unwrap();
            sent.push(Instant::now());
        }
        for _ in 0..12 {
            l.acquire(c).await.unwrap();
            sent.push(Instant::now());
        }
        assert!(l.health.down_reason().is_none(), "back on Redis");
        assert!(pttl(&server, c) > 0, "the permits came from Redis");
        assert!(worst_second(&sent) <= 10, "{} calls in one second across the switch", worst_second(&sent));
        // Once settled, Redis alone sets the pace again (the fleet's 20/s, not the share).
        tokio::time::sleep(SETTLE).await;
        let started = Instant::now();
        for _ in 0..12 {
            l.acquire(c).await.unwrap();
        }
        // (Twelve calls within the share would take over a window.)
        assert!(started.elapsed() < SHARE_WINDOW, "{:?}", started.elapsed());
    }

    #[tokio::test]
    async fn passwords_work_and_never_show() {
        let server = RedisServer::start_with(&["--requirepass", "s3cret-pw"]);
        let good = format!("redis://:s3cret-pw@127.0.0.1:{}/0", server.port());
        let l = SharedLimiter::new(7, 200.0, &shared(&good, RedisFallback::Fail)).unwrap();
        l.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        let bad = format!("redis://:wrong-pw@127.0.0.1:{}/0", server.port());
        let l = SharedLimiter::new(7, 200.0, &shared(&bad, RedisFallback::Fail)).unwrap();
        let e = l.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap_err().to_string();
        assert!(!e.contains("wrong-pw") && !e.contains("s3cret-pw"), "{e}");
    }
}
