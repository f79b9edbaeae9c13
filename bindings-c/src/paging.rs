//! Paging through a whole group: by callback, or with a pager object.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use timadmin::{BlockingClient, MemberPage, MemberPager, PageOptions, PagingMode};

use crate::arena::{Arena, ViewWithArena};
use crate::builder;
use crate::client::timadmin_client;
use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{arg, arg_mut, out, req_str};
use crate::lower;
use crate::model::timadmin_group_member;
use crate::ownership::{free_box, to_boxed_mut_ptr, try_ref, OutParam};

/// What to fetch while paging through a group (core: `PageOptions`): an opaque object made by
/// `timadmin_page_options_new`, filled by its `_set_*`/`_add_*` functions, passed to
/// `timadmin_client_for_each_member` or `timadmin_client_members` (which only read it; a NULL
/// pointer there means the defaults) and freed with `timadmin_page_options_free`. Unset: 100
/// members per call, every field, every role.
///
/// Not thread-safe while being set; the calls only read it.
#[derive(Debug, Default)]
pub struct timadmin_page_options {
    inner: PageOptions,
}

/// Makes page options with every setting at its default. Never NULL; free it with
/// `timadmin_page_options_free`.
#[no_mangle]
pub extern "C" fn timadmin_page_options_new() -> *mut timadmin_page_options {
    to_boxed_mut_ptr(timadmin_page_options::default())
}

/// Frees page options. NULL is a no-op; pagers made with them are not affected.
///
/// # Safety
///
/// `options` is NULL or an object from `timadmin_page_options_new` not freed yet; nothing uses
/// it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_options_free(options: *mut timadmin_page_options) {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::free(options) }
}

/// Sets `page_size`: members per call (at least 1; clamped to 100 for community groups; unset:
/// 100). The value is checked by the paging call.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or live page options not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_options_set_page_size(
    options: *mut timadmin_page_options,
    page_size: u32,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set(options, "options", error_out, |o| {
            o.inner.page_size = page_size;
            Ok(())
        })
    }
}

/// Adds to `MemberInfoFilter`: appends a member field to return (`"Role"`, `"JoinTime"`, ...).
/// Never called: every field.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`; `member_info_filter`, field
/// `MemberInfoFilter`), `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field
/// `MemberInfoFilter`). On failure a new error is written to `*error_out` when `error_out` is
/// not NULL.
///
/// # Safety
///
/// `options` is NULL or live page options not used by another thread during the call;
/// `member_info_filter` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_options_add_member_info_filter(
    options: *mut timadmin_page_options,
    member_info_filter: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(options, "options", member_info_filter, "member_info_filter", error_out, |o, v| {
            o.inner.member_info_filter.get_or_insert_with(Vec::new).push(v)
        })
    }
}

/// Adds to `MemberRoleFilter`: appends a role to return (`"Owner"`, `"Admin"`, `"Member"`).
/// Never called: every role.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`; `member_role_filter`, field
/// `MemberRoleFilter`), `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field
/// `MemberRoleFilter`). On failure a new error is written to `*error_out` when `error_out` is
/// not NULL.
///
/// # Safety
///
/// `options` is NULL or live page options not used by another thread during the call;
/// `member_role_filter` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_options_add_member_role_filter(
    options: *mut timadmin_page_options,
    member_role_filter: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(options, "options", member_role_filter, "member_role_filter", error_out, |o, v| {
            o.inner.member_role_filter.get_or_insert_with(Vec::new).push(v)
        })
    }
}

/// Adds to `AppDefinedDataFilter_GroupMember`: appends a custom member-data key to return.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`; `app_defined_data_filter_group_member`,
/// field `AppDefinedDataFilter_GroupMember`), `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8;
/// field `AppDefinedDataFilter_GroupMember`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or live page options not used by another thread during the call;
/// `app_defined_data_filter_group_member` is NULL or NUL-terminated; `error_out` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_page_options_add_app_defined_data_filter_group_member(
    options: *mut timadmin_page_options,
    app_defined_data_filter_group_member: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(
            options,
            "options",
            app_defined_data_filter_group_member,
            "app_defined_data_filter_group_member",
            error_out,
            |o, v| o.inner.app_defined_data_filter_group_member.get_or_insert_with(Vec::new).push(v),
        )
    }
}

