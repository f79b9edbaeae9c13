//! A blocking facade that owns its tokio runtime, for callers without one (the C ABI, Python's
//! synchronous client, scripts). Safe to share across threads; survives `fork()`: a child
//! process gets a fresh runtime and client on its first call.

use std::future::Future;
use std::sync::Arc;

use crate::client::Client;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{
    GetGroupMemberInfoRequest, GetGroupMemberInfoResponse, GetGroupMutedAccountRequest, GetGroupMutedAccountResponse,
    GroupMember, ModifyGroupBaseInfoRequest,
};
use crate::paging::{MemberCursor, MemberPage, PageOptions, PagingMode};
use crate::process::{new_runtime, PerProcess};

/// How long dropping a client waits for its worker threads.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// The runtime and client of one process.
struct Engine {
    /// Always `Some` until dropped.
    runtime: Option<tokio::runtime::Runtime>,
    client: Client,
}

impl Engine {
    fn runtime(&self) -> Result<&tokio::runtime::Runtime> {
        self.runtime.as_ref().ok_or_else(|| Error::Runtime("the client's runtime is gone".into()))
    }
}

impl Drop for Engine {
    /// Outside an async runtime, waits (briefly) for the worker threads to finish, so that a
    /// freed client leaves nothing behind; inside one, where blocking would panic, shuts down
    /// in the background.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(SHUTDOWN_GRACE);
            }
        }
    }
}

/// The blocking client. Each method blocks the calling thread until the call completes; many
/// threads may call at once (they share the connection pool, UserSig cache and rate limiter).
pub struct BlockingClient {
    config: Config,
    engine: PerProcess<Engine>,
}

impl std::fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingClient").field("config", &self.config).finish_non_exhaustive()
    }
}

fn build_engine(config: &Config) -> Result<Engine> {
    Ok(Engine { runtime: Some(new_runtime("timadmin-worker")?), client: Client::new(config.clone())? })
}

impl BlockingClient {
    /// A blocking client for `config`. Starts a small runtime ([`crate::process::new_runtime`]).
    pub fn new(config: Config) -> Result<Self> {
        let engine = build_engine(&config)?;
        Ok(BlockingClient { config, engine: PerProcess::with(engine) })
    }

    /// A blocking client from the `TIM_*` environment variables.
    pub fn from_env() -> Result<Self> {
        Self::new(crate::ClientOptions::from_env()?)
    }

    /// The settings this client runs with (see [`Client::settings`]).
    pub fn settings(&self) -> serde_json::Value {
        self.config.settings()
    }

    /// [`BlockingClient::settings`] as JSON text (see [`Client::settings_json`]).
    pub fn settings_json(&self) -> String {
        self.config.settings_json()
    }

    /// What this client has done in this process so far (see [`Client::stats`]); empty in a
    /// forked child until its first call.
    pub fn stats(&self) -> crate::stats::Stats {
        self.engine().map(|e| e.client.stats()).unwrap_or_default()
    }

    /// [`BlockingClient::stats`] as JSON text (see [`Client::stats_json`]).
    pub fn stats_json(&self) -> String {
        self.stats().to_json()
    }

    /// The engine of this process, rebuilt after a fork.
    fn engine(&self) -> Result<Arc<Engine>> {
        self.engine.get_or_try_init(|| build_engine(&self.config))
    }

    /// Runs a future on this client's runtime, blocking the calling thread.
    pub fn block_on<F: Future>(&self, future: impl FnOnce(Client) -> F) -> Result<F::Output> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Runtime(
                "blocking call made from inside an async runtime; use the async Client there".into(),
            ));
        }
        let engine = self.engine()?;
        Ok(engine.runtime()?.block_on(future(engine.client.clone())))
    }

    /// The async client behind this facade (for the current process).
    pub fn client(&self) -> Result<Client> {
        Ok(self.engine()?.client.clone())
    }

    /// See [`Client::get_group_member_info`].
    pub fn get_group_member_info(&self, request: &GetGroupMemberInfoRequest) -> Result<GetGroupMemberInfoResponse> {
        self.block_on(|c| async move { c.get_group_member_info(request).await })?
    }

    /// See [`Client::get_group_muted_account`].
    pub fn get_group_muted_account(
        &self,
        request: &GetGroupMutedAccountRequest,
    ) -> Result<GetGroupMutedAccountResponse> {
        self.block_on(|c| async move { c.get_group_muted_account(request).await })?
    }

    /// See [`Client::modify_group_base_info`].
    pub fn modify_group_base_info(&self, request: &ModifyGroupBaseInfoRequest) -> Result<()> {
        self.block_on(|c| async move { c.modify_group_base_info(request).await })?
    }

    /// See [`Client::call`]: any REST command with a JSON object body; the answer object.
    pub fn call(&self, command: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
        self.block_on(|c| async move { c.call(command, body).await })?
    }

    /// A blocking pager over every member of `group_id`; also an `Iterator` of members.
    pub fn members(&self, group_id: impl Into<String>, options: PageOptions) -> Result<BlockingMemberPager<'_>> {
        let pager = self.client()?.members(group_id, options)?;
        Ok(BlockingMemberPager { client: self, cursor: MemberCursor::new(pager) })
    }
}

/// Blocking counterpart of [`MemberPager`](crate::MemberPager): call
/// [`BlockingMemberPager::next_page`] or iterate members. Holds at most one page.
#[derive(Debug)]
pub struct BlockingMemberPager<'a> {
    client: &'a BlockingClient,
    cursor: MemberCursor,
}

impl BlockingMemberPager<'_> {
    /// The next page, or `None` when the group is exhausted.
    pub fn next_page(&mut self) -> Result<Option<MemberPage>> {
        let pager = self.cursor.pager_mut();
        self.client.block_on(|_| pager.next_page())?
    }

    /// The group's member count, known after the first page.
    pub fn member_num(&self) -> Option<u64> {
        self.cursor.pager().member_num()
    }

    /// Members fetched so far.
    pub fn fetched(&self) -> u64 {
        self.cursor.pager().fetched()
    }

    /// The paging mode in use.
    pub fn mode(&self) -> PagingMode {
        self.cursor.pager().mode()
    }

    /// The current page size.
    pub fn page_size(&self) -> u32 {
        self.cursor.pager().page_size()
    }
}

impl Iterator for BlockingMemberPager<'_> {
    type Item = Result<GroupMember>;

    /// Yields members; after an error it yields `None`.
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(member) = self.cursor.next_buffered() {
            return Some(Ok(member));
        }
        let cursor = &mut self.cursor;
        self.client.block_on(|_| cursor.next_member()).and_then(|r| r).transpose()
    }
}
