//! Storage that keeps the strings and arrays a C view points to alive. Heap buffers of
//! `CString`s and `Vec`s never move when their owners move, so the raw pointers stay valid as
//! long as the arena lives. What goes in it is decided by `lower` (core results → C views).

use std::any::Any;
use std::ffi::{c_char, CString};
use std::ptr;

use crate::error::timadmin_error;
use crate::ownership::{free_box, to_boxed_mut_ptr};

/// Owner of the strings and arrays of one result.
#[derive(Default)]
pub(crate) struct Arena {
    strings: Vec<CString>,
    arrays: Vec<Box<dyn Any>>,
}

impl std::fmt::Debug for Arena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena").field("strings", &self.strings.len()).field("arrays", &self.arrays.len()).finish()
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
    pub(crate) fn string(&mut self, text: &str, field: &str) -> Result<*const c_char, timadmin_error> {
        let c = CString::new(text).map_err(|_| timadmin_error::nul_in_output(field))?;
        let p = c.as_ptr();
        self.strings.push(c);
        Ok(p)
    }

    /// [`Arena::string`] for an optional value: NULL when `text` is `None`.
    pub(crate) fn opt_string(&mut self, text: Option<&str>, field: &str) -> Result<*const c_char, timadmin_error> {
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

/// A C view (a `#[repr(C)]` struct of plain fields and pointers) together with the arena its
/// pointers point into, handed to C as one allocation. The view is the first field of this
/// `#[repr(C)]` struct, so a pointer to the whole is a pointer to the view: C sees only the
/// view, and its `_free` function casts back to free the arena with it.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct ViewWithArena<V> {
    view: V,
    arena: Arena,
}

impl<V> ViewWithArena<V> {
    /// Joins `view` with the `arena` that owns what it points to.
    pub(crate) fn new(view: V, arena: Arena) -> Self {
        ViewWithArena { view, arena }
    }

    /// The view, for reading in Rust.
    #[cfg(test)]
    pub(crate) fn view(&self) -> &V {
        &self.view
    }

    /// Moves it to the heap and hands out the pointer to the view (never NULL). The owner (C)
    /// frees it with [`ViewWithArena::free`] for the same `V`.
    pub(crate) fn into_view_ptr(self) -> *mut V {
        // The view is at offset 0 of a `#[repr(C)]` struct: the cast keeps the pointer to the
        // whole allocation, which `free` casts back.
        to_boxed_mut_ptr(self).cast::<V>()
    }

    /// Frees the view and its arena. NULL is a no-op.
    ///
    /// # Safety
    ///
    /// `view` is NULL or was returned by [`ViewWithArena::into_view_ptr`] of a
    /// `ViewWithArena<V>` (the same `V`) and has not been freed yet.
    pub(crate) unsafe fn free(view: *mut V) {
        // SAFETY: per this function's contract `view` is NULL or the pointer `into_view_ptr`
        // made from `to_boxed_mut_ptr::<Self>`; casting back restores that pointer.
        unsafe { free_box(view.cast::<Self>()) }
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

    #[test]
    fn a_view_with_its_arena_round_trips_through_the_view_pointer() {
        #[derive(Debug)]
        struct View {
            text: *const c_char,
        }
        let mut arena = Arena::default();
        let text = arena.string("kept", "f").unwrap();
        let owned = ViewWithArena::new(View { text }, arena);
        assert_eq!(owned.view().text, text);
        let p = owned.into_view_ptr();
        // SAFETY: `p` points to the view at offset 0 of the live allocation; freed once, below.
        unsafe {
            assert_eq!(std::ffi::CStr::from_ptr((*p).text).to_str().unwrap(), "kept");
            ViewWithArena::<View>::free(p);
            ViewWithArena::<View>::free(std::ptr::null_mut());
        }
    }
}
