//! Models of third-party crates as data: which functions, methods and macros
//! are sinks (with their recipient), sanitisers, passthroughs or sources. The built-in pack
//! is one TOML file per crate under `lint-engine/models/`, embedded at build time; users add
//! entries in `dpia.toml` `[[models]]` with the same keys. [`Pack`] indexes them once by
//! last segment (macros, functions) and method name, so the evaluator's lookups are one hash
//! probe and a short list.
//!
//! Matching:
//! - `function = "a::b::f"` matches a call whose path, once its first segment is expanded
//!   through the module's `use` items, ends with the model's last two segments (or is the
//!   same single segment when the model path has one);
//! - `method = "a::Type::m"` matches a method call `m` whose receiver is known to be of
//!   type `Type` (a parameter's, field's or `let`'s type, a constructor `Type::new()`:
//!   [`Pack::type_matches`]), else whose receiver chain starts at a path or call that names
//!   `Type` (`HttpResponse::Ok().json(..)`); with `by-name = true` it also matches any
//!   receiver whose type is not a user type (a documented fallback for builder methods whose
//!   receiver the analysis cannot type, like sqlx's `.bind`). A receiver whose type is a
//!   user type always resolves to the user's method first; one whose library type is
//!   another crate's type of the model's type name never matches, nor does a model whose
//!   selected positional arguments the call lacks (the evaluator's `model_method` gives
//!   the whole order);
//! - `macro = "a::m"` matches `m!` written with one segment or with the model's crate;
//! - `type = "a::T"` (sanitisers and sources only) matches a value whose library type is
//!   `T` ([`Pack::type_matches`]): a parameter, field or `let` declared of that type, a
//!   value a function declared to return it, a constructor `T::new(..)`. A sanitiser type
//!   (`secrecy::SecretString`) carries nothing; a source type (`lettre::Address`) carries
//!   its `category`.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// What an entry says about the code it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Data in the selected inputs reaches `recipient`.
    Sink,
    /// The result carries no personal data (hashing, redaction).
    Sanitiser,
    /// The selected inputs reach the result (`returns = true`) or the receiver.
    Passthrough,
    /// The result carries `category` (a declared category or a taxonomy kind).
    Source,
}

impl Kind {
    pub const ALL: [&'static str; 4] = ["sink", "sanitiser", "passthrough", "source"];

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "sink" => Some(Kind::Sink),
            "sanitiser" | "sanitizer" => Some(Kind::Sanitiser),
            "passthrough" => Some(Kind::Passthrough),
            "source" => Some(Kind::Source),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sink => "sink",
            Kind::Sanitiser => "sanitiser",
            Kind::Passthrough => "passthrough",
            Kind::Source => "source",
        }
    }
}

/// Which inputs of a call carry the data that matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A positional argument (0-based; the receiver is not counted).
    Index(u16),
    /// The receiver of a method.
    Receiver,
    /// Every input (the default).
    All,
    /// A macro's format string captures and format arguments (not its `key = value` fields).
    Format,
    /// A named `key = value` argument of a macro (a `tracing` field).
    Field(String),
}

impl Arg {
    /// Can a call with these arguments have this input? Only a positional argument can be
    /// missing.
    pub fn present_in<T>(&self, args: &[T]) -> bool {
        match self {
            Arg::Index(i) => (*i as usize) < args.len(),
            _ => true,
        }
    }
}

impl Arg {
    pub fn parse(s: &str) -> Arg {
        match s {
            "self" => Arg::Receiver,
            "all" => Arg::All,
            "format" => Arg::Format,
            other => Arg::Field(other.to_string()),
        }
    }

    pub fn show(&self) -> String {
        match self {
            Arg::Index(i) => i.to_string(),
            Arg::Receiver => "self".into(),
            Arg::All => "all".into(),
            Arg::Format => "format".into(),
            Arg::Field(f) => format!("{f:?}"),
        }
    }
}

/// How an entry is addressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Function(Vec<String>),
    Method(Vec<String>),
    Macro(Vec<String>),
    /// A library type: values of it are sanitised, or a source.
    Type(Vec<String>),
}

impl Target {
    pub fn key(&self) -> &'static str {
        match self {
            Target::Function(_) => "function",
            Target::Method(_) => "method",
            Target::Macro(_) => "macro",
            Target::Type(_) => "type",
        }
    }

    pub fn path(&self) -> &[String] {
        match self {
            Target::Function(p) | Target::Method(p) | Target::Macro(p) | Target::Type(p) => p,
        }
    }
}

