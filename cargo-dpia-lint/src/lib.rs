//! cargo-dpia-lint as a library: the command line ([`cli`]) and the renderers ([`output`]),
//! so that end-to-end tests can run both in-process.

pub mod cli;
pub mod fix;
pub mod init;
pub mod output;
