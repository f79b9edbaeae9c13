//! The UserSig a client sends: signed from the secret key, given pre-signed, or asked of a
//! provider; cached, renewed well before expiry, and refreshed once when the service rejects it.

use std::sync::{Arc, RwLock};

use secrecy::{ExposeSecret, SecretString};

use crate::config::{AsyncUserSigProvider, Config, Credentials, UserSigProvider};
use crate::error::{Error, Result};
use crate::usersig::{self, Clock, Signer};

enum Source {
    Key { signer: Signer, lifetime_secs: u64 },
    Fixed(Arc<SecretString>),
    Provider(Arc<dyn UserSigProvider>),
    AsyncProvider(Arc<dyn AsyncUserSigProvider>),
}

#[derive(Clone)]
struct Cached {
    usersig: Arc<SecretString>,
    /// Unix second after which a fresh UserSig is fetched; `None` = until rejected.
    renew_at: Option<u64>,
    generation: u64,
}

/// Hands out the current UserSig. Only one task renews at a time; the others wait for its
/// result instead of all signing or calling the provider at once.
pub(crate) struct Auth {
    source: Source,
    /// The secret key, when the client has one: only to scrub it from text shown to people.
    key: Option<SecretString>,
    clock: Arc<dyn Clock>,
    identifier: String,
    /// How long a provider may take to answer.
    provider_timeout: std::time::Duration,
    cached: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
}

