//! Per-client stats and tracing spans, against the emulator.

#[path = "support/test_config.rs"]
mod test_config;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use test_config::{new_blocking, new_client, TestConfig};
use timadmin::{Client, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, RetryPolicy, Stats};
use timadmin_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

const GROUP: &str = "@TGS#2DEMOPUB";
const MISSING: &str = "@TGS#_nobody_here";

async fn emulator() -> Emulator {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../emulator/fixtures/demo.json");
    Emulator::start(EmulatorConfig { seed_file: Some(seed), ..Default::default() }).await.unwrap()
}

fn config(emu: &Emulator) -> TestConfig {
    TestConfig::secret_key(emu.sdkappid(), emu.key()).with_base_url(&emu.base_url()).unwrap().with_retry(RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        rate_limited_backoff: Duration::from_millis(20),
    })
}

/// Three good calls, one for a group that does not exist (10010), and one muted-list call whose
/// first attempt meets a 502: the stats count exactly that.
async fn scenario(c: &Client, emu: &Emulator) {
    for _ in 0..3 {
        c.get_group_member_info(&GetGroupMemberInfoRequest::new(GROUP)).await.unwrap();
    }
    let e = c.get_group_member_info(&GetGroupMemberInfoRequest::new(MISSING)).await.unwrap_err();
    assert_eq!(e.code(), Some(10010));
    emu.control().inject_fault(Fault::new(FaultKind::HttpStatus(502)).times(1).for_command("get_group_muted_account"));
    c.get_group_muted_account(&GetGroupMutedAccountRequest::new(GROUP)).await.unwrap();
}

fn check_scenario(s: &Stats) {
    assert_eq!(s.commands.len(), 2, "{s:?}");
    let info = &s.commands["get_group_member_info"];
    assert_eq!((info.calls, info.ok, info.retries), (4, 3, 0), "{info:?}");
    assert_eq!(info.errors, BTreeMap::from([("group_not_found".to_owned(), 1)]));
    let muted = &s.commands["get_group_muted_account"];
    assert_eq!((muted.calls, muted.ok, muted.retries, muted.failed()), (1, 1, 1, 0), "{muted:?}");
    for c in s.commands.values() {
        let l = c.latency_ms;
        assert!(0.0 < l.p50 && l.p50 <= l.p99 && l.p99 <= l.max, "{l:?}");
        // No rate limit configured: no wait to count.
        assert_eq!((c.rate_limit_wait_ms.total, c.rate_limit_wait_ms.max), (0.0, 0.0));
    }
    assert_eq!(s.in_flight, 0);
    assert!(s.peak_in_flight >= 1);
}

#[tokio::test]
async fn stats_count_calls_errors_and_retries_per_command() {
    let emu = emulator().await;
    let c = new_client(config(&emu).with_rate_limit(None)).unwrap();
    assert_eq!(c.stats(), Stats::default());
    // Rejected before the network: not a call.
    c.get_group_member_info(&GetGroupMemberInfoRequest::new("")).await.unwrap_err();
    scenario(&c.clone(), &emu).await;
    let s = c.stats();
    check_scenario(&s);
    // The JSON document is the same snapshot.
    let json: serde_json::Value = serde_json::from_str(&c.stats_json()).unwrap();
    assert_eq!(json["commands"]["get_group_member_info"]["errors"]["group_not_found"], 1);
    assert_eq!(json["commands"]["get_group_muted_account"]["retries"], 1);
    assert_eq!(serde_json::from_value::<Stats>(json).unwrap(), s);
}

