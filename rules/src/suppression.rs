//! Rules of the `suppression` group.

pub mod allow_without_reason;
pub mod unused_allow;
