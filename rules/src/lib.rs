//! dpia-lint rules.
