#[dpia::personal_data(category = "anpr-read")]
pub fn not_a_struct() {}

fn main() {}
