//! cargo-dpia-lint as a library: the command line ([`cli`]) and the renderers ([`output`]),
//! so that end-to-end tests can run both in-process.

// Output goes through `out` (a closed pipe or a full disk is never a panic).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod fix;
pub mod init;
pub mod out;
pub mod output;
pub mod report;
