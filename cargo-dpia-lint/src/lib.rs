//! cargo-dpia-lint library: CLI and renderers.
