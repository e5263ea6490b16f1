//! SARIF output.