impl Auth {
    pub(crate) fn new(config: &Config) -> Result<Self> {
        let source = match &config.credentials {
            Credentials::SecretKey(key) => Source::Key {
                signer: Signer::with_clock(
                    config.sdkappid,
                    secrecy::ExposeSecret::expose_secret(key),
                    Arc::clone(&config.clock),
                )?,
                lifetime_secs: config.usersig_lifetime.as_secs(),
            },
            Credentials::UserSig(sig) => Source::Fixed(Arc::new(sig.clone())),
            Credentials::Provider(p) => Source::Provider(Arc::clone(p)),
            Credentials::AsyncProvider(p) => Source::AsyncProvider(Arc::clone(p)),
        };
        let key = match &config.credentials {
            Credentials::SecretKey(key) => Some(key.clone()),
            _ => None,
        };
        Ok(Auth {
            source,
            key,
            clock: Arc::clone(&config.clock),
            identifier: config.identifier.clone(),
            provider_timeout: config.timeout,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    fn now(&self) -> u64 {
        self.clock.now_unix()
    }

    fn fresh_cached(&self) -> Option<Cached> {
        let guard = self.cached.read().ok()?;
        let c = guard.as_ref()?;
        match c.renew_at {
            Some(at) if self.now() >= at => None,
            _ => Some(c.clone()),
        }
    }

    /// The UserSig to send and its generation (to name it when reporting it stale).
    pub(crate) async fn usersig(&self) -> Result<(Arc<SecretString>, u64)> {
        if let Source::Fixed(sig) = &self.source {
            return Ok((Arc::clone(sig), 0));
        }
        if let Some(c) = self.fresh_cached() {
            return Ok((c.usersig, c.generation));
        }
        let _guard = self.refresh.lock().await;
        if let Some(c) = self.fresh_cached() {
            return Ok((c.usersig, c.generation));
        }
        let previous_generation = self.cached.read().ok().and_then(|g| g.as_ref().map(|c| c.generation)).unwrap_or(0);
        let (usersig, renew_at) = self.obtain().await?;
        let fresh = Cached { usersig: Arc::new(usersig), renew_at, generation: previous_generation + 1 };
        if let Ok(mut slot) = self.cached.write() {
            *slot = Some(fresh.clone());
        }
        tracing::debug!(generation = fresh.generation, "obtained a fresh UserSig");
        Ok((fresh.usersig, fresh.generation))
    }

    async fn obtain(&self) -> Result<(SecretString, Option<u64>)> {
        match &self.source {
            Source::Fixed(sig) => Ok(((**sig).clone(), None)),
            Source::Key { signer, lifetime_secs } => {
                let now = signer.now();
                let sig = signer.sign_at(&self.identifier, now, *lifetime_secs, None)?;
                // Renew at half-life: long before expiry, even with clock skew.
                Ok((SecretString::from(sig), Some(now + lifetime_secs / 2)))
            }
            Source::Provider(provider) => {
                let provider = Arc::clone(provider);
                let asked = tokio::task::spawn_blocking(move || provider.usersig());
                let sig = self
                    .bounded(asked)
                    .await?
                    .map_err(|_| Error::Credentials("the UserSig provider panicked".into()))?
                    .map_err(Error::Credentials)?;
                Self::provided(sig)
            }
            Source::AsyncProvider(provider) => {
                let sig = self.bounded(provider.usersig()).await?.map_err(Error::Credentials)?;
                Self::provided(sig)
            }
        }
    }

    /// Waits for a provider's answer at most as long as one HTTP attempt may take.
    async fn bounded<T>(&self, answer: impl std::future::Future<Output = T>) -> Result<T> {
        tokio::time::timeout(self.provider_timeout, answer).await.map_err(|_| {
            Error::Credentials(format!("the UserSig provider did not answer within {:?}", self.provider_timeout))
        })
    }

    /// A provider's UserSig, checked, with the time to ask again: at three quarters of the
    /// token's own lifetime when it can be read, else only when the service rejects it.
    fn provided(sig: String) -> Result<(SecretString, Option<u64>)> {
        if sig.trim().is_empty() {
            return Err(Error::Credentials("the UserSig provider returned an empty string".into()));
        }
        let renew_at =
            usersig::decode_unverified(&sig).ok().map(|c| c.time.saturating_add(c.expire.saturating_mul(3) / 4));
        Ok((SecretString::from(sig), renew_at))
    }

    /// Marks the UserSig of `generation` as rejected by the service. Returns whether asking
    /// again can help (not for a fixed, pre-signed UserSig).
    pub(crate) fn invalidate(&self, generation: u64) -> bool {
        if matches!(self.source, Source::Fixed(_)) {
            return false;
        }
        if let Ok(mut slot) = self.cached.write() {
            if let Some(c) = slot.as_mut() {
                if c.generation == generation {
                    c.renew_at = Some(0);
                }
            }
        }
        true
    }

    /// The UserSig string (tests compare the ones handed out).
    #[cfg(test)]
    pub(crate) fn expose(sig: &SecretString) -> &str {
        sig.expose_secret()
    }

    /// What one call must keep out of anything shown: `usersig` (the one it sends, first) and
    /// the secret key, if any.
    pub(crate) fn secrets<'a>(&'a self, usersig: &'a SecretString) -> Vec<&'a str> {
        let mut secrets = vec![usersig.expose_secret()];
        secrets.extend(self.key.as_ref().map(|k| k.expose_secret()));
        secrets
    }

    /// `text` with the cached UserSig, the key, and their long fragments redacted.
    pub(crate) fn redact(&self, text: &str) -> String {
        let cached = self.cached.read().ok().and_then(|c| c.as_ref().map(|c| Arc::clone(&c.usersig)));
        let fixed = match &self.source {
            Source::Fixed(sig) => Some(Arc::clone(sig)),
            _ => None,
        };
        let mut secrets: Vec<&str> = cached.iter().chain(fixed.iter()).map(|s| s.expose_secret()).collect();
        secrets.extend(self.key.as_ref().map(|k| k.expose_secret()));
        crate::error::redact(text, &secrets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Credentials;
    use crate::usersig::ManualClock;
    use std::time::Duration;

    fn config(credentials: Credentials, clock: Arc<ManualClock>) -> Config {
        Config::new(1400000000, credentials).with_usersig_lifetime(Duration::from_secs(3600)).with_clock(clock)
    }

    #[tokio::test]
    async fn self_signed_usersig_is_renewed_at_half_life() {
        let clock = Arc::new(ManualClock::new(1_800_000_000));
        let auth = Auth::new(&config(Credentials::secret_key("k"), Arc::clone(&clock))).unwrap();
        let (first, g1) = auth.usersig().await.unwrap();
        clock.advance(1799);
        let (again, g2) = auth.usersig().await.unwrap();
        assert_eq!((g1, g2), (1, 1), "cached until half-life");
        assert_eq!(Auth::expose(&first), Auth::expose(&again));
        clock.advance(1);
        let (renewed, g3) = auth.usersig().await.unwrap();
        assert_eq!(g3, 2, "renewed at half-life, long before expiry");
        let claims = usersig::decode_unverified(Auth::expose(&renewed)).unwrap();
        assert_eq!((claims.time, claims.expire), (1_800_001_800, 3600));
    }

    #[tokio::test]
    async fn provider_is_asked_again_at_three_quarters_of_the_token_life() {
        let clock = Arc::new(ManualClock::new(1_800_000_000));
        let signer = Signer::with_clock(1400000000, "k", Arc::clone(&clock) as Arc<dyn Clock>).unwrap();
        let asked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let asked2 = Arc::clone(&asked);
        let provider = move || {
            asked2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            signer.sign("administrator", 4000, None).map_err(|e| e.to_string())
        };
        let auth = Auth::new(&config(Credentials::provider(provider), Arc::clone(&clock))).unwrap();
        auth.usersig().await.unwrap();
        clock.advance(2999);
        auth.usersig().await.unwrap();
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
        clock.advance(1);
        auth.usersig().await.unwrap();
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    struct SlowAsyncProvider {
        delay: Duration,
        asked: Arc<std::sync::atomic::AtomicUsize>,
    }

    impl AsyncUserSigProvider for SlowAsyncProvider {
        fn usersig(&self) -> futures::future::BoxFuture<'static, std::result::Result<String, String>> {
            self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let delay = self.delay;
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                Ok("from-async-provider".to_owned())
            })
        }
    }

    #[tokio::test]
    async fn async_provider_is_awaited_and_bounded_by_the_timeout() {
        let asked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let provider = SlowAsyncProvider { delay: Duration::from_millis(5), asked: Arc::clone(&asked) };
        let auth = Auth::new(&Config::new(1, Credentials::AsyncProvider(Arc::new(provider)))).unwrap();
        let (sig, generation) = auth.usersig().await.unwrap();
        assert_eq!((Auth::expose(&sig), generation), ("from-async-provider", 1));
        auth.usersig().await.unwrap();
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1, "cached until rejected");

        let hung = SlowAsyncProvider { delay: Duration::from_secs(3600), asked };
        let config = Config::new(1, Credentials::AsyncProvider(Arc::new(hung))).with_timeout(Duration::from_millis(50));
        let err = Auth::new(&config).unwrap().usersig().await.unwrap_err();
        assert!(matches!(err, Error::Credentials(ref m) if m.contains("did not answer")), "{err}");
    }

    #[tokio::test]
    async fn a_rejected_usersig_is_replaced_once_per_generation() {
        let clock = Arc::new(ManualClock::new(1_800_000_000));
        let auth = Auth::new(&config(Credentials::secret_key("k"), clock)).unwrap();
        let (_, g1) = auth.usersig().await.unwrap();
        assert!(auth.invalidate(g1));
        let (_, g2) = auth.usersig().await.unwrap();
        assert_eq!(g2, 2);
        // A late report about the old generation does not throw away the new one.
        auth.invalidate(g1);
        let (_, g3) = auth.usersig().await.unwrap();
        assert_eq!(g3, 2);
        let fixed = Auth::new(&Config::new(1, Credentials::usersig("pre-signed"))).unwrap();
        assert!(!fixed.invalidate(0), "a pre-signed UserSig cannot be refreshed");
    }
}
