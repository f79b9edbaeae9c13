//! `TimAdminClient` and `MemberPager`: the core's client and pager as UniFFI objects. Every
//! call runs on the library's runtime (see `runtime`), so Kotlin `suspend` and Swift `async`
//! callers never block their thread and many calls run at once.

use std::sync::{Arc, Mutex};

use crate::config::ClientOptions;
use crate::error::TimAdminError;
use crate::runtime;
use timadmin::{
    GetGroupMemberInfoRequest, GetGroupMemberInfoResponse, GetGroupMutedAccountRequest, GetGroupMutedAccountResponse,
    MemberPage, ModifyGroupBaseInfoRequest, PageOptions, PagingMode,
};

/// A configured connection to the service. Thread-safe: share one per app; concurrent calls
/// share its connection pool, UserSig cache and rate limiter. No network call until the
/// first request.
#[derive(Debug, uniffi::Object)]
pub struct TimAdminClient {
    inner: timadmin::Client,
}

#[uniffi::export]
impl TimAdminClient {
    /// A client for `options`; throws `InvalidArgument` naming the setting when the
    /// options are not usable. Makes no network call.
    #[uniffi::constructor]
    pub fn new(options: ClientOptions) -> Result<Arc<Self>, TimAdminError> {
        Self::with_config(options.into_options().build()?)
    }

    /// A client from the `TIM_*` environment variables, read by the core as in every host
    /// (`TIM_SDKAPPID`, `TIM_SECRET_KEY` or `TIM_USERSIG`, `TIM_REGION` or `TIM_BASE_URL`,
    /// `TIM_TIMEOUT`, `TIM_RATE_LIMIT`, `TIM_ALLOW_INSECURE_HTTP`, ... one per setting); throws
    /// `InvalidArgument` naming the variable at fault. For back-end tools: an app has no
    /// environment to speak of. Makes no network call.
    #[uniffi::constructor]
    pub fn from_env() -> Result<Arc<Self>, TimAdminError> {
        Self::with_config(timadmin::ClientOptions::from_env()?)
    }

    /// The settings this client runs with, as the core's JSON document (the same in every
    /// host): every setting by its core name, defaults filled in, durations in seconds, a rate
    /// limit that is off `null`, secrets as `"***"`. For logs and bug reports.
    pub fn settings_json(&self) -> String {
        self.inner.settings_json()
    }

    /// What this client has done so far, as the core's stats JSON document (the same in every
    /// host; format in `timadmin::stats`): `commands` maps each REST command used
    /// (`"get_group_member_info"`, ...) to `calls`, `ok`, `errors` (a count per error kind:
    /// `"group_not_found"`, `"timeout"`, ...), `retries`, `rate_limit_wait_ms` (`total`, `max`)
    /// and `latency_ms` (`p50`, `p99`, `max`); `in_flight` and `peak_in_flight` count HTTP
    /// attempts holding a slot. No network call; never contains a secret.
    pub fn stats_json(&self) -> String {
        self.inner.stats_json()
    }

    /// The app this client calls as.
    pub fn sdkappid(&self) -> u64 {
        self.inner.sdkappid()
    }

    /// The admin identifier this client calls as.
    pub fn identifier(&self) -> String {
        self.inner.identifier().to_owned()
    }

    /// `get_group_member_info`: one page of a group's member profiles (see `members` to page
    /// through a whole group).
    pub async fn get_group_member_info(
        &self,
        request: GetGroupMemberInfoRequest,
    ) -> Result<GetGroupMemberInfoResponse, TimAdminError> {
        let client = self.inner.clone();
        runtime::run(async move { Ok(client.get_group_member_info(&request).await?) }).await
    }

    /// `get_group_muted_account`: the muted members of a group (or of one of its topics).
    pub async fn get_group_muted_account(
        &self,
        request: GetGroupMutedAccountRequest,
    ) -> Result<GetGroupMutedAccountResponse, TimAdminError> {
        let client = self.inner.clone();
        runtime::run(async move { Ok(client.get_group_muted_account(&request).await?) }).await
    }

    /// `modify_group_base_info`: changes a group's profile; only the fields set change.
    pub async fn modify_group_base_info(&self, request: ModifyGroupBaseInfoRequest) -> Result<(), TimAdminError> {
        let client = self.inner.clone();
        runtime::run(async move {
            client.modify_group_base_info(&request).await?;
            Ok(())
        })
        .await
    }

