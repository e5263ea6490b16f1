//! Does a name look like personal data? The heuristics behind DPIA201 and
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
    /// One sentence: why (the words, the owner or type that made them personal, the kind).
    pub fn reason(&self) -> String {
        let desc = kind_phrase(self.kind);
        match &self.owner {
            Some(o) => format!(
                "`{}` on `{o}`, which is about a person or their activity, suggests {desc} (kind `{}`)",
                self.matched, self.kind
            ),
            None => format!("`{}` suggests {desc} (kind `{}`)", self.matched, self.kind),
        }
    }
}

/// How messages name a kind: "an email address"; a pseudo-category (`looks-like:email`)
/// is named by its kind.
pub fn kind_phrase(kind: &str) -> String {
    let kind = Category::of(kind).shown();
    crate::taxonomy::kind(kind)
        .map(|k| k.phrase.to_string())
        .unwrap_or_else(|| format!("`{kind}`"))
}

/// How messages name a category a value carries: "data that looks like an email address"
/// for a pseudo-category, "`contact` data" for a declared one.
pub fn category_phrase(c: &str) -> String {
    match Category::of(c) {
        Category::LooksLike(kind) => format!("data that looks like {}", kind_phrase(kind)),
        Category::Declared(c) => format!("`{c}` data"),
    }
}

/// What a DPIA201 finding is about: "field `User.email`", "type `Email`", "parameter `to`
/// of `send_reset_email`".
pub fn site(item: &crate::model::Item, c: &Candidate) -> String {
    if let Some(p) = c.param {
        let name = c
            .what
            .strip_prefix(&format!("{}(", item.name))
            .and_then(|w| w.strip_suffix(')'))
            .map(str::to_string)
            .unwrap_or_else(|| p.to_string());
        return format!("parameter `{name}` of `{}`", item.name);
    }
    match c.field {
        Some(_) => format!("field `{}`", c.what),
        None => format!("type `{}`", c.what),
    }
}

/// One tag to add to the source: the attribute and where it goes. Every suggestion DPIA201
/// and `init` print is built from these, and a trybuild test compiles them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagEdit {
    /// Insert on its own line above the line of this span's start (the item, or the field).
    pub above: crate::source::Span,
    pub attr: String,
}

/// The tags that declare one candidate: the type's `#[dpia::personal_data(category = …)]`
/// for a field or a newtype (field helpers such as `#[dpia(category = …)]` compile only
/// under it), or the function's `#[dpia::processing(purpose = …)]` for a parameter.
pub fn declare_edits(item: &crate::model::Item, c: &Candidate, category: &str) -> Vec<TagEdit> {
    if c.param.is_some() {
        return vec![TagEdit {
            above: item.span,
            attr: PROCESSING_TAG.to_string(),
        }];
    }
    vec![TagEdit {
        above: item.span,
        attr: format!("#[dpia::personal_data(category = \"{category}\")]"),
    }]
}

/// The tag to put on an item whose candidates are not about a person.
pub fn allow_edit(item: &crate::model::Item) -> TagEdit {
    TagEdit {
        above: item.span,
        attr: ALLOW_TAG.to_string(),
    }
}

const PROCESSING_TAG: &str = "#[dpia::processing(purpose = \"<purpose id from dpia.toml>\")]";
const ALLOW_TAG: &str =
    "#[dpia::allow(undeclared_personal_data, reason = \"<why it is not about a person>\")]";

/// The `= help:` of a DPIA201 finding, from [`declare_edits`] and [`allow_edit`].
/// `type_category` is the category suggested for the item's tag (that of its first
/// candidate field), `category` this candidate's.
pub fn fix(
    item: &crate::model::Item,
    c: &Candidate,
    type_category: &str,
    category: &str,
) -> String {
    let tag = &declare_edits(item, c, type_category)[0].attr;
    let allow = &allow_edit(item).attr;
    if c.param.is_some() {
        return format!(
            "tag the function's processing: `{tag}` on `{}` (a parameter of a type tagged `#[dpia::personal_data(category = \"{category}\")]` is declared too); if it is not about a person, put `{allow}` on the function",
            item.name
        );
    }
    match c.field {
        Some(_) => {
            let own = if type_category == category {
                "a field with another category takes `#[dpia(category = \"…\")]`".to_string()
            } else {
                format!("this field takes `#[dpia(category = \"{category}\")]`")
            };
            format!(
                "tag the type: `{tag}` on `{}` (then {own} and one not about a person `#[dpia(not_personal)]`: these field helpers compile only under `#[dpia::personal_data]`); if nothing in it is about a person, put `{allow}` on the type",
                item.name
            )
        }
        None if item.generated_by.is_some() => format!(
            "`{}` is generated by `{}!`, where no tag can go: tag the types that hold it (`{tag}`), or put `{allow}` on them",
            item.name,
            item.generated_by.as_deref().unwrap_or_default()
        ),
        None => format!(
            "tag it with `{tag}`; if it is not about a person, put `{allow}` on it"
        ),
    }
}

/// Splits an identifier on `_`, `-`, case changes and digits, lowercased:
/// `dateOfBirth` → `date of birth`, `NHSNumber` → `nhs number`, `ip_v4` → `ip v`.
pub fn tokens(ident: &str) -> Vec<String> {
    // `strip_prefix`, not `trim_start_matches`: a `&str` pattern there builds a substring
    // searcher on every call
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    if ident.is_ascii() {
        // the common case, on bytes: no `Vec<char>`, no Unicode tables
        return split_words(ident.as_bytes(), |b| *b as char);
    }
    let chars: Vec<char> = ident.chars().collect();
    split_words(&chars, |c| *c)
}

