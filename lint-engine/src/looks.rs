//! Does a name look like personal data? The heuristics of DESIGN §5 behind DPIA201 and
//! DPIA303: identifiers split into tokens, include words and phrases per taxonomy kind,
//! exclude words, type filters, and the owner's context (a `name` is personal on a
//! `Subscriber`, not on a `Product`). Measured by `cargo run -p xtask -- eval-discovery`.

/// Why a name looks like personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Looks {
    /// A taxonomy kind id (`email`, `vehicle-registration`…).
    pub kind: &'static str,
    /// The words that matched, as written in the tokens (`date of birth`).
    pub matched: String,
    /// The owner context that made an ambiguous word personal, if any.
    pub owner: Option<String>,
}

impl Looks {
    /// One sentence: why.
    pub fn reason(&self) -> String {
        let desc = crate::taxonomy::kind(self.kind)
            .map(|k| k.description)
            .unwrap_or(self.kind);
        match &self.owner {
            Some(o) => format!(
                "`{}` on a person-like type (`{o}`) suggests {desc} (kind `{}`)",
                self.matched, self.kind
            ),
            None => format!("`{}` suggests {desc} (kind `{}`)", self.matched, self.kind),
        }
    }
}

/// Splits an identifier on `_`, `-`, case changes and digits, lowercased:
/// `dateOfBirth` → `date of birth`, `NHSNumber` → `nhs number`, `ip_v4` → `ip v`.
pub fn tokens(ident: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = ident.trim_start_matches("r#").chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() || c.is_ascii_digit() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// What a type says about a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TyClass {
    Flag,
    Number,
    Text,
    Ip,
    Date,
    /// An enum or struct named like a setting (`EmailStatus`, `ContactPreference`).
    Setting,
    Other,
}

const WRAPPERS: &[&str] = &[
    "Option", "Vec", "Box", "Arc", "Rc", "Cow", "RefCell", "Mutex", "HashSet", "BTreeSet",
];

/// The innermost type name of a type written as tokens (`Option < Vec < String > >`).
fn core_type(ty: &str) -> String {
    // drop references, lifetimes and `mut`/`dyn`/`impl` before compacting the tokens
    let spaced = ty.replace('&', " & ");
    let mut t: String = spaced
        .split_whitespace()
        .filter(|w| !(w.starts_with('\'') || matches!(*w, "&" | "mut" | "dyn" | "impl")))
        .collect();
    while let Some(lt) = t.find('<') {
        let head = &t[..lt];
        let last = head.rsplit("::").next().unwrap_or(head);
        if WRAPPERS.contains(&last) {
            // the `>` that closes this `<` (not the one of a `->` in a fn type)
            let end = closing_angle(&t, lt).unwrap_or(t.len());
            t = t[lt + 1..end].to_string();
            t = t.trim_start_matches('&').to_string();
        } else {
            t = head.to_string();
            break;
        }
    }
    let t = t.trim_start_matches('[').trim_end_matches(']');
    let t = t.split(';').next().unwrap_or(t);
    t.rsplit("::").next().unwrap_or(t).to_string()
}

