// Parcel delivery and telematics.
use std::net::IpAddr;

pub struct Parcel {
    pub tracking_number: String,
    pub weight_grams: u32,
    pub recipient_name: String, // pd: name
    pub recipient_phone: String, // pd: phone
    pub delivery_address: String, // pd: postal-address
    pub postcode: String, // pd: postcode
    pub signature_image: Vec<u8>,
    pub delivered: bool,
}

pub struct Depot {
    pub code: String,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
}

pub struct Courier {
    pub id: u32,
    pub name: String, // pd: name
    pub phone: String, // pd: phone
    pub driving_licence_number: String, // pd: national-id
    pub van_registration: String, // pd: vehicle-registration
}

pub struct GpsPing {
    pub courier_id: u32,
    pub lat: f64, // pd: location
    pub lon: f64, // pd: location
    pub speed_kmh: f32,
    pub at: i64,
}

pub struct Sensor {
    pub id: String,
    pub firmware: String,
    pub ip: IpAddr,
    pub battery_percent: u8,
}

pub struct Route {
    pub id: u64,
    pub depot_code: String,
    pub stop_count: u16,
    pub distance_km: f32,
}