/// [`tokens`] over any sequence of characters.
fn split_words<T>(chars: &[T], ch: impl Fn(&T) -> char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, c) in chars.iter().map(&ch).enumerate() {
        if !c.is_alphanumeric() || c.is_ascii_digit() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (ch(&chars[i - 1]).is_lowercase()
                || chars.get(i + 1).is_some_and(|n| ch(n).is_lowercase())
                    && ch(&chars[i - 1]).is_uppercase());
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_ascii() {
            cur.push(c.to_ascii_lowercase());
        } else {
            cur.extend(c.to_lowercase());
        }
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
    /// `&'static str`, `Cow<'static, str>`: text compiled into the program (a constant, a
    /// header name, a default), not a person's data.
    Const,
    /// `Vec<u8>`, `[u8; N]`: bytes (a photo, a password hash, a face template).
    Bytes,
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

/// Can a value of this type (as written) hold personal data at all? Not a flag, a number,
/// a setting (`EmailStatus`) or text compiled into the program (`&'static str`).
pub fn may_hold_personal_data(ty: &str) -> bool {
    !matches!(
        classify_type(ty).0,
        TyClass::Flag | TyClass::Number | TyClass::Setting | TyClass::Const
    )
}

/// Is `ty` a number or a point in time (`i64`, `DateTime<Utc>`)? Then a field of it is
/// not the text its name may suggest (`last_seen: i64`).
pub(crate) fn is_number_or_date(ty: &str) -> bool {
    matches!(classify_type(ty).0, TyClass::Number | TyClass::Date)
}

fn classify_type(ty: &str) -> (TyClass, String) {
    // the same few types (`String`, `&str`, `Option<String>`) are asked about for most
    // fields and parameters: each thread keeps the answers (the function is pure)
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, (TyClass, String)>> =
            Default::default();
    }
    const MAX_SEEN: usize = 1 << 14;
    SEEN.with(|seen| {
        if let Some(hit) = seen.borrow().get(ty) {
            return hit.clone();
        }
        let found = classify_type_uncached(ty);
        let mut seen = seen.borrow_mut();
        if seen.len() >= MAX_SEEN {
            seen.clear();
        }
        seen.insert(ty.into(), found.clone());
        found
    })
}

