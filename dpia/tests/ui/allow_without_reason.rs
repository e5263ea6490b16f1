#[dpia::allow(function_creep)]
pub fn one_off_export() {}

fn main() {}
