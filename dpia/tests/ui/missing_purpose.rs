#[dpia::processing(basis = "part3.task")]
pub fn find_convoys() {}

fn main() {}