fn classify_type_uncached(ty: &str) -> (TyClass, String) {
    let core = core_type(ty);
    if ty.contains('\'') && ty.contains("'static") {
        return (TyClass::Const, core);
    }
    if core == "u8" && (ty.contains('[') || ty.contains("Vec") || ty.contains("Bytes")) {
        return (TyClass::Bytes, core);
    }
    let class = match core.as_str() {
        "bool" => TyClass::Flag,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" => TyClass::Number,
        "f32" | "f64" => TyClass::Number,
        "String" | "str" | "char" | "SmolStr" | "CompactString" | "ArcStr" | "EcoString" => {
            TyClass::Text
        }
        "Bytes" | "BytesMut" => TyClass::Bytes,
        "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr" | "IpNetwork" | "IpNet" => TyClass::Ip,
        "NaiveDate" | "Date" | "DateTime" | "NaiveDateTime" | "OffsetDateTime" | "Timestamp"
        | "PrimitiveDateTime" | "SystemTime" => TyClass::Date,
        other => {
            let last = tokens(other).pop().unwrap_or_default();
            if matches!(last.as_str(), "string" | "str" | "text") {
                return (TyClass::Text, core);
            }
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
static EXCLUDE: Words = Words::new(&[
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
    "attribute",
    "attr",
    "property",
    "schema",
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
    "typ",
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
    // a reference to the data, not the data (`email_id`, `address_uuid`)
    "id",
    "ids",
    "uuid",
    "guid",
    // secrets and tokens issued to a session, not the person's own data
    "token",
    "tokens",
    "secret",
    "nonce",
    "otp",
    // header names, prefixes and placeholders
    "prefix",
    "suffix",
    "header",
    "headers",
    "placeholder",
    "example",
    "dummy",
    "fake",
    "mock",
    "default",
    "unknown",
    // bots and service accounts
    "bot",
    "bots",
    "robot",
    "system",
    "daemon",
    "noreply",
    "service",
    "policy",
    "rule",
    "rules",
]);

/// Owners whose `name`, `address`, `location`… are about a person.
static PERSON: Words = Words::new(&[
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
]);

/// Owners whose names and places are not about a person.
static NOT_PERSON: Words = Words::new(&[
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
]);

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
        ["handle"] +person, ["nickname"], ["nick"] +person, ["acct"] +person,
        ["login", "name"], ["account", "name"] +person, ["uid"] +person,
        // social-network and chat handles, on a person
        ["twitter"] +person, ["instagram"] +person, ["facebook"] +person,
        ["linkedin"] +person, ["github"] +person, ["gitlab"] +person, ["mastodon"] +person,
        ["discord"] +person, ["telegram"] +person, ["skype"] +person, ["whatsapp"] +person,
        ["matrix"] +person, ["xmpp"] +person, ["jabber"] +person, ["slack"] +person,
        ["irc"] +person, ["tiktok"] +person, ["reddit"] +person;
    "user-id": ["oidc", "id"] +numbers, ["oidc", "sub"] +numbers, ["oidc", "subject"] +numbers,
        ["openid"] +numbers, ["sso", "id"] +numbers, ["saml", "id"] +numbers,
        ["idp", "id"] +numbers, ["idp", "subject"] +numbers, ["oauth", "id"] +numbers,
        ["federated", "id"] +numbers, ["external", "id"] +person +numbers,
        ["provider", "subject"] +numbers;
    "password": ["password"], ["passwd"], ["passphrase"], ["password", "hash"],
        ["pass", "hash"], ["pw", "hash"], ["hashed", "password"];
    "gender": ["gender"], ["sex"], ["pronouns"], ["gender", "identity"];
    "date-of-death": ["date", "of", "death"], ["death", "date"], ["died", "on"],
        ["deceased", "on"], ["date", "deceased"];
    "profile-text": ["bio"], ["biography"], ["about", "me"], ["profile", "text"],
        ["self", "description"], ["personal", "statement"];
    "photo": ["photo"], ["photograph"], ["selfie"], ["headshot"], ["portrait"] +person,
        ["avatar"] +person, ["profile", "picture"], ["profile", "photo"],
        ["profile", "image"], ["picture"] +person, ["jpeg", "photo"];
    "user-agent": ["user", "agent"], ["useragent"], ["browser", "agent"];
    "date-of-birth": ["dob"], ["date", "of", "birth"], ["birth", "date"], ["birthdate"],
        ["birthday"], ["born", "on"], ["born"] +person, ["age"] +person +numbers;
    "postal-address": ["street"], ["address", "line"], ["home", "address"],
        ["postal", "address"], ["street", "address"], ["billing", "address"],
        ["shipping", "address"], ["delivery", "address"], ["residential", "address"],
        ["address"] +person, ["addr"] +person, ["town"] +person;
    "postcode": ["postcode"], ["post", "code"], ["postal", "code"], ["zip"], ["zipcode"];
    "national-id": ["ni", "number"], ["nino"], ["national", "insurance"], ["nhs", "number"],
        ["nhs", "no"], ["passport"], ["driving", "licence"], ["driving", "license"],
        ["driver", "license"], ["driver", "licence"], ["licence", "number"],
        ["license", "number"], ["ssn"], ["social", "security"], ["national", "id"],
        ["tax", "id"], ["nin"];
    "ip-address": ["ip"], ["ip", "address"], ["ip", "addr"], ["remote", "addr"],
        ["remote", "ip"], ["peer", "addr"], ["client", "ip"], ["client", "addr"],
        ["forwarded", "for"], ["real", "ip"];
    "device-id": ["mac", "address"], ["mac", "addr"], ["imei"], ["imsi"], ["device", "id"],
        ["advertising", "id"], ["idfa"], ["gaid"], ["android", "id"], ["udid"],
        ["browser", "id"], ["browser", "fingerprint"], ["device", "fingerprint"],
        ["installation", "id"], ["install", "id"], ["hardware", "id"], ["cookie", "id"];
    "location": ["latitude"] +numbers, ["longitude"] +numbers, ["lat"] +numbers,
        ["lon"] +numbers, ["lng"] +numbers, ["geolocation"], ["gps"] +numbers,
        ["coordinates"] +numbers, ["location"] +person, ["position"] +person +numbers,
        ["whereabouts"], ["last", "seen"] +person, ["home", "location"],
        ["geo", "location"], ["geoip"] +person, ["geo", "ip"] +person;
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

/// Owners that are a person's activity (a login, a session, a visit): the location, IP
/// address, device and browser recorded on them are that person's.
const ACTIVITY: &[&str] = &[
    "login",
    "logins",
    "logon",
    "signin",
    "session",
    "sessions",
    "visit",
    "visits",
    "checkin",
    "sighting",
    "sightings",
    "trip",
    "journey",
    "attempt",
    "attempts",
    "access",
];

/// The kinds an activity owner makes personal.
const ACTIVITY_KINDS: &[&str] = &["location", "ip-address", "device-id", "user-agent"];

/// Owners that configure the service: a sender address, an SMTP login or an admin email in
/// them are the service's own, a header name is a name.
const CONFIG: &[&str] = &[
    "config",
    "configuration",
    "conf",
    "cfg",
    "settings",
    "options",
    "opts",
    "vars",
    "env",
    "environment",
    "setup",
];

/// Unambiguous person words: a type named with one as its head (`UserId`, `CmdUser`) is
/// about a person.
const PERSON_CORE: &[&str] = &[
    "user",
    "users",
    "member",
    "customer",
    "person",
    "people",
    "subscriber",
    "patient",
    "employee",
    "student",
    "pupil",
    "citizen",
    "author",
    "applicant",
    "resident",
    "voter",
    "passenger",
];

/// Types whose values may hold a date: only date kinds are plausible (a `last_login:
/// DateTime` is a time, not a login name).
const DATE_KINDS: &[&str] = &[
    "date-of-birth",
    "date-of-death",
    "health",
    "criminal-offence",
];

fn any_in(toks: &[String], list: &(impl WordList + ?Sized)) -> bool {
    toks.iter().any(|t| list.has(t))
}

/// A long word list, looked up by hash: the lists of person, thing and excluding words are
/// asked about every word of every field, parameter, type and function name.
struct Words {
    list: &'static [&'static str],
    set: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>>,
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            set: std::sync::OnceLock::new(),
        }
    }

    /// As a slice's `contains`.
    fn contains(&self, w: &&str) -> bool {
        self.set
            .get_or_init(|| self.list.iter().copied().collect())
            .contains(*w)
    }
}

