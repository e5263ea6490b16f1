#[dpia::processing(purpose = "county-lines-detection", basis = "part3.tsk")]
pub fn find_convoys() {}

fn main() {}