/// The byte index of the `>` that closes the `<` at `open`, skipping the `>` of `->`.
fn closing_angle(t: &str, open: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut depth = 0usize;
    for i in open..b.len() {
        match b[i] {
            b'<' => depth += 1,
            b'>' if i > 0 && b[i - 1] == b'-' => {}
            b'>' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn classify_type(ty: &str) -> (TyClass, String) {
    let core = core_type(ty);
    let class = match core.as_str() {
        "bool" => TyClass::Flag,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" => TyClass::Number,
        "f32" | "f64" => TyClass::Number,
        "String" | "str" | "char" | "SmolStr" | "CompactString" | "ArcStr" => TyClass::Text,
        "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr" | "IpNetwork" | "IpNet" => TyClass::Ip,
        "NaiveDate" | "Date" | "DateTime" | "NaiveDateTime" | "OffsetDateTime" | "Timestamp"
        | "PrimitiveDateTime" | "SystemTime" => TyClass::Date,
        other => {
            let last = tokens(other).pop().unwrap_or_default();
            if matches!(
                last.as_str(),
                "status"
                    | "state"
                    | "kind"
                    | "type"
                    | "mode"
                    | "flag"
                    | "flags"
                    | "preference"
                    | "preferences"
                    | "setting"
                    | "settings"
                    | "policy"
                    | "level"
                    | "count"
                    | "config"
                    | "format"
                    | "template"
                    | "visibility"
            ) {
                TyClass::Setting
            } else {
                TyClass::Other
            }
        }
    };
    (class, core)
}

/// Words that make a whole name something else (`email_template`, `file_name`).
const EXCLUDE: &[&str] = &[
    "host",
    "hostname",
    "server",
    "file",
    "filename",
    "path",
    "url",
    "uri",
    "template",
    "enabled",
    "disabled",
    "verified",
    "confirmed",
    "count",
    "counter",
    "total",
    "num",
    "len",
    "length",
    "size",
    "max",
    "min",
    "limit",
    "domain",
    "bucket",
    "table",
    "column",
    "field",
    "queue",
    "topic",
    "subject",
    "body",
    "smtp",
    "format",
    "regex",
    "pattern",
    "validator",
    "valid",
    "is",
    "has",
    "should",
    "allow",
    "allowed",
    "required",
    "sent",
    "opt",
    "column",
    "project",
    "product",
    "item",
    "company",
    "organisation",
    "organization",
    "org",
    "team",
    "repo",
    "repository",
    "crate",
    "module",
    "package",
    "class",
    "type",
    "kind",
    "role",
    "service",
    "app",
    "application",
    "bind",
    "listen",
    "base",
    "proxy",
    "gateway",
    "dns",
    "subnet",
    "mask",
    "range",
    "hash",
    "key",
    "cert",
    "certificate",
    "ssh",
    "tls",
    "gpg",
    "pgp",
    "checksum",
    "sha",
    "md",
    "font",
    "color",
    "colour",
    "icon",
    "image",
    "style",
    "event",
    "metric",
    "label",
    "tag",
    "env",
    "var",
    "variable",
    "function",
    "method",
    "struct",
    "enum",
    "trait",
    "schema",
    "index",
    "database",
    "db",
    "namespace",
    "cluster",
    "node",
    "pod",
    "container",
    "volume",
    "device",
    "machine",
    "display",
    "window",
    "thread",
    "task",
    "job",
    "worker",
    "channel",
    "stream",
    "socket",
    "port",
    "provider",
    "tenant",
    "store",
    "shop",
    "shelf",
    "warehouse",
    "bin",
    "stock",
    "version",
    "release",
    "branch",
    "commit",
    "build",
    "target",
    "source",
    "dest",
    "destination",
    "output",
    "input",
    "config",
    "setting",
    "settings",
    "template",
    "layout",
    "page",
    "route",
    "api",
    "endpoint",
    "webhook",
    "callback",
    "handler",
];

/// Owners whose `name`, `address`, `location`… are about a person.
const PERSON: &[&str] = &[
    "user",
    "users",
    "subscriber",
    "patient",
    "driver",
    "keeper",
    "officer",
    "member",
    "account",
    "customer",
    "employee",
    "contact",
    "person",
    "people",
    "citizen",
    "client",
    "applicant",
    "candidate",
    "student",
    "pupil",
    "guardian",
    "parent",
    "child",
    "suspect",
    "witness",
    "victim",
    "offender",
    "profile",
    "author",
    "recipient",
    "sender",
    "visitor",
    "resident",
    "owner",
    "passenger",
    "traveller",
    "traveler",
    "staff",
    "volunteer",
    "donor",
    "voter",
    "claimant",
    "beneficiary",
    "buyer",
    "seller",
    "signup",
    "attendee",
    "guest",
    "player",
    "teacher",
    "doctor",
    "nurse",
    "consumer",
    "individual",
    "human",
    "subject",
    "caller",
    "worker",
    "tenant",
    "landlord",
    "borrower",
    "lender",
    "holder",
    "cardholder",
    "registrant",
    "learner",
    "athlete",
    "rider",
    "courier",
    "agent",
    "admin",
    "manager",
    "friend",
    "spouse",
    "partner",
    "next",
    "kin",
    "emergency",
    "householder",
    "occupant",
    "respondent",
    "participant",
    "reporter",
    "complainant",
    "informant",
    "prisoner",
    "inmate",
    "detainee",
    "defendant",
    "nominal",
    "entrant",
    "payee",
    "payer",
    "shopper",
    "actor",
    "carer",
    "pupil",
    "head",
    "signatory",
    "invitee",
    "assignee",
    "reviewer",
];

/// Owners whose names and places are not about a person.
const NOT_PERSON: &[&str] = &[
    "item",
    "product",
    "organisation",
    "organization",
    "org",
    "company",
    "config",
    "settings",
    "project",
    "repo",
    "repository",
    "file",
    "team",
    "group",
    "category",
    "tag",
    "role",
    "service",
    "server",
    "host",
    "app",
    "application",
    "database",
    "table",
    "column",
    "shop",
    "shelf",
    "warehouse",
    "venue",
    "building",
    "camera",
    "vehicle",
    "event",
    "site",
    "office",
    "branch",
    "bucket",
    "crate",
    "package",
    "module",
    "field",
    "plugin",
    "feature",
    "metric",
    "region",
    "zone",
    "queue",
    "topic",
    "job",
    "task",
    "asset",
    "device",
    "node",
    "cluster",
    "city",
    "country",
    "location",
    "place",
    "store",
    "stock",
    "book",
    "course",
    "album",
    "artist",
    "song",
    "movie",
    "game",
    "level",
    "map",
    "layer",
    "widget",
    "component",
    "page",
    "document",
    "template",
    "channel",
    "workspace",
    "environment",
    "resource",
    "dataset",
    "model",
    "schema",
    "department",
    "unit",
    "station",
    "school",
    "hospital",
    "ward",
    "supplier",
    "vendor",
    "brand",
    "merchant",
    "provider",
    "business",
    "point",
    "coord",
    "coords",
    "coordinate",
    "coordinates",
    "latlng",
    "geo",
    "bbox",
    "bounds",
    "polygon",
    "geometry",
    "tile",
    "grid",
    "sensor",
    "airport",
    "port",
    "landmark",
    "practice",
    "clinic",
    "surgery",
    "pharmacy",
    "agency",
    "council",
    "authority",
    "institution",
    "university",
    "college",
    "library",
    "restaurant",
    "hotel",
    "bank",
    "charity",
    "club",
    "association",
    "firm",
    "depot",
    "route",
    "posting",
    "class",
];

/// A rule: a kind, the token phrase that signals it, and what it needs.
struct Rule {
    kind: &'static str,
    phrase: &'static [&'static str],
    /// Personal only on a person-like owner (`name`, `address`, `location`).
    needs_person: bool,
    /// Numbers are plausible values (coordinates).
    numbers_ok: bool,
}

macro_rules! rules {
    ($($kind:literal: $([$($w:literal),+] $(+$flag:ident)*),+;)*) => {
        const RULES: &[Rule] = &[
            $($(Rule {
                kind: $kind,
                phrase: &[$($w),+],
                needs_person: rules!(@p $($flag)*),
                numbers_ok: rules!(@n $($flag)*),
            },)+)*
        ];
    };
    (@p person $($rest:ident)*) => { true };
    (@p $first:ident $($rest:ident)*) => { rules!(@p $($rest)*) };
    (@p) => { false };
    (@n numbers $($rest:ident)*) => { true };
    (@n $first:ident $($rest:ident)*) => { rules!(@n $($rest)*) };
    (@n) => { false };
}

rules! {
    "email": ["email"], ["e", "mail"], ["mail", "address"], ["mail"] +person;
    "phone": ["phone"], ["telephone"], ["tel"], ["mobile", "number"], ["mobile", "no"], ["mobile"] +person,
        ["cell", "number"], ["cell", "phone"], ["fax", "number"], ["msisdn"], ["landline"];
    "name": ["first", "name"], ["last", "name"], ["surname"], ["forename"], ["forenames"],
        ["given", "name"], ["family", "name"], ["full", "name"], ["middle", "name"],
        ["maiden", "name"], ["legal", "name"], ["preferred", "name"], ["firstname"],
        ["lastname"], ["fullname"], ["display", "name"] +person, ["name"] +person,
        ["names"] +person;
    "username": ["username"], ["user", "name"], ["screen", "name"], ["login"] +person,
        ["handle"] +person, ["nickname"];
    "date-of-birth": ["dob"], ["date", "of", "birth"], ["birth", "date"], ["birthdate"],
        ["birthday"], ["born", "on"], ["born"] +person, ["age"] +person +numbers;
    "postal-address": ["street"], ["address", "line"], ["home", "address"],
        ["postal", "address"], ["street", "address"], ["billing", "address"],
        ["shipping", "address"], ["delivery", "address"], ["residential", "address"],
        ["address"] +person, ["addr"] +person;
    "postcode": ["postcode"], ["post", "code"], ["postal", "code"], ["zip"], ["zipcode"];
    "national-id": ["ni", "number"], ["nino"], ["national", "insurance"], ["nhs", "number"],
        ["nhs", "no"], ["passport"], ["driving", "licence"], ["driving", "license"],
        ["driver", "license"], ["driver", "licence"], ["licence", "number"],
        ["license", "number"], ["ssn"], ["social", "security"], ["national", "id"],
        ["tax", "id"], ["nin"];
    "ip-address": ["ip"], ["ip", "address"], ["ip", "addr"], ["remote", "addr"],
        ["remote", "ip"], ["peer", "addr"], ["client", "ip"], ["client", "addr"];
    "device-id": ["mac", "address"], ["mac", "addr"], ["imei"], ["imsi"], ["device", "id"],
        ["advertising", "id"], ["idfa"], ["gaid"], ["android", "id"], ["udid"];
    "location": ["latitude"] +numbers, ["longitude"] +numbers, ["lat"] +numbers,
        ["lon"] +numbers, ["lng"] +numbers, ["geolocation"], ["gps"] +numbers,
        ["coordinates"] +numbers, ["location"] +person, ["position"] +person +numbers,
        ["whereabouts"], ["last", "seen"] +person, ["home", "location"];
    "vehicle-registration": ["vrm"], ["number", "plate"], ["licence", "plate"],
        ["license", "plate"], ["registration", "mark"], ["registration", "number"],
        ["reg", "number"], ["reg", "no"], ["plate"] +person, ["numberplate"];
    "biometric": ["face", "image"] +numbers, ["face", "template"] +numbers,
        ["faceprint"] +numbers, ["face", "embedding"] +numbers, ["face", "encoding"] +numbers,
        ["fingerprint"] +person +numbers, ["iris"] +numbers, ["retina"] +numbers,
        ["voiceprint"] +numbers, ["biometric"] +numbers, ["biometrics"] +numbers,
        ["palm", "print"] +numbers, ["gait"] +numbers;
    "health": ["health"], ["medical"], ["diagnosis"], ["allergy"], ["allergies"],
        ["medication"], ["medications"], ["prescription"], ["disability"], ["disabilities"],
        ["blood", "type"], ["symptoms"], ["illness"], ["pregnancy"], ["pregnant"],
        ["vaccination"], ["vaccine", "status"], ["clinical"], ["condition"] +person;
    "genetic": ["genetic"], ["genome"], ["dna"], ["genotype"];
    "ethnicity": ["ethnicity"], ["ethnic"], ["race"] +person;
    "political-opinion": ["political"], ["politics"], ["party", "affiliation"],
        ["voting", "intention"];
    "religion": ["religion"], ["religious"], ["faith"] +person, ["belief"] +person,
        ["beliefs"] +person;
    "trade-union": ["trade", "union"], ["union", "member"], ["union", "membership"];
    "sex-life": ["sexual", "orientation"], ["sexuality"], ["sex", "life"];
    "criminal-offence": ["criminal"] +numbers, ["conviction"] +numbers,
        ["convictions"] +numbers, ["offence"] +numbers, ["offences"] +numbers,
        ["offense"] +numbers, ["offenses"] +numbers, ["arrest"] +numbers, ["arrests"] +numbers;
}

fn find_phrase(toks: &[String], phrase: &[&str]) -> bool {
    toks.windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

/// The rules whose phrase occurs in `toks`, in [`RULES`] order (which breaks ties). Rules
/// are looked up by their first word: most names match none, and this runs for every
/// field of every type.
fn matching_rules(toks: &[String]) -> Vec<&'static Rule> {
    static BY_FIRST_WORD: std::sync::OnceLock<std::collections::HashMap<&str, Vec<usize>>> =
        std::sync::OnceLock::new();
    let index = BY_FIRST_WORD.get_or_init(|| {
        let mut m: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, r) in RULES.iter().enumerate() {
            m.entry(r.phrase[0]).or_default().push(i);
        }
        m
    });
    let mut found: Vec<usize> = toks
        .iter()
        .filter_map(|t| index.get(t.as_str()))
        .flatten()
        .copied()
        .filter(|&i| find_phrase(toks, RULES[i].phrase))
        .collect();
    found.sort_unstable();
    found.dedup();
    found.into_iter().map(|i| &RULES[i]).collect()
}

/// What a field's owner (its type, with context such as a diesel `table_name`) says,
/// worked out once per type.
struct Owner<'a> {
    name: &'a str,
    /// Person-like: a `name` on it is a person's.
    person: bool,
    /// An item, an organisation, a geometry…: only strong kinds are personal on it.
    not_person: bool,
}