/// A list of words, short (a slice) or long ([`Words`]).
trait WordList {
    fn has(&self, w: &str) -> bool;
}

impl WordList for [&str] {
    fn has(&self, w: &str) -> bool {
        self.contains(&w)
    }
}

impl WordList for Words {
    fn has(&self, w: &str) -> bool {
        self.contains(&w)
    }
}

/// The head noun of a name among person and thing words: the last one (`UserGroup` is a
/// group, `GroupMember` a person). `Some(true)` for a person, `Some(false)` for a thing.
fn head(toks: &[String], skip: &[&str]) -> Option<bool> {
    // places are what a person or a thing has (`UserLocation` is a user's), not heads
    const PLACES: &[&str] = &[
        "location",
        "place",
        "point",
        "coord",
        "coords",
        "coordinate",
        "coordinates",
        "latlng",
        "geo",
        "city",
        "country",
        "region",
        "zone",
        "map",
        "bbox",
        "bounds",
        "geometry",
    ];
    // nor are the generic suffixes of software types (`UserModel` is a user's)
    const GENERIC: &[&str] = &[
        "model",
        "models",
        "schema",
        "resource",
        "document",
        "dataset",
        "component",
        "entity",
        "row",
        "record",
        "view",
        "dto",
        "details",
        "info",
        "data",
    ];
    toks.iter()
        .rev()
        .filter(|t| {
            !skip.contains(&t.as_str())
                && !PLACES.contains(&t.as_str())
                && !GENERIC.contains(&t.as_str())
        })
        .find_map(|t| {
            if PERSON.contains(&t.as_str()) {
                Some(true)
            } else if NOT_PERSON.contains(&t.as_str()) {
                Some(false)
            } else {
                None
            }
        })
}

/// What a field's owner (its type, with context such as a diesel `table_name`) says,
/// worked out once per type. For a function parameter, the owner is the function (its
/// name and its impl's type).
struct Owner<'a> {
    name: &'a str,
    /// Person-like: a `name` on it is a person's.
    person: bool,
    /// A person's activity (`LoginLocation`, `Session`): location, IP, device are theirs.
    activity: bool,
    /// The service's configuration: only strong kinds are personal on it, whatever the
    /// field's own words say (`sender_email`, `admin_email` are the service's).
    config: bool,
    /// An item, an organisation, a geometry…: only strong kinds are personal on it.
    not_person: bool,
    /// A function that sends mail: its `to` is the recipient's address.
    mail: bool,
    /// Its last word for a person or an attribute is an attribute's (`UserAttribute`,
    /// `UserAttrConfigEntity`, `AttributeSchema`, `delete_user_attribute`): a `name` on it
    /// is the attribute's; an `email` still is an email address.
    attribute: bool,
}

/// Words for the attributes of a record.
const ATTRIBUTES: &[&str] = &["attr", "attrs", "attribute", "attributes", "property"];

impl Owner<'_> {
    fn of<'a>(name: &'a str, context: &[String]) -> Owner<'a> {
        let mut toks = tokens(name);
        for c in context {
            toks.extend(tokens(c));
        }
        Owner::from_tokens(name, &toks, &[])
    }

    fn from_tokens<'a>(name: &'a str, toks: &[String], module: &[String]) -> Owner<'a> {
        let config = any_in(toks, CONFIG) || any_in(module, CONFIG);
        // `UserSettings` is about the user; `UserGroup` is a group
        let person = any_in(toks, &PERSON) && head(toks, CONFIG) != Some(false);
        let activity = any_in(toks, ACTIVITY);
        Owner {
            name,
            person,
            activity,
            config: config && !person,
            not_person: !person && !activity && (config || any_in(toks, &NOT_PERSON)),
            mail: toks
                .iter()
                .any(|t| matches!(t.as_str(), "mail" | "email" | "mailer" | "smtp")),
            attribute: toks
                .iter()
                .rev()
                .find(|t| PERSON.has(t) || ATTRIBUTES.contains(&t.as_str()))
                .is_some_and(|t| ATTRIBUTES.contains(&t.as_str())),
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
    "date-of-death",
    "device-id",
];

/// Is a type named like the service's configuration (`MailOptions`, `SmtpConfig`)? Its
/// fields are the service's (a sender address), not a person's.
pub fn is_config_owner(name: &str) -> bool {
    Owner::of(name, &[]).config
}

/// Does a name (field, variable or type) of a value of type `ty` look like personal data?
/// `owner` is the struct it is a field of, if any.
pub fn classify(name: &str, ty: &str, owner: Option<(&str, &[String])>) -> Option<Looks> {
    let owner = owner.map(|(o, ctx)| Owner::of(o, ctx));
    classify_in(name, ty, owner.as_ref())
}

/// Does a function parameter look like personal data? `func` is the function's name,
/// `self_ty` its impl's type, `module` its module path (`crate::config`). The function is
/// the owner: `name` in `fetch_by_author_name` is a person's, in `Tag::with_name` it is
/// not; `to` in `send_reset_email` is the recipient's address. The type may say it too:
/// `name: &UserId`, `path: web::Path<UsernameSlug>`.
pub fn param(
    name: &str,
    ty: &str,
    func: &str,
    self_ty: Option<&str>,
    module: &str,
) -> Option<ParamLooks> {
    ParamOwner::new(func, self_ty, module).param(name, ty)
}

