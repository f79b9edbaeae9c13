//! Paging through a whole group: by callback, or with a pager object.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use timadmin::{BlockingClient, MemberPage, MemberPager, PageOptions, PagingMode};

use crate::arena::{array_ptr, Arena};
use crate::lower;
use crate::client::timadmin_client;
use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{arg, arg_mut, opt_str_list, out, req_str};
use crate::model::timadmin_group_member;

/// What to fetch while paging through a group. Zeroed (or a NULL pointer) = defaults: 100
/// members per call, every field, every role. Read only during the call that takes it; the
/// caller keeps ownership.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_page_options {
    /// Whether `page_size` is set.
    pub has_page_size: bool,
    /// Members per call (at least 1; clamped to 100 for community groups).
    pub page_size: u32,
    /// Optional `MemberInfoFilter`: array of field names; NULL = all fields.
    pub member_info_filter: *const *const c_char,
    /// Number of entries in `member_info_filter`.
    pub member_info_filter_len: usize,
    /// Optional `MemberRoleFilter`: array of roles; NULL = all roles.
    pub member_role_filter: *const *const c_char,
    /// Number of entries in `member_role_filter`.
    pub member_role_filter_len: usize,
    /// Optional `AppDefinedDataFilter_GroupMember`: custom member-data keys; NULL = unset.
    pub app_defined_data_filter_group_member: *const *const c_char,
    /// Number of entries in `app_defined_data_filter_group_member`.
    pub app_defined_data_filter_group_member_len: usize,
}

unsafe fn page_options(options: *const timadmin_page_options) -> Result<PageOptions, timadmin_error> {
    let mut core = PageOptions::default();
    let Some(o) = options.as_ref() else {
        return Ok(core);
    };
    if o.has_page_size {
        core.page_size = o.page_size;
    }
    core.member_info_filter = opt_str_list(o.member_info_filter, o.member_info_filter_len, "member_info_filter")?;
    core.member_role_filter = opt_str_list(o.member_role_filter, o.member_role_filter_len, "member_role_filter")?;
    core.app_defined_data_filter_group_member = opt_str_list(
        o.app_defined_data_filter_group_member,
        o.app_defined_data_filter_group_member_len,
        "app_defined_data_filter_group_member",
    )?;
    Ok(core)
}

/// Receives one member during `timadmin_client_for_each_member`. `member` and everything it
/// points to are owned by the library and valid only until the callback returns (copy what you
/// keep). Return true to go on, false to stop early. Runs on the calling thread; it may call
/// the library (even with the same client) but must not throw or longjmp.
pub type timadmin_member_callback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, member: *const timadmin_group_member) -> bool>;

/// Pages through every member of `group_id` (Limit/Offset for ordinary groups, the `Next`
/// cursor for community groups `@TGS#_...`; all paging logic is the core's) and calls
/// `callback(userdata, member)` for each, in order, until the group is exhausted or the
/// callback returns false. At most one page is held in memory.
///
/// `options` may be NULL (defaults). `userdata` is passed as is and may be NULL. Returns
/// `TIMADMIN_STATUS_OK` when the group was exhausted or the callback stopped early. Errors:
/// `TIMADMIN_STATUS_NULL_PARAMETER` (`client`, `group_id`, `callback`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (before any network call), service, transport and
/// paging errors (members delivered before the error stay delivered). On failure a new error
/// is written to `*error_out` when `error_out` is not NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_for_each_member(
    client: *const timadmin_client,
    group_id: *const c_char,
    options: *const timadmin_page_options,
    callback: timadmin_member_callback,
    userdata: *mut c_void,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    guard(error_out, || {
        let client = arg(client, "client")?;
        let group_id = req_str(group_id, "group_id")?;
        let options = page_options(options)?;
        let callback = callback.ok_or_else(|| timadmin_error::null("callback"))?;
        for member in client.inner.members(group_id, options)? {
            let member = member?;
            let mut arena = Arena::default();
            let view = lower::member(&mut arena, &member)?;
            if !callback(userdata, &view) {
                break;
            }
        }
        Ok(())
    })
}

/// How a pager moves through its group.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_paging_mode {
    /// `Limit`/`Offset` (ordinary groups).
    Offset = 0,
    /// The `Next` cursor (community groups; also when the service answers with a cursor).
    Cursor = 1,
}

/// A pager over every member of one group, one page at a time (see
/// `timadmin_client_members`). Holds at most one page; keeps the client's runtime alive, so it
/// may outlive `timadmin_client_free`. Not thread-safe: use it from one thread at a time.
/// Free with `timadmin_member_pager_free`.
#[derive(Debug)]
pub struct timadmin_member_pager {
    client: Arc<BlockingClient>,
    pager: MemberPager,
}

