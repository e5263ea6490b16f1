//! What `cargo dpia-lint --fix` makes of a file with a misspelt key, a misspelt operation
//! and an `allow` that suppresses nothing (`cargo-dpia-lint/tests/fix.rs` applies the fixes
//! to the broken form of this file and compares): the fixed code compiles.
use dpia::{personal_data, processing};

#[personal_data(category = "vrm", retention = "1d")]
pub struct Vrm(pub String);

#[processing(purpose = "county-lines-detection", operations = ["consult"])]
pub fn lookup(v: &Vrm) -> usize {
    v.0.len()
}

fn main() {
    let _ = lookup;
}
