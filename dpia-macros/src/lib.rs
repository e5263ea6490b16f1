//! dpia attribute macros.
