// HR and payroll.

pub struct Employee {
    pub employee_number: String,
    pub legal_name: String, // pd: name
    pub preferred_name: Option<String>, // pd: name
    pub work_email: String, // pd: email
    pub personal_email: Option<String>, // pd: email
    pub ni_number: String, // pd: national-id
    pub date_of_birth: chrono::NaiveDate, // pd: date-of-birth
    pub home_address: String, // pd: postal-address
    pub salary_band: u8,
    pub department: String,
    pub start_date: chrono::NaiveDate,
    pub disability: Option<String>, // pd: health
    pub emergency_contact_phone: String, // pd: phone
    pub active: bool,
}

pub struct Department {
    pub code: String,
    pub name: String,
    pub cost_centre: String,
    pub head_count: u32,
}

pub struct Payslip {
    pub employee_number: String,
    pub period: String,
    pub gross_pence: u64,
    pub tax_code: String,
    pub bank_account_name: String, // pd: name
}

pub struct SicknessRecord {
    pub employee_number: String,
    pub from: chrono::NaiveDate,
    pub to: Option<chrono::NaiveDate>,
    pub illness: String, // pd: health
    pub fit_note: bool,
}

pub struct Applicant {
    pub name: String, // pd: name
    pub email: String, // pd: email
    pub cv_file_name: String,
    pub criminal_record_declared: bool,
    pub convictions: Vec<String>, // pd: criminal-offence
}

pub struct JobPosting {
    pub title: String,
    pub location: String,
    pub salary_min: u32,
    pub salary_max: u32,
    pub contact_email: String,
}

pub struct Building {
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub reception_phone: String,
}
