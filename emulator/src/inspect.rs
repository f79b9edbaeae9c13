//! Inspection and control over HTTP under the reserved prefix `/__emulator/` (no auth: the
//! emulator is a local test tool), plus the call log record type.
//!
//! | route | effect |
//! |---|---|
//! | `GET /__emulator/info` | `{"base_url","sdkappid","key","identifier","rate_limit_per_sec"}` |
//! | `GET /__emulator/calls` / `DELETE` | the call log (oldest first) / clear it (and the figures of `stats`) |
//! | `GET /__emulator/stats` | `{"calls","in_flight","peak_in_flight","busiest_second":{command: n}}`: REST arrivals since the log was cleared, requests in flight now and at most, and the most arrivals of each command in any sliding one-second window |
//! | `GET /__emulator/groups` | `[{"GroupId","Type","MemberNum"}]` |
//! | `GET /__emulator/groups/{GroupId}` | the group as stored (fixture format); 404 if missing (percent-encode `#` as `%23`) |
//! | `POST /__emulator/groups` | add/replace one group (a fixture group object) |
//! | `POST /__emulator/seed` | load a whole fixture document |
//! | `POST /__emulator/generate` | `{"GroupId","Type","Members"}`: add a generated group |
//! | `GET /__emulator/faults` / `POST` / `DELETE` | pending faults / inject one ([`FaultSpec`]) / clear |
//! | `POST /__emulator/rate-limit` | `{"per_sec": N}` or `{"per_sec": null}` (disable) |
//! | `POST /__emulator/reset` | back to the start state (seed reloaded, log/faults cleared, rate restored) |
//!
//! Control routes answer `{"ok": true}` or an HTTP 4xx with `{"ok": false, "error": "..."}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::{Fault, FaultSpec};
use crate::shared::Shared;
use crate::state::GroupType;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/info", get(info))
        .route("/calls", get(calls).delete(clear_calls))
        .route("/stats", get(stats))
        .route("/groups", get(list_groups).post(add_group))
        .route("/groups/{group_id}", get(get_group))
        .route("/seed", post(seed))
        .route("/generate", post(generate))
        .route("/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/rate-limit", post(rate_limit))
        .route("/reset", post(reset))
        .fallback(not_found)
}

fn ok() -> Response {
    Json(json!({"ok": true})).into_response()
}

fn bad(status: StatusCode, error: impl ToString) -> Response {
    (status, Json(json!({"ok": false, "error": error.to_string()}))).into_response()
}

async fn not_found() -> Response {
    bad(StatusCode::NOT_FOUND, "no such inspection route")
}

async fn info(State(sh): State<Arc<Shared>>) -> Response {
    Json(json!({
        "base_url": sh.base_url,
        "sdkappid": sh.config.sdkappid,
        "key": sh.config.key,
        "identifier": sh.admin_identifier(),
        "rate_limit_per_sec": sh.control().rate_limit(),
    }))
    .into_response()
}

async fn calls(State(sh): State<Arc<Shared>>) -> Response {
    Json(sh.control().calls()).into_response()
}

async fn stats(State(sh): State<Arc<Shared>>) -> Response {
    Json(sh.control().stats()).into_response()
}

async fn clear_calls(State(sh): State<Arc<Shared>>) -> Response {
    sh.control().clear_calls();
    ok()
}

async fn list_groups(State(sh): State<Arc<Shared>>) -> Response {
    Json(sh.control().group_summaries()).into_response()
}

async fn get_group(State(sh): State<Arc<Shared>>, Path(group_id): Path<String>) -> Response {
    match sh.control().group(&group_id) {
        Some(g) => Json(g).into_response(),
        None => bad(StatusCode::NOT_FOUND, format!("group {group_id:?} does not exist")),
    }
}

async fn add_group(State(sh): State<Arc<Shared>>, body: String) -> Response {
    match crate::fixture::parse_group(&body).and_then(|g| sh.control().add_group(g)) {
        Ok(()) => ok(),
        Err(e) => bad(StatusCode::BAD_REQUEST, e),
    }
}

async fn seed(State(sh): State<Arc<Shared>>, body: String) -> Response {
    match sh.control().seed_json(&body) {
        Ok(()) => ok(),
        Err(e) => bad(StatusCode::BAD_REQUEST, e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateReq {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Type")]
    group_type: GroupType,
    #[serde(rename = "Members")]
    members: usize,
}

async fn generate(State(sh): State<Arc<Shared>>, body: String) -> Response {
    let req: GenerateReq = match serde_json::from_str(&body) {
        Ok(r) => r,
        Err(e) => return bad(StatusCode::BAD_REQUEST, e),
    };
    match sh.control().generate_group(req.group_type, &req.group_id, req.members) {
        Ok(()) => ok(),
        Err(e) => bad(StatusCode::BAD_REQUEST, e),
    }
}

async fn list_faults(State(sh): State<Arc<Shared>>) -> Response {
    let specs: Vec<FaultSpec> = sh.control().faults().iter().map(FaultSpec::from).collect();
    Json(specs).into_response()
}

async fn add_fault(State(sh): State<Arc<Shared>>, body: String) -> Response {
    let spec: FaultSpec = match serde_json::from_str(&body) {
        Ok(s) => s,
        Err(e) => return bad(StatusCode::BAD_REQUEST, e),
    };
    match Fault::try_from(spec) {
        Ok(f) => {
            sh.control().inject_fault(f);
            ok()
        }
        Err(e) => bad(StatusCode::BAD_REQUEST, e),
    }
}

async fn clear_faults(State(sh): State<Arc<Shared>>) -> Response {
    sh.control().clear_faults();
    ok()
}

/// `{"per_sec": N}` or `{"per_sec": null}`; the field is required so `{}` is not a silent "disable".
fn parse_rate(body: &str) -> Result<Option<u32>, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let Value::Object(map) = value else {
        return Err("expected {\"per_sec\": N | null}".into());
    };
    if let Some(k) = map.keys().find(|k| *k != "per_sec") {
        return Err(format!("unknown field {k:?} (expected per_sec)"));
    }
    match map.get("per_sec") {
        None => Err("missing field per_sec (a number, or null to disable)".into()),
        Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("per_sec must be a non-negative 32-bit integer or null, got {v}")),
    }
}

async fn rate_limit(State(sh): State<Arc<Shared>>, body: String) -> Response {
    match parse_rate(&body) {
        Ok(per_sec) => {
            sh.control().set_rate_limit(per_sec);
            ok()
        }
        Err(e) => bad(StatusCode::BAD_REQUEST, e),
    }
}

async fn reset(State(sh): State<Arc<Shared>>) -> Response {
    sh.control().reset();
    ok()
}
