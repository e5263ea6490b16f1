#[dpia::personal_data(category = "anpr-read", retension = "1d")]
pub struct AnprRead {
    pub vrm: String,
}

fn main() {}
