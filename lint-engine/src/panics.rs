//! Defence in depth: a panic while analysing one file, one function or one rule is caught
//! and reported as a DPIA001 finding on that file, and the run goes on. A panic hook keeps
//! caught panics quiet (the finding says what happened); any other panic is printed by the
//! hook that was there before.

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;

/// Where users report an internal error.
pub(crate) const ISSUES: &str = "https://github.com/dpia-lint/dpia-lint/issues";

thread_local! {
    /// How many [`catch`] calls are active on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// Where the last caught panic happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) > 0 {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                LOCATION.with(|l| *l.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic in it becomes `Err` with the panic's message and location.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        match LOCATION.with(|l| l.borrow_mut().take()) {
            Some(at) => format!("{msg} (at {at})"),
            None => msg,
        }
    })
}

/// The message of the DPIA001 finding for a caught panic in `what`.
pub(crate) fn message(what: &str, panic: &str) -> String {
    format!(
        "internal error while analysing {what}: {panic}; the rest of the crate was analysed; please report it at {ISSUES}"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_is_caught_with_its_message() {
        let e = super::catch(|| -> u32 { panic!("boom {}", 1) }).unwrap_err();
        assert!(e.starts_with("boom 1 (at "), "{e}");
        assert_eq!(super::catch(|| 7).unwrap(), 7);
    }
}
