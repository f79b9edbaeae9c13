//! HTTPS is real: rustls with the ring provider, certificates verified against the platform's
//! roots. A loopback TLS server with a self-signed certificate must be refused (and the
//! refusal must be a transport error that names the cause and no secret).

#[path = "support/test_config.rs"]
mod test_config;

use std::sync::Arc;

use test_config::{new_client, TestConfig};
use timadmin::{Error, GetGroupMutedAccountRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn self_signed_tls_server() -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let served2 = Arc::clone(&served);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let served = Arc::clone(&served2);
            tokio::spawn(async move {
                // A client that accepted the certificate would get an answer here.
                if let Ok(mut tls) = acceptor.accept(socket).await {
                    served.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let mut buf = [0u8; 4096];
                    let _ = tls.read(&mut buf).await;
                    let body = r#"{"ActionStatus":"OK","ErrorCode":0,"GroupId":"g","MutedAccountList":[]}"#;
                    let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                    let _ = tls.write_all(reply.as_bytes()).await;
                }
            });
        }
    });
    (port, served)
}

#[tokio::test]
async fn https_refuses_an_untrusted_certificate() {
    let (port, served) = self_signed_tls_server().await;
    let key = "tls-test-secret-key";
    let client = new_client(
        TestConfig::secret_key(1400000000, key)
            .with_base_url(&format!("https://localhost:{port}"))
            .unwrap()
            .with_max_retries(0),
    )
    .unwrap();
    let e = client.get_group_muted_account(&GetGroupMutedAccountRequest::new("g")).await.unwrap_err();
    let shown = format!("{e} | {e:?}");
    assert!(matches!(e, Error::Transport(_)), "{shown}");
    assert!(shown.to_lowercase().contains("certificate"), "the cause is named: {shown}");
    assert!(!shown.contains(key) && !shown.contains("usersig="), "{shown}");
    assert_eq!(
        served.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no request was served over the untrusted connection"
    );
}
