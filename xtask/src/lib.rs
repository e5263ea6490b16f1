//! Project automation shared by the `xtask` binary and its tests.

pub mod bench;
pub mod discovery;
pub mod new_rule;
pub mod smoke;
