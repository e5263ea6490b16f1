#[dpia::personal_data(category = "anpr-read", retention = "6m")]
pub struct AnprRead {
    pub vrm: String,
}

fn main() {}