impl Owner<'_> {
    fn of<'a>(name: &'a str, context: &[String]) -> Owner<'a> {
        let mut toks = tokens(name);
        for c in context {
            toks.extend(tokens(c));
        }
        let person = toks.iter().any(|t| PERSON.contains(&t.as_str()));
        Owner {
            name,
            person,
            not_person: !person && toks.iter().any(|t| NOT_PERSON.contains(&t.as_str())),
        }
    }
}

/// Kinds that are personal whatever the owner (a `Vehicle`'s registration mark, a
/// `Device`'s id, a `LabResult`'s genotype).
const STRONG: &[&str] = &[
    "vehicle-registration",
    "national-id",
    "biometric",
    "health",
    "genetic",
    "ethnicity",
    "political-opinion",
    "religion",
    "trade-union",
    "sex-life",
    "criminal-offence",
    "date-of-birth",
    "device-id",
];

/// Does a name (field, variable or type) of a value of type `ty` look like personal data?
/// `owner` is the struct it is a field of, if any.
pub fn classify(name: &str, ty: &str, owner: Option<(&str, &[String])>) -> Option<Looks> {
    let owner = owner.map(|(o, ctx)| Owner::of(o, ctx));
    classify_in(name, ty, owner.as_ref())
}

fn classify_in(name: &str, ty: &str, owner: Option<&Owner>) -> Option<Looks> {
    let toks = tokens(name);
    if toks.is_empty() {
        return None;
    }
    let (class, core) = classify_type(ty);
    if matches!(class, TyClass::Flag | TyClass::Setting) {
        return None;
    }
    // the field's own words may name the person: `keeper_name`, `recipient_phone`
    let person = if toks.iter().any(|t| PERSON.contains(&t.as_str())) {
        Some(name.to_string())
    } else {
        owner.filter(|o| o.person).map(|o| o.name.to_string())
    };
    // on an item, an organisation or a geometry type only strong kinds are personal
    let weak_only = match owner {
        Some(o) => person.is_none() && o.not_person,
        None => false,
    };
    // the longest matching phrase wins (`email address` over `address`)
    let mut best: Option<&Rule> = None;
    for r in matching_rules(&toks) {
        if (r.needs_person && person.is_none()) || (weak_only && !STRONG.contains(&r.kind)) {
            continue;
        }
        if class == TyClass::Number && !r.numbers_ok {
            continue;
        }
        if best.is_none_or(|b| r.phrase.len() > b.phrase.len()) {
            best = Some(r);
        }
    }
    // words outside the matched phrase may make it something else (`email_template`)
    let excluded = |phrase: &[&str]| {
        toks.iter()
            .any(|t| EXCLUDE.contains(&t.as_str()) && !phrase.contains(&t.as_str()))
    };
    if let Some(r) = best {
        if excluded(r.phrase) {
            return None;
        }
        return Some(Looks {
            kind: r.kind,
            matched: r.phrase.join(" "),
            owner: if r.needs_person { person } else { None },
        });
    }
    // the type may say it: `contact: PhoneNumber`, `addr: IpAddr`
    if excluded(&[]) {
        return None;
    }
    if class == TyClass::Ip && !weak_only && !toks.iter().any(|t| t == "local") {
        return Some(Looks {
            kind: "ip-address",
            matched: core,
            owner: None,
        });
    }
    if class == TyClass::Other && core != name {
        if let Some(l) = newtype(&core) {
            return Some(l);
        }
    }
    None
}