/// `options` (NULL = defaults) as the core's [`PageOptions`].
///
/// # Safety
///
/// `options` is NULL or live page options nothing changes during the call.
unsafe fn page_options(options: *const timadmin_page_options) -> Result<PageOptions, timadmin_error> {
    // SAFETY: `options` is NULL or live (this function's contract).
    Ok(unsafe { try_ref(options) }.map(|o| o.inner.clone()).unwrap_or_default())
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
///
/// # Safety
///
/// `client` is NULL or a live client; `group_id` is NULL or NUL-terminated; `options` is NULL
/// or live page options nothing changes during the call; `callback` (with `userdata`) meets `timadmin_member_callback`'s
/// contract; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_for_each_member(
    client: *const timadmin_client,
    group_id: *const c_char,
    options: *const timadmin_page_options,
    callback: timadmin_member_callback,
    userdata: *mut c_void,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, group_id, options) =
            unsafe { (arg(client, "client")?, req_str(group_id, "group_id")?, page_options(options)?) };
        let callback = callback.ok_or_else(|| timadmin_error::null("callback"))?;
        for member in client.inner.members(group_id, options)? {
            let member = member?;
            let mut arena = Arena::default();
            let view = lower::member(&mut arena, &member)?;
            // SAFETY: the caller's callback meets `timadmin_member_callback`'s contract; `view`
            // and `arena` (what it points to) outlive the call.
            if !unsafe { callback(userdata, &view) } {
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
///
/// # Safety
///
/// `client` is NULL or a live client; `group_id` is NULL or NUL-terminated; `options` is NULL
/// or live page options nothing changes during the call; `pager_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_members(
    client: *const timadmin_client,
    group_id: *const c_char,
    options: *const timadmin_page_options,
    pager_out: *mut *mut timadmin_member_pager,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, group_id, options, pager_out) = unsafe {
            (
                arg(client, "client")?,
                req_str(group_id, "group_id")?,
                page_options(options)?,
                out(pager_out, "pager_out")?,
            )
        };
        let pager = client.inner.client()?.members(group_id, options)?;
        pager_out.write(to_boxed_mut_ptr(timadmin_member_pager { client: Arc::clone(&client.inner), pager }));
        Ok(())
    })
}

/// Fetches the next page. Blocks until done; retries per the client's config.
///
/// On success writes to `*page_out` either a new page (free it with
/// `timadmin_member_page_free`) or NULL when the group is exhausted. After an error the
/// pager's position is unchanged, so calling again retries the same page. Errors:
/// `TIMADMIN_STATUS_NULL_PARAMETER` (`pager`, `page_out`), service, transport and paging
/// errors. On failure a new error is written to `*error_out` when `error_out` is not NULL, and
/// `*page_out` is left untouched.
///
/// # Safety
///
/// `pager` is NULL or a live pager no other thread is using; `page_out` and `error_out` are
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_next_page(
    pager: *mut timadmin_member_pager,
    page_out: *mut *mut timadmin_member_page,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid, and the pager is not shared (this function's
        // contract).
        let (pager, page_out) = unsafe { (arg_mut(pager, "pager")?, out(page_out, "page_out")?) };
        let inner = &mut pager.pager;
        let page = pager.client.block_on(|_| inner.next_page())??;
        let page = match page {
            None => std::ptr::null_mut(),
            Some(page) => member_page(&page)?.into_view_ptr(),
        };
        page_out.write(page);
        Ok(())
    })
}

