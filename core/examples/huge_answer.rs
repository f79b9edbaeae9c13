//! Peak memory of a client facing a huge answer: a loopback server answers every call with a
//! 1.5 GB body (chunked, or announced by Content-Length, or endless), a client with the default
//! `max_response_bytes` (4 MiB) calls it, and the process's peak RSS (VmHWM) is printed.
//! Before the body cap, the same 1.5 GB answer cost the client 2.9 GB of RSS (and "succeeded").
//!
//! `cargo run -p timadmin --example huge_answer` (also under `/usr/bin/time -v` in `make soak`).
//! Everything stays on 127.0.0.1.

use std::time::Instant;

use timadmin::{Client, ClientOptions, Error, GetGroupMutedAccountRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// 1.5 GB, the answer of the report.
const HUGE: u64 = 1_500_000_000;
static CHUNK: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// A `VmHWM`/`VmRSS` line of /proc/self/status, in MiB.
fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// How the server sends its body.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Chunked,
    ContentLength,
    Endless,
}

/// Serves one answer per connection; returns how many body bytes it got out before the client
/// hung up.
async fn serve(listener: TcpListener, shape: Shape) -> u64 {
    let Ok((mut socket, _)) = listener.accept().await else { return 0 };
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return 0,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = match shape {
        Shape::ContentLength => {
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUGE}\r\n\r\n")
        }
        _ => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned(),
    };
    if socket.write_all(head.as_bytes()).await.is_err() {
        return 0;
    }
    let mut sent = 0u64;
    while matches!(shape, Shape::Endless) || sent < HUGE {
        let n = (HUGE - sent.min(HUGE)).min(CHUNK.len() as u64).max(1) as usize;
        let n = if matches!(shape, Shape::Endless) { CHUNK.len() } else { n };
        let ok = match shape {
            Shape::ContentLength => socket.write_all(&CHUNK[..n]).await.is_ok(),
            _ => {
                socket.write_all(format!("{n:x}\r\n").as_bytes()).await.is_ok()
                    && socket.write_all(&CHUNK[..n]).await.is_ok()
                    && socket.write_all(b"\r\n").await.is_ok()
            }
        };
        if !ok {
            break;
        }
        sent += n as u64;
    }
    sent
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("start: VmRSS {:.1} MiB", status_mib("VmRSS:"));
    for shape in [Shape::Chunked, Shape::ContentLength, Shape::Endless] {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let server = tokio::spawn(serve(listener, shape));
        let config = ClientOptions {
            secret_key: Some("huge-answer-example".into()),
            base_url: Some(url.clone()),
            max_retries: Some(0),
            ..ClientOptions::new(1400000000)
        }
        .build()?;
        let client = Client::new(config)?;
        let started = Instant::now();
        let outcome = client.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#huge")).await;
        let elapsed = started.elapsed();
        drop(client);
        let sent = server.await.unwrap_or(0);
        match outcome {
            Err(Error::BodyTooLarge { limit }) => println!(
                "{}: BodyTooLarge {{ limit: {limit} }} after {:.0} ms; the server got {:.1} MiB out before the client hung up; peak RSS so far (VmHWM) {:.1} MiB",
                match shape {
                    Shape::Chunked => "1.5 GB answer, chunked",
                    Shape::ContentLength => "1.5 GB answer, Content-Length",
                    Shape::Endless => "endless answer, chunked",
                },
                elapsed.as_secs_f64() * 1000.0,
                sent as f64 / 1048576.0,
                status_mib("VmHWM:"),
            ),
            other => {
                println!("{shape:?}: unexpected outcome {other:?}");
                std::process::exit(1);
            }
        }
    }
    println!("end: VmRSS {:.1} MiB, peak (VmHWM) {:.1} MiB", status_mib("VmRSS:"), status_mib("VmHWM:"));
    Ok(())
}
