//! The diagnostics model: what a rule reports. The engine never prints; the CLI and the
//! SARIF crate render [`Finding`]s.

use crate::source::{SourceDb, Span};

/// A rule's level (defined with the rule catalogue, at the bottom of the crate graph).
pub use dpia_annotations::Level;

/// A labelled span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// How a finding was suppressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// `#[dpia::allow(rule, reason = "...")]` in the source.
    InSource,
    /// A `[[waivers]]` entry in the manifest.
    External,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
    /// The `allow` attribute or the waiver entry.
    pub span: Option<Span>,
}

/// How sure a suggestion is, as rustc says it (rust-analyzer offers all three as quick
/// fixes; `--fix` applies the first, `--fix --unsafe-fixes` the first two).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Correct as it stands.
    MachineApplicable,
    /// Probably right; a person should look.
    MaybeIncorrect,
    /// Has placeholders (`"…"`) to fill in; never applied by `--fix`.
    HasPlaceholders,
}

impl Applicability {
    /// rustc's name (`MachineApplicable`, …), as the JSON output carries it.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::MachineApplicable => "MachineApplicable",
            Applicability::MaybeIncorrect => "MaybeIncorrect",
            Applicability::HasPlaceholders => "HasPlaceholders",
        }
    }
}

/// One replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A fix for a finding: edits applied together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What it does, rustc-style: ``replace `retension` with `retention` ``.
    pub message: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// A finding's state against a baseline (`--baseline`), as SARIF `baselineState` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineState {
    /// Not in the baseline: shown, and counted in the exit code.
    New,
    /// In the baseline: hidden from people, counted in the summary only.
    Unchanged,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }
    }
}

/// Domain facts about a finding, for messages, SARIF `properties` and fingerprints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub category: Option<String>,
    pub purpose: Option<String>,
    pub basis: Option<String>,
    pub recipient: Option<String>,
}

/// One finding. `level` is filled in by the engine from the rule's default, `[lints]` and
/// the command line; rules leave it at the default they were declared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Rule code, e.g. `DPIA102`.
    pub code: &'static str,
    pub level: Level,
    /// rustc-style: lowercase start, no trailing period.
    pub message: String,
    pub primary: Label,
    /// Secondary labels: the source tag, the manifest entry, steps of a flow.
    pub secondary: Vec<Label>,
    /// `= note:` lines (the legal reference is added by the renderers from the rule).
    pub notes: Vec<String>,
    /// `= help:` the fix.
    pub help: Option<String>,
    /// For flow findings: the path from the source to the sink, in order (SARIF `codeFlows`).
    pub flow: Vec<Label>,
    /// For a flow of several categories: the paths of the others, each from its own source
    /// (SARIF: one more `codeFlow` each; the text outputs show the first path only).
    pub more_flows: Vec<Vec<Label>>,
    pub facts: Facts,
    /// Path of the item the finding is in (`crate::export::one_off`), for fingerprints and
    /// waivers. Empty for findings in the manifest.
    pub item_path: String,
    pub suppression: Option<Suppression>,
    /// Set on every reported, unsuppressed finding when the run has a baseline.
    pub baseline: Option<BaselineState>,
    /// Fixes, where the fix is known.
    pub suggestions: Vec<Suggestion>,
    /// The rule's legal reference under the manifest's regime, set by the engine after the
    /// rules ran (`RuleMeta::legal_reference`); the renderers print it as the first note.
    pub legal_reference: &'static str,
    /// The highest level this finding may have whatever the rule's level, e.g. `warn` for
    /// pseudonymised (hashed) data in a log. `None`: the rule's level.
    pub max_level: Option<Level>,
}

impl Finding {
    pub fn new(
        code: &'static str,
        level: Level,
        primary: Label,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            level,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            flow: Vec::new(),
            more_flows: Vec::new(),
            facts: Facts::default(),
            item_path: String::new(),
            suppression: None,
            baseline: None,
            suggestions: Vec::new(),
            legal_reference: "",
            max_level: None,
        }
    }

    /// Caps the level of this finding (see [`Finding::max_level`]).
    pub fn with_max_level(mut self, level: Level) -> Finding {
        self.max_level = Some(level);
        self
    }

    pub fn with_label(mut self, label: Label) -> Finding {
        self.secondary.push(label);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Finding {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_item(mut self, item_path: impl Into<String>) -> Finding {
        self.item_path = item_path.into();
        self
    }

    /// Does this finding fail the run: at `deny`, not suppressed, not in the baseline?
    pub fn is_new_error(&self) -> bool {
        self.level == Level::Deny
            && self.suppression.is_none()
            && self.baseline != Some(BaselineState::Unchanged)
    }

    pub fn with_suggestion(mut self, s: Suggestion) -> Finding {
        self.suggestions.push(s);
        self
    }

    pub fn with_facts(mut self, facts: Facts) -> Finding {
        self.facts = facts;
        self
    }

    /// A fingerprint that survives unrelated edits: built from the rule, the file, the item
    /// path and the domain facts, never from line numbers. Identical findings in one item get
    /// the same fingerprint; the SARIF writer disambiguates them with an occurrence counter.
    pub fn fingerprint(&self, db: &SourceDb) -> String {
        let file = &db.get(self.primary.span.file).rel_path;
        let f = &self.facts;
        let key = [
            self.code,
            file,
            &self.item_path,
            f.category.as_deref().unwrap_or(""),
            f.purpose.as_deref().unwrap_or(""),
            f.recipient.as_deref().unwrap_or(""),
        ]
        .join("\u{1f}");
        format!("{:016x}", fnv1a(key.as_bytes()))
    }

    /// The key findings are sorted by: file, line, column, code, message.
    pub fn sort_key<'a>(&'a self, db: &'a SourceDb) -> (&'a str, u32, u32, &'static str, &'a str) {
        (
            &db.get(self.primary.span.file).rel_path,
            self.primary.span.start,
            self.primary.span.end,
            self.code,
            &self.message,
        )
    }
}

/// 64-bit FNV-1a: small, stable across platforms and releases (unlike `DefaultHasher`).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Sorts findings deterministically (file, position, code, message) and removes exact duplicates.
pub fn sort_findings(findings: &mut Vec<Finding>, db: &SourceDb) {
    findings.sort_by(|a, b| a.sort_key(db).cmp(&b.sort_key(db)));
    findings.dedup();
}

/// The fingerprint of each finding (in order), unique within the list: the second finding
/// with the same [`Finding::fingerprint`] gets `:2`, the third `:3`, and so on, in report
/// order (which the engine sorts). Counted over every finding, suppressed or not, so that
/// `--no-suppressed` changes no fingerprint. Shared by SARIF `partialFingerprints` and
/// GitLab's `fingerprint` (through `Report::unique_fingerprints`).
pub fn unique_fingerprints(findings: &[Finding], db: &SourceDb) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let fp = f.fingerprint(db);
            let n = seen.entry(fp.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                fp
            } else {
                format!("{fp}:{n}")
            }
        })
        .collect()
}
