//! Reading `dpia.toml`: toml's spanned document ([`DeTable`]) walked by hand, so that every
//! unknown key, wrong type and semantic problem becomes its own [`ManifestError`] at the
//! exact byte span, and nothing stops at the first one.
//!
//! Two passes: the walk reads each table (reporting what is local to a value: types,
//! regime, lawful-basis ids, taxonomy kinds, durations, dates, rule names), then the
//! cross-references between categories, purposes and recipients are checked.

use dpia_annotations::suggest;
use std::ops::Range;

use dpia_annotations::basis::{self, IdKind, Regime};
use dpia_annotations::{Duration, Operation};
use serde_spanned::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::{
    Category, DpiaSection, Logging, Manifest, ManifestError, Purpose, Recipient, RecipientKind, Sp,
    Transfers, Waiver,
};
use crate::diag::Level;

#[cfg(test)]
use super::tests::parse_duration;
#[cfg(not(test))]
use dpia_annotations::parse_duration;

type Key<'i> = Spanned<DeString<'i>>;
type Val<'i> = Spanned<DeValue<'i>>;

const ROOT_KEYS: &[&str] = &[
    "dpia",
    "categories",
    "purposes",
    "recipients",
    "transfers",
    "logging",
    "lints",
    "waivers",
    "models",
    "screening",
];
const DPIA_KEYS: &[&str] = &[
    "title",
    "reference",
    "version",
    "reviewed",
    "regime",
    "controller",
    "baseline",
];
const CATEGORY_KEYS: &[&str] = &["description", "kind", "subjects", "retention", "sensitive"];
const PURPOSE_KEYS: &[&str] = &[
    "description",
    "basis",
    "conditions",
    "categories",
    "recipients",
    "compatible-with",
    "modules",
    "human-review",
    "appropriate-policy",
];
const RECIPIENT_KEYS: &[&str] = &["kind", "region", "description"];
const TRANSFERS_KEYS: &[&str] = &["allowed-regions"];
const LOGGING_KEYS: &[&str] = &["operations"];
const WAIVER_KEYS: &[&str] = &["rule", "item", "path", "reason", "owner", "expires"];

const DURATION_HELP: &str = "write an integer and a unit (`s`, `min`, `h`, `d`, `w`, `y`), \
     e.g. `\"1d\"` or `\"24h\"`, or ISO 8601, e.g. `\"P1D\"`";
const DATE_HELP: &str = "write a date as `YYYY-MM-DD`, e.g. `2024-06-01`";

/// See [`Manifest::parse`].
pub(super) fn parse(
    text: &str,
    is_rule: &dyn Fn(&str) -> bool,
    rule_names: &[&str],
) -> Result<Manifest, Vec<ManifestError>> {
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => return Err(vec![syntax_error(text, &e)]),
    };
    let mut r = Reader {
        errors: Vec::new(),
        is_rule,
        rule_names,
    };
    let manifest = r.document(doc.get_ref());
    let mut errors = r.errors;
    match manifest {
        Some(m) if errors.is_empty() => Ok(m),
        _ => {
            if errors.is_empty() {
                // not reached: a manifest is only missing when an error says why
                errors.push(ManifestError {
                    span: 0..0,
                    message: "invalid DPIA manifest".into(),
                    label: "here".into(),
                    help: None,
                });
            }
            for e in &mut errors {
                e.span = clamp(text, e.span.clone());
            }
            errors.sort_by_key(|e| (e.span.start, e.span.end));
            Err(errors)
        }
    }
}

fn syntax_error(text: &str, e: &toml::de::Error) -> ManifestError {
    let message = e.message().trim();
    let first = message
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_string();
    let help = (first == "duplicate key").then(|| {
        "a key, and each `[categories.<id>]`, `[purposes.<id>]` or `[recipients.<id>]` table, \
         may appear only once"
            .to_string()
    });
    ManifestError {
        span: clamp(text, e.span().unwrap_or(text.len()..text.len())),
        message: format!("invalid TOML: {first}"),
        label: first,
        help,
    }
}

/// A range inside `text`, on character boundaries, whatever the input.
fn clamp(text: &str, r: Range<usize>) -> Range<usize> {
    let mut start = r.start.min(text.len());
    let mut end = r.end.min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The entries of a table in source order (toml keeps them sorted by key).
fn entries<'a, 'i>(table: &'a DeTable<'i>) -> Vec<(&'a Key<'i>, &'a Val<'i>)> {
    let mut list: Vec<_> = table.iter().collect();
    list.sort_by_key(|(k, _)| (k.span().start, k.span().end));
    list
}

/// The known entries of a table.
struct Fields<'a, 'i>(Vec<(&'a Key<'i>, &'a Val<'i>)>);

impl<'a, 'i> Fields<'a, 'i> {
    fn get(&self, name: &str) -> Option<&'a Val<'i>> {
        self.0
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == name)
            .map(|(_, v)| *v)
    }
}

