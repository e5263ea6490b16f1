// Law-enforcement records: ANPR, custody, intelligence.

pub struct AnprRead {
    pub vrm: String, // pd: vehicle-registration
    pub camera_id: u32,
    pub seen_at: i64,
    pub lane: u8,
    pub confidence: f32,
    pub latitude: f64, // pd: location
    pub longitude: f64, // pd: location
}

pub struct Camera {
    pub id: u32,
    pub name: String,
    pub location: String,
    pub latitude: f64,
    pub longitude: f64,
    pub installed: bool,
}

pub struct Detainee {
    pub custody_number: String,
    pub forenames: String, // pd: name
    pub surname: String, // pd: name
    pub dob: chrono::NaiveDate, // pd: date-of-birth
    pub ethnicity: String, // pd: ethnicity
    pub religion: Option<String>, // pd: religion
    pub offence: String, // pd: criminal-offence
    pub arrest_time: i64, // pd: criminal-offence
    pub medical_needs: Option<String>, // pd: health
    pub fingerprint_ref: String, // pd: biometric
    pub cell: u16,
}

pub struct Vehicle {
    pub registration_number: String, // pd: vehicle-registration
    pub make: String,
    pub model_name: String,
    pub colour: String,
    pub keeper_name: String, // pd: name
    pub keeper_postcode: String, // pd: postcode
}

pub struct WatchlistEntry {
    pub subject_id: u64,
    pub face_template: Vec<f32>, // pd: biometric
    pub reason: String,
    pub added_by_officer: u32,
    pub expires: i64,
}

pub struct Officer {
    pub collar_number: String,
    pub name: String, // pd: name
    pub station: String,
    pub rank: String,
}

pub struct Station {
    pub name: String,
    pub address: String,
    pub phone: String,
}

pub struct Vrm(pub String); // pd: vehicle-registration
