//! Paging through a whole group's members, one page in memory at a time.
//!
//! Ordinary groups page with `Limit`/`Offset`; community groups (`@TGS#_...`) with the `Next`
//! cursor. A response carrying a `Next` cursor confirms (or switches to) cursor mode. The pager
//! stops exactly when the group is exhausted, halves the page size on 10018 (response over
//! 1 MB), and fails instead of looping when the server repeats a cursor or makes no progress.

use std::collections::{HashSet, VecDeque};

use futures::stream::{self, Stream, TryStreamExt};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{is_community_group, GetGroupMemberInfoRequest, GroupMember};
use crate::validate::{self, MAX_COMMUNITY_LIMIT};

/// The default number of members per call.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// Consecutive empty pages with a fresh cursor tolerated before declaring "no progress".
const MAX_EMPTY_PAGES: u32 = 8;

/// What to fetch while paging.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PageOptions {
    /// Members per call; clamped to 100 for community groups.
    #[cfg_attr(feature = "uniffi", uniffi(default = 100))]
    pub page_size: u32,
    /// `MemberInfoFilter`: member fields to return.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub member_info_filter: Option<Vec<String>>,
    /// `MemberRoleFilter`: roles to return.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub member_role_filter: Option<Vec<String>>,
    /// `AppDefinedDataFilter_GroupMember`: custom member-data keys to return.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub app_defined_data_filter_group_member: Option<Vec<String>>,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            page_size: DEFAULT_PAGE_SIZE,
            member_info_filter: None,
            member_role_filter: None,
            app_defined_data_filter_group_member: None,
        }
    }
}

/// How the pager moves through the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PagingMode {
    /// `Limit`/`Offset` (ordinary groups).
    Offset,
    /// The `Next` cursor (community groups).
    Cursor,
}

/// One page of members.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MemberPage {
    /// This page's members.
    pub members: Vec<GroupMember>,
    /// The group's total member count as the server reported it with this page.
    pub member_num: u64,
}

impl Client {
    /// Pages through every member of `group_id`, by Offset or by the community `Next` cursor.
    pub fn members(&self, group_id: impl Into<String>, options: PageOptions) -> Result<MemberPager> {
        MemberPager::new(self.clone(), group_id.into(), options)
    }
}

/// Pages through a group's members; see the module docs. Get one from [`Client::members`].
#[derive(Debug)]
pub struct MemberPager {
    client: Client,
    template: GetGroupMemberInfoRequest,
    page_size: u32,
    mode: PagingMode,
    offset: u64,
    cursor: String,
    seen_cursors: HashSet<String>,
    empty_pages: u32,
    previous_first: Option<String>,
    member_num: Option<u64>,
    fetched: u64,
    done: bool,
}

impl MemberPager {
    fn new(client: Client, group_id: String, options: PageOptions) -> Result<Self> {
        let community = is_community_group(&group_id);
        if options.page_size == 0 {
            return Err(Error::invalid("page_size", "must be at least 1"));
        }
        let page_size = if community { options.page_size.min(MAX_COMMUNITY_LIMIT) } else { options.page_size };
        let template = GetGroupMemberInfoRequest {
            group_id,
            member_info_filter: options.member_info_filter,
            member_role_filter: options.member_role_filter,
            app_defined_data_filter_group_member: options.app_defined_data_filter_group_member,
            limit: Some(page_size),
            offset: None,
            next: None,
        };
        validate::member_info(&template).map_err(|e| match e {
            Error::InvalidArgument { field, reason } if field == "Limit" => Error::invalid("page_size", reason),
            other => other,
        })?;
        Ok(MemberPager {
            client,
            template,
            page_size,
            mode: if community { PagingMode::Cursor } else { PagingMode::Offset },
            offset: 0,
            cursor: String::new(),
            seen_cursors: HashSet::new(),
            empty_pages: 0,
            previous_first: None,
            member_num: None,
            fetched: 0,
            done: false,
        })
    }

    /// The paging mode in use (it may switch to cursor mode when the server sends `Next`).
    pub fn mode(&self) -> PagingMode {
        self.mode
    }

    /// The current page size (halved after each 10018).
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// The group's member count, known after the first page.
    pub fn member_num(&self) -> Option<u64> {
        self.member_num
    }

    /// Members yielded so far.
    pub fn fetched(&self) -> u64 {
        self.fetched
    }

    /// Whether the group is exhausted.
    pub fn is_done(&self) -> bool {
        self.done
    }

    fn request(&self) -> GetGroupMemberInfoRequest {
        let mut req = self.template.clone();
        req.limit = Some(self.page_size);
        match self.mode {
            PagingMode::Offset => req.offset = Some(self.offset),
            PagingMode::Cursor => req.next = Some(self.cursor.clone()),
        }
        req
    }

