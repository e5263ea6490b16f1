//! The built-in taxonomy of personal-data kinds (DESIGN §5).

/// One kind of personal data.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    pub id: &'static str,
    pub description: &'static str,
    /// Special category (UK GDPR Art 9) / sensitive processing (DPA 2018 s35(8)).
    pub sensitive: bool,
}

macro_rules! kinds {
    ($($id:literal, $sensitive:literal, $desc:literal;)*) => {
        /// Every kind, in a stable order.
        pub const KINDS: &[Kind] = &[$(Kind { id: $id, sensitive: $sensitive, description: $desc },)*];
    };
}

kinds! {
    "email", false, "email address";
    "phone", false, "telephone or mobile number";
    "name", false, "a person's name";
    "username", false, "username or handle";
    "date-of-birth", false, "date of birth";
    "postal-address", false, "postal address";
    "postcode", false, "postcode";
    "national-id", false, "national identifier: NI number, NHS number, passport, driving licence";
    "ip-address", false, "IP address";
    "device-id", false, "device identifier: MAC address, IMEI, advertising id";
    "location", false, "precise location";
    "vehicle-registration", false, "vehicle registration mark (number plate)";
    "biometric", true, "biometric data: face image, face template, fingerprint";
    "health", true, "data concerning health";
    "genetic", true, "genetic data";
    "ethnicity", true, "racial or ethnic origin";
    "political-opinion", true, "political opinions";
    "religion", true, "religious or philosophical beliefs";
    "trade-union", true, "trade-union membership";
    "sex-life", true, "sex life or sexual orientation";
    "criminal-offence", false, "criminal convictions and offences (UK GDPR Art 10)";
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
    let n = normalise(id);
    KINDS
        .iter()
        .map(|k| (strsim::jaro_winkler(&n, k.id), k.id))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}
