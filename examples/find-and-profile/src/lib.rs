//! Find and Profile example.
