//! Mapping of the core's `Error` variants (and `ApiErrorKind`) to the exception classes defined
//! in `timadmin/_errors.py`. Messages come from the core's `Display`, which never contains the
//! secret key or a UserSig.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use timadmin::usersig::UserSigError;
use timadmin::{ApiErrorKind, Error};

/// Python module holding the exception hierarchy.
const ERRORS_MODULE: &str = "timadmin._errors";

/// The exception class for a classified service error.
fn api_class(kind: ApiErrorKind) -> &'static str {
    match kind {
        ApiErrorKind::GroupNotFound => "GroupNotFoundError",
        ApiErrorKind::PermissionDenied | ApiErrorKind::AdminRequired => "PermissionDeniedError",
        ApiErrorKind::InvalidParameter => "InvalidParameterError",
        ApiErrorKind::ResponseTooLarge => "ResponseTooLargeError",
        ApiErrorKind::RateLimited => "RateLimitedError",
        k if k.is_auth() => "AuthError",
        _ => "ApiError",
    }
}

/// The Python keyword arguments that are REST request fields, with the REST name the core
/// reports them by (`InvalidArgumentError.field` is the core's string in every host). Every
/// other argument already has the core's name (`sdkappid`, `secret_key`, `page_size`, ...).
const REQUEST_FIELDS: &[(&str, &str)] = &[
    ("group_id", "GroupId"),
    ("member_info_filter", "MemberInfoFilter"),
    ("member_role_filter", "MemberRoleFilter"),
    ("app_defined_data_filter_group_member", "AppDefinedDataFilter_GroupMember"),
    ("limit", "Limit"),
    ("offset", "Offset"),
    ("next", "Next"),
    ("topic_id", "TopicId"),
    ("name", "Name"),
    ("introduction", "Introduction"),
    ("notification", "Notification"),
    ("face_url", "FaceUrl"),
    ("max_member_num", "MaxMemberNum"),
    ("apply_join_option", "ApplyJoinOption"),
    ("shut_up_all_member", "ShutUpAllMember"),
    ("app_defined_data", "AppDefinedData"),
];

/// The core's name of the Python argument `argument` (see [`REQUEST_FIELDS`]).
pub(crate) fn core_field_name(argument: &str) -> &str {
    REQUEST_FIELDS.iter().find(|(python, _)| *python == argument).map_or(argument, |(_, core)| core)
}

/// Builds the Python exception for a core error.
fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    let (class, message) = match err {
        Error::Api { code, info, kind } => {
            kwargs.set_item("code", *code)?;
            kwargs.set_item("info", info)?;
            kwargs.set_item("kind", kind.id())?;
            kwargs.set_item("description", kind.description())?;
            (api_class(*kind), err.to_string())
        }
        Error::Transport(_) => ("TransportError", err.to_string()),
        Error::Timeout(_) => ("TimeoutError", err.to_string()),
        Error::HttpStatus { status, .. } => {
            kwargs.set_item("status", *status)?;
            ("HttpStatusError", err.to_string())
        }
        Error::Decode { .. } => ("DecodeError", err.to_string()),
        Error::InvalidArgument { field, reason } => {
            kwargs.set_item("field", field)?;
            kwargs.set_item("reason", reason)?;
            ("InvalidArgumentError", err.to_string())
        }
        Error::UserSig(e) => {
            kwargs.set_item("reason", e.reason())?;
            ("UserSigError", err.to_string())
        }
        Error::Credentials(_) => ("CredentialsError", err.to_string()),
        Error::Paging(_) => ("PagingError", err.to_string()),
        Error::BodyTooLarge { limit } => {
            kwargs.set_item("limit", *limit)?;
            ("BodyTooLargeError", err.to_string())
        }
        Error::RateLimiterUnavailable(_) => ("RateLimiterUnavailableError", err.to_string()),
        _ => ("TimError", err.to_string()),
    };
    let cls = py.import(ERRORS_MODULE)?.getattr(class)?;
    let value = cls.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(value))
}

/// The Python exception for a core error (falls back to the import error if the exception
/// module itself cannot be loaded).
pub(crate) fn to_py(py: Python<'_>, err: Error) -> PyErr {
    build(py, &err).unwrap_or_else(|e| e)
}

/// Same as [`to_py`] for code that does not hold the GIL (async tasks).
pub(crate) fn to_py_detached(err: Error) -> PyErr {
    Python::attach(|py| to_py(py, err))
}

/// An `InvalidArgumentError` for the Python argument `argument`, whose `field` is the core's
/// name of it ([`core_field_name`]).
pub(crate) fn invalid(py: Python<'_>, argument: &str, reason: impl Into<String>) -> PyErr {
    to_py(py, Error::invalid(core_field_name(argument), reason))
}

/// A `TimError` with a message (misuse such as calling a closed client).
pub(crate) fn tim_error(py: Python<'_>, message: &str) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = py.import(ERRORS_MODULE)?.getattr("TimError")?;
        Ok(PyErr::from_value(cls.call1((message,))?))
    };
    build().unwrap_or_else(|e| e)
}

/// A `UserSigError` for `generate_usersig`/`verify_usersig`.
pub(crate) fn usersig_error(py: Python<'_>, err: UserSigError) -> PyErr {
    to_py(py, Error::from(err))
}

/// Issues a `DeprecationWarning` pointing at the caller's line (for the old names kept for a
/// while: `iter_group_members`, `key=`; the renamed classes and functions warn from `__init__.py`).
pub(crate) fn deprecated(py: Python<'_>, message: &str) -> PyResult<()> {
    let message = std::ffi::CString::new(message).unwrap_or_default();
    PyErr::warn(py, &py.get_type::<pyo3::exceptions::PyDeprecationWarning>(), &message, 1)
}

#[cfg(test)]
mod tests {
    use super::core_field_name;

    #[test]
    fn request_arguments_take_the_rest_names_and_settings_stay() {
        assert_eq!(core_field_name("group_id"), "GroupId");
        assert_eq!(core_field_name("app_defined_data_filter_group_member"), "AppDefinedDataFilter_GroupMember");
        assert_eq!(core_field_name("max_member_num"), "MaxMemberNum");
        assert_eq!(core_field_name("sdkappid"), "sdkappid");
        assert_eq!(core_field_name("page_size"), "page_size");
        assert_eq!(core_field_name("TIM_SDKAPPID"), "TIM_SDKAPPID");
    }
}
