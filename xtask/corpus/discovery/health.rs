// A GP booking and records service.

pub struct Patient {
    pub id: uuid::Uuid,
    pub nhs_number: String, // pd: national-id
    pub given_name: String, // pd: name
    pub family_name: String, // pd: name
    pub birth_date: chrono::NaiveDate, // pd: date-of-birth
    pub mobile: Option<String>, // pd: phone
    pub email_address: Option<String>, // pd: email
    pub postcode: String, // pd: postcode
    pub gp_practice_code: String,
    pub registered: bool,
    pub sexual_orientation: Option<String>, // pd: sex-life
    pub notes: String, // pd: health
}

pub struct Appointment {
    pub id: u64,
    pub patient_id: uuid::Uuid,
    pub clinician_id: u32,
    pub starts_at: i64,
    pub duration_minutes: u16,
    pub symptoms: String, // pd: health
    pub diagnosis: Option<String>, // pd: health
    pub prescription: Option<String>, // pd: health
    pub room: String,
}

pub struct Practice {
    pub code: String,
    pub name: String,
    pub address: String,
    pub telephone: String,
    pub opening_hours: String,
}

pub struct LabResult {
    pub patient_id: uuid::Uuid,
    pub test_code: String,
    pub genotype: Option<String>, // pd: genetic
    pub blood_type: Option<String>, // pd: health
    pub value: f64,
    pub unit: String,
}

pub struct Carer {
    pub full_name: String, // pd: name
    pub relationship: String,
    pub phone_number: String, // pd: phone
}

pub struct NhsNumber(String); // pd: national-id
pub struct ClinicId(u32);
