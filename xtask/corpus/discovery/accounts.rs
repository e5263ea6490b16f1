// An identity service: accounts, logins, profiles, mail, configuration. Written for the
// kinds real apps have (passwords, user agents, handles, photos, bios, IdP subjects) and
// for their decoys (groups, roles, applications, the service's own settings, bots).
use std::borrow::Cow;
use std::net::{IpAddr, SocketAddr};

pub struct Account {
    pub id: i64,
    pub username: String, // pd: username
    pub password_hash: Option<Vec<u8>>, // pd: password
    pub oidc_subject: Option<String>, // pd: user-id
    pub bio: Option<String>, // pd: profile-text
    pub gender: Option<String>, // pd: gender
    pub avatar: Option<Vec<u8>>, // pd: photo
    pub mastodon: Option<String>, // pd: username
    pub address1: Option<String>, // pd: postal-address
    pub town: Option<String>, // pd: postal-address
    pub email_verified: bool,
    pub last_login: Option<i64>,
    pub created_at: i64,
}

pub struct LoginEvent {
    pub account_id: i64,
    pub ip: IpAddr, // pd: ip-address
    pub user_agent: String, // pd: user-agent
    pub location: Option<String>, // pd: location
    pub browser_id: String, // pd: device-id
    pub success: bool,
}

pub struct Group {
    pub id: i64,
    pub name: String,
    pub display_name: String,
}

pub struct Role {
    pub name: String,
    pub permissions: Vec<String>,
}

pub struct OAuthApplication {
    pub name: String,
    pub redirect_uri: String,
}

pub struct MailConfig {
    pub smtp_host: String,
    pub smtp_user: String,
    pub smtp_password: String,
    pub sender_name: String,
    pub sender_email: String,
    pub admin_email: Option<String>,
    pub bind: SocketAddr,
}

pub struct HeaderNames {
    pub email: Cow<'static, str>,
    pub username: &'static str,
}

pub struct Webhook {
    pub url: String,
    pub bot_username: String,
}

pub struct LoginName(String); // pd: username
pub struct MemberId(String); // pd: username
pub struct GroupId(String);
pub struct AccountNumber(u64);

pub fn send_welcome_email(to: &str, display_name: &str) {} // pd: email
pub fn find_account_by_email(email: &str) {} // pd: email
pub fn rename_group(group_id: i64, name: &str) {}
pub fn listen(addr: SocketAddr) {}
