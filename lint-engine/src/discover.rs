//! Discovery: which files to lint, as which crates and modules, and where the manifest is.

use crate::{Options, RunError};

/// What discovery found.
#[derive(Debug)]
pub struct Target {}

pub fn discover(opts: &Options) -> Result<Target, RunError> {
    let _ = opts;
    unimplemented!()
}
