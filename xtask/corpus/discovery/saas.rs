// A SaaS backend: users, teams, audit, infrastructure.
use std::net::{IpAddr, SocketAddr};

#[derive(Queryable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub name: String, // pd: name
    pub handle: String, // pd: username
    pub avatar_url: Option<String>,
    pub locale: String,
    pub timezone: String,
    pub is_admin: bool,
}

pub struct Team {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub member_count: u32,
}

pub struct Membership {
    pub team_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub invited_by_email: Option<String>, // pd: email
}

pub enum Role {
    Owner,
    Admin,
    Member,
}

pub struct AuditEvent {
    pub at: i64,
    pub actor_id: i64,
    pub actor_ip: IpAddr, // pd: ip-address
    pub action: String,
    pub target: String,
}

pub struct LoginAttempt {
    pub username: String, // pd: username
    pub remote_addr: SocketAddr, // pd: ip-address
    pub success: bool,
    pub user_agent: String, // pd: user-agent
}

pub struct Device {
    pub device_id: String, // pd: device-id
    pub push_token: String,
    pub platform: String,
    pub app_version: String,
}

pub struct ServerConfig {
    pub hostname: String,
    pub listen: SocketAddr,
    pub database_url: String,
    pub admin_email: String,
    pub log_level: String,
    pub tls_cert_path: String,
}

pub struct Node {
    pub name: String,
    pub ip: IpAddr,
    pub region: String,
    pub cpu_count: u16,
}

pub struct Invoice {
    pub number: String,
    pub account_id: i64,
    pub billing_email: String, // pd: email
    pub amount_pence: u64,
    pub vat_number: Option<String>,
    pub paid: bool,
}

pub struct Subscriber {
    pub email: String, // pd: email
    pub subscribed_at: i64,
    pub source: String,
    pub confirmed: bool,
}

pub struct UnionRep {
    pub employee_id: u32,
    pub trade_union_membership: String, // pd: trade-union
    pub political_opinion_notes: Option<String>, // pd: political-opinion
}

pub struct Location {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

pub struct FeatureFlag {
    pub name: String,
    pub enabled: bool,
    pub rollout_percent: u8,
}

pub struct UserLocation {
    pub user_id: i64,
    pub lat: f64, // pd: location
    pub lng: f64, // pd: location
    pub recorded_at: i64,
}
