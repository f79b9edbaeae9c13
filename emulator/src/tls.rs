//! HTTPS for the emulator (`--tls`): a self-signed certificate for `127.0.0.1`, `::1`,
//! `localhost` (and the bound address) made at start with rcgen, and an axum [`Listener`] whose
//! TLS handshakes (tokio-rustls, ring) run beside the accept loop, so a slow or broken client
//! never holds up others. Clients that hard-code `https://{domain}/v4/...` (the official SDKs,
//! the doocs Java SDK) trust the certificate through its PEM (see the README).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::serve::Listener;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use crate::error::EmulatorError;

/// A TLS handshake that has not finished after this long is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections whose handshake finished, waiting for the server to take them.
const READY_QUEUE: usize = 64;

/// The certificate the emulator serves and the acceptor that uses it.
#[derive(Clone)]
pub(crate) struct TlsIdentity {
    /// The certificate in PEM (`-----BEGIN CERTIFICATE-----`), for clients to trust.
    pub cert_pem: String,
    acceptor: TlsAcceptor,
}

impl TlsIdentity {
    /// A fresh self-signed certificate (ECDSA P-256) valid for loopback names and `bound`.
    pub(crate) fn self_signed(bound: IpAddr) -> Result<TlsIdentity, EmulatorError> {
        let mut names = vec!["localhost".to_owned(), Ipv4Addr::LOCALHOST.to_string(), Ipv6Addr::LOCALHOST.to_string()];
        if !bound.is_unspecified() && !bound.is_loopback() {
            names.push(bound.to_string());
        }
        let certified = rcgen::generate_simple_self_signed(names)
            .map_err(|e| EmulatorError::Config(format!("cannot make the TLS certificate: {e}")))?;
        let cert_der: CertificateDer<'static> = certified.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(vec![cert_der.clone()], key))
            .map_err(|e| EmulatorError::Config(format!("cannot set up TLS: {e}")))?;
        Ok(TlsIdentity { cert_pem: pem("CERTIFICATE", &cert_der), acceptor: TlsAcceptor::from(Arc::new(config)) })
    }
}

/// `-----BEGIN {label}-----`, the DER in base64 lines of 64 characters, `-----END {label}-----`.
fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Accepts TCP connections and hands axum those whose TLS handshake succeeded. The accept loop
/// runs in its own task until shutdown or until this listener is dropped.
pub(crate) struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `tcp` with `identity`'s certificate.
    pub(crate) fn new(
        tcp: TcpListener,
        identity: &TlsIdentity,
        shutdown: watch::Receiver<bool>,
    ) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(READY_QUEUE);
        tokio::spawn(accept_loop(tcp, identity.acceptor.clone(), tx, shutdown));
        Ok(TlsListener { ready, local })
    }
}

async fn accept_loop(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    tx: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let (socket, peer) = tokio::select! {
            accepted = tcp.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, as axum does.
                    tracing::debug!("emulator accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = async { let _ = shutdown.wait_for(|s| *s).await; } => return,
            _ = tx.closed() => return,
        };
        let acceptor = acceptor.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(socket)).await {
                Ok(Ok(stream)) => {
                    let _ = tx.send((stream, peer)).await;
                }
                Ok(Err(e)) => tracing::debug!("TLS handshake with {peer} failed: {e}"),
                Err(_) => tracing::debug!("TLS handshake with {peer} timed out"),
            }
        });
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept loop ended (shutdown): nothing more will arrive; the server's own
            // shutdown completes the serve future.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_wraps_at_64_columns() {
        let text = pem("CERTIFICATE", &[0u8; 100]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.first(), Some(&"-----BEGIN CERTIFICATE-----"));
        assert_eq!(lines.last(), Some(&"-----END CERTIFICATE-----"));
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines[1..lines.len() - 1].concat(), STANDARD.encode([0u8; 100]));
    }
}
