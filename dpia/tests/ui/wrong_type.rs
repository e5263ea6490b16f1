#[dpia::processing(purpose = "county-lines-detection", automated_decision = "yes")]
pub fn score() {}

fn main() {}
