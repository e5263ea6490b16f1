//! Realistic tagged code using every tag and every import form.
use dpia::processing as purpose;
use dpia::{audit_log, erases, personal_data, sink};

#[personal_data(category = "anpr-read", retention = "1d", subjects = ["registered-keeper"])]
#[derive(Debug, Clone)]
pub struct AnprRead {
    #[dpia(category = "vrm")]
    pub vrm: String,
    #[dpia(category = "location")]
    pub camera_location: (f64, f64),
    pub seen_at: u64,
    #[dpia(not_personal)]
    pub camera_id: u32,
}

#[dpia::personal_data]
pub enum Sighting {
    Read(#[dpia(category = "vrm")] String),
    Manual {
        #[dpia(category = "location")]
        place: String,
        #[dpia(not_personal)]
        officer_count: u8,
    },
}

pub struct Profiler {
    reads: Vec<AnprRead>,
}

#[purpose(purpose = "county-lines-detection", basis = "part3.task")]
impl Profiler {
    pub fn convoys(&self) -> usize {
        self.reads.len()
    }
}

#[dpia::processing(purpose = "county-lines-detection", operations = ["consult", "combine"], automated_decision = false)]
pub fn find_convoys(reads: &[AnprRead]) -> Vec<String> {
    reads.iter().map(|r| r.vrm.clone()).collect()
}

#[sink(recipient = "local-police-export")]
pub fn export_csv(leads: &[String]) -> String {
    leads.join("\n")
}

#[erases(categories = ["anpr-read", "vrm"], schedule = "daily at 02:00")]
pub fn nightly_purge(reads: &mut Vec<AnprRead>) {
    reads.clear();
}

#[audit_log]
pub fn record_access(user: &str) -> String {
    format!("access by {user}")
}

#[dpia::allow(function_creep, reason = "DPO approved 2024-01-10, ref DP-118")]
pub fn one_off() {}

fn main() {
    let p = Profiler { reads: Vec::new() };
    let _ = (p.convoys(), find_convoys(&[]), export_csv(&[]), record_access("analyst"));
    nightly_purge(&mut Vec::new());
    one_off();
    let _ = Sighting::Manual { place: String::new(), officer_count: 1 };
}