/// Starts paging through every member of `group_id`. Makes no network call yet: the first
/// `timadmin_member_pager_next_page` fetches the first page.
///
/// `options` may be NULL (defaults). On success writes a new pager to `*pager_out` (free it
/// with `timadmin_member_pager_free`). Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`client`,
/// `group_id`, `pager_out`), `TIMADMIN_STATUS_INVALID_ARGUMENT`. On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_members(
    client: *const timadmin_client,
    group_id: *const c_char,
    options: *const timadmin_page_options,
    pager_out: *mut *mut timadmin_member_pager,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    guard(error_out, || {
        let client = arg(client, "client")?;
        let group_id = req_str(group_id, "group_id")?;
        let options = page_options(options)?;
        let pager_out = out(pager_out, "pager_out")?;
        let pager = client.inner.client()?.members(group_id, options)?;
        pager_out.write(Box::into_raw(Box::new(timadmin_member_pager {
            client: Arc::clone(&client.inner),
            pager,
        })));
        Ok(())
    })
}

/// Fetches the next page. Blocks until done; retries per the client's config.
///
/// On success writes to `*page_out` either a new page (free it with `timadmin_page_free`) or
/// NULL when the group is exhausted. After an error the pager's position is unchanged, so
/// calling again retries the same page. Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`pager`,
/// `page_out`), service, transport and paging errors. On failure a new error is written to
/// `*error_out` when `error_out` is not NULL, and `*page_out` is left untouched.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_next_page(
    pager: *mut timadmin_member_pager,
    page_out: *mut *mut timadmin_page,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    guard(error_out, || {
        let pager = arg_mut(pager, "pager")?;
        let page_out = out(page_out, "page_out")?;
        let inner = &mut pager.pager;
        let page = pager.client.block_on(|_| inner.next_page())??;
        let page = match page {
            None => std::ptr::null_mut(),
            Some(page) => Box::into_raw(Box::new(timadmin_page::from_core(&page)?)),
        };
        page_out.write(page);
        Ok(())
    })
}

/// Writes the group's member count (`MemberNum`) to `*member_num_out` and returns true once
/// known (after the first page); returns false and writes nothing before that or when a
/// pointer is NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_member_num(
    pager: *const timadmin_member_pager,
    member_num_out: *mut u64,
) -> bool {
    match (pager.as_ref().and_then(|p| p.pager.member_num()), member_num_out.is_null()) {
        (Some(n), false) => {
            member_num_out.write(n);
            true
        }
        _ => false,
    }
}

/// Members fetched so far; 0 when `pager` is NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_fetched(pager: *const timadmin_member_pager) -> u64 {
    pager.as_ref().map_or(0, |p| p.pager.fetched())
}

/// The current page size (the core halves it when the service says a response would be over
/// 1 MB); 0 when `pager` is NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_page_size(pager: *const timadmin_member_pager) -> u32 {
    pager.as_ref().map_or(0, |p| p.pager.page_size())
}

/// The paging mode in use; `TIMADMIN_PAGING_MODE_OFFSET` when `pager` is NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_mode(pager: *const timadmin_member_pager) -> timadmin_paging_mode {
    match pager.as_ref().map(|p| p.pager.mode()) {
        Some(PagingMode::Cursor) => timadmin_paging_mode::Cursor,
        _ => timadmin_paging_mode::Offset,
    }
}

/// Whether the group is exhausted (the next `timadmin_member_pager_next_page` yields NULL);
/// true when `pager` is NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_is_done(pager: *const timadmin_member_pager) -> bool {
    pager.as_ref().is_none_or(|p| p.pager.is_done())
}

/// Frees a pager. Pages it returned stay valid (they are owned separately). NULL is a no-op;
/// freeing twice is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_free(pager: *mut timadmin_member_pager) {
    if !pager.is_null() {
        guard_value((), || drop(Box::from_raw(pager)));
    }
}

/// One page of members, viewed through `timadmin_page_get`. Owned by its page object.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_member_page {
    /// This page's members: array of `members_len` entries (NULL when empty).
    pub members: *const timadmin_group_member,
    /// Number of entries in `members`.
    pub members_len: usize,
    /// `MemberNum`: the group's total member count as reported with this page.
    pub member_num: u64,
}

/// One page returned by `timadmin_member_pager_next_page`: owns its members and every string
/// they point to. Free with `timadmin_page_free`. Immutable: may be read from any thread.
#[derive(Debug)]
pub struct timadmin_page {
    view: timadmin_member_page,
    _members: Vec<timadmin_group_member>,
    _arena: Arena,
}

impl timadmin_page {
    fn from_core(page: &MemberPage) -> Result<Self, timadmin_error> {
        let mut arena = Arena::default();
        let members = lower::members(&mut arena, &page.members)?;
        Ok(timadmin_page {
            view: timadmin_member_page {
                members: array_ptr(&members),
                members_len: members.len(),
                member_num: page.member_num,
            },
            _members: members,
            _arena: arena,
        })
    }
}

/// The members of `page`; NULL when `page` is NULL. Owned by `page`: valid (with everything it
/// points to) until `timadmin_page_free(page)`.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_get(page: *const timadmin_page) -> *const timadmin_member_page {
    page.as_ref().map_or(std::ptr::null(), |p| &p.view)
}

/// Frees a page and everything it owns. NULL is a no-op; freeing twice is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_free(page: *mut timadmin_page) {
    if !page.is_null() {
        guard_value((), || drop(Box::from_raw(page)));
    }
}
