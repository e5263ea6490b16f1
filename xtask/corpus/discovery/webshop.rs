// An online shop: accounts, orders, products, configuration.
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct Customer {
    pub id: i64,
    pub email: String, // pd: email
    pub email_verified: bool,
    pub password_hash: String, // pd: password
    pub first_name: String, // pd: name
    pub last_name: String, // pd: name
    pub phone: Option<String>, // pd: phone
    pub date_of_birth: Option<chrono::NaiveDate>, // pd: date-of-birth
    pub marketing_opt_in: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_login_ip: Option<IpAddr>, // pd: ip-address
    pub loyalty_points: u32,
}

#[derive(Debug, Clone)]
pub struct ShippingAddress {
    pub customer_id: i64,
    pub recipient_name: String, // pd: name
    pub address_line1: String, // pd: postal-address
    pub address_line2: Option<String>, // pd: postal-address
    pub city: String,
    pub postcode: String, // pd: postcode
    pub country_code: String,
    pub delivery_instructions: Option<String>,
}

#[derive(Debug)]
pub struct Order {
    pub id: i64,
    pub customer_id: i64,
    pub total_pence: u64,
    pub currency: String,
    pub status: OrderStatus,
    pub billing_address: String, // pd: postal-address
    pub placed_at: chrono::DateTime<chrono::Utc>,
    pub item_count: u32,
}

#[derive(Debug)]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
}

#[derive(Debug)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub price_pence: u64,
    pub location: String,
    pub image_url: String,
    pub in_stock: bool,
}

#[derive(Debug)]
pub struct Supplier {
    pub name: String,
    pub address: String,
    pub email: String,
    pub vat_number: String,
}

#[derive(Debug)]
pub struct MailConfig {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub from_email: String,
    pub email_template_dir: String,
    pub email_enabled: bool,
    pub bind_addr: SocketAddr,
}

#[derive(Debug)]
pub struct Review {
    pub product_sku: String,
    pub author_name: String, // pd: name
    pub rating: u8,
    pub body: String,
    pub helpful_count: u32,
}

#[derive(Debug)]
pub struct Session {
    pub token: String,
    pub user_agent: String, // pd: user-agent
    pub client_ip: IpAddr, // pd: ip-address
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

pub struct CustomerEmail(String); // pd: email
pub struct Sku(String);
