//! UserSig signing cost. Baselines, measured in the same run: what a straightforward
//! implementation does (key schedule per token, a fresh zlib encoder per token at level 0, 1,
//! 6 = default, 9) and what the core did before (keyed HMAC state reused, a thread-local
//! level-0 compressor reset per token, `format!`, serde_json escaping, base64 remapped char by
//! char) against the core's `Signer::sign` now (keyed HMAC state reused, numbers and JSON
//! written into one buffer, the level-0 zlib stream written directly, base64 in the token
//! alphabet) and the one-shot `usersig::generate`.
//! Run: `cargo bench -p timadmin --bench usersig`. Token sizes per level are printed first.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;
use timadmin::usersig::{self, Signer};

const SDKAPPID: u64 = 1400000000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

/// A token built the straightforward way: new keyed HMAC, JSON text, fresh encoder at `level`.
fn naive_token(identifier: &str, level: u32) -> String {
    let signer = Signer::new(SDKAPPID, KEY).unwrap_or_else(|e| panic!("{e}"));
    let time = 1_700_000_000;
    let sig = signer.mac_b64(identifier, time, 86400, None);
    let json = format!(
        "{{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"{identifier}\",\"TLS.sdkappid\":{SDKAPPID},\"TLS.expire\":86400,\"TLS.time\":{time},\"TLS.sig\":\"{sig}\"}}"
    );
    usersig::encode_token_bytes(&usersig::zlib_with_level(json.as_bytes(), level))
}

thread_local! {
    static PREVIOUS_COMPRESSOR: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(0), true));
}

/// The core's signing path before it wrote the zlib stream and the JSON itself.
fn previous_core_token(signer: &Signer, identifier: &str) -> String {
    use base64::Engine;
    let time = 1_700_000_000;
    let sig = signer.mac_b64(identifier, time, 86400, None);
    let mut json = String::with_capacity(256);
    json.push_str("{\"TLS.ver\":\"2.0\",\"TLS.identifier\":");
    json.push_str(&serde_json::to_string(identifier).unwrap_or_default());
    json.push_str(&format!(
        ",\"TLS.sdkappid\":{},\"TLS.expire\":{},\"TLS.time\":{},\"TLS.sig\":\"{}\"",
        SDKAPPID, 86400, time, sig
    ));
    json.push('}');
    let compressed = PREVIOUS_COMPRESSOR.with(|cell| {
        let mut c = cell.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(json.len() + 64);
        let _ = c.compress_vec(json.as_bytes(), &mut out, flate2::FlushCompress::Finish);
        out
    });
    base64::engine::general_purpose::STANDARD
        .encode(compressed)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            other => other,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    for level in [0, 1, 6, 9] {
        println!("token length at zlib level {level}: {} chars", naive_token("user_0001", level).len());
    }
    let signer = Signer::new(SDKAPPID, KEY).unwrap_or_else(|e| panic!("{e}"));
    println!("token length of Signer::sign: {} chars", signer.sign("user_0001", 86400, None).unwrap_or_default().len());

    let mut g = c.benchmark_group("usersig_sign");
    for level in [0, 1, 6, 9] {
        g.bench_function(format!("baseline_fresh_encoder_level_{level}"), |b| {
            b.iter(|| black_box(naive_token(black_box("user_0001"), level)))
        });
    }
    g.bench_function("baseline_previous_core", |b| {
        b.iter(|| black_box(previous_core_token(&signer, black_box("user_0001"))))
    });
    g.bench_function("core_signer_reused", |b| b.iter(|| black_box(signer.sign(black_box("user_0001"), 86400, None))));
    g.bench_function("core_generate_one_shot", |b| {
        b.iter(|| black_box(usersig::generate(SDKAPPID, KEY, black_box("user_0001"), 86400)))
    });
    g.finish();

    let token = signer.sign("user_0001", 86400, None).unwrap_or_default();
    c.bench_function("usersig_verify", |b| {
        b.iter_batched(|| token.clone(), |t| black_box(signer.verify("user_0001", &t, None)), BatchSize::SmallInput)
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
