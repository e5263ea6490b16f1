//! `dpia.toml`, the machine-readable DPIA (a contract). Read with spans; unknown
//! keys, wrong types, unknown or misplaced lawful-basis ids and dangling references are
//! [`ManifestError`]s pointing at the exact TOML span. Errors accumulate: one run reports
//! every problem.

use std::ops::Range;

use dpia_annotations::basis::Regime;
use dpia_annotations::{Duration, Operation};

use crate::diag::Level;

mod read;
#[cfg(test)]
mod tests;

/// A value with its byte range in the manifest text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// A problem in the manifest. The run stops with exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// Byte range in the manifest text.
    pub span: Range<usize>,
    /// rustc style: lowercase start, no trailing period. E.g. ``unknown key `retension` in `[categories.vrm]` ``.
    pub message: String,
    /// Short label on the span, e.g. "unknown key".
    pub label: String,
    /// E.g. ``did you mean `retention`?``.
    pub help: Option<String>,
}

/// The `[dpia]` table.
#[derive(Clone, Debug)]
pub struct DpiaSection {
    pub title: Option<Sp<String>>,
    pub reference: Option<Sp<String>>,
    pub version: Option<Sp<String>>,
    /// `YYYY-MM-DD` as written (TOML date or string).
    pub reviewed: Option<Sp<String>>,
    pub regime: Sp<Regime>,
    pub controller: Option<Sp<String>>,
    /// `baseline = "dpia-baseline.json"`: the baseline file, relative to the manifest.
    pub baseline: Option<Sp<String>>,
    /// The `[dpia]` header.
    pub span: Range<usize>,
}

/// `[categories.<id>]`.
#[derive(Clone, Debug)]
pub struct Category {
    /// The id and the span of its key in the header.
    pub id: Sp<String>,
    pub description: Option<Sp<String>>,
    /// A taxonomy kind id.
    pub kind: Option<Sp<String>>,
    pub subjects: Vec<Sp<String>>,
    /// The maximum retention.
    pub retention: Option<Sp<Duration>>,
    /// As written; see [`Manifest::is_sensitive`] for the effective value.
    pub sensitive: Option<Sp<bool>>,
}

/// `[purposes.<id>]`.
#[derive(Clone, Debug)]
pub struct Purpose {
    pub id: Sp<String>,
    pub description: Option<Sp<String>>,
    pub basis: Option<Sp<String>>,
    pub conditions: Vec<Sp<String>>,
    pub categories: Vec<Sp<String>>,
    pub recipients: Vec<Sp<String>>,
    /// `compatible-with`: purposes this data may also serve (DPA s36(3)).
    pub compatible_with: Vec<Sp<String>>,
    /// Module paths whose functions all carry this purpose.
    pub modules: Vec<Sp<String>>,
    /// `human-review`: who reviews automated decisions before they take effect.
    pub human_review: Option<Sp<String>>,
    /// `appropriate-policy`: where the appropriate policy document is (DPA 2018 Sch 1
    /// Part 4 under `uk-gdpr`, s42 under Part 3); DPIA501 requires it where the law does.
    pub appropriate_policy: Option<Sp<String>>,
}

/// The kind of a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecipientKind {
    Log,
    Storage,
    Network,
    HttpResponse,
    File,
    Export,
    Process,
    /// Mail handed to an SMTP client or a mail API.
    Email,
    Audit,
    /// The controller's own staff, e.g. officers of the same force: a recipient, not a
    /// third party (UK GDPR Art 4(9)–(10)), and never a transfer.
    Internal,
    ThirdParty,
}

impl RecipientKind {
    pub const ALL: [RecipientKind; 11] = [
        RecipientKind::Log,
        RecipientKind::Storage,
        RecipientKind::Network,
        RecipientKind::HttpResponse,
        RecipientKind::File,
        RecipientKind::Export,
        RecipientKind::Process,
        RecipientKind::Email,
        RecipientKind::Audit,
        RecipientKind::Internal,
        RecipientKind::ThirdParty,
    ];

    /// The built-in recipients: one per built-in sink kind, usable without declaration.
    pub const BUILT_IN: [RecipientKind; 8] = [
        RecipientKind::Log,
        RecipientKind::Storage,
        RecipientKind::Network,
        RecipientKind::HttpResponse,
        RecipientKind::File,
        RecipientKind::Export,
        RecipientKind::Process,
        RecipientKind::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::Log => "log",
            RecipientKind::Storage => "storage",
            RecipientKind::Network => "network",
            RecipientKind::HttpResponse => "http-response",
            RecipientKind::File => "file",
            RecipientKind::Export => "export",
            RecipientKind::Process => "process",
            RecipientKind::Email => "email",
            RecipientKind::Audit => "audit",
            RecipientKind::Internal => "internal",
            RecipientKind::ThirdParty => "third-party",
        }
    }

    pub fn parse(s: &str) -> Option<RecipientKind> {
        RecipientKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `[recipients.<id>]`.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub id: Sp<String>,
    pub kind: Sp<RecipientKind>,
    pub region: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
}

