//! Storage that keeps the strings and arrays a C view points to alive. Heap buffers of
//! `CString`s and `Vec`s never move when their owners move, so the raw pointers stay valid as
//! long as the arena lives. What goes in it is decided by `lower` (core results → C views).

use std::any::Any;
use std::ffi::{c_char, CString};
use std::ptr;

use crate::error::timadmin_error;

/// Owner of the strings and arrays of one result.
#[derive(Default)]
pub(crate) struct Arena {
    strings: Vec<CString>,
    arrays: Vec<Box<dyn Any>>,
}

impl std::fmt::Debug for Arena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena")
            .field("strings", &self.strings.len())
            .field("arrays", &self.arrays.len())
            .finish()
    }
}

/// The pointer to the first element of `items`, or NULL when it is empty.
pub(crate) fn array_ptr<T>(items: &[T]) -> *const T {
    if items.is_empty() {
        ptr::null()
    } else {
        items.as_ptr()
    }
}

impl Arena {
    /// Stores `text` as a C string; a NUL byte inside is a decode error naming `field`.
    pub(crate) fn string(
        &mut self,
        text: &str,
        field: &str,
    ) -> Result<*const c_char, timadmin_error> {
        let c = CString::new(text).map_err(|_| timadmin_error::nul_in_output(field))?;
        let p = c.as_ptr();
        self.strings.push(c);
        Ok(p)
    }

    /// [`Arena::string`] for an optional value: NULL when `text` is `None`.
    pub(crate) fn opt_string(
        &mut self,
        text: Option<&str>,
        field: &str,
    ) -> Result<*const c_char, timadmin_error> {
        text.map_or(Ok(ptr::null()), |t| self.string(t, field))
    }

    /// Keeps `items` alive in this arena; returns the pointer to its first element (NULL when
    /// empty) and its length.
    pub(crate) fn array<T: 'static>(&mut self, items: Vec<T>) -> (*const T, usize) {
        let view = (array_ptr(&items), items.len());
        self.arrays.push(Box::new(items));
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_survive_moving_the_arena() {
        let mut arena = Arena::default();
        let text = arena.string("hello", "f").unwrap();
        let (items, len) = arena.array(vec![1u32, 2, 3]);
        let mut moved = arena;
        // SAFETY: both buffers are owned by `moved`, which is alive.
        unsafe {
            assert_eq!(std::ffi::CStr::from_ptr(text).to_str().unwrap(), "hello");
            assert_eq!(std::slice::from_raw_parts(items, len), &[1, 2, 3]);
        }
        assert!(moved.string("a\0b", "f").is_err());
        let mut empty = Arena::default();
        assert!(empty.array(Vec::<u8>::new()).0.is_null());
    }
}
