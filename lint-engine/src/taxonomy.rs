//! The built-in taxonomy of personal-data kinds.

/// One kind of personal data.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    pub id: &'static str,
    pub description: &'static str,
    /// Special category (UK GDPR Art 9) / sensitive processing (DPA 2018 s35(8)).
    pub sensitive: bool,
    /// How a message names it: "an email address" ("data that looks like an email address").
    pub phrase: &'static str,
}

macro_rules! kinds {
    ($($id:literal, $sensitive:literal, $desc:literal, $phrase:literal;)*) => {
        /// Every kind, in a stable order.
        pub const KINDS: &[Kind] = &[$(Kind { id: $id, sensitive: $sensitive, description: $desc, phrase: $phrase },)*];
    };
}

kinds! {
    "email", false, "email address", "an email address";
    "phone", false, "telephone or mobile number", "a phone number";
    "name", false, "a person's name", "a person's name";
    "username", false, "username or handle (also social-network and chat handles)", "a username or handle";
    "user-id", false, "account identifier at an external identity provider (OIDC subject, federated id)", "an identity provider's account id";
    "password", false, "password or password hash (the account holder's credential)", "a password or password hash";
    "date-of-birth", false, "date of birth", "a date of birth";
    "date-of-death", false, "date of death", "a date of death";
    "gender", false, "gender or sex", "a gender or sex";
    "postal-address", false, "postal address", "a postal address";
    "postcode", false, "postcode", "a postcode";
    "national-id", false, "national identifier: NI number, NHS number, passport, driving licence", "a national identifier";
    "ip-address", false, "IP address", "an IP address";
    "device-id", false, "device identifier: MAC address, IMEI, advertising id, browser id", "a device identifier";
    "user-agent", false, "browser user agent (identifies a person's device and software)", "a browser user agent";
    "location", false, "precise location (GPS, geolocation, geo-IP location)", "a precise location";
    "photo", false, "photograph of a person (a face image used to identify someone is biometric)", "a photo of a person";
    "profile-text", false, "self-written profile text (bio, about me)", "self-written profile text";
    "vehicle-registration", false, "vehicle registration mark (number plate)", "a vehicle registration mark";
    "online-identifier", false, "online identifier: a request URL whose path or query can name the account (/users/alice, ?acct=), a cookie or session id (UK GDPR Art 4(1), Recital 30)", "an online identifier (a request URL)";
    "biometric", true, "biometric data: face image, face template, fingerprint", "biometric data";
    "health", true, "data concerning health", "health data";
    "genetic", true, "genetic data", "genetic data";
    "ethnicity", true, "racial or ethnic origin", "racial or ethnic origin";
    "political-opinion", true, "political opinions", "a political opinion";
    "religion", true, "religious or philosophical beliefs", "a religious or philosophical belief";
    "trade-union", true, "trade-union membership", "trade-union membership";
    "sex-life", true, "sex life or sexual orientation", "sex-life or sexual-orientation data";
    "criminal-offence", false, "criminal convictions and offences (UK GDPR Art 10)", "criminal-offence data";
}

/// Normalises dotted, snake or kebab ids: `date_of_birth`, `date.of.birth` → `date-of-birth`.
fn normalise(id: &str) -> String {
    id.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Aliases accepted for a kind id.
const ALIASES: &[(&str, &str)] = &[
    ("sexual-orientation", "sex-life"),
    ("vrm", "vehicle-registration"),
    ("dob", "date-of-birth"),
    ("address", "postal-address"),
    ("political", "political-opinion"),
    ("trade-union-membership", "trade-union"),
    ("face", "biometric"),
    ("sex", "gender"),
    ("dod", "date-of-death"),
    ("bio", "profile-text"),
    ("handle", "username"),
    ("credential", "password"),
    ("password-hash", "password"),
    ("useragent", "user-agent"),
    ("picture", "photo"),
    ("oidc-subject", "user-id"),
];

/// Looks a kind up by id (dotted, snake or kebab) or alias.
pub fn kind(id: &str) -> Option<&'static Kind> {
    let n = normalise(id);
    let n = ALIASES
        .iter()
        .find(|(a, _)| *a == n)
        .map(|(_, k)| k.to_string())
        .unwrap_or(n);
    KINDS.iter().find(|k| k.id == n)
}

/// Is this kind id a special kind (sensitive)?
pub fn is_sensitive_kind(id: &str) -> bool {
    kind(id).is_some_and(|k| k.sensitive)
}

/// The closest kind id, for "did you mean".
pub fn suggest(id: &str) -> Option<&'static str> {
    dpia_annotations::suggest(&normalise(id), KINDS.iter().map(|k| k.id))
}