fn sp<T>(value: T, span: Range<usize>) -> Sp<T> {
    Sp { value, span }
}

/// `` `a`, `b`, `c` ``.
fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "a string", "an integer", … for "expected X, found Y".
fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(dt) => match (&dt.date, &dt.time) {
            (Some(_), None) => "a date",
            (None, Some(_)) => "a time",
            _ => "a date-time",
        },
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: Range<usize>| -> Option<u32> {
        let part = &b[r];
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// "did you mean `x`?" or the fallback.
fn did_you_mean(
    suggestion: Option<&str>,
    otherwise: impl FnOnce() -> Option<String>,
) -> Option<String> {
    match suggestion {
        Some(s) => Some(format!("did you mean `{s}`?")),
        None => otherwise(),
    }
}

/// The `[dpia]` table before we know it is complete.
struct RawDpia {
    title: Option<Sp<String>>,
    reference: Option<Sp<String>>,
    version: Option<Sp<String>>,
    reviewed: Option<Sp<String>>,
    regime: Option<Sp<Regime>>,
    controller: Option<Sp<String>>,
    baseline: Option<Sp<String>>,
    span: Range<usize>,
}

struct Reader<'r> {
    errors: Vec<ManifestError>,
    is_rule: &'r dyn Fn(&str) -> bool,
    rule_names: &'r [&'r str],
}