/// What a function says about its parameters ([`Owner`]), worked out once per function.
pub struct ParamOwner {
    toks: Vec<String>,
    name: String,
    person: bool,
    activity: bool,
    config: bool,
    not_person: bool,
    mail: bool,
    attribute: bool,
}

impl ParamOwner {
    pub fn new(func: &str, self_ty: Option<&str>, module: &str) -> ParamOwner {
        let mut toks = tokens(func);
        if let Some(s) = self_ty {
            toks.extend(tokens(s));
        }
        let module: Vec<String> = module.split("::").flat_map(tokens).collect();
        let name = self_ty.map_or_else(|| func.to_string(), |s| format!("{s}::{func}"));
        let o = Owner::from_tokens(&name, &toks, &module);
        let (person, activity, config, not_person, mail, attribute) = (
            o.person,
            o.activity,
            o.config,
            o.not_person,
            o.mail,
            o.attribute,
        );
        ParamOwner {
            toks,
            name,
            person,
            activity,
            config,
            not_person,
            mail,
            attribute,
        }
    }

    fn owner(&self) -> Owner<'_> {
        Owner {
            name: &self.name,
            person: self.person,
            activity: self.activity,
            config: self.config,
            not_person: self.not_person,
            mail: self.mail,
            attribute: self.attribute,
        }
    }

    /// [`param`] of one parameter of the function.
    pub fn param(&self, name: &str, ty: &str) -> Option<ParamLooks> {
        let name = name.trim_start_matches("mut ");
        if name == "self"
            || name.starts_with('_')
            || name.contains(char::is_whitespace) && !name.contains('(')
        {
            return None;
        }
        let ty = peel_extractors(ty);
        let toks = &self.toks;
        let owner = self.owner();
        let owner_name = &self.name;
        // a pattern (`ConnectInfo(addr)`): the bound name
        let bound = name
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .find(|s| !s.is_empty())
            .unwrap_or(name);
        if owner.mail && !owner.config && RECIPIENT.contains(&bound) {
            let (class, _) = classify_type(&ty);
            if matches!(class, TyClass::Text | TyClass::Other) {
                return Some(ParamLooks {
                    looks: Looks {
                        kind: "email",
                        matched: bound.to_string(),
                        owner: Some(owner_name.clone()),
                    },
                    by_type: false,
                });
            }
        }
        // an IP address handed to server set-up is a bind address
        let (class, core) = classify_type(&ty);
        if class == TyClass::Ip && any_in(toks, SERVER_SETUP) {
            return None;
        }
        if let Some(l) = classify_in(bound, &ty, Some(&owner)) {
            let by_type = !find_phrase(&tokens(bound), &l.matched.split(' ').collect::<Vec<_>>())
                && class != TyClass::Ip;
            return Some(ParamLooks { looks: l, by_type });
        }
        // the type alone: an alias or a foreign type named like personal data
        // (`web::Path<UsernameSlug>`, `TypedHeader<UserAgent>`), whatever the name
        if class == TyClass::Other && !owner.not_person {
            return newtype(&core).map(|looks| ParamLooks {
                looks,
                by_type: true,
            });
        }
        None
    }
}

/// A parameter that looks like personal data, and whether only its type says so.
#[derive(Clone, Debug)]
pub struct ParamLooks {
    pub looks: Looks,
    /// The type's name says it, not the parameter's: where the type is a local struct, its
    /// own definition is reported instead.
    pub by_type: bool,
}

/// The recipients of a mail.
const RECIPIENT: &[&str] = &["to", "recipient", "recipients", "rcpt", "cc", "bcc"];

/// Functions that set a server up: an address they take is where it listens.
const SERVER_SETUP: &[&str] = &[
    "bind", "listen", "serve", "server", "run", "start", "launch", "spawn", "main", "new", "init",
    "setup", "config", "connect", "build",
];

/// Web-framework extractors around a parameter's type: `web::Path<T>`, `Json<T>`,
/// `ConnectInfo<T>` → `T`.
fn peel_extractors(ty: &str) -> String {
    const EXTRACTORS: &[&str] = &[
        "Path",
        "Json",
        "Query",
        "Form",
        "Extension",
        "Data",
        "ConnectInfo",
        "TypedHeader",
        "Header",
        "Multipart",
        "Valid",
        "Validated",
    ];
    let mut t = ty.trim().to_string();
    for _ in 0..4 {
        let Some(lt) = t.find('<') else { break };
        let head: String = t[..lt].chars().filter(|c| !c.is_whitespace()).collect();
        let head = head.trim_start_matches('&');
        let last = head.rsplit("::").next().unwrap_or(head);
        if EXTRACTORS.contains(&last) && t.trim_end().ends_with('>') {
            let end = t.rfind('>').unwrap_or(t.len());
            t = t[lt + 1..end].trim().to_string();
        } else {
            break;
        }
    }
    t
}

