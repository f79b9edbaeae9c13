//! Python keyword arguments → the core's request types, one builder per request, shared by
//! `Client` and `AsyncClient`. Field names are the REST names in snake case; checks beyond
//! types and ranges are the core's (`timadmin::validate`), made when the call runs.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use timadmin::{GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest, PageOptions};

use crate::args::{Kwargs, Text};
use crate::errors::to_py;

/// `get_group_member_info(group_id, **fields)`.
pub(crate) fn member_info(
    py: Python<'_>,
    group_id: Text,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<GetGroupMemberInfoRequest> {
    let mut kw = Kwargs::new(py, "get_group_member_info", fields);
    let request = GetGroupMemberInfoRequest {
        group_id: group_id.into(),
        member_info_filter: kw.str_list("member_info_filter")?,
        member_role_filter: kw.str_list("member_role_filter")?,
        app_defined_data_filter_group_member: kw.str_list("app_defined_data_filter_group_member")?,
        limit: kw.u32("limit")?,
        offset: kw.u64("offset")?,
        next: kw.text("next")?,
    };
    kw.finish()?;
    Ok(request)
}

/// `members(group_id, **options)`: the pager's options (`timadmin.PageOptions`).
pub(crate) fn page_options(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<PageOptions> {
    let mut kw = Kwargs::new(py, "members", options);
    let defaults = PageOptions::default();
    let options = PageOptions {
        page_size: kw.u32("page_size")?.unwrap_or(defaults.page_size),
        member_info_filter: kw.str_list("member_info_filter")?,
        member_role_filter: kw.str_list("member_role_filter")?,
        app_defined_data_filter_group_member: kw.str_list("app_defined_data_filter_group_member")?,
    };
    kw.finish()?;
    Ok(options)
}

/// `get_group_muted_account(group_id, **fields)`.
pub(crate) fn muted_account(
    py: Python<'_>,
    group_id: Text,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<GetGroupMutedAccountRequest> {
    let mut kw = Kwargs::new(py, "get_group_muted_account", fields);
    let request = GetGroupMutedAccountRequest { group_id: group_id.into(), topic_id: kw.text("topic_id")? };
    kw.finish()?;
    Ok(request)
}

/// `modify_group_base_info(group_id, **fields)`; in `app_defined_data`, `None` deletes a key.
pub(crate) fn modify_base_info(
    py: Python<'_>,
    group_id: Text,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<ModifyGroupBaseInfoRequest> {
    let mut kw = Kwargs::new(py, "modify_group_base_info", fields);
    let request = ModifyGroupBaseInfoRequest {
        group_id: group_id.into(),
        name: kw.text("name")?,
        introduction: kw.text("introduction")?,
        notification: kw.text("notification")?,
        face_url: kw.text("face_url")?,
        max_member_num: kw.u32("max_member_num")?,
        apply_join_option: kw
            .text("apply_join_option")?
            .map(|s| s.parse::<timadmin::ApplyJoinOption>())
            .transpose()
            .map_err(|e| to_py(py, e))?,
        shut_up_all_member: kw.flag("shut_up_all_member")?,
        app_defined_data: kw.app_defined_data("app_defined_data")?,
    };
    kw.finish()?;
    Ok(request)
}