    /// Any REST command with a JSON body; returns the service's answer as JSON text
    /// (`ActionStatus`, `ErrorCode` and the command's fields). `command` is the path below
    /// `v4/`, `"service/command"` (e.g. `"openim/sendmsg"`); `jsonBody` a JSON object. The same
    /// signing, retries, rate limit (per command) and errors as the typed calls: a failure
    /// answer throws `Api` (10003 for a command the service does not know); a bad `command` or
    /// a body that is not a JSON object throws `InvalidArgument` (`field` `"command"` or
    /// `"body"`) before anything is sent. Retries re-send the request after a timeout, a broken
    /// connection, an HTTP 5xx or a retryable service error, so a non-idempotent command
    /// (`openim/sendmsg`) may act twice: use its own de-duplication field or `maxRetries = 0`.
    pub async fn call(&self, command: String, json_body: String) -> Result<String, TimAdminError> {
        let body: serde_json::Value =
            serde_json::from_str(&json_body).map_err(|e| timadmin::Error::invalid("body", format!("not JSON: {e}")))?;
        let client = self.inner.clone();
        runtime::run(async move { Ok(client.call(&command, &body).await?.to_string()) }).await
    }

    /// A pager over every member of `groupId`: by `Offset` for ordinary groups, by the `Next`
    /// cursor for community groups (`@TGS#_...`). Throws `InvalidArgument` for bad options.
    #[uniffi::method(default(options = None))]
    pub fn members(&self, group_id: String, options: Option<PageOptions>) -> Result<Arc<MemberPager>, TimAdminError> {
        let pager = self.inner.members(group_id, options.unwrap_or_default())?;
        Ok(Arc::new(MemberPager::new(pager)))
    }
}

impl TimAdminClient {
    fn with_config(config: timadmin::Config) -> Result<Arc<Self>, TimAdminError> {
        let _runtime = runtime::handle()?.enter();
        Ok(Arc::new(TimAdminClient { inner: timadmin::Client::new(config)? }))
    }
}

/// What a pager reports about itself between pages.
#[derive(Debug, Clone, Copy)]
struct PagerStatus {
    mode: PagingMode,
    page_size: u32,
    member_num: Option<u64>,
    fetched: u64,
    done: bool,
}

impl PagerStatus {
    fn of(pager: &timadmin::MemberPager) -> Self {
        PagerStatus {
            mode: pager.mode(),
            page_size: pager.page_size(),
            member_num: pager.member_num(),
            fetched: pager.fetched(),
            done: pager.is_done(),
        }
    }
}

/// Pages through one group's members, one page in memory at a time. Halves the page size
/// when the service says a page is over 1 MB, and fails (`Paging`) instead of looping when
/// the server repeats a cursor or makes no progress. After an error the position is unchanged,
/// so calling `nextPage` again retries the same page. Pages are fetched one at a time.
#[derive(Debug, uniffi::Object)]
pub struct MemberPager {
    pager: Arc<tokio::sync::Mutex<timadmin::MemberPager>>,
    status: Arc<Mutex<PagerStatus>>,
}

impl MemberPager {
    fn new(pager: timadmin::MemberPager) -> Self {
        let status = PagerStatus::of(&pager);
        MemberPager { pager: Arc::new(tokio::sync::Mutex::new(pager)), status: Arc::new(Mutex::new(status)) }
    }

    fn status(&self) -> PagerStatus {
        match self.status.lock() {
            Ok(status) => *status,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

#[uniffi::export]
impl MemberPager {
    /// The next page, or null once the group is exhausted.
    pub async fn next_page(&self) -> Result<Option<MemberPage>, TimAdminError> {
        let pager = Arc::clone(&self.pager);
        let status = Arc::clone(&self.status);
        runtime::run(async move {
            let mut pager = pager.lock().await;
            let page = pager.next_page().await;
            let now = PagerStatus::of(&pager);
            match status.lock() {
                Ok(mut slot) => *slot = now,
                Err(poisoned) => *poisoned.into_inner() = now,
            }
            Ok(page?)
        })
        .await
    }

    /// The paging mode in use (it may switch to cursor mode when the server sends `Next`).
    pub fn mode(&self) -> PagingMode {
        self.status().mode
    }

    /// The current page size (halved after each "response too large").
    pub fn page_size(&self) -> u32 {
        self.status().page_size
    }

    /// The group's member count, known after the first page.
    pub fn member_num(&self) -> Option<u64> {
        self.status().member_num
    }

    /// Members returned so far.
    pub fn fetched(&self) -> u64 {
        self.status().fetched
    }

    /// Whether the group is exhausted.
    pub fn is_done(&self) -> bool {
        self.status().done
    }
}
