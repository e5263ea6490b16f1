//! The one grammar of dpia tags (DESIGN §2), shared by `dpia-macros` (compile-time
//! validation) and `dpia-lint-engine` (static analysis), so the two can never disagree.
//!
//! Entry point: [`parse_tag`] turns the argument tokens of one attribute into a typed
//! [`Tag`], or a list of [`TagError`]s, each with a span and, where it helps, a
//! "did you mean" suggestion.
//!
//! Also here: [`Duration`] parsing (`"1d"`, `"24h"`, `"P1D"`), the DPA 2018 s62
//! [`Operation`]s and the lawful-basis vocabulary of DESIGN §4 ([`basis`]).

pub mod basis;

use proc_macro2::{Span, TokenStream};

/// Which attribute a tag is. The last path segment of the attribute names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TagKind {
    /// `#[dpia::personal_data(...)]` on a struct or enum.
    PersonalData,
    /// `#[dpia::processing(...)]` on a fn or impl.
    Processing,
    /// `#[dpia::sink(...)]` on a fn.
    Sink,
    /// `#[dpia::erases(...)]` on a fn.
    Erases,
    /// `#[dpia::audit_log]` on a fn.
    AuditLog,
    /// `#[dpia::allow(rule, reason = "...")]` on any item.
    Allow,
    /// `#[dpia(...)]`, the field helper attribute inside a `personal_data` item.
    Field,
}

impl TagKind {
    /// Every attribute macro, in declaration order (not the `#[dpia(...)]` field helper).
    pub const MACROS: [TagKind; 6] = [
        TagKind::PersonalData,
        TagKind::Processing,
        TagKind::Sink,
        TagKind::Erases,
        TagKind::AuditLog,
        TagKind::Allow,
    ];

    /// The macro's name as written in source: `personal_data`, ..., and `dpia` for the field helper.
    pub fn name(self) -> &'static str {
        match self {
            TagKind::PersonalData => "personal_data",
            TagKind::Processing => "processing",
            TagKind::Sink => "sink",
            TagKind::Erases => "erases",
            TagKind::AuditLog => "audit_log",
            TagKind::Allow => "allow",
            TagKind::Field => "dpia",
        }
    }

    /// The attribute macro with this name (`"processing"` → `Processing`); not the field helper.
    pub fn from_macro_name(name: &str) -> Option<TagKind> {
        TagKind::MACROS.into_iter().find(|k| k.name() == name)
    }
}

/// A value with the span of the tokens it came from.
#[derive(Clone, Debug)]
///
/// Generic over the span type: the macros and the parser use `proc_macro2::Span`; the
/// engine converts every span to its own byte-offset span right after parsing (with
/// [`Tag::map_spans`]), because proc-macro2's span locations are only valid on the thread
/// that parsed the file.
pub struct Spanned<T, S = Span> {
    pub value: T,
    pub span: S,
}

/// One parsed tag.
#[derive(Clone, Debug)]
pub enum Tag<S = Span> {
    PersonalData(PersonalData<S>),
    Processing(Processing<S>),
    Sink(Sink<S>),
    Erases(Erases<S>),
    AuditLog,
    Allow(Allow<S>),
    Field(FieldTag<S>),
}

/// `#[personal_data(category = "...", retention = "1d", subjects = ["..."])]`.
#[derive(Clone, Debug)]
pub struct PersonalData<S = Span> {
    pub category: Option<Spanned<String, S>>,
    pub retention: Option<Spanned<Duration, S>>,
    pub subjects: Vec<Spanned<String, S>>,
}

/// `#[processing(purpose = "...", basis = "...", operations = [...], automated_decision = true)]`.
#[derive(Clone, Debug)]
pub struct Processing<S = Span> {
    pub purpose: Spanned<String, S>,
    pub basis: Option<Spanned<String, S>>,
    pub operations: Vec<Spanned<Operation, S>>,
    pub automated_decision: Option<Spanned<bool, S>>,
}

/// `#[sink(recipient = "...")]`.
#[derive(Clone, Debug)]
pub struct Sink<S = Span> {
    pub recipient: Spanned<String, S>,
}

/// `#[erases(categories = [...], schedule = "...")]`.
#[derive(Clone, Debug)]
pub struct Erases<S = Span> {
    pub categories: Vec<Spanned<String, S>>,
    pub schedule: Option<Spanned<String, S>>,
}