fn classify_in(name: &str, ty: &str, owner: Option<&Owner>) -> Option<Looks> {
    let toks = tokens(name);
    if toks.is_empty() {
        return None;
    }
    let (class, core) = classify_type(ty);
    if matches!(class, TyClass::Flag | TyClass::Setting | TyClass::Const) {
        return None;
    }
    let config = owner.is_some_and(|o| o.config);
    // the type's words give context: `name: &UserId` is a user's, `display_name: GroupName`
    // a group's
    let ty_toks = tokens(&core);
    let ty_head = if ty_toks.iter().any(|t| PERSON_CORE.contains(&t.as_str())) {
        Some(true)
    } else if class == TyClass::Other && any_in(&ty_toks, &NOT_PERSON) {
        Some(false)
    } else {
        None
    };
    let activity = owner.is_some_and(|o| o.activity) || any_in(&toks, ACTIVITY);
    // on an item, an organisation, a geometry type or the service's configuration only
    // strong kinds are personal
    let weak_only = config
        || owner.is_some_and(|o| o.not_person) && !any_in(&toks, &PERSON) && ty_head != Some(true);
    // the longest matching phrase wins (`email address` over `address`)
    let mut best: Option<(&Rule, Option<String>)> = None;
    for r in matching_rules(&toks) {
        if weak_only && !STRONG.contains(&r.kind) {
            continue;
        }
        if class == TyClass::Number && !r.numbers_ok {
            continue;
        }
        if class == TyClass::Date && !DATE_KINDS.contains(&r.kind) {
            continue;
        }
        let mut person = None;
        if r.needs_person {
            // the field's own words may name the person or the thing: `keeper_name`,
            // `group_name`; else its type's; else its owner's
            person = match head(&toks, r.phrase) {
                Some(true) if !config => Some(name.to_string()),
                Some(_) => None,
                None => match ty_head {
                    Some(true) => Some(core.clone()),
                    Some(false) => None,
                    None => owner
                        .filter(|o| o.person && !o.attribute)
                        .map(|o| o.name.to_string()),
                },
            };
            let by_activity = activity && ACTIVITY_KINDS.contains(&r.kind);
            if person.is_none() && !by_activity {
                continue;
            }
            if person.is_none() {
                person = owner.map(|o| o.name.to_string());
            }
        }
        if best
            .as_ref()
            .is_none_or(|(b, _)| r.phrase.len() > b.phrase.len())
        {
            best = Some((r, person));
        }
    }
    // words outside the matched phrase may make it something else (`email_template`)
    let excluded = |phrase: &[&str]| {
        toks.iter()
            .any(|t| EXCLUDE.contains(&t.as_str()) && !phrase.contains(&t.as_str()))
    };
    if let Some((r, person)) = best {
        if excluded(r.phrase) {
            return None;
        }
        return Some(Looks {
            kind: r.kind,
            matched: r.phrase.join(" "),
            owner: person,
        });
    }
    // the type may say it: `contact: PhoneNumber`, `addr: IpAddr`
    if excluded(&[]) || weak_only {
        return None;
    }
    if class == TyClass::Ip && !toks.iter().any(|t| t == "local") {
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

/// Is a type named like personal data (`SubscriberEmail`, `NhsNumber`, `Vrm`)? A container
/// named after what it carries is not (`IpBlacklistRequest`, `EmailPayload`).
pub fn newtype(type_name: &str) -> Option<Looks> {
    const CONTAINERS: &[&str] = &[
        "request", "response", "payload", "form", "input", "output", "params", "query", "body",
        "event", "message", "list", "html", "dto", "claims", "options", "builder",
    ];
    let toks = tokens(type_name);
    if toks
        .last()
        .is_some_and(|t| CONTAINERS.contains(&t.as_str()))
    {
        return None;
    }
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

/// A tuple newtype named for a person and wrapping text (`UserId(CaseInsensitiveString)`,
/// `CmdUser<T = String>(T)`, `Author(String)`): it holds who they are (a login name, an
/// identifier). One wrapping a number or a UUID is an internal id, left alone.
fn person_newtype(type_name: &str, inner: &str) -> Option<Looks> {
    let toks = tokens(type_name);
    let (last, rest) = toks.split_last()?;
    let who = if PERSON_CORE.contains(&last.as_str()) {
        last.clone()
    } else if matches!(last.as_str(), "id" | "name" | "login" | "handle")
        && rest
            .last()
            .is_some_and(|t| PERSON_CORE.contains(&t.as_str()))
    {
        format!("{} {last}", rest[rest.len() - 1])
    } else {
        return None;
    };
    if any_in(&toks, &EXCLUDE) && !who.ends_with("id") {
        return None;
    }
    let (class, core) = classify_type(inner);
    // a bare generic parameter (`T`) stands for the text it is instantiated with
    let generic = core.len() <= 2 && core.chars().all(|c| c.is_ascii_uppercase());
    if class != TyClass::Text && !generic {
        return None;
    }
    Some(Looks {
        kind: "username",
        matched: who,
        owner: None,
    })
}

/// Where an untagged item looks like personal data: the whole type (a tuple newtype named
/// like personal data, `field == None`) or some of its fields.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub field: Option<usize>,
    /// For a function parameter (the item is the function): its index.
    pub param: Option<usize>,
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
            let found =
                newtype(&item.name).or_else(|| person_newtype(&item.name, &item.fields[0].ty));
            if let Some(l) = found {
                out.push(Candidate {
                    field: None,
                    param: None,
                    span: item.name_span,
                    what: item.name.clone(),
                    looks: l,
                });
            }
        }
        return out;
    }
    let mut toks = tokens(&item.name);
    for c in &item.context {
        toks.extend(tokens(c));
    }
    let module: Vec<String> = item
        .path
        .rsplit_once("::")
        .map_or("", |(m, _)| m)
        .split("::")
        .flat_map(tokens)
        .collect();
    let owner = Owner::from_tokens(&item.name, &toks, &module);
    for (i, f) in item.fields.iter().enumerate() {
        if f.tag.is_some() {
            continue;
        }
        let base = f.name.rsplit('.').next().unwrap_or(&f.name);
        let found = if base.chars().all(|c| c.is_ascii_digit()) {
            // a tuple field: only its type can tell
            newtype(f.ty.split_whitespace().last().unwrap_or_default())
        } else if owner.mail && !owner.config && RECIPIENT.contains(&base) {
            // `to` on a mail message is the recipient's address
            Some(Looks {
                kind: "email",
                matched: base.to_string(),
                owner: Some(item.name.clone()),
            })
            .filter(|_| matches!(classify_type(&f.ty).0, TyClass::Text | TyClass::Other))
        } else {
            classify_in(base, &f.ty, Some(&owner))
        };
        if let Some(l) = found {
            out.push(Candidate {
                field: Some(i),
                param: None,
                span: f.span,
                what: format!("{}.{}", item.name, f.name),
                looks: l,
            });
        }
    }
    out
}

