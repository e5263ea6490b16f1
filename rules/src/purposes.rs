//! Rules of the `purposes` group.

pub mod function_creep;
pub mod lawful_basis_mismatch;
pub mod undeclared_purpose;
pub mod untagged_processing;
