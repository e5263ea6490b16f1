// A school information system.

pub struct Pupil {
    pub upn: String,
    pub forename: String, // pd: name
    pub surname: String, // pd: name
    pub birth_date: chrono::NaiveDate, // pd: date-of-birth
    pub ethnic_origin: Option<String>, // pd: ethnicity
    pub religion: Option<String>, // pd: religion
    pub free_school_meals: bool,
    pub year_group: u8,
    pub medical_conditions: Vec<String>, // pd: health
    pub allergies: Vec<String>, // pd: health
}

pub struct Guardian {
    pub pupil_upn: String,
    pub full_name: String, // pd: name
    pub relationship: String,
    pub mobile: String, // pd: phone
    pub email: Option<String>, // pd: email
    pub address: String, // pd: postal-address
    pub can_collect: bool,
}

pub struct Class {
    pub name: String,
    pub room: String,
    pub teacher_id: u32,
    pub size: u8,
}

pub struct Teacher {
    pub staff_code: String,
    pub name: String, // pd: name
    pub email: String, // pd: email
    pub subject: String,
}

pub struct School {
    pub urn: u32,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub phone: String,
    pub head_name: String, // pd: name
}

pub struct AttendanceMark {
    pub pupil_upn: String,
    pub date: chrono::NaiveDate,
    pub code: char,
    pub late_minutes: u16,
}

pub struct BusRoute {
    pub name: String,
    pub stops: Vec<String>,
    pub driver_name: String, // pd: name
    pub driver_phone: String, // pd: phone
}