/// What a passthrough's inputs reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// Nothing (sinks of functions and macros; sanitisers).
    No,
    /// The return value.
    Value,
    /// The receiver (and the result, which is the receiver in a builder chain).
    Receiver,
}

/// One model entry.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub target: Target,
    pub args: Vec<Arg>,
    /// Sinks: a built-in recipient id or a declared one.
    pub recipient: Option<String>,
    pub returns: Returns,
    /// Sources: a declared category or a taxonomy kind. On a sink: data of that kind the
    /// call itself sends (a request logger that logs each client's IP address).
    pub category: Option<String>,
    /// Methods: also match receivers of unknown type (by name alone).
    pub by_name: bool,
    pub notes: Option<String>,
    /// The model file (`lettre.toml`) or `dpia.toml`.
    pub origin: String,
}

impl Entry {
    /// Does the entry select this input? `field` is the `key` of a macro's `key = value`
    /// argument, `fmt` whether the input is a format argument or capture.
    pub fn selects(&self, index: Option<usize>, receiver: bool, field: Option<&str>) -> bool {
        self.args.iter().any(|a| match a {
            Arg::All => true,
            Arg::Receiver => receiver,
            Arg::Index(i) => !receiver && index == Some(*i as usize),
            Arg::Format => !receiver && field.is_none(),
            Arg::Field(f) => field.is_some_and(|k| k == f || k.ends_with(&format!(".{f}"))),
        })
    }

    pub fn what(&self) -> String {
        let p = self.target.path().join("::");
        match self.target {
            Target::Macro(_) => format!("`{p}!`"),
            Target::Method(_) => {
                let m = self.target.path().last().cloned().unwrap_or_default();
                format!("`.{m}(..)` ({p})")
            }
            Target::Function(_) | Target::Type(_) => format!("`{p}`"),
        }
    }
}

/// Keys of a model entry (the same in the pack and in `dpia.toml`).
pub const KEYS: &[&str] = &[
    "kind",
    "function",
    "method",
    "macro",
    "type",
    "args",
    "recipient",
    "returns",
    "category",
    "by-name",
    "notes",
];

/// A raw entry as written in a model file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    kind: String,
    function: Option<String>,
    method: Option<String>,
    #[serde(rename = "macro")]
    mac: Option<String>,
    #[serde(rename = "type")]
    ty: Option<String>,
    #[serde(default)]
    args: Vec<toml::Value>,
    recipient: Option<String>,
    returns: Option<toml::Value>,
    category: Option<String>,
    #[serde(rename = "by-name", default)]
    by_name: bool,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(rename = "crate")]
    _krate: String,
    #[serde(rename = "notes", default)]
    _notes: Option<String>,
    #[serde(default)]
    models: Vec<RawEntry>,
}

/// A problem with one entry: which key, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryError {
    pub key: &'static str,
    pub message: String,
    pub help: Option<String>,
}

/// The parts of an entry, already read; [`build`] checks and assembles them.
pub struct Parts<'a> {
    pub kind: Option<&'a str>,
    pub function: Option<&'a str>,
    pub method: Option<&'a str>,
    pub mac: Option<&'a str>,
    pub ty: Option<&'a str>,
    pub args: Vec<Result<Arg, String>>,
    pub recipient: Option<&'a str>,
    pub returns: Option<Result<Returns, String>>,
    pub category: Option<&'a str>,
    pub by_name: bool,
    pub notes: Option<&'a str>,
}