/// The pseudo-category the flow analysis gives untagged data that looks personal (its
/// key in a value's categories; read it back with [`Category::of`]).
pub fn pseudo_category(kind: &str) -> String {
    format!("{PSEUDO_PREFIX}{kind}")
}

/// Prefix of pseudo-categories; no manifest category id can start with it. Private: code
/// outside this module reads a category through [`Category::of`].
const PSEUDO_PREFIX: &str = "looks-like:";

/// A category a value carries, typed: one the manifest declares, or the looks-like
/// pseudo-category of a taxonomy kind (untagged data that looks personal, DPIA303). The
/// flows key categories by their id; this is how every reader tells the two apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category<'a> {
    /// A manifest category id: `vrm`.
    Declared(&'a str),
    /// The kind untagged data looks like: `email`.
    LooksLike(&'a str),
}

impl<'a> Category<'a> {
    /// The category a flow key stands for.
    pub fn of(key: &'a str) -> Category<'a> {
        match key.strip_prefix(PSEUDO_PREFIX) {
            Some(kind) => Category::LooksLike(kind),
            None => Category::Declared(key),
        }
    }

    /// The kind, for a looks-like category.
    pub fn looks_like(self) -> Option<&'a str> {
        match self {
            Category::LooksLike(kind) => Some(kind),
            Category::Declared(_) => None,
        }
    }

    pub fn is_declared(self) -> bool {
        matches!(self, Category::Declared(_))
    }

    /// The id a message shows: the category id, or the kind.
    pub fn shown(self) -> &'a str {
        match self {
            Category::Declared(id) | Category::LooksLike(id) => id,
        }
    }
}

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
        // the name of a schema's attribute or property, not a person's
        assert_eq!(kind("attribute_name", "AttributeName", "Model"), None);
        assert_eq!(kind("attr_name", "String", "User"), None);
        assert_eq!(kind("first_name", "String", "UserAttributes"), Some("name"));
        // an attribute, its configuration or its schema names the attribute
        assert_eq!(kind("name", "String", "UserAttrConfigEntity"), None);
        assert_eq!(kind("name", "String", "UserAttrConfigRequest"), None);
        assert_eq!(kind("name", "String", "AttributeSchema"), None);
        assert_eq!(kind("name", "String", "UserAttributeDefinition"), None);
        assert_eq!(kind("email", "String", "UserAttribute"), Some("email"));
        // on an attribute, `name` is the attribute's; a person's name stays one
        assert_eq!(kind("name", "String", "UserAttribute"), None);
        assert_eq!(kind("name", "String", "UserEditableAttrResponse"), None);
        assert_eq!(kind("first_name", "String", "UserAttribute"), Some("name"));
        assert_eq!(kind("name", "String", "AttributeOwner"), Some("name"));
        assert_eq!(kind("email_count", "u64", ""), None);
        assert_eq!(kind("email_status", "EmailStatus", "User"), None);
        assert_eq!(kind("bind_addr", "SocketAddr", ""), None);
        assert_eq!(kind("id", "u64", "User"), None);
    }

    #[test]
    fn kinds_real_apps_have() {
        assert_eq!(kind("password", "Option<String>", "User"), Some("password"));
        assert_eq!(
            kind("password_hash", "Option<Vec<u8>>", "UserModel"),
            Some("password")
        );
        assert_eq!(
            kind("user_agent", "String", "LoginLocation"),
            Some("user-agent")
        );
        assert_eq!(
            kind("location", "Option<String>", "LoginLocation"),
            Some("location")
        );
        assert_eq!(kind("bio", "Option<String>", "User"), Some("profile-text"));
        assert_eq!(kind("oidc_id", "Option<String>", "User"), Some("user-id"));
        assert_eq!(kind("acct", "String", "Account"), Some("username"));
        assert_eq!(kind("gender", "Gender", "Person"), Some("gender"));
        assert_eq!(
            kind("date_of_death", "NaiveDate", ""),
            Some("date-of-death")
        );
        assert_eq!(
            kind("street", "Option<String>", "UserValues"),
            Some("postal-address")
        );
        assert_eq!(kind("town", "String", "Customer"), Some("postal-address"));
        assert_eq!(
            kind("twitter", "Option<String>", "Profile"),
            Some("username")
        );
        assert_eq!(kind("lat", "f64", "UserLocation"), Some("location"));
    }

    #[test]
    fn owner_context_decides() {
        // a person's name, not a group's, role's or application's
        assert_eq!(kind("name", "String", "Group"), None);
        assert_eq!(kind("name", "String", "Role"), None);
        assert_eq!(kind("name", "String", "OAuth2Application"), None);
        assert_eq!(kind("display_name", "GroupName", "GroupDetails"), None);
        assert_eq!(kind("name", "String", "UserGroup"), None);
        assert_eq!(kind("name", "String", "GroupMember"), Some("name"));
        assert_eq!(kind("name", "&UserId", ""), Some("name"));
        // the service's own settings
        assert_eq!(kind("sender_email", "String", "MailConfig"), None);
        assert_eq!(kind("password", "String", "MailOptions"), None);
        assert_eq!(kind("smtp_username", "Option<String>", "VarsEmail"), None);
        assert_eq!(kind("admin_email", "String", "Settings"), None);
        assert_eq!(
            kind("notification_email", "String", "UserSettings"),
            Some("email")
        );
        // header names, constants, placeholders, references, bots
        assert_eq!(kind("email", "Cow<'static, str>", "VarsAuthHeaders"), None);
        assert_eq!(kind("_name", "&'static str", "Record"), None);
        assert_eq!(kind("email_header", "String", ""), None);
        assert_eq!(kind("email_id", "Uuid", "User"), None);
        assert_eq!(kind("bot_username", "String", ""), None);
        assert_eq!(kind("webhook_username", "String", ""), None);
        assert_eq!(kind("last_login", "DateTime<Utc>", "User"), None);
        assert_eq!(kind("allow_non_ascii_usernames", "bool", ""), None);
    }

    fn param_kind(name: &str, ty: &str, func: &str, self_ty: Option<&str>) -> Option<&'static str> {
        param(name, ty, func, self_ty, "crate::x").map(|p| p.looks.kind)
    }

    #[test]
    fn parameters() {
        // the name of the attribute a function works on; an author's name
        assert_eq!(
            param_kind("name", "& str", "delete_user_attribute", Some("Handler")),
            None
        );
        assert_eq!(
            param_kind("name", "& str", "fetch_ids_by_author_name", Some("Article")),
            Some("name")
        );
        assert_eq!(
            param_kind("username", "& str", "resolve_account", None),
            Some("username")
        );
        assert_eq!(
            param_kind("to", "& str", "send_password_reset_email", None),
            Some("email")
        );
        assert_eq!(param_kind("to", "& str", "transfer", None), None);
        assert_eq!(param_kind("from", "& str", "send_email", None), None);
        assert_eq!(
            param_kind("name", "& str", "fetch_ids_by_author_name", Some("Article")),
            Some("name")
        );
        assert_eq!(param_kind("name", "& str", "with_name", Some("Tag")), None);
        assert_eq!(
            param_kind(
                "name",
                "String",
                "register_oauth_application",
                Some("AuthMutation")
            ),
            None
        );
        assert_eq!(
            param_kind("name", "& UserId", "login_response", None),
            Some("name")
        );
        assert_eq!(param_kind("user_id", "& UserId", "get", None), None);
        assert_eq!(
            param_kind("path", "web :: Path < UsernameSlug >", "show", None),
            Some("username")
        );
        assert_eq!(
            param_kind(
                "ConnectInfo (addr)",
                "ConnectInfo < SocketAddr >",
                "login",
                None
            ),
            Some("ip-address")
        );
        assert_eq!(param_kind("addr", "SocketAddr", "serve", None), None);
        assert_eq!(param_kind("self", "", "f", None), None);
        assert_eq!(param_kind("_email", "& str", "f", None), None);
    }

    #[test]
    fn person_newtypes() {
        let k = |n, inner| person_newtype(n, inner).map(|l| l.kind);
        assert_eq!(k("UserId", "CaseInsensitiveString"), Some("username"));
        assert_eq!(k("CmdUser", "T"), Some("username"));
        assert_eq!(k("Author", "String"), Some("username"));
        assert_eq!(k("UserId", "Uuid"), None);
        assert_eq!(k("UserId", "i64"), None);
        assert_eq!(k("User", "Arc < UserInner >"), None);
        assert_eq!(k("GroupId", "String"), None);
        assert_eq!(newtype("BrowserId").map(|l| l.kind), Some("device-id"));
        assert_eq!(newtype("JpegPhoto").map(|l| l.kind), Some("photo"));
    }

    #[test]
    fn newtypes() {
        assert_eq!(newtype("SubscriberEmail").map(|l| l.kind), Some("email"));
        assert_eq!(newtype("NhsNumber").map(|l| l.kind), Some("national-id"));
        assert_eq!(newtype("Vrm").map(|l| l.kind), Some("vehicle-registration"));
        assert_eq!(newtype("EmailTemplate"), None);
    }
}

#[cfg(test)]
mod token_tests {
    use super::tokens;

    #[test]
    fn words_split_at_case_and_punctuation_alike_in_ascii_and_unicode() {
        let cases: &[(&str, &[&str])] = &[
            ("userEmail", &["user", "email"]),
            ("HTTPRequest", &["http", "request"]),
            ("r#type", &["type"]),
            ("ip_addr_v4", &["ip", "addr", "v"]),
            ("NomDeFamille", &["nom", "de", "famille"]),
            ("ÉcoleNom", &["école", "nom"]),
            ("straßeName", &["straße", "name"]),
            ("", &[]),
        ];
        for (ident, want) in cases {
            assert_eq!(tokens(ident), *want, "{ident}");
        }
    }
}
