//! The UserSig a client sends: signed from the secret key, given pre-signed, or asked of a
//! provider; cached, renewed well before expiry, and refreshed once when the service rejects it.

use std::sync::{Arc, RwLock};

use secrecy::{ExposeSecret, SecretString};

use crate::config::{Config, Credentials, UserSigProvider};
use crate::error::{Error, Result};
use crate::usersig::{self, Signer};

enum Source {
    Key { signer: Signer, lifetime_secs: u64 },
    Fixed(Arc<SecretString>),
    Provider(Arc<dyn UserSigProvider>),
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
    identifier: String,
    cached: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
}

impl Auth {
    pub(crate) fn new(config: &Config) -> Result<Self> {
        let source = match &config.credentials {
            Credentials::SecretKey(key) => Source::Key {
                signer: Signer::from_secret(config.sdkappid, key)?,
                lifetime_secs: config.usersig_lifetime.as_secs(),
            },
            Credentials::UserSig(sig) => Source::Fixed(Arc::new(sig.clone())),
            Credentials::Provider(p) => Source::Provider(Arc::clone(p)),
        };
        Ok(Auth {
            source,
            identifier: config.identifier.clone(),
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    fn now() -> u64 {
        usersig::Clock::now_unix(&usersig::SystemClock)
    }

    fn fresh_cached(&self) -> Option<Cached> {
        let guard = self.cached.read().ok()?;
        let c = guard.as_ref()?;
        match c.renew_at {
            Some(at) if Self::now() >= at => None,
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
        let previous_generation = self
            .cached
            .read()
            .ok()
            .and_then(|g| g.as_ref().map(|c| c.generation))
            .unwrap_or(0);
        let (usersig, renew_at) = self.obtain().await?;
        let fresh = Cached {
            usersig: Arc::new(usersig),
            renew_at,
            generation: previous_generation + 1,
        };
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
                let sig = tokio::task::spawn_blocking(move || provider.usersig())
                    .await
                    .map_err(|_| Error::Credentials("the UserSig provider panicked".into()))?
                    .map_err(Error::Credentials)?;
                if sig.trim().is_empty() {
                    return Err(Error::Credentials("the UserSig provider returned an empty string".into()));
                }
                // Renew at three quarters of the token's own lifetime when it can be read.
                let renew_at = usersig::decode_unverified(&sig)
                    .ok()
                    .map(|c| c.time.saturating_add(c.expire.saturating_mul(3) / 4));
                Ok((SecretString::from(sig), renew_at))
            }
        }
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

    /// The UserSig string, for scrubbing it from anything shown.
    pub(crate) fn expose(sig: &SecretString) -> &str {
        sig.expose_secret()
    }
}