#[test]
fn blocking_client_has_the_same_stats() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(emulator());
    let c = new_blocking(config(&emu)).unwrap();
    c.get_group_member_info(&GetGroupMemberInfoRequest::new(GROUP)).unwrap();
    c.get_group_member_info(&GetGroupMemberInfoRequest::new(MISSING)).unwrap_err();
    let s: Stats = serde_json::from_str(&c.stats_json()).unwrap();
    let info = &s.commands["get_group_member_info"];
    assert_eq!((info.calls, info.ok, info.errors["group_not_found"]), (2, 1, 1));
    assert_eq!(c.stats(), s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_show_in_the_peak_and_rate_limit_waits_are_timed() {
    let emu = emulator().await;
    // Five a second: four calls at once leave 200 ms apart, so the last waits about 600 ms.
    let c = new_client(config(&emu).with_rate_limit(Some(5.0)).with_max_in_flight(8)).unwrap();
    let calls = (0..4).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.get_group_member_info(&GetGroupMemberInfoRequest::new(GROUP)).await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    let s = c.stats();
    assert!(s.peak_in_flight >= 2, "{s:?}");
    assert_eq!(s.in_flight, 0);
    let info = &s.commands["get_group_member_info"];
    assert_eq!((info.calls, info.ok), (4, 4));
    let wait = info.rate_limit_wait_ms;
    assert!(wait.max >= 300.0 && wait.total >= wait.max, "{wait:?}");
}

/// One closed span: its name, its fields (as recorded at creation and later), its parent's name.
#[derive(Debug, Clone)]
struct SpanSeen {
    name: &'static str,
    fields: BTreeMap<String, String>,
    parent: Option<&'static str>,
}

/// A `tracing_subscriber` layer that keeps every span with its fields.
#[derive(Clone, Default)]
struct SpanCapture {
    open: Arc<Mutex<BTreeMap<u64, SpanSeen>>>,
    closed: Arc<Mutex<Vec<SpanSeen>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S> Layer<S> for SpanCapture
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let parent = ctx.span(id).and_then(|s| s.parent()).map(|p| p.name());
        self.open.lock().unwrap().insert(id.into_u64(), SpanSeen { name: attrs.metadata().name(), fields, parent });
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        if let Some(seen) = self.open.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }
    fn on_close(&self, id: Id, _ctx: Context<'_, S>) {
        if let Some(seen) = self.open.lock().unwrap().remove(&id.into_u64()) {
            self.closed.lock().unwrap().push(seen);
        }
    }
}

fn field<'a>(span: &'a SpanSeen, name: &str) -> Option<&'a str> {
    span.fields.get(name).map(String::as_str)
}

#[tokio::test]
async fn spans_carry_the_command_the_attempt_and_the_error() {
    let emu = emulator().await;
    let capture = SpanCapture::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let c = new_client(config(&emu)).unwrap();
    // A retried fault: 10002 (internal error, retryable), then success.
    let fault = FaultKind::ErrorCode { code: 10002, info: "busy".into() };
    emu.control().inject_fault(Fault::new(fault).times(1).for_command("get_group_muted_account"));
    c.get_group_muted_account(&GetGroupMutedAccountRequest::new(GROUP)).await.unwrap();
    // A call that fails for good.
    c.get_group_member_info(&GetGroupMemberInfoRequest::new(MISSING)).await.unwrap_err();

    let spans: Vec<SpanSeen> =
        capture.closed.lock().unwrap().iter().filter(|s| s.name.starts_with("timadmin.")).cloned().collect();
    let names: Vec<_> = spans.iter().map(|s| (s.name, field(s, "command").unwrap_or(""))).collect();
    assert_eq!(
        names,
        [
            ("timadmin.attempt", "get_group_muted_account"),
            ("timadmin.attempt", "get_group_muted_account"),
            ("timadmin.call", "get_group_muted_account"),
            ("timadmin.attempt", "get_group_member_info"),
            ("timadmin.call", "get_group_member_info"),
        ],
        "{spans:#?}"
    );
    let (first, second, failed) = (&spans[0], &spans[1], &spans[3]);
    assert_eq!((field(first, "attempt"), field(first, "error_code")), (Some("1"), Some("10002")));
    assert_eq!(field(first, "error_kind"), Some("internal_error"));
    assert_eq!(field(second, "attempt"), Some("2"));
    assert_eq!((field(second, "error_code"), field(second, "error_kind")), (None, None), "{second:?}");
    assert_eq!((field(failed, "error_code"), field(failed, "error_kind")), (Some("10010"), Some("group_not_found")));
    assert!(spans.iter().filter(|s| s.name == "timadmin.attempt").all(|s| s.parent == Some("timadmin.call")));
    // No secret in any field.
    let shown = format!("{spans:?}");
    assert!(!shown.contains(emu.key()) && !shown.contains("usersig") && !shown.contains("eJ"), "{shown}");
}
