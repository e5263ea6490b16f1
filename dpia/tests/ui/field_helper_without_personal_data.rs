// A field helper compiles only under `#[dpia::personal_data]`: under another dpia tag the
// macro says so (the linter reports the same as DPIA002).
#[dpia::allow(undeclared_personal_data, reason = "reviewed by the DPO, ref DP-7")]
pub struct Subscriber {
    #[dpia(category = "contact")]
    pub email: String,
}

fn main() {}