impl Reader<'_> {
    fn err(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        self.errors.push(ManifestError {
            span,
            message: message.into(),
            label: label.into(),
            help,
        });
    }

    /// "expected a string, found an integer".
    fn expected(&mut self, v: &Val<'_>, what: &str, help: Option<String>) {
        self.err(
            v.span(),
            format!("expected {what}, found {}", describe(v.get_ref())),
            format!("expected {what}"),
            help,
        );
    }

    fn missing(&mut self, span: Range<usize>, key: &str, place: &str, help: Option<String>) {
        self.err(
            span,
            format!("missing key `{key}` in `{place}`"),
            format!("`{key}` is required"),
            help,
        );
    }

    /// Reports the keys of `table` outside `known`; `place` names the table (`[dpia]`),
    /// empty for the top level.
    fn fields<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        place: &str,
        known: &[&str],
    ) -> Fields<'a, 'i> {
        let list = entries(table);
        for (key, _) in &list {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let message = if place.is_empty() {
                format!("unknown key `{name}` at the top level")
            } else {
                format!("unknown key `{name}` in `{place}`")
            };
            let help = if place.is_empty() && DPIA_KEYS.contains(&name) {
                Some(format!("`{name}` belongs in the `[dpia]` table"))
            } else if !place.is_empty() && ROOT_KEYS.contains(&name) {
                Some(format!(
                    "`{name}` is a top-level table: after a `{place}` header it belongs to \
                     that table; write `[{name}…]` headers, or move it above the first header"
                ))
            } else {
                did_you_mean(suggest(name, known.iter().copied()), || {
                    Some(format!("valid keys: {}", code_list(known.iter().copied())))
                })
            };
            self.err(key.span(), message, "unknown key", help);
        }
        Fields(list)
    }

    fn table<'a, 'i>(&mut self, v: &'a Val<'i>, help: Option<String>) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.expected(v, "a table", help);
                None
            }
        }
    }

    fn string(&mut self, v: &Val<'_>) -> Option<Sp<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(sp(s.to_string(), v.span())),
            _ => {
                self.expected(v, "a string", None);
                None
            }
        }
    }

    fn strings(&mut self, v: &Val<'_>) -> Vec<Sp<String>> {
        match v.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|x| self.string(x)).collect(),
            DeValue::String(s) => {
                let help = Some(format!("write a list: `[\"{s}\"]`"));
                self.expected(v, "an array of strings", help);
                Vec::new()
            }
            _ => {
                self.expected(v, "an array of strings", None);
                Vec::new()
            }
        }
    }

    fn boolean(&mut self, v: &Val<'_>) -> Option<Sp<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(sp(*b, v.span())),
            _ => {
                self.expected(v, "a boolean", None);
                None
            }
        }
    }

    /// A TOML date or a `"YYYY-MM-DD"` string, as `YYYY-MM-DD`.
    fn date(&mut self, v: &Val<'_>) -> Option<Sp<String>> {
        let text = match v.get_ref() {
            DeValue::Datetime(dt) => match (&dt.date, &dt.time, &dt.offset) {
                (Some(d), None, None) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
                _ => {
                    self.expected(v, "a date (YYYY-MM-DD)", Some(DATE_HELP.into()));
                    return None;
                }
            },
            DeValue::String(s) => s.to_string(),
            _ => {
                self.expected(v, "a date (YYYY-MM-DD)", Some(DATE_HELP.into()));
                return None;
            }
        };
        if !is_date(&text) {
            self.err(
                v.span(),
                format!("invalid date `{text}`"),
                "not a date",
                Some(DATE_HELP.into()),
            );
            return None;
        }
        Some(sp(text, v.span()))
    }

    fn duration(&mut self, v: &Val<'_>) -> Option<Sp<Duration>> {
        let DeValue::String(s) = v.get_ref() else {
            self.expected(v, "a duration string", Some(DURATION_HELP.into()));
            return None;
        };
        match parse_duration(s) {
            Ok(d) => Some(sp(d, v.span())),
            Err(why) => {
                self.err(
                    v.span(),
                    format!("invalid duration `{s}`: {why}"),
                    "invalid duration",
                    Some(DURATION_HELP.into()),
                );
                None
            }
        }
    }

    /// The `<id>` tables of `[categories]`, `[purposes]` or `[recipients]`.
    #[allow(clippy::type_complexity)]
    fn entry_tables<'a, 'i>(
        &mut self,
        v: &'a Val<'i>,
        section: &str,
    ) -> Vec<(Sp<String>, &'a Val<'i>, &'a DeTable<'i>)> {
        let help = Some(format!("declare each entry as a `[{section}.<id>]` table"));
        let Some(table) = self.table(v, help) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in entries(table) {
            let id = sp(key.get_ref().to_string(), key.span());
            if id.value.trim().is_empty() {
                self.err(id.span.clone(), "empty id", "an id may not be empty", None);
                continue;
            }
            match value.get_ref() {
                DeValue::Table(t) => out.push((id, value, t)),
                _ => {
                    let help = Some(format!("declare it as a `[{section}.{}]` table", id.value));
                    self.expected(value, "a table", help);
                }
            }
        }
        out
    }

    fn document(&mut self, root: &DeTable<'_>) -> Option<Manifest> {
        let f = self.fields(root, "", ROOT_KEYS);
        let dpia = match f.get("dpia") {
            Some(v) => self.dpia(v),
            None => {
                self.err(
                    0..0,
                    "missing `[dpia]` table",
                    "expected `[dpia]`",
                    Some(
                        "start the manifest with `[dpia]` and at least `regime = \"uk-gdpr\"` \
                         or `regime = \"dpa2018-part3\"`"
                            .into(),
                    ),
                );
                None
            }
        };
        let regime = dpia
            .as_ref()
            .and_then(|d| d.regime.as_ref())
            .map(|r| r.value);

        let mut categories = Vec::new();
        if let Some(v) = f.get("categories") {
            for (id, _, t) in self.entry_tables(v, "categories") {
                categories.push(self.category(id, t));
            }
        }
        let mut purposes = Vec::new();
        if let Some(v) = f.get("purposes") {
            for (id, _, t) in self.entry_tables(v, "purposes") {
                purposes.push(self.purpose(id, t, regime));
            }
        }
        let mut recipients = Vec::new();
        if let Some(v) = f.get("recipients") {
            for (id, v, t) in self.entry_tables(v, "recipients") {
                recipients.extend(self.recipient(id, v, t));
            }
        }
        let transfers = f.get("transfers").and_then(|v| self.transfers(v));
        let logging = f.get("logging").and_then(|v| self.logging(v, regime));
        let lints = f.get("lints").map(|v| self.lints(v)).unwrap_or_default();
        let waivers = f
            .get("waivers")
            .map(|v| self.waivers(v))
            .unwrap_or_default();
        let screening = f
            .get("screening")
            .map(|v| self.screening(v))
            .unwrap_or_default();

        self.check_references(&categories, &purposes, &recipients);
        let models = match f.get("models") {
            Some(v) => self.models(v, &recipients),
            None => Vec::new(),
        };

        let dpia = dpia?;
        Some(Manifest {
            dpia: DpiaSection {
                title: dpia.title,
                reference: dpia.reference,
                version: dpia.version,
                reviewed: dpia.reviewed,
                regime: dpia.regime?,
                controller: dpia.controller,
                baseline: dpia.baseline,
                span: dpia.span,
            },
            categories,
            purposes,
            recipients,
            transfers,
            logging,
            lints,
            waivers,
            models,
            screening,
        })
    }

    /// `[screening]`: the controller's answers to the screening items (UK GDPR Art 35(3) and the ICO's Art 35(4) list),
    /// each `id = true|false`.
    fn screening(&mut self, v: &Val<'_>) -> Vec<(Sp<String>, Sp<bool>)> {
        let help = Some("write `[screening]` with one `<item> = true|false` per line".into());
        let Some(t) = self.table(v, help) else {
            return Vec::new();
        };
        let ids: Vec<&str> = crate::inventory::SCREENING
            .iter()
            .map(|(id, _)| *id)
            .collect();
        let mut out = Vec::new();
        for (key, value) in entries(t) {
            let name = key.get_ref().to_string();
            if !crate::inventory::is_screening_id(&name) {
                let help = did_you_mean(suggest(&name, ids.iter().copied()), || {
                    Some(format!(
                        "the ICO screening items are {}",
                        code_list(ids.iter().copied())
                    ))
                });
                self.err(
                    key.span(),
                    format!("unknown screening item `{name}` in `[screening]`"),
                    "unknown screening item",
                    help,
                );
                continue;
            }
            if let Some(b) = self.boolean(value) {
                out.push((sp(name, key.span()), b));
            }
        }
        out
    }

    fn dpia(&mut self, v: &Val<'_>) -> Option<RawDpia> {
        let t = self.table(v, Some("write it as a `[dpia]` table".into()))?;
        let f = self.fields(t, "[dpia]", DPIA_KEYS);
        let regime = match f.get("regime") {
            None => {
                self.missing(
                    v.span(),
                    "regime",
                    "[dpia]",
                    Some(
                        "add `regime = \"uk-gdpr\"` (general processing) or \
                         `regime = \"dpa2018-part3\"` (law-enforcement processing)"
                            .into(),
                    ),
                );
                None
            }
            Some(rv) => self.string(rv).and_then(|s| match Regime::parse(&s.value) {
                Some(r) => Some(sp(r, s.span)),
                None => {
                    let names = Regime::ALL.map(Regime::as_str);
                    let help = did_you_mean(suggest(&s.value, names), || {
                        Some(
                            "expected `uk-gdpr` (UK GDPR) or `dpa2018-part3` \
                             (DPA 2018 Part 3, law enforcement)"
                                .into(),
                        )
                    });
                    self.err(
                        s.span,
                        format!("unknown regime `{}`", s.value),
                        "unknown regime",
                        help,
                    );
                    None
                }
            }),
        };
        let version = f.get("version").and_then(|v| match v.get_ref() {
            DeValue::Integer(i) => Some(sp(i.as_str().to_string(), v.span())),
            DeValue::Float(x) => Some(sp(x.as_str().to_string(), v.span())),
            _ => self.string(v),
        });
        Some(RawDpia {
            title: f.get("title").and_then(|v| self.string(v)),
            reference: f.get("reference").and_then(|v| self.string(v)),
            version,
            reviewed: f.get("reviewed").and_then(|v| self.date(v)),
            regime,
            controller: f.get("controller").and_then(|v| self.string(v)),
            baseline: f.get("baseline").and_then(|v| self.string(v)),
            span: v.span(),
        })
    }

    fn category(&mut self, id: Sp<String>, t: &DeTable<'_>) -> Category {
        let place = format!("[categories.{}]", id.value);
        let f = self.fields(t, &place, CATEGORY_KEYS);
        let kind = f.get("kind").and_then(|v| self.string(v));
        if let Some(k) = &kind {
            if crate::taxonomy::kind(&k.value).is_none() {
                let help = did_you_mean(crate::taxonomy::suggest(&k.value), || {
                    let ids = crate::taxonomy::KINDS.iter().map(|k| k.id);
                    Some(format!("the built-in kinds are {}", code_list(ids)))
                });
                self.err(
                    k.span.clone(),
                    format!("unknown personal-data kind `{}`", k.value),
                    "not in the taxonomy",
                    help,
                );
            }
        }
        Category {
            description: f.get("description").and_then(|v| self.string(v)),
            kind,
            subjects: f
                .get("subjects")
                .map(|v| self.strings(v))
                .unwrap_or_default(),
            retention: f.get("retention").and_then(|v| self.duration(v)),
            sensitive: f.get("sensitive").and_then(|v| self.boolean(v)),
            id,
        }
    }

    fn purpose(&mut self, id: Sp<String>, t: &DeTable<'_>, regime: Option<Regime>) -> Purpose {
        let place = format!("[purposes.{}]", id.value);
        let f = self.fields(t, &place, PURPOSE_KEYS);
        let basis = f.get("basis").and_then(|v| self.string(v));
        if let Some(b) = &basis {
            self.check_basis(b, regime);
        }
        let conditions = f
            .get("conditions")
            .map(|v| self.strings(v))
            .unwrap_or_default();
        for c in &conditions {
            self.check_condition(c, regime);
        }
        let mut list = |key: &str| f.get(key).map(|v| self.strings(v)).unwrap_or_default();
        let categories = list("categories");
        let recipients = list("recipients");
        let compatible_with = list("compatible-with");
        let modules = list("modules");
        Purpose {
            description: f.get("description").and_then(|v| self.string(v)),
            basis,
            conditions,
            categories,
            recipients,
            compatible_with,
            modules,
            human_review: f.get("human-review").and_then(|v| self.string(v)),
            appropriate_policy: f.get("appropriate-policy").and_then(|v| self.string(v)),
            id,
        }
    }

    fn check_basis(&mut self, b: &Sp<String>, regime: Option<Regime>) {
        let id = b.value.as_str();
        let problem = match regime {
            Some(r) => basis::check_basis(id, r),
            None => basis::lookup(id)
                .is_none()
                .then(|| format!("unknown lawful basis `{id}`")),
        };
        let Some(message) = problem else { return };
        let valid = |r: Regime| -> Vec<&'static str> { basis::bases(r).map(|l| l.id).collect() };
        let listing = |r: Regime| {
            let list: Vec<String> = basis::bases(r)
                .map(|l| format!("`{}` ({})", l.id, l.legal_reference))
                .collect();
            format!(
                "the lawful bases under `{}` are {}",
                r.as_str(),
                list.join(", ")
            )
        };
        let (label, help) = match basis::lookup(id) {
            None => {
                let ok = |s: &str| match regime {
                    Some(r) => basis::check_basis(s, r).is_none(),
                    None => basis::lookup(s).is_some_and(|l| l.kind == IdKind::Basis),
                };
                let suggestion = basis::suggest(id)
                    .filter(|s| ok(s))
                    .or_else(|| regime.and_then(|r| suggest(id, valid(r))));
                let help = did_you_mean(suggestion, || regime.map(listing));
                ("unknown lawful basis", help)
            }
            Some(l) if l.kind != IdKind::Basis => {
                let tail = regime
                    .map(|r| format!("; {}", listing(r)))
                    .unwrap_or_default();
                (
                    "a condition, not a lawful basis",
                    Some(format!("move `{id}` to `conditions`{tail}")),
                )
            }
            Some(_) => ("not a lawful basis under this regime", regime.map(listing)),
        };
        self.err(b.span.clone(), message, label, help);
    }

    fn check_condition(&mut self, c: &Sp<String>, regime: Option<Regime>) {
        let id = c.value.as_str();
        let problem = match regime {
            Some(r) => basis::check_condition(id, r),
            None => basis::lookup(id)
                .is_none()
                .then(|| format!("unknown condition `{id}`")),
        };
        let Some(message) = problem else { return };
        let valid =
            |r: Regime| -> Vec<&'static str> { basis::conditions(r).map(|l| l.id).collect() };
        // the 36 Schedule 1 ids are named as a family, not one by one
        let listing = |r: Regime| {
            let named: Vec<&str> = basis::conditions(r)
                .filter(|l| l.kind != IdKind::Schedule1Condition)
                .map(|l| l.id)
                .collect();
            let sch1 = basis::conditions(r).any(|l| l.kind == IdKind::Schedule1Condition);
            format!(
                "the conditions under `{}` are {}{}",
                r.as_str(),
                code_list(named),
                if sch1 {
                    " and the DPA 2018 Schedule 1 ids `sch1.employment` … `sch1.insurance-extension` (docs/manifest.md)"
                } else {
                    ""
                }
            )
        };
        let (label, help) = match basis::lookup(id) {
            None => {
                let ok = |s: &str| match regime {
                    Some(r) => basis::check_condition(s, r).is_none(),
                    None => basis::lookup(s).is_some_and(|l| l.kind != IdKind::Basis),
                };
                let suggestion = basis::suggest(id)
                    .filter(|s| ok(s))
                    .or_else(|| regime.and_then(|r| suggest(id, valid(r))));
                let help = did_you_mean(suggestion, || regime.map(listing));
                ("unknown condition", help)
            }
            Some(l) if l.kind == IdKind::Basis => (
                "a lawful basis, not a condition",
                Some(format!("move `{id}` to `basis`")),
            ),
            Some(_) => ("not a condition under this regime", regime.map(listing)),
        };
        self.err(c.span.clone(), message, label, help);
    }

    fn recipient(&mut self, id: Sp<String>, v: &Val<'_>, t: &DeTable<'_>) -> Option<Recipient> {
        let place = format!("[recipients.{}]", id.value);
        let f = self.fields(t, &place, RECIPIENT_KEYS);
        let built_in = RecipientKind::BUILT_IN
            .into_iter()
            .find(|k| k.as_str() == id.value);
        let kind = match f.get("kind") {
            None => match built_in {
                Some(k) => Some(sp(k, id.span.clone())),
                None => {
                    let kinds = code_list(RecipientKind::ALL.map(RecipientKind::as_str));
                    self.missing(
                        v.span(),
                        "kind",
                        &place,
                        Some(format!("add `kind = \"…\"`, one of {kinds}")),
                    );
                    None
                }
            },
            Some(kv) => self
                .string(kv)
                .and_then(|s| match RecipientKind::parse(&s.value) {
                    Some(k) => Some(sp(k, s.span)),
                    None => {
                        let names = RecipientKind::ALL.map(RecipientKind::as_str);
                        let help = did_you_mean(suggest(&s.value, names), || {
                            Some(format!("the recipient kinds are {}", code_list(names)))
                        });
                        self.err(
                            s.span,
                            format!("unknown recipient kind `{}`", s.value),
                            "unknown recipient kind",
                            help,
                        );
                        None
                    }
                }),
        };
        if let (Some(b), Some(k)) = (built_in, &kind) {
            if b != k.value {
                self.err(
                    k.span.clone(),
                    format!(
                        "recipient `{}` is built in with kind `{}`, not `{}`",
                        id.value,
                        b.as_str(),
                        k.value.as_str()
                    ),
                    "conflicts with the built-in recipient",
                    Some(format!(
                        "give this recipient another id, or set `kind = \"{}\"`",
                        b.as_str()
                    )),
                );
            }
        }
        // read everything before giving up on a missing kind, so every error is reported
        let region = f.get("region").and_then(|v| self.string(v));
        let description = f.get("description").and_then(|v| self.string(v));
        Some(Recipient {
            kind: kind?,
            region,
            description,
            id,
        })
    }

    fn transfers(&mut self, v: &Val<'_>) -> Option<Transfers> {
        let t = self.table(v, None)?;
        let f = self.fields(t, "[transfers]", TRANSFERS_KEYS);
        Some(Transfers {
            allowed_regions: f
                .get("allowed-regions")
                .map(|v| self.strings(v))
                .unwrap_or_default(),
            span: v.span(),
        })
    }

    fn logging(&mut self, v: &Val<'_>, regime: Option<Regime>) -> Option<Logging> {
        let t = self.table(v, None)?;
        if regime == Some(Regime::UkGdpr) {
            self.err(
                v.span(),
                "`[logging]` applies only under regime `dpa2018-part3`",
                "Part 3 only",
                Some(
                    "s62 logging is a DPA 2018 Part 3 duty: remove `[logging]`, or set \
                     `regime = \"dpa2018-part3\"` in `[dpia]` for law-enforcement processing"
                        .into(),
                ),
            );
        }
        let f = self.fields(t, "[logging]", LOGGING_KEYS);
        let mut operations = Vec::new();
        for s in f
            .get("operations")
            .map(|v| self.strings(v))
            .unwrap_or_default()
        {
            match Operation::parse(&s.value) {
                Some(op) => operations.push(sp(op, s.span)),
                None => {
                    let names = Operation::ALL.map(Operation::as_str);
                    let help = did_you_mean(suggest(&s.value, names), || {
                        Some(format!("the s62 operations are {}", code_list(names)))
                    });
                    self.err(
                        s.span,
                        format!("unknown operation `{}`", s.value),
                        "unknown operation",
                        help,
                    );
                }
            }
        }
        Some(Logging {
            operations,
            span: v.span(),
        })
    }

    fn rule_help(&self, name: &str) -> Option<String> {
        let normalised = name.replace('_', "-");
        did_you_mean(
            suggest(&normalised, self.rule_names.iter().copied()),
            || Some("`cargo dpia-lint rules` lists the rules".into()),
        )
    }

    fn lints(&mut self, v: &Val<'_>) -> Vec<(Sp<String>, Sp<Level>)> {
        let Some(t) = self.table(v, None) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in entries(t) {
            let name = key.get_ref().as_ref();
            let known = (self.is_rule)(name);
            if !known {
                let help = self.rule_help(name);
                self.err(
                    key.span(),
                    format!("unknown rule `{name}` in `[lints]`"),
                    "unknown rule",
                    help,
                );
            }
            let level = match value.get_ref() {
                DeValue::String(s) => match Level::parse(s) {
                    Some(l) => Some(l),
                    None => {
                        let lower = s.to_ascii_lowercase();
                        let meant = Level::parse(&lower).or(match lower.as_str() {
                            "error" | "forbid" | "deny-by-default" => Some(Level::Deny),
                            "warning" => Some(Level::Warn),
                            "off" | "none" | "ignore" | "allowed" => Some(Level::Allow),
                            _ => None,
                        });
                        let help = did_you_mean(meant.map(Level::as_str), || None);
                        self.err(
                            value.span(),
                            format!("invalid lint level `{s}`"),
                            "expected `deny`, `warn` or `allow`",
                            help,
                        );
                        None
                    }
                },
                _ => {
                    self.expected(value, "a lint level (`deny`, `warn` or `allow`)", None);
                    None
                }
            };
            if let (true, Some(level)) = (known, level) {
                out.push((sp(name.to_string(), key.span()), sp(level, value.span())));
            }
        }
        out
    }

    fn waivers(&mut self, v: &Val<'_>) -> Vec<Waiver> {
        let DeValue::Array(items) = v.get_ref() else {
            self.expected(
                v,
                "an array of tables",
                Some("write each waiver as a `[[waivers]]` table".into()),
            );
            return Vec::new();
        };
        items.iter().filter_map(|w| self.waiver(w)).collect()
    }

    fn waiver(&mut self, v: &Val<'_>) -> Option<Waiver> {
        let t = self.table(v, Some("write each waiver as a `[[waivers]]` table".into()))?;
        let place = "[[waivers]]";
        let f = self.fields(t, place, WAIVER_KEYS);
        let rule = match f.get("rule") {
            None => {
                self.missing(
                    v.span(),
                    "rule",
                    place,
                    Some("add the rule it waives, e.g. `rule = \"undeclared-recipient\"`".into()),
                );
                None
            }
            Some(rv) => self.string(rv),
        };
        if let Some(r) = &rule {
            if !(self.is_rule)(&r.value) {
                let help = self.rule_help(&r.value);
                self.err(
                    r.span.clone(),
                    format!("unknown rule `{}`", r.value),
                    "unknown rule",
                    help,
                );
            }
        }
        let item = f.get("item").and_then(|v| self.string(v));
        let path = f.get("path").and_then(|v| self.string(v));
        match (&item, &path, f.get("item"), f.get("path")) {
            (Some(_), Some(p), _, _) => self.err(
                p.span.clone(),
                "a waiver takes `item` or `path`, not both",
                "second target",
                Some("split it into two `[[waivers]]` entries".into()),
            ),
            (_, _, None, None) => self.missing(
                v.span(),
                "item` or `path",
                place,
                Some(
                    "`item = \"crate::module::function\"` waives one item, \
                     `path = \"src/file.rs\"` a whole file"
                        .into(),
                ),
            ),
            _ => {}
        }
        let end = entries(t)
            .iter()
            .map(|(k, v)| k.span().end.max(v.span().end))
            .fold(v.span().end, usize::max);
        // read everything before giving up on a missing rule, so every error is reported
        let reason = f.get("reason").and_then(|v| self.string(v));
        let owner = f.get("owner").and_then(|v| self.string(v));
        let expires = f.get("expires").and_then(|v| self.date(v));
        Some(Waiver {
            rule: rule?,
            item,
            path,
            reason,
            owner,
            expires,
            span: v.span().start..end,
        })
    }

    fn models(&mut self, v: &Val<'_>, recipients: &[Recipient]) -> Vec<crate::models::Entry> {
        let DeValue::Array(items) = v.get_ref() else {
            self.expected(
                v,
                "an array of tables",
                Some("write each model as a `[[models]]` table".into()),
            );
            return Vec::new();
        };
        let declared: Vec<&str> = recipients.iter().map(|r| r.id.value.as_str()).collect();
        let ok = |r: &str| {
            declared.contains(&r) || RecipientKind::BUILT_IN.iter().any(|k| k.as_str() == r)
        };
        let mut out = Vec::new();
        for m in items {
            let Some(t) = self.table(m, Some("write each model as a `[[models]]` table".into()))
            else {
                continue;
            };
            let f = self.fields(t, "[[models]]", crate::models::KEYS);
            let s = |this: &mut Self, k: &str| f.get(k).and_then(|v| this.string(v));
            let kind = s(self, "kind");
            let function = s(self, "function");
            let method = s(self, "method");
            let mac = s(self, "macro");
            let ty = s(self, "type");
            let recipient = s(self, "recipient");
            let category = s(self, "category");
            let notes = s(self, "notes");
            let by_name = f
                .get("by-name")
                .and_then(|v| self.boolean(v))
                .is_some_and(|b| b.value);
            let mut args = Vec::new();
            if let Some(av) = f.get("args") {
                match av.get_ref() {
                    DeValue::Array(xs) => {
                        for x in xs {
                            args.push(match x.get_ref() {
                                DeValue::Integer(i) => i
                                    .to_string()
                                    .parse::<u16>()
                                    .map(crate::models::Arg::Index)
                                    .map_err(|_| format!("`{i}` is not an argument index")),
                                DeValue::String(st) if !st.is_empty() => {
                                    Ok(crate::models::Arg::parse(st))
                                }
                                other => {
                                    Err(format!("{} is not an argument selector", describe(other)))
                                }
                            });
                        }
                    }
                    _ => self.expected(
                        av,
                        "an array",
                        Some("write e.g. `args = [0]` or `args = [\"self\"]`".into()),
                    ),
                }
            }
            let returns = f.get("returns").map(|rv| match rv.get_ref() {
                DeValue::Boolean(true) => Ok(crate::models::Returns::Value),
                DeValue::Boolean(false) => Ok(crate::models::Returns::No),
                DeValue::String(st) if st == "self" => Ok(crate::models::Returns::Receiver),
                other => Err(format!(
                    "`returns` is {}, not `true`, `false` or `\"self\"`",
                    describe(other)
                )),
            });
            let parts = crate::models::Parts {
                kind: kind.as_ref().map(|k| k.value.as_str()),
                function: function.as_ref().map(|k| k.value.as_str()),
                method: method.as_ref().map(|k| k.value.as_str()),
                mac: mac.as_ref().map(|k| k.value.as_str()),
                ty: ty.as_ref().map(|k| k.value.as_str()),
                args,
                recipient: recipient.as_ref().map(|k| k.value.as_str()),
                returns,
                category: category.as_ref().map(|k| k.value.as_str()),
                by_name,
                notes: notes.as_ref().map(|k| k.value.as_str()),
            };
            match crate::models::build(parts, "dpia.toml", &ok) {
                Ok(e) => out.push(e),
                Err(errs) => {
                    for e in errs {
                        let span = f.get(e.key).map(|v| v.span()).unwrap_or_else(|| m.span());
                        self.err(span, e.message, "invalid model", e.help);
                    }
                }
            }
        }
        out
    }

    /// Purposes name declared categories, declared or built-in recipients, declared purposes.
    fn check_references(
        &mut self,
        categories: &[Category],
        purposes: &[Purpose],
        recipients: &[Recipient],
    ) {
        let category_ids: Vec<&str> = categories.iter().map(|c| c.id.value.as_str()).collect();
        let purpose_ids: Vec<&str> = purposes.iter().map(|p| p.id.value.as_str()).collect();
        let recipient_ids: Vec<&str> = recipients
            .iter()
            .map(|r| r.id.value.as_str())
            .chain(RecipientKind::BUILT_IN.map(RecipientKind::as_str))
            .collect();
        for p in purposes {
            let place = format!("[purposes.{}]", p.id.value);
            for c in &p.categories {
                if category_ids.contains(&c.value.as_str()) {
                    continue;
                }
                let help = did_you_mean(suggest(&c.value, category_ids.iter().copied()), || {
                    Some(format!("declare it as `[categories.{}]`", c.value))
                });
                self.err(
                    c.span.clone(),
                    format!("undeclared category `{}` in `{place}`", c.value),
                    "not declared in `[categories]`",
                    help,
                );
            }
            for r in &p.recipients {
                if recipient_ids.contains(&r.value.as_str()) {
                    continue;
                }
                let help = did_you_mean(suggest(&r.value, recipient_ids.iter().copied()), || {
                    Some(format!(
                        "declare it as `[recipients.{}]`; the built-in recipients are {}",
                        r.value,
                        code_list(RecipientKind::BUILT_IN.map(RecipientKind::as_str))
                    ))
                });
                self.err(
                    r.span.clone(),
                    format!("undeclared recipient `{}` in `{place}`", r.value),
                    "neither declared in `[recipients]` nor built in",
                    help,
                );
            }
            for c in &p.compatible_with {
                if purpose_ids.contains(&c.value.as_str()) {
                    continue;
                }
                let help = did_you_mean(suggest(&c.value, purpose_ids.iter().copied()), || {
                    Some(format!("declare it as `[purposes.{}]`", c.value))
                });
                self.err(
                    c.span.clone(),
                    format!(
                        "undeclared purpose `{}` in `compatible-with` of `{place}`",
                        c.value
                    ),
                    "not declared in `[purposes]`",
                    help,
                );
            }
        }
    }
}