/// `[transfers]`.
#[derive(Clone, Debug)]
pub struct Transfers {
    pub allowed_regions: Vec<Sp<String>>,
    pub span: Range<usize>,
}

/// `[logging]` (DPA 2018 s62, Part 3 only).
#[derive(Clone, Debug)]
pub struct Logging {
    pub operations: Vec<Sp<Operation>>,
    pub span: Range<usize>,
}

/// `[[waivers]]`.
#[derive(Clone, Debug)]
pub struct Waiver {
    /// A rule name or code, as written.
    pub rule: Sp<String>,
    /// An item path (`crate::export::one_off`).
    pub item: Option<Sp<String>>,
    /// A file path relative to the crate root (`src/export.rs`).
    pub path: Option<Sp<String>>,
    /// Missing: DPIA901 (not a manifest error).
    pub reason: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    /// `YYYY-MM-DD`.
    pub expires: Option<Sp<String>>,
    /// The whole `[[waivers]]` entry.
    pub span: Range<usize>,
}

/// The whole manifest.
#[derive(Clone, Debug)]
pub struct Manifest {
    pub dpia: DpiaSection,
    /// In declaration order.
    pub categories: Vec<Category>,
    pub purposes: Vec<Purpose>,
    pub recipients: Vec<Recipient>,
    pub transfers: Option<Transfers>,
    pub logging: Option<Logging>,
    /// `[lints]`: rule name (as written) → level.
    pub lints: Vec<(Sp<String>, Sp<Level>)>,
    pub waivers: Vec<Waiver>,
    /// `[[models]]`: the project's own sinks, sanitisers, passthroughs and sources.
    pub models: Vec<crate::models::Entry>,
    /// `[screening]`: the controller's answers to the ICO screening items
    /// ([`crate::inventory::SCREENING`]), in source order.
    pub screening: Vec<(Sp<String>, Sp<bool>)>,
}

impl Manifest {
    /// Parses and validates a manifest. `is_rule` tells whether a `[lints]` key or waiver
    /// `rule` names a known rule (code or name with `-`/`_`); `rule_names` feeds "did you mean".
    ///
    /// Every problem is reported, each at its own span, in source order: a TOML syntax error
    /// (alone: nothing else can be read), unknown keys, wrong types, then the semantic checks
    /// (regime, lawful bases and conditions for the regime, taxonomy kinds, durations, dates,
    /// references between categories, purposes and recipients, `[logging]` outside Part 3,
    /// rule names and levels, waiver targets). Never panics, whatever the input.
    ///
    /// Choices beyond the documented keys (docs/manifest.md):
    /// - a declared recipient may reuse a built-in id (`log`, `storage`, …) only with the same
    ///   kind, e.g. to give it a `region`; its `kind` may then be omitted (it is inferred, with
    ///   the id's span). Any other recipient must have a `kind`;
    /// - `version` may be written as a string or a number (kept as written);
    /// - `reviewed` and waiver `expires` take a TOML date or a `"YYYY-MM-DD"` string, not a
    ///   date-time;
    /// - an unknown `regime` still lets unknown lawful-basis ids be reported, but not ids of
    ///   the wrong regime.
    pub fn parse(
        text: &str,
        is_rule: &dyn Fn(&str) -> bool,
        rule_names: &[&str],
    ) -> Result<Manifest, Vec<ManifestError>> {
        read::parse(text, is_rule, rule_names)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id.value == id)
    }

    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id.value == id)
    }

    /// A declared recipient.
    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id.value == id)
    }

    /// Is `id` a declared or built-in recipient?
    pub fn knows_recipient(&self, id: &str) -> bool {
        self.recipient(id).is_some() || RecipientKind::BUILT_IN.iter().any(|k| k.as_str() == id)
    }

    /// Is a category sensitive (special category / sensitive processing)? `sensitive` if
    /// given, else inferred from its taxonomy `kind`.
    pub fn is_sensitive(&self, category: &Category) -> bool {
        match &category.sensitive {
            Some(s) => s.value,
            None => category
                .kind
                .as_ref()
                .is_some_and(|k| crate::taxonomy::is_sensitive_kind(&k.value)),
        }
    }
}