/// Is a type named like personal data (`SubscriberEmail`, `NhsNumber`, `Vrm`)?
pub fn newtype(type_name: &str) -> Option<Looks> {
    let toks = tokens(type_name);
    let person = toks.iter().any(|t| PERSON.contains(&t.as_str()));
    matching_rules(&toks)
        .into_iter()
        .filter(|r| !r.needs_person || person)
        .max_by_key(|r| r.phrase.len())
        .filter(|r| {
            !toks
                .iter()
                .any(|t| EXCLUDE.contains(&t.as_str()) && !r.phrase.contains(&t.as_str()))
        })
        .map(|r| Looks {
            kind: r.kind,
            matched: r.phrase.join(" "),
            owner: None,
        })
}

/// Where an untagged item looks like personal data: the whole type (a tuple newtype named
/// like personal data, `field == None`) or some of its fields.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub field: Option<usize>,
    pub span: crate::source::Span,
    /// `Patient.email`, or the type name.
    pub what: String,
    pub looks: Looks,
}

/// Every untagged field (or newtype) of an item that looks like personal data (DPIA201).
pub fn candidates(item: &crate::model::Item) -> Vec<Candidate> {
    use crate::model::ItemKind;
    let mut out = Vec::new();
    if item.in_test
        || !matches!(
            item.kind,
            ItemKind::Struct | ItemKind::Enum | ItemKind::Union
        )
        || item.tag(dpia_annotations::TagKind::PersonalData).is_some()
    {
        return out;
    }
    if item.fields.len() == 1 && item.fields[0].name == "0" {
        if item.fields[0].tag.is_none() {
            if let Some(l) = newtype(&item.name) {
                out.push(Candidate {
                    field: None,
                    span: item.name_span,
                    what: item.name.clone(),
                    looks: l,
                });
            }
        }
        return out;
    }
    let owner = Owner::of(&item.name, &item.context);
    for (i, f) in item.fields.iter().enumerate() {
        if f.tag.is_some() {
            continue;
        }
        let base = f.name.rsplit('.').next().unwrap_or(&f.name);
        let found = if base.chars().all(|c| c.is_ascii_digit()) {
            // a tuple field: only its type can tell
            newtype(f.ty.split_whitespace().last().unwrap_or_default())
        } else {
            classify_in(base, &f.ty, Some(&owner))
        };
        if let Some(l) = found {
            out.push(Candidate {
                field: Some(i),
                span: f.span,
                what: format!("{}.{}", item.name, f.name),
                looks: l,
            });
        }
    }
    out
}