/// `#[dpia::allow(rule_name, reason = "...")]`. The grammar accepts a missing reason (the
/// linter reports it as DPIA901 allow-without-reason); the macro rejects it.
#[derive(Clone, Debug)]
pub struct Allow<S = Span> {
    /// The rule name as written (`function_creep` or `function-creep`) or a code (`DPIA102`).
    pub rule: Spanned<String, S>,
    pub reason: Option<Spanned<String, S>>,
}

/// `#[dpia(category = "...")]` or `#[dpia(not_personal)]` on a field.
#[derive(Clone, Debug)]
pub enum FieldTag<S = Span> {
    Category(Spanned<String, S>),
    NotPersonal(S),
}

/// The DPA 2018 s62 processing operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Collect,
    Alter,
    Consult,
    Disclose,
    Combine,
    Erase,
}

impl Operation {
    pub const ALL: [Operation; 6] = [
        Operation::Collect,
        Operation::Alter,
        Operation::Consult,
        Operation::Disclose,
        Operation::Combine,
        Operation::Erase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Collect => "collect",
            Operation::Alter => "alter",
            Operation::Consult => "consult",
            Operation::Disclose => "disclose",
            Operation::Combine => "combine",
            Operation::Erase => "erase",
        }
    }

    pub fn parse(s: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// A retention period. Keeps the text it was written as, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duration {
    /// Length in seconds (a day is 86 400 s, a week 7 days, a year 365 days).
    pub seconds: u64,
    /// The text as written, e.g. `"24h"` or `"P1D"`.
    pub text: String,
}

impl<S> Tag<S> {
    /// The kind of this tag.
    pub fn kind(&self) -> TagKind {
        match self {
            Tag::PersonalData(_) => TagKind::PersonalData,
            Tag::Processing(_) => TagKind::Processing,
            Tag::Sink(_) => TagKind::Sink,
            Tag::Erases(_) => TagKind::Erases,
            Tag::AuditLog => TagKind::AuditLog,
            Tag::Allow(_) => TagKind::Allow,
            Tag::Field(_) => TagKind::Field,
        }
    }

    /// The same tag with every span converted by `f`.
    pub fn map_spans<S2>(self, f: &mut impl FnMut(S) -> S2) -> Tag<S2> {
        fn sp<T, S, S2>(s: Spanned<T, S>, f: &mut impl FnMut(S) -> S2) -> Spanned<T, S2> {
            Spanned {
                value: s.value,
                span: f(s.span),
            }
        }
        fn all<T, S, S2>(
            v: Vec<Spanned<T, S>>,
            f: &mut impl FnMut(S) -> S2,
        ) -> Vec<Spanned<T, S2>> {
            v.into_iter().map(|s| sp(s, f)).collect()
        }
        match self {
            Tag::PersonalData(p) => Tag::PersonalData(PersonalData {
                category: p.category.map(|s| sp(s, f)),
                retention: p.retention.map(|s| sp(s, f)),
                subjects: all(p.subjects, f),
            }),
            Tag::Processing(p) => Tag::Processing(Processing {
                purpose: sp(p.purpose, f),
                basis: p.basis.map(|s| sp(s, f)),
                operations: all(p.operations, f),
                automated_decision: p.automated_decision.map(|s| sp(s, f)),
            }),
            Tag::Sink(s) => Tag::Sink(Sink {
                recipient: sp(s.recipient, f),
            }),
            Tag::Erases(e) => Tag::Erases(Erases {
                categories: all(e.categories, f),
                schedule: e.schedule.map(|s| sp(s, f)),
            }),
            Tag::AuditLog => Tag::AuditLog,
            Tag::Allow(a) => Tag::Allow(Allow {
                rule: sp(a.rule, f),
                reason: a.reason.map(|s| sp(s, f)),
            }),
            Tag::Field(FieldTag::Category(c)) => Tag::Field(FieldTag::Category(sp(c, f))),
            Tag::Field(FieldTag::NotPersonal(s)) => Tag::Field(FieldTag::NotPersonal(f(s))),
        }
    }
}

/// A problem in a tag, with the span of the offending tokens.
#[derive(Clone, Debug)]
pub struct TagError {
    pub span: Span,
    /// rustc-style: lowercase, no trailing period. E.g. ``unknown key `retension` ``.
    pub message: String,
    /// E.g. ``did you mean `retention`?``.
    pub help: Option<String>,
    /// The text to put in place of `span` when the fix is certain (the key or value that
    /// "did you mean" names, as it must be written): linters offer it as a fix.
    pub replacement: Option<String>,
}

