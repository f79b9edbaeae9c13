//! Ownership across the boundary: the only place where a Rust value becomes a pointer owned by
//! C (and back), where a C pointer becomes a Rust reference, and where an out-parameter is
//! written. Every other module goes through these helpers, so each raw-pointer contract is
//! stated (and checked for NULL) once.

use std::marker::PhantomData;
use std::ptr::NonNull;

/// Moves `value` to the heap and hands out the owning pointer (never NULL). The pointer is
/// given back with [`free_box`] for the same `T`, exactly once.
pub(crate) fn to_boxed_mut_ptr<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Drops a value handed out by [`to_boxed_mut_ptr`]. NULL is a no-op.
///
/// # Safety
///
/// `ptr` is NULL or was returned by `to_boxed_mut_ptr::<T>` (the same `T`) and has not been
/// freed yet; nothing uses it afterwards.
pub(crate) unsafe fn free_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: per this function's contract `ptr` is the still-live allocation of a
        // `Box<T>` made by `to_boxed_mut_ptr`, and the caller gives up its ownership here.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// A shared reference to what `ptr` points to; `None` when it is NULL.
///
/// # Safety
///
/// `ptr` is NULL or points to a live, aligned, initialised `T` that nothing mutates for `'a`.
pub(crate) unsafe fn try_ref<'a, T>(ptr: *const T) -> Option<&'a T> {
    // SAFETY: forwarded from this function's contract; `as_ref` handles NULL.
    unsafe { ptr.as_ref() }
}

/// An exclusive reference to what `ptr` points to; `None` when it is NULL.
///
/// # Safety
///
/// `ptr` is NULL or points to a live, aligned, initialised `T` that nothing else reads or
/// writes for `'a`.
pub(crate) unsafe fn try_mut<'a, T>(ptr: *mut T) -> Option<&'a mut T> {
    // SAFETY: forwarded from this function's contract; `as_mut` handles NULL.
    unsafe { ptr.as_mut() }
}

/// A checked, non-NULL out-parameter: the place a function writes its output to. Made by
/// [`OutParam::new`], whose contract makes [`OutParam::write`] safe.
#[derive(Debug)]
pub(crate) struct OutParam<'a, T> {
    slot: NonNull<T>,
    _slot: PhantomData<&'a mut T>,
}

impl<T> OutParam<'_, T> {
    /// The out-parameter `slot`; `None` when it is NULL.
    ///
    /// # Safety
    ///
    /// `slot` is NULL or valid for one aligned write of a `T` for as long as the returned
    /// value lives (what the slot held before is overwritten, never read or dropped).
    pub(crate) unsafe fn new(slot: *mut T) -> Option<Self> {
        NonNull::new(slot).map(|slot| OutParam { slot, _slot: PhantomData })
    }

    /// Writes `value` to the slot (without reading or dropping what was there).
    pub(crate) fn write(self, value: T) {
        // SAFETY: `OutParam::new`'s contract: the slot is non-NULL (checked there), aligned and
        // writable while `self` lives.
        unsafe { self.slot.as_ptr().write(value) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_round_trip_and_null_is_a_no_op() {
        let p = to_boxed_mut_ptr(String::from("owned"));
        // SAFETY: `p` was just made by `to_boxed_mut_ptr` and is freed once, below.
        unsafe {
            assert_eq!(try_ref(p).map(String::as_str), Some("owned"));
            if let Some(s) = try_mut(p) {
                s.push('!');
            }
            assert_eq!(try_ref(p).map(String::as_str), Some("owned!"));
            free_box(p);
            free_box(std::ptr::null_mut::<String>());
            assert!(try_ref(std::ptr::null::<u8>()).is_none());
        }
    }

    #[test]
    fn out_params_write_and_refuse_null() {
        let mut slot = 0u32;
        // SAFETY: `slot` is a live local.
        let out = unsafe { OutParam::new(&mut slot) }.map(|o| o.write(7));
        assert!(out.is_some());
        assert_eq!(slot, 7);
        // SAFETY: NULL is allowed.
        assert!(unsafe { OutParam::new(std::ptr::null_mut::<u32>()) }.is_none());
    }
}