fn split_path(s: &str) -> Vec<String> {
    s.trim()
        .trim_end_matches('!')
        .split("::")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Assembles an entry; `recipient_ok` says whether a recipient id resolves.
pub fn build(
    p: Parts<'_>,
    origin: &str,
    recipient_ok: &dyn Fn(&str) -> bool,
) -> Result<Entry, Vec<EntryError>> {
    let mut errs = Vec::new();
    let kind = match p.kind {
        None => {
            errs.push(EntryError {
                key: "kind",
                message: "missing key `kind` in `[[models]]`".into(),
                help: Some(
                    "add `kind = \"sink\"` (or `sanitiser`, `passthrough`, `source`)".into(),
                ),
            });
            None
        }
        Some(k) => match Kind::parse(k) {
            Some(k) => Some(k),
            None => {
                errs.push(EntryError {
                    key: "kind",
                    message: format!("unknown model kind `{k}`"),
                    help: Some("use one of `sink`, `sanitiser`, `passthrough`, `source`".into()),
                });
                None
            }
        },
    };
    let targets: Vec<Target> = [
        p.function.map(|f| Target::Function(split_path(f))),
        p.method.map(|f| Target::Method(split_path(f))),
        p.mac.map(|f| Target::Macro(split_path(f))),
        p.ty.map(|f| Target::Type(split_path(f))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let target = match targets.len() {
        1 => Some(targets[0].clone()),
        0 => {
            errs.push(EntryError {
                key: "kind",
                message: "a model needs one of `function`, `method`, `macro` or `type`".into(),
                help: Some(
                    "address it, e.g. `function = \"mycrate::mail::send\"`, \
                     `method = \"mycrate::Mailer::send\"`, `macro = \"mycrate::err\"` \
                     or `type = \"mycrate::Redacted\"`"
                        .into(),
                ),
            });
            None
        }
        _ => {
            errs.push(EntryError {
                key: targets[1].key(),
                message: "a model takes exactly one of `function`, `method`, `macro` or `type`"
                    .into(),
                help: Some("split it into two `[[models]]` entries".into()),
            });
            None
        }
    };
    if let Some(t) = &target {
        let bad = t.path().is_empty() || t.path().iter().any(|s| !is_ident(s));
        if bad {
            errs.push(EntryError {
                key: t.key(),
                message: format!("`{}` is not a path", t.path().join("::")),
                help: Some("write a Rust path, e.g. `lettre::Message::builder`".into()),
            });
        }
        if matches!(t, Target::Method(p) if p.len() < 2) {
            errs.push(EntryError {
                key: "method",
                message: "a method is written with its type: `path::Type::method`".into(),
                help: Some("e.g. `method = \"reqwest::RequestBuilder::json\"`".into()),
            });
        }
    }
    if matches!(target, Some(Target::Type(_))) {
        if kind.is_some_and(|k| !matches!(k, Kind::Sanitiser | Kind::Source)) {
            errs.push(EntryError {
                key: "type",
                message: "a type model is a `sanitiser` or a `source`".into(),
                help: Some(
                    "a value of a type is redacted (`kind = \"sanitiser\"`) or carries \
                     personal data (`kind = \"source\"`); address a sink by its \
                     `function`, `method` or `macro`"
                        .into(),
                ),
            });
        }
        if !p.args.is_empty() {
            errs.push(EntryError {
                key: "args",
                message: "a type model takes no `args`".into(),
                help: Some("remove it: the model is about every value of the type".into()),
            });
        }
        if p.returns.is_some() {
            errs.push(EntryError {
                key: "returns",
                message: "a type model takes no `returns`".into(),
                help: Some("remove it".into()),
            });
        }
    }
    let mut args = Vec::new();
    for a in p.args {
        match a {
            Ok(a) => args.push(a),
            Err(m) => errs.push(EntryError {
                key: "args",
                message: m,
                help: Some(
                    "write argument indices (`0`), `\"self\"`, `\"all\"`, `\"format\"` \
                     or a field name"
                        .into(),
                ),
            }),
        }
    }
    if args.is_empty() && !matches!(target, Some(Target::Type(_))) {
        args.push(Arg::All);
    }
    let returns = match p.returns {
        Some(Ok(r)) => r,
        Some(Err(m)) => {
            errs.push(EntryError {
                key: "returns",
                message: m,
                help: Some("write `returns = true` or `returns = \"self\"`".into()),
            });
            Returns::No
        }
        None => Returns::No,
    };
    match (kind, p.recipient) {
        (Some(Kind::Sink), None) => errs.push(EntryError {
            key: "kind",
            message: "a sink model needs a `recipient`".into(),
            help: Some(format!(
                "add `recipient = \"log\"` (a built-in recipient: {}) or a declared one",
                crate::manifest::RecipientKind::BUILT_IN
                    .map(|k| format!("`{}`", k.as_str()))
                    .join(", ")
            )),
        }),
        (Some(Kind::Sink), Some(r)) if !recipient_ok(r) => errs.push(EntryError {
            key: "recipient",
            message: format!("unresolvable recipient `{r}` in `[[models]]`"),
            help: Some(format!(
                "declare it as `[recipients.{r}]` or use a built-in recipient ({})",
                crate::manifest::RecipientKind::BUILT_IN
                    .map(|k| format!("`{}`", k.as_str()))
                    .join(", ")
            )),
        }),
        (Some(k), Some(_)) if k != Kind::Sink => errs.push(EntryError {
            key: "recipient",
            message: format!("a {} model takes no `recipient`", k.as_str()),
            help: Some("remove it, or make the model `kind = \"sink\"`".into()),
        }),
        _ => {}
    }
    match (kind, p.category) {
        (Some(Kind::Source), None) => errs.push(EntryError {
            key: "kind",
            message: "a source model needs a `category`".into(),
            help: Some(
                "add `category = \"email\"` (a declared category or a taxonomy kind)".into(),
            ),
        }),
        (Some(k), Some(_)) if !matches!(k, Kind::Source | Kind::Sink) => errs.push(EntryError {
            key: "category",
            message: format!("a {} model takes no `category`", k.as_str()),
            help: Some("remove it, or make the model `kind = \"source\"`".into()),
        }),
        _ => {}
    }
    if p.by_name && !matches!(target, Some(Target::Method(_))) {
        errs.push(EntryError {
            key: "by-name",
            message: "`by-name` applies to method models only".into(),
            help: Some("remove it".into()),
        });
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let (Some(kind), Some(target)) = (kind, target) else {
        return Err(errs);
    };
    Ok(Entry {
        kind,
        target,
        args,
        recipient: p.recipient.map(str::to_string),
        returns,
        category: p.category.map(str::to_string),
        by_name: p.by_name,
        notes: p.notes.map(str::to_string),
        origin: origin.to_string(),
    })
}

fn is_ident(s: &str) -> bool {
    let s = s.strip_prefix("r#").unwrap_or(s);
    !s.is_empty()
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// Reads one `args` element as written in TOML.
pub fn arg_of(v: &toml::Value) -> Result<Arg, String> {
    match v {
        toml::Value::Integer(i) if (0..=u16::MAX as i64).contains(i) => Ok(Arg::Index(*i as u16)),
        toml::Value::String(s) if !s.is_empty() => Ok(Arg::parse(s)),
        other => Err(format!("`{other}` is not an argument selector")),
    }
}

/// Reads `returns` as written in TOML.
pub fn returns_of(v: &toml::Value) -> Result<Returns, String> {
    match v {
        toml::Value::Boolean(true) => Ok(Returns::Value),
        toml::Value::Boolean(false) => Ok(Returns::No),
        toml::Value::String(s) if s == "self" => Ok(Returns::Receiver),
        other => Err(format!(
            "`returns = {other}` is not `true`, `false` or `\"self\"`"
        )),
    }
}

/// The built-in model files: name and text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("std.toml", include_str!("../models/std.toml")),
    ("log.toml", include_str!("../models/log.toml")),
    ("tracing.toml", include_str!("../models/tracing.toml")),
    ("slog.toml", include_str!("../models/slog.toml")),
    ("sqlx.toml", include_str!("../models/sqlx.toml")),
    ("diesel.toml", include_str!("../models/diesel.toml")),
    ("sea-orm.toml", include_str!("../models/sea-orm.toml")),
    ("rusqlite.toml", include_str!("../models/rusqlite.toml")),
    ("postgres.toml", include_str!("../models/postgres.toml")),
    ("hiqlite.toml", include_str!("../models/hiqlite.toml")),
    ("redis.toml", include_str!("../models/redis.toml")),
    ("mongodb.toml", include_str!("../models/mongodb.toml")),
    ("reqwest.toml", include_str!("../models/reqwest.toml")),
    ("ureq.toml", include_str!("../models/ureq.toml")),
    ("hyper.toml", include_str!("../models/hyper.toml")),
    ("awc.toml", include_str!("../models/awc.toml")),
    ("axum.toml", include_str!("../models/axum.toml")),
    ("actix-web.toml", include_str!("../models/actix-web.toml")),
    ("rocket.toml", include_str!("../models/rocket.toml")),
    ("warp.toml", include_str!("../models/warp.toml")),
    ("poem.toml", include_str!("../models/poem.toml")),
    ("templates.toml", include_str!("../models/templates.toml")),
    ("lettre.toml", include_str!("../models/lettre.toml")),
    ("serde_json.toml", include_str!("../models/serde_json.toml")),
    ("secrecy.toml", include_str!("../models/secrecy.toml")),
    ("anyhow.toml", include_str!("../models/anyhow.toml")),
    ("csv.toml", include_str!("../models/csv.toml")),
    ("sentry.toml", include_str!("../models/sentry.toml")),
    (
        "opentelemetry.toml",
        include_str!("../models/opentelemetry.toml"),
    ),
    ("aws-sdk.toml", include_str!("../models/aws-sdk.toml")),
    (
        "activitypub.toml",
        include_str!("../models/activitypub.toml"),
    ),
];

fn builtin_recipient(r: &str) -> bool {
    crate::manifest::RecipientKind::BUILT_IN
        .iter()
        .any(|k| k.as_str() == r)
}

/// Parses the built-in pack. A broken model file is a bug of this repository: the test
/// `builtin_pack_parses` keeps them valid; at run time a broken entry is skipped.
fn builtin_entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN {
        let Ok(file) = toml::from_str::<RawFile>(text) else {
            continue;
        };
        for raw in &file.models {
            if let Ok(e) = build(raw_parts(raw), name, &builtin_recipient) {
                out.push(e);
            }
        }
    }
    out
}

fn raw_parts(raw: &RawEntry) -> Parts<'_> {
    Parts {
        kind: Some(raw.kind.as_str()),
        function: raw.function.as_deref(),
        method: raw.method.as_deref(),
        mac: raw.mac.as_deref(),
        ty: raw.ty.as_deref(),
        args: raw.args.iter().map(arg_of).collect(),
        recipient: raw.recipient.as_deref(),
        returns: raw.returns.as_ref().map(returns_of),
        category: raw.category.as_deref(),
        by_name: raw.by_name,
        notes: raw.notes.as_deref(),
    }
}

/// Every problem of the built-in pack (for the repository's tests).
pub fn check_builtin() -> Vec<String> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN {
        match toml::from_str::<RawFile>(text) {
            Err(e) => out.push(format!("{name}: {e}")),
            Ok(file) => {
                for (i, raw) in file.models.iter().enumerate() {
                    if let Err(es) = build(raw_parts(raw), name, &builtin_recipient) {
                        for e in es {
                            out.push(format!("{name}: entry {}: {}", i + 1, e.message));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The built-in pack, parsed once.
pub fn builtin() -> &'static [Entry] {
    static PACK: std::sync::OnceLock<Vec<Entry>> = std::sync::OnceLock::new();
    PACK.get_or_init(builtin_entries)
}

/// Model entries indexed for the evaluator.
#[derive(Default)]
pub struct Pack {
    pub entries: Vec<Entry>,
    macros: FxHashMap<String, Vec<usize>>,
    functions: FxHashMap<String, Vec<usize>>,
    methods: FxHashMap<String, Vec<usize>>,
    /// Type models (sanitiser and source types), by the type's last segment.
    type_models: FxHashMap<String, Vec<usize>>,
    /// The types method models name, by their last segment (`Client` → `reqwest::Client`,
    /// `tokio_postgres::Client`).
    types: FxHashMap<String, Vec<Vec<String>>>,
    /// The manifest's category ids.
    declared: Vec<String>,
}

impl Pack {
    /// The built-in pack and the manifest's entries (which come first: a user's model of a
    /// name wins over the pack's).
    pub fn new(user: &[Entry], declared: Vec<String>) -> Pack {
        let mut p = Pack {
            declared,
            ..Pack::default()
        };
        for e in user.iter().chain(builtin()) {
            let i = p.entries.len();
            let last = e.target.path().last().cloned().unwrap_or_default();
            let map = match e.target {
                Target::Macro(_) => &mut p.macros,
                Target::Function(_) => &mut p.functions,
                Target::Method(_) => &mut p.methods,
                Target::Type(_) => &mut p.type_models,
            };
            map.entry(last).or_default().push(i);
            if let Target::Method(path) = &e.target {
                if let [ty @ .., _] = path.as_slice() {
                    let known = p.types.entry(ty.last().cloned().unwrap_or_default());
                    let known = known.or_default();
                    if !known.iter().any(|k| k == ty) {
                        known.push(ty.to_vec());
                    }
                }
            }
            p.entries.push(e.clone());
        }
        p
    }

    /// The entry for a macro `path!`.
    pub fn mac(&self, path: &[String]) -> Option<&Entry> {
        let last = path.last()?;
        self.macros
            .get(last)?
            .iter()
            .map(|&i| &self.entries[i])
            .find(|e| {
                let mp = e.target.path();
                path.len() == 1 || mp.len() == 1 || mp.first() == path.first()
            })
    }

    /// Is some function model named `last`? (A cheap gate before expanding the path.)
    pub fn has_function(&self, last: &str) -> bool {
        self.functions.contains_key(last)
    }

    /// The entry for a call of the path `segs` (its first segment already expanded through
    /// the module's `use` items); `globs` are the module's glob imports.
    pub fn function(&self, segs: &[String], globs: &[Vec<String>]) -> Option<&Entry> {
        let last = segs.last()?;
        self.functions
            .get(last)?
            .iter()
            .map(|&i| &self.entries[i])
            .find(|e| path_matches(e.target.path(), segs, globs))
    }

    /// The category a source model gives its result: a declared category as is, else the
    /// looks-like pseudo-category of a taxonomy kind.
    pub fn category(&self, e: &Entry) -> Option<String> {
        let c = e.category.as_deref()?;
        Some(if self.declared.iter().any(|d| d == c) {
            c.to_string()
        } else {
            crate::looks::pseudo_category(c)
        })
    }

    /// Does a library type path (the receiver's type, first segment expanded through `use`)
    /// name a method model's type `mty` (`std::net::TcpStream`)? The last segments agree;
    /// where both paths name a crate, the crates agree (std, core and alloc are one) and,
    /// where both name a module, the modules (`std::fmt::Write` is not `std::io::Write`); a
    /// two-segment path whose head is a module of the model's (`io::Stdout`) matches too.
    /// Another crate's type of the same name is another type (`reqwest::Client` is not
    /// `tokio_postgres::Client`), even a re-export: a receiver of a type no model names
    /// counts as of unknown type ([`Pack::knows_type`]), so that the other rules still apply.
    pub fn type_matches(&self, mty: &[String], recv: &[String]) -> bool {
        let (Some(ml), Some(rl)) = (mty.last(), recv.last()) else {
            return false;
        };
        if ml != rl {
            return false;
        }
        let (m, r) = (mty.len(), recv.len());
        if m == 1 || r == 1 {
            return true;
        }
        let std = |s: &str| matches!(s, "std" | "core" | "alloc");
        if recv[0] == mty[0] || (std(&recv[0]) && std(&mty[0])) {
            return r < 3 || m < 3 || recv[r - 2] == mty[m - 2];
        }
        r == 2 && mty[1..m - 1].contains(&recv[0])
    }

    /// The type model of a library type (first segment expanded through `use`):
    /// [`Pack::type_matches`], the user's models first.
    pub fn type_model(&self, lib: &[String]) -> Option<&Entry> {
        self.type_models
            .get(lib.last()?)?
            .iter()
            .map(|&i| &self.entries[i])
            .find(|e| self.type_matches(e.target.path(), lib))
    }

    /// Is some type model named `last`? (A cheap gate before expanding a path.)
    pub fn has_type(&self, last: &str) -> bool {
        self.type_models.contains_key(last)
    }

    /// Does some method model name the library type `recv` ([`Pack::type_matches`])?
    pub fn knows_type(&self, recv: &[String]) -> bool {
        recv.last()
            .and_then(|l| self.types.get(l))
            .is_some_and(|ts| ts.iter().any(|t| self.type_matches(t, recv)))
    }

    /// The entries for a method `name` (the caller checks the receiver).
    pub fn methods(&self, name: &str) -> impl Iterator<Item = &Entry> {
        self.methods
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }
}

/// Does a written (use-expanded) path name the model's path? The last segments agree, and
/// the written path's crate is the model's, or its next-to-last segment is one of the model's
/// (`fs::write` ~ `std::fs::write`, `web::Json` ~ `actix_web::web::Json`). A single segment
/// matches a single-segment model, or through a glob import of the model's crate.
fn path_matches(model: &[String], written: &[String], globs: &[Vec<String>]) -> bool {
    let (Some(ml), Some(wl)) = (model.last(), written.last()) else {
        return false;
    };
    if ml != wl {
        return false;
    }
    if model.len() == 1 {
        return true;
    }
    if written.len() == 1 {
        // `crate::scrub` in the project's own models names its `scrub`
        return (model.len() == 2 && model[0] == "crate")
            || globs.iter().any(|g| g.first() == model.first());
    }
    written[0] == model[0] || model[..model.len() - 1].contains(&written[written.len() - 2])
}

/// A Markdown page of the pack (`docs/models.md`).
pub fn markdown() -> String {
    let mut out = String::from(
        "# The model pack\n\n<!-- generated by `UPDATE_DOCS=1 cargo test -p dpia-lint-engine models_doc`; do not edit -->\n\n\
         Sinks, sanitisers, passthroughs and sources of third-party crates, as data. \
         The files are `lint-engine/models/<crate>.toml`; a project adds its own \
         entries in `dpia.toml` `[[models]]` with the same keys. `cargo dpia-lint models` \
         prints this list.\n\n\
         | key | meaning |\n|---|---|\n\
         | `kind` | `sink`, `sanitiser`, `passthrough` or `source` |\n\
         | `function`, `method`, `macro`, `type` | exactly one: what the entry is about \
         (`a::f`, `a::Type::m`, `a::mac`, `a::Type`); a `type` entry is a `sanitiser` (a \
         value of the type carries nothing: a redaction wrapper) or a `source` (a value of \
         it carries `category`: `lettre::Address`) and takes no `args` or `returns` |\n\
         | `args` | the inputs that carry data: indices, `\"self\"`, `\"all\"` (the default), \
         `\"format\"`, or a macro field name |\n\
         | `recipient` | sinks: a built-in recipient or a declared one |\n\
         | `returns` | passthroughs: `true` (to the result) or `\"self\"` (to the receiver) |\n\
         | `category` | sources: a declared category or a taxonomy kind |\n\
         | `by-name` | methods: also on receivers of unknown type |\n\
         | `notes` | free text |\n",
    );
    let mut last = "";
    for e in builtin() {
        if e.origin != last {
            last = &e.origin;
            out.push_str(&format!(
                "\n## `{}`\n\n| kind | {} | args | recipient / category | notes |\n|---|---|---|---|---|\n",
                last, "target"
            ));
        }
        out.push_str(&format!(
            "| {} | {} `{}`{} | {} | {} | {} |\n",
            e.kind.as_str(),
            e.target.key(),
            e.target.path().join("::"),
            if e.by_name { " (by name)" } else { "" },
            e.args.iter().map(Arg::show).collect::<Vec<_>>().join(", "),
            e.recipient
                .as_deref()
                .or(e.category.as_deref())
                .unwrap_or(match e.returns {
                    Returns::Value => "→ result",
                    Returns::Receiver => "→ receiver",
                    Returns::No => "",
                }),
            e.notes.as_deref().unwrap_or("").replace('|', "\\|"),
        ));
    }
    out
}

/// The pack as JSON (`cargo dpia-lint models --format json`).
pub fn json() -> serde_json::Value {
    serde_json::Value::Array(
        builtin()
            .iter()
            .map(|e| {
                let mut m = serde_json::Map::new();
                m.insert("file".into(), e.origin.clone().into());
                m.insert("kind".into(), e.kind.as_str().into());
                m.insert(e.target.key().into(), e.target.path().join("::").into());
                m.insert(
                    "args".into(),
                    e.args
                        .iter()
                        .map(|a| match a {
                            Arg::Index(i) => serde_json::Value::from(*i),
                            other => serde_json::Value::from(match other {
                                Arg::Field(f) => f.clone(),
                                o => o.show(),
                            }),
                        })
                        .collect(),
                );
                if let Some(r) = &e.recipient {
                    m.insert("recipient".into(), r.clone().into());
                }
                if let Some(c) = &e.category {
                    m.insert("category".into(), c.clone().into());
                }
                match e.returns {
                    Returns::Value => {
                        m.insert("returns".into(), true.into());
                    }
                    Returns::Receiver => {
                        m.insert("returns".into(), "self".into());
                    }
                    Returns::No => {}
                }
                if e.by_name {
                    m.insert("by-name".into(), true.into());
                }
                if let Some(n) = &e.notes {
                    m.insert("notes".into(), n.clone().into());
                }
                serde_json::Value::Object(m)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pack_parses() {
        assert_eq!(check_builtin(), Vec::<String>::new());
        assert!(builtin().len() > 50);
    }

    #[test]
    fn models_doc_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/models.md");
        let want = markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).expect("write docs/models.md");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/models.md is stale: run `UPDATE_DOCS=1 cargo test -p dpia-lint-engine models_doc`"
        );
    }

    #[test]
    fn paths_match_by_their_last_segments() {
        let p = |s: &str| split_path(s);
        let m = |a: &str, b: &str| path_matches(&p(a), &p(b), &[]);
        assert!(m("std::fs::write", "fs::write"));
        assert!(m("std::fs::write", "std::fs::write"));
        assert!(!m("std::fs::write", "write"));
        assert!(!m("std::fs::write", "tokio::io::write"));
        assert!(m("axum::Json", "axum::extract::Json"));
        assert!(path_matches(
            &p("sea_orm::ActiveValue::Set"),
            &p("Set"),
            &[p("sea_orm::entity::prelude")]
        ));
    }

    #[test]
    fn receiver_types_match_by_crate_and_module() {
        let pack = Pack::new(&[], Vec::new());
        let p = |s: &str| split_path(s);
        let m = |model: &str, recv: &str| pack.type_matches(&p(model), &p(recv));
        assert!(m("std::net::TcpStream", "std::net::TcpStream"));
        assert!(m("std::net::TcpStream", "TcpStream"));
        assert!(m("std::net::TcpStream", "net::TcpStream"));
        assert!(m("std::fmt::Formatter", "core::fmt::Formatter"));
        assert!(!m("std::net::TcpStream", "tokio::net::TcpStream"));
        assert!(!m("std::io::Write", "std::fmt::Write"));
        assert!(!m("tokio_postgres::Client", "reqwest::Client"));
        assert!(pack.knows_type(&p("reqwest::Client")));
        assert!(pack.knows_type(&p("tokio::net::TcpStream")));
        // a type no model names is unknown: the other rules apply to it
        assert!(!pack.knows_type(&p("hiqlite::Client")));
        assert!(!pack.knows_type(&p("lettre::AsyncSmtpTransport")));
    }

    #[test]
    fn bad_entries_are_errors() {
        let parts = || Parts {
            kind: Some("sink"),
            function: Some("a::b"),
            method: None,
            mac: None,
            ty: None,
            args: vec![],
            recipient: Some("nowhere"),
            returns: None,
            category: None,
            by_name: false,
            notes: None,
        };
        let e = build(parts(), "t", &builtin_recipient).unwrap_err();
        assert_eq!(e[0].key, "recipient");
        let mut two = parts();
        two.recipient = Some("log");
        two.mac = Some("a::m");
        assert_eq!(
            build(two, "t", &builtin_recipient).unwrap_err()[0].key,
            "macro"
        );
    }

    #[test]
    fn type_models_are_sanitisers_or_sources() {
        let parts = |kind| Parts {
            kind: Some(kind),
            function: None,
            method: None,
            mac: None,
            ty: Some("mycrate::Scrubbed"),
            args: vec![],
            recipient: None,
            returns: None,
            category: None,
            by_name: false,
            notes: None,
        };
        let e = build(parts("sanitiser"), "t", &builtin_recipient).unwrap();
        assert_eq!(
            e.target,
            Target::Type(vec!["mycrate".into(), "Scrubbed".into()])
        );
        assert!(e.args.is_empty(), "a type model selects no inputs");
        let mut src = parts("source");
        src.category = Some("email");
        assert!(build(src, "t", &builtin_recipient).is_ok());
        let mut sink = parts("sink");
        sink.recipient = Some("log");
        assert_eq!(
            build(sink, "t", &builtin_recipient).unwrap_err()[0].key,
            "type"
        );
        let mut args = parts("sanitiser");
        args.args = vec![Ok(Arg::Index(0))];
        assert_eq!(
            build(args, "t", &builtin_recipient).unwrap_err()[0].key,
            "args"
        );
        let mut ret = parts("sanitiser");
        ret.returns = Some(Ok(Returns::Value));
        assert_eq!(
            build(ret, "t", &builtin_recipient).unwrap_err()[0].key,
            "returns"
        );
        let mut both = parts("sanitiser");
        both.function = Some("mycrate::scrub");
        assert_eq!(
            build(both, "t", &builtin_recipient).unwrap_err()[0].key,
            "type"
        );
    }

    #[test]
    fn type_models_match_by_library_type() {
        let pack = Pack::new(&[], Vec::new());
        let p = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
        let kind = |s: &str| pack.type_model(&p(s)).map(|e| e.kind);
        assert_eq!(kind("secrecy::SecretString"), Some(Kind::Sanitiser));
        assert_eq!(kind("SecretBox"), Some(Kind::Sanitiser));
        assert_eq!(kind("lettre::message::Mailbox"), Some(Kind::Source));
        assert_eq!(kind("lettre::address::Address"), Some(Kind::Source));
        // another crate's type of the name is another type
        assert_eq!(kind("std::net::Address"), None);
        assert_eq!(kind("vault::SecretString"), None);
        assert!(pack.has_type("Mailbox") && !pack.has_type("Client"));
    }
}