/// A `#[dpia(...)]` field helper on a type that has no `#[personal_data]`: only that tag
/// strips the helpers, so rustc rejects the field ("cannot find attribute `dpia` in this
/// scope"). The macros (on a type under another dpia tag) and the linter (DPIA002) report it
/// with this error.
pub fn field_helper_without_personal_data(span: Span) -> TagError {
    TagError {
        span,
        message: "`#[dpia(...)]` on a field needs `#[dpia::personal_data]` on its type: only that tag removes the field helpers, and rustc rejects them otherwise (cannot find attribute `dpia` in this scope)".into(),
        help: Some("tag the type with `#[dpia::personal_data(category = \"...\")]` (the field helpers then refine it), or remove the helper".into()),
        replacement: None,
    }
}

/// Parses the argument tokens of one tag (what is inside the parentheses; empty for a bare
/// `#[audit_log]`). Collects every error it can rather than stopping at the first.
pub fn parse_tag(kind: TagKind, args: TokenStream) -> Result<Tag, Vec<TagError>> {
    grammar::parse(kind, args)
}

/// Parses a tag from a whole attribute: `#[dpia::processing(...)]`, `#[audit_log]`.
pub fn parse_tag_attr(kind: TagKind, attr: &syn::Attribute) -> Result<Tag, Vec<TagError>> {
    match &attr.meta {
        syn::Meta::Path(_) => parse_tag(kind, TokenStream::new()),
        syn::Meta::List(l) => parse_tag(kind, l.tokens.clone()),
        syn::Meta::NameValue(nv) => Err(vec![TagError {
            span: syn::spanned::Spanned::span(&nv.value),
            message: format!(
                "`{}` takes `(key = value, ...)` arguments, not `= value`",
                kind.name()
            ),
            help: None,
            replacement: None,
        }]),
    }
}

/// Parses a duration: an integer and a unit `s`, `min`, `h`, `d`, `w`, `y`, or ISO 8601
/// (`P1D`, `PT24H`, `P1Y2M`...). `"6m"` is rejected as ambiguous (minutes or months?).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    duration::parse(text)
}

/// The error for `#[personal_data]` without `category` on an item with untagged fields
/// (named, or numbered for tuple fields): its message and its help. The macro and the
/// linter both report it, with this text.
pub fn untagged_fields_error(untagged: &[String]) -> (String, &'static str) {
    let list: Vec<String> = untagged.iter().map(|f| format!("`{f}`")).collect();
    (
        format!(
            "`#[personal_data]` without `category` needs a category on every field; untagged: {}",
            list.join(", ")
        ),
        "add `category = \"...\"` to the tag, or `#[dpia(category = \"...\")]` / `#[dpia(not_personal)]` to each field",
    )
}

/// The closest candidate to `word` ("did you mean"), if any is close enough.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let d = strsim::damerau_levenshtein(&word, &c.to_ascii_lowercase());
            (d, c)
        })
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The rules of the catalogue, `(code, name)`, in code order (DESIGN §7, contract). The
/// grammar checks `allow` rule names against it; the rules crate tests that its registry
/// matches.
pub const RULES: &[(&str, &str)] = &[
    ("DPIA001", "parse-error"),
    ("DPIA002", "invalid-annotation"),
    ("DPIA101", "undeclared-purpose"),
    ("DPIA102", "function-creep"),
    ("DPIA103", "untagged-processing"),
    ("DPIA104", "lawful-basis-mismatch"),
    ("DPIA201", "undeclared-personal-data"),
    ("DPIA202", "unknown-category"),
    ("DPIA203", "unused-declaration"),
    ("DPIA301", "undeclared-recipient"),
    ("DPIA302", "personal-data-in-logs"),
    ("DPIA303", "undeclared-personal-data-flow"),
    ("DPIA304", "international-transfer"),
    ("DPIA401", "retention-exceeds-dpia"),
    ("DPIA402", "missing-retention"),
    ("DPIA403", "no-erasure-routine"),
    ("DPIA501", "sensitive-without-condition"),
    ("DPIA502", "missing-audit-log"),
    ("DPIA503", "automated-decision-without-review"),
    ("DPIA601", "dpia-drift"),
    ("DPIA602", "screening-mismatch"),
    ("DPIA901", "allow-without-reason"),
    ("DPIA902", "unused-allow"),
];

/// The rule a name or code designates: `DPIA102`, `dpia102`, `function-creep`, `function_creep`.
pub fn rule_by_name(name: &str) -> Option<(&'static str, &'static str)> {
    let kebab = name.replace('_', "-");
    RULES
        .iter()
        .find(|(code, n)| code.eq_ignore_ascii_case(name) || *n == kebab)
        .copied()
}

mod duration;
mod grammar;

pub use grammar::basis_error;
