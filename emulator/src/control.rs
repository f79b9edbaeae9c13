//! `Control`: the thread-safe, synchronous handle to a running emulator's state (used by
//! tests, other threads, FFI and the `/__emulator/` routes).

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::config::EmulatorConfig;
use crate::error::EmulatorError;
use crate::faults::Fault;
use crate::shared::{lock, CallRecord, Shared};
use crate::state::{Group, GroupType, COMMUNITY_PREFIX};

impl Shared {
    /// A `Control` handle on this state.
    pub(crate) fn control(self: &Arc<Self>) -> Control {
        Control { shared: Arc::clone(self) }
    }
}

/// Summary of one group for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    /// The group ID.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group type.
    #[serde(rename = "Type")]
    pub group_type: GroupType,
    /// Number of members.
    #[serde(rename = "MemberNum")]
    pub member_num: usize,
}

/// Thread-safe handle to a running emulator's state; all methods are synchronous and cheap
/// to call from tests, other threads, or FFI. Clone freely.
#[derive(Clone)]
pub struct Control {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").field("base_url", &self.shared.base_url).finish()
    }
}

impl Control {
    /// The configuration the emulator started with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }

    /// `http://HOST:PORT` of the emulator.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Loads a fixture file (see README), adding or replacing its groups.
    pub fn seed_file(&self, path: &Path) -> Result<(), EmulatorError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| EmulatorError::Fixture(format!("cannot read {}: {e}", path.display())))?;
        self.seed_json(&text)
    }

    /// Loads a fixture document, adding or replacing its groups. All-or-nothing.
    pub fn seed_json(&self, json: &str) -> Result<(), EmulatorError> {
        let groups = crate::fixture::parse_fixture(json)?;
        let mut store = lock(&self.shared.store);
        for g in groups {
            store.insert(g);
        }
        Ok(())
    }

    /// Adds (or replaces) one group after validating it.
    pub fn add_group(&self, group: Group) -> Result<(), EmulatorError> {
        let g = group.normalize()?;
        lock(&self.shared.store).insert(g);
        Ok(())
    }

    /// Changes a stored group in place; the result is validated and discarded if invalid.
    /// Returns `Ok(false)` when the group does not exist.
    pub fn update_group(&self, group_id: &str, f: impl FnOnce(&mut Group)) -> Result<bool, EmulatorError> {
        let mut store = lock(&self.shared.store);
        let Some(current) = store.groups.get(group_id) else {
            return Ok(false);
        };
        let mut changed = current.clone();
        f(&mut changed);
        if changed.group_id != group_id {
            return Err(EmulatorError::InvalidGroup {
                group_id: group_id.to_owned(),
                reason: "update_group must not change GroupId".into(),
            });
        }
        let changed = changed.normalize()?;
        store.insert(changed);
        Ok(true)
    }

    /// Removes a group; returns whether it existed.
    pub fn remove_group(&self, group_id: &str) -> bool {
        lock(&self.shared.store).groups.remove(group_id).is_some()
    }

    /// Adds a community group (ID must start with `@TGS#_`) of `members` generated members
    /// (see [`Group::generated`]). 100,000 members take well under a second.
    pub fn generate_community_group(&self, group_id: &str, members: usize) -> Result<(), EmulatorError> {
        if !group_id.starts_with(COMMUNITY_PREFIX) {
            return Err(EmulatorError::InvalidGroup {
                group_id: group_id.to_owned(),
                reason: format!("community group IDs must start with {COMMUNITY_PREFIX:?}"),
            });
        }
        self.generate_group(GroupType::Community, group_id, members)
    }

    /// Adds a group of `group_type` with `members` generated members (see [`Group::generated`]).
    pub fn generate_group(&self, group_type: GroupType, group_id: &str, members: usize) -> Result<(), EmulatorError> {
        let g = Group::generated(group_type, group_id, members).normalize()?;
        lock(&self.shared.store).insert(g);
        Ok(())
    }

    /// A snapshot of a group as stored.
    pub fn group(&self, group_id: &str) -> Option<Group> {
        lock(&self.shared.store).groups.get(group_id).cloned()
    }

    /// IDs of all groups, sorted.
    pub fn group_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = lock(&self.shared.store).groups.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// ID, type and member count of every group, sorted by ID.
    pub fn group_summaries(&self) -> Vec<GroupSummary> {
        let mut out: Vec<GroupSummary> = lock(&self.shared.store)
            .groups
            .values()
            .map(|g| GroupSummary {
                group_id: g.group_id.clone(),
                group_type: g.group_type,
                member_num: g.member_list.len(),
            })
            .collect();
        out.sort_by(|a, b| a.group_id.cmp(&b.group_id));
        out
    }

    /// Queues a fault (after those already pending).
    pub fn inject_fault(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Faults not yet used up, in order.
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).list()
    }

    /// Drops every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The call log, oldest first (UserSigs are never recorded).
    pub fn calls(&self) -> Vec<CallRecord> {
        lock(&self.shared.calls).iter().cloned().collect()
    }

    /// Empties the call log, and starts the arrival and in-flight figures afresh.
    pub fn clear_calls(&self) {
        lock(&self.shared.calls).clear();
        let mut traffic = lock(&self.shared.traffic);
        traffic.arrivals.clear();
        traffic.peak_in_flight = traffic.in_flight;
    }

    /// When each REST call of `command` arrived (Unix microseconds, oldest first), stamped as it
    /// arrives, before an injected delay or anything else; includes calls whose client hung up
    /// before the answer. Holds as many as the call log does.
    pub fn arrivals(&self, command: &str) -> Vec<u64> {
        let traffic = lock(&self.shared.traffic);
        traffic.arrivals.iter().filter(|(c, _)| c == command).map(|&(_, t)| t).collect()
    }

    /// The most calls of `command` that arrived in any sliding one-second window (see
    /// [`Control::arrivals`]).
    pub fn busiest_second(&self, command: &str) -> usize {
        let mut stamps = self.arrivals(command);
        stamps.sort_unstable();
        crate::shared::busiest_second(&stamps)
    }

    /// The most REST requests in flight at once (arrived, not yet answered or abandoned) since
    /// the call log was cleared.
    pub fn peak_in_flight(&self) -> usize {
        lock(&self.shared.traffic).peak_in_flight
    }

    /// Arrival and concurrency figures (the `GET /__emulator/stats` document): `calls` (REST
    /// arrivals counted), `in_flight`, `peak_in_flight`, and per command `busiest_second`.
    pub fn stats(&self) -> serde_json::Value {
        let (commands, calls, in_flight, peak) = {
            let traffic = lock(&self.shared.traffic);
            let mut commands: Vec<String> = traffic.arrivals.iter().map(|(c, _)| c.clone()).collect();
            commands.sort_unstable();
            commands.dedup();
            (commands, traffic.arrivals.len(), traffic.in_flight, traffic.peak_in_flight)
        };
        let busiest: serde_json::Map<String, serde_json::Value> = commands
            .into_iter()
            .map(|c| {
                let n = self.busiest_second(&c);
                (c, n.into())
            })
            .collect();
        serde_json::json!({
            "calls": calls,
            "in_flight": in_flight,
            "peak_in_flight": peak,
            "busiest_second": busiest,
        })
    }

    /// Sets calls per second per command (`None`/`Some(0)` disables) and forgets past calls.
    pub fn set_rate_limit(&self, per_sec: Option<u32>) {
        lock(&self.shared.rate).set(per_sec);
    }

    /// The current rate limit, if any.
    pub fn rate_limit(&self) -> Option<u32> {
        lock(&self.shared.rate).per_sec()
    }

    /// Back to the state right after start: groups as seeded by the config, empty call log,
    /// no faults, the configured rate limit.
    pub fn reset(&self) {
        let baseline = lock(&self.shared.baseline).clone();
        *lock(&self.shared.store) = baseline;
        self.clear_calls();
        self.clear_faults();
        self.set_rate_limit(self.shared.config.rate_limit_per_sec);
    }
}