/// Writes the group's member count (`MemberNum`) to `*member_num_out` and returns true once
/// known (after the first page); returns false and writes nothing before that or when a
/// pointer is NULL.
///
/// # Safety
///
/// `pager` is NULL or a live pager; `member_num_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_member_num(
    pager: *const timadmin_member_pager,
    member_num_out: *mut u64,
) -> bool {
    // SAFETY: the pointers are NULL or valid (this function's contract).
    let (pager, member_num_out) = unsafe { (try_ref(pager), OutParam::new(member_num_out)) };
    match (pager.and_then(|p| p.pager.member_num()), member_num_out) {
        (Some(n), Some(slot)) => {
            slot.write(n);
            true
        }
        _ => false,
    }
}

/// Members fetched so far; 0 when `pager` is NULL.
///
/// # Safety
///
/// `pager` is NULL or a live pager.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_fetched(pager: *const timadmin_member_pager) -> u64 {
    // SAFETY: `pager` is NULL or live (this function's contract).
    unsafe { try_ref(pager) }.map_or(0, |p| p.pager.fetched())
}

/// The current page size (the core halves it when the service says a response would be over
/// 1 MB); 0 when `pager` is NULL.
///
/// # Safety
///
/// `pager` is NULL or a live pager.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_page_size(pager: *const timadmin_member_pager) -> u32 {
    // SAFETY: `pager` is NULL or live (this function's contract).
    unsafe { try_ref(pager) }.map_or(0, |p| p.pager.page_size())
}

/// The paging mode in use; `TIMADMIN_PAGING_MODE_OFFSET` when `pager` is NULL.
///
/// # Safety
///
/// `pager` is NULL or a live pager.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_mode(pager: *const timadmin_member_pager) -> timadmin_paging_mode {
    // SAFETY: `pager` is NULL or live (this function's contract).
    match unsafe { try_ref(pager) }.map(|p| p.pager.mode()) {
        Some(PagingMode::Cursor) => timadmin_paging_mode::Cursor,
        _ => timadmin_paging_mode::Offset,
    }
}

/// Whether the group is exhausted (the next `timadmin_member_pager_next_page` yields NULL);
/// true when `pager` is NULL.
///
/// # Safety
///
/// `pager` is NULL or a live pager.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_is_done(pager: *const timadmin_member_pager) -> bool {
    // SAFETY: `pager` is NULL or live (this function's contract).
    unsafe { try_ref(pager) }.is_none_or(|p| p.pager.is_done())
}

/// Frees a pager. Pages it returned stay valid (they are owned separately). NULL is a no-op.
///
/// # Safety
///
/// `pager` is NULL or a pager from `timadmin_client_members` not freed yet; nothing uses it
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_pager_free(pager: *mut timadmin_member_pager) {
    // SAFETY: per this function's contract `pager` is NULL or owned by the caller (made by
    // `to_boxed_mut_ptr`), who gives it up here.
    guard_value((), || unsafe { free_box(pager) });
}

/// One page of members (core: `MemberPage`), handed out by `timadmin_member_pager_next_page`.
///
/// Read-only: it owns its members and every string they point to, in one allocation with it;
/// free it (and them) with `timadmin_member_page_free`, never with `free()`, and never free a
/// copy of the struct. May be read from any thread.
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

/// The C view of `page`, with the arena that owns what it points to.
fn member_page(page: &MemberPage) -> Result<ViewWithArena<timadmin_member_page>, timadmin_error> {
    let mut arena = Arena::default();
    let list = lower::members(&mut arena, &page.members)?;
    let (members, members_len) = arena.array(list);
    let view = timadmin_member_page { members, members_len, member_num: page.member_num };
    Ok(ViewWithArena::new(view, arena))
}

/// Frees a page returned by `timadmin_member_pager_next_page`, and everything it points to.
/// NULL is a no-op.
///
/// # Safety
///
/// `page` is NULL or a pointer `timadmin_member_pager_next_page` wrote (not a copy of the
/// struct) that has not been freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_member_page_free(page: *mut timadmin_member_page) {
    // SAFETY: per this function's contract `page` is NULL or came from `into_view_ptr` of a
    // `ViewWithArena<timadmin_member_page>`, not yet freed.
    guard_value((), || unsafe { ViewWithArena::free(page) });
}