/// The pseudo-category the flow analysis gives untagged data that looks personal.
pub fn pseudo_category(kind: &str) -> String {
    format!("{PSEUDO_PREFIX}{kind}")
}

/// Prefix of pseudo-categories; no manifest category id can start with it.
pub const PSEUDO_PREFIX: &str = "looks-like:";

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, ty: &str, owner: &str) -> Option<&'static str> {
        let owner = (!owner.is_empty()).then_some((owner, &[][..]));
        classify(name, ty, owner).map(|l| l.kind)
    }

    #[test]
    fn splits_identifiers() {
        assert_eq!(tokens("dateOfBirth"), ["date", "of", "birth"]);
        assert_eq!(tokens("NHSNumber"), ["nhs", "number"]);
        assert_eq!(tokens("ip_v4_addr"), ["ip", "v", "addr"]);
        assert_eq!(tokens("r#type"), ["type"]);
    }

    #[test]
    fn core_types() {
        assert_eq!(core_type("Option < Vec < String > >"), "String");
        assert_eq!(core_type("& 'a str"), "str");
        assert_eq!(core_type("std :: net :: IpAddr"), "IpAddr");
        assert_eq!(core_type("HashMap < String , u32 >"), "HashMap");
        // bindgen's callbacks (libsqlite3-sys): a `->` inside a wrapper once sliced begin > end
        for t in [
            "Option < unsafe extern \"C\" fn (arg1 : * mut c_void , arg2 : c_int) -> c_int >",
            "Option<unsafe extern \"C\" fn(arg1: *mut c_void, arg2: c_int) -> c_int>",
            "Option < fn () -> Vec < u8 > >",
            "Option<->",
            "Box<<<",
            "Option<>>>",
        ] {
            core_type(t);
        }
        assert_eq!(core_type("Option < Box < dyn Fn () -> u8 > >"), "Fn()->u8");
    }

    #[test]
    fn positives() {
        assert_eq!(kind("email", "String", "Subscriber"), Some("email"));
        assert_eq!(kind("contact_email", "Option<String>", ""), Some("email"));
        assert_eq!(kind("name", "String", "Customer"), Some("name"));
        assert_eq!(kind("first_name", "String", "Row"), Some("name"));
        assert_eq!(kind("vrm", "String", ""), Some("vehicle-registration"));
        assert_eq!(kind("nhs_number", "String", ""), Some("national-id"));
        assert_eq!(kind("client_ip", "IpAddr", ""), Some("ip-address"));
        assert_eq!(kind("peer", "SocketAddr", ""), Some("ip-address"));
        assert_eq!(kind("lat", "f64", "Sighting"), Some("location"));
        assert_eq!(kind("contact", "PhoneNumber", ""), Some("phone"));
        assert_eq!(kind("emailAddress", "String", ""), Some("email"));
        assert_eq!(kind("sexual_orientation", "String", ""), Some("sex-life"));
    }

    #[test]
    fn decoys() {
        assert_eq!(kind("name", "String", "Product"), None);
        assert_eq!(kind("name", "String", ""), None);
        assert_eq!(kind("hostname", "String", ""), None);
        assert_eq!(kind("email_enabled", "bool", "User"), None);
        assert_eq!(kind("email_verified", "bool", "User"), None);
        assert_eq!(kind("email_template", "String", ""), None);
        assert_eq!(kind("location", "String", "Shelf"), None);
        assert_eq!(kind("file_name", "String", "User"), None);
        assert_eq!(kind("email_count", "u64", ""), None);
        assert_eq!(kind("email_status", "EmailStatus", "User"), None);
        assert_eq!(kind("bind_addr", "SocketAddr", ""), None);
        assert_eq!(kind("id", "u64", "User"), None);
    }

    #[test]
    fn newtypes() {
        assert_eq!(newtype("SubscriberEmail").map(|l| l.kind), Some("email"));
        assert_eq!(newtype("NhsNumber").map(|l| l.kind), Some("national-id"));
        assert_eq!(newtype("Vrm").map(|l| l.kind), Some("vehicle-registration"));
        assert_eq!(newtype("EmailTemplate"), None);
    }
}