    /// The next page, or `None` once the group is exhausted. After an error the pager's position
    /// is unchanged, so calling again retries the same page.
    pub async fn next_page(&mut self) -> Result<Option<MemberPage>> {
        if self.done {
            return Ok(None);
        }
        let response = loop {
            match self.client.member_info_page(&self.request()).await {
                Err(e) if e.code() == Some(10018) && self.page_size > 1 => {
                    self.page_size = (self.page_size / 2).max(1);
                    tracing::info!(page_size = self.page_size, "response over 1 MB (10018); halving the page size");
                }
                Err(e) => return Err(e),
                Ok(r) => break r,
            }
        };
        self.member_num = Some(response.member_num);
        let members = response.member_list;
        let got = members.len() as u64;
        let cursor = response.next.filter(|n| !n.is_empty() || self.mode == PagingMode::Cursor);
        match (self.mode, cursor) {
            (PagingMode::Offset, Some(next)) if self.offset == 0 => {
                // The server pages this group by cursor: continue that way.
                tracing::debug!("response carried Next: switching to cursor paging");
                self.mode = PagingMode::Cursor;
                self.advance_cursor(next, got)?;
            }
            (PagingMode::Offset, _) => {
                let first = members.first().map(|m| m.member_account.clone());
                if got > 0 && first.is_some() && first == self.previous_first {
                    return Err(Error::Paging(format!(
                        "the server returned the same page again at Offset {} (no progress)",
                        self.offset
                    )));
                }
                self.previous_first = first;
                self.offset += got;
                self.done = got == 0 || got < u64::from(self.page_size) || self.offset >= response.member_num;
            }
            (PagingMode::Cursor, None) => {
                return Err(Error::Paging("a community group's response carried no Next cursor".into()));
            }
            (PagingMode::Cursor, Some(next)) => self.advance_cursor(next, got)?,
        }
        self.fetched += got;
        Ok(Some(MemberPage { members, member_num: response.member_num }))
    }

    fn advance_cursor(&mut self, next: String, got: u64) -> Result<()> {
        if next.is_empty() {
            self.done = true;
            return Ok(());
        }
        if next == self.cursor || !self.seen_cursors.insert(next.clone()) {
            // The cursor is server text: clipped and scrubbed of secrets before it is shown.
            let shown = self.client.redact(&crate::error::clip(&next, 64));
            return Err(Error::Paging(format!("the server repeated the Next cursor {shown:?}")));
        }
        if next.len() > validate::MAX_CURSOR_BYTES || next.chars().any(char::is_control) {
            return Err(Error::Paging(format!(
                "the server sent a Next cursor of {} bytes that cannot be sent back (at most {} bytes, no control characters)",
                next.len(),
                validate::MAX_CURSOR_BYTES
            )));
        }
        if got == 0 {
            self.empty_pages += 1;
            if self.empty_pages > MAX_EMPTY_PAGES {
                return Err(Error::Paging(format!(
                    "{} empty pages in a row with new cursors (no progress)",
                    self.empty_pages
                )));
            }
        } else {
            self.empty_pages = 0;
        }
        self.cursor = next;
        Ok(())
    }

    /// The pages as a stream; it ends after the last page or the first error.
    pub fn pages(self) -> impl Stream<Item = Result<MemberPage>> + Send {
        stream::try_unfold(self, |mut pager| async move { Ok(pager.next_page().await?.map(|page| (page, pager))) })
    }

    /// The members one by one as a stream; it ends after the last member or the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<GroupMember>> + Send {
        self.pages().map_ok(|page| stream::iter(page.members.into_iter().map(Ok))).try_flatten()
    }
}

/// Members one at a time over a [`MemberPager`], holding at most one page: the one engine behind
/// every member-by-member iterator (the blocking iterator, Python's sync and async iterators).
/// After it has returned an error it is finished. Dropping [`MemberCursor::next_member`]'s
/// future mid-page (a cancelled call, Ctrl-C) loses nothing: the same page is asked for again.
#[derive(Debug)]
pub struct MemberCursor {
    pager: MemberPager,
    buffer: VecDeque<GroupMember>,
    failed: bool,
}

impl MemberCursor {
    /// A cursor at the start of `pager`.
    pub fn new(pager: MemberPager) -> Self {
        MemberCursor { pager, buffer: VecDeque::new(), failed: false }
    }

    /// The next member already fetched, without any call.
    pub fn next_buffered(&mut self) -> Option<GroupMember> {
        self.buffer.pop_front()
    }

    /// The next member, fetching the next page when the current one is used up; `None` after
    /// the last member, and after an error has been returned once.
    pub async fn next_member(&mut self) -> Result<Option<GroupMember>> {
        loop {
            if let Some(member) = self.buffer.pop_front() {
                return Ok(Some(member));
            }
            if self.failed {
                return Ok(None);
            }
            match self.pager.next_page().await {
                Ok(Some(page)) => self.buffer.extend(page.members),
                Ok(None) => return Ok(None),
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
        }
    }

    /// Whether every member has been handed out (or an error ended the cursor).
    pub fn is_done(&self) -> bool {
        self.buffer.is_empty() && (self.failed || self.pager.is_done())
    }

    /// The pager underneath (member count, mode, page size, members fetched).
    pub fn pager(&self) -> &MemberPager {
        &self.pager
    }

    /// The pager underneath, to fetch whole pages.
    pub fn pager_mut(&mut self) -> &mut MemberPager {
        &mut self.pager
    }
}
