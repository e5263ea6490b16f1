//! Renderers: one per `--format`. Each turns a [`Report`] into bytes; the CLI
//! writes them.
//!
//! What every renderer shares:
//! - findings at `allow` level never appear;
//! - suppressed findings appear only in SARIF (with `suppressions`, unless `--no-suppressed`)
//!   and are counted in the human and GitHub summary line; json, github and gitlab drop them;
//! - the `= note:` / `= help:` lines of a finding ([`notes`]) are the same in human and json
//!   output: the rule's legal reference, the finding's notes, its flow, its help;
//! - fingerprints (SARIF `partialFingerprints`, GitLab `fingerprint`) come from
//!   [`Report::unique_fingerprints`] (`dpia_lint_engine::diag`).

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod markdown;
pub mod text;
mod window;

use dpia_lint_engine::{BaselineState, Finding, Level, Report, RuleMeta, SourceDb};

/// Output format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics
    Human,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// rustc diagnostic JSON, one per line (editors, rust-analyzer)
    Json,
    /// GitHub Actions workflow commands
    Github,
    /// GitLab Code Quality JSON
    Gitlab,
    /// A Markdown summary for a pull request or $GITHUB_STEP_SUMMARY
    Markdown,
}

/// Where dpia-lint lives; SARIF rule `helpUri`s point into its `docs/rules.md`.
pub const INFORMATION_URI: &str = "https://github.com/dpia-lint/dpia-lint";

/// Renders `report` in `format`. `colour` only affects human output; `no_suppressed` only
/// SARIF (the other formats never show suppressed findings).
pub fn render(
    format: Format,
    report: &Report,
    rules: &[&'static RuleMeta],
    colour: bool,
    no_suppressed: bool,
) -> Vec<u8> {
    match format {
        Format::Human => human::render(report, rules, colour),
        Format::Sarif => {
            dpia_lint_sarif::to_string(report, rules, &sarif_options(report, no_suppressed))
                .into_bytes()
        }
        Format::Json => json::render(report, rules),
        Format::Github => github::render(report, rules),
        Format::Gitlab => gitlab::render(report),
        Format::Markdown => markdown::render(report, rules, markdown::github_links().as_deref()),
    }
}

/// Writes the report in `format` to `w`: SARIF as it is rendered ([`dpia_lint_sarif::write_to`]:
/// a large log is never whole in memory), the other formats as [`render`] gives them.
pub fn write(
    format: Format,
    report: &Report,
    rules: &[&'static RuleMeta],
    colour: bool,
    no_suppressed: bool,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Sarif => {
            dpia_lint_sarif::write_to(report, rules, &sarif_options(report, no_suppressed), w)
        }
        _ => w.write_all(&render(format, report, rules, colour, no_suppressed)),
    }
}

/// A path as a person wants to read it: relative to the current directory when inside it
/// (shortened like the report's paths, by `dpia_lint_engine::source::rel_path`).
pub fn display_path(p: &std::path::Path) -> String {
    match std::env::current_dir() {
        Ok(cwd) if p.starts_with(&cwd) => dpia_lint_engine::source::rel_path(&cwd, p),
        _ => p.display().to_string(),
    }
}

/// The SARIF options the CLI uses: this binary's version and the repository; the regime
/// tag comes from the report.
pub fn sarif_options(report: &Report, no_suppressed: bool) -> dpia_lint_sarif::SarifOptions {
    dpia_lint_sarif::SarifOptions {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        no_suppressed,
        regime: (!report.regime.is_empty()).then(|| report.regime.to_string()),
        information_uri: INFORMATION_URI.to_string(),
    }
}

/// The findings a person sees: not allowed, not suppressed, not in the baseline.
pub(crate) fn shown(report: &Report) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(|f| is_shown(f))
}

/// The shown findings, each rendered by `one` (in parallel: rendering is most of the emit
/// phase of a large run), joined in report order.
pub(crate) fn per_finding(report: &Report, one: impl Fn(&Finding) -> Vec<u8> + Sync) -> Vec<u8> {
    use rayon::prelude::*;
    let shown: Vec<&Finding> = shown(report).collect();
    let parts: Vec<Vec<u8>> = shown.par_iter().map(|f| one(f)).collect();
    parts.concat()
}

/// Is this finding one a person sees (see [`shown`])?
pub(crate) fn is_shown(f: &Finding) -> bool {
    f.level != Level::Allow
        && f.suppression.is_none()
        && f.baseline != Some(BaselineState::Unchanged)
}

/// Findings suppressed by an `allow` or a waiver (at a level other than `allow`).
pub(crate) fn suppressed_count(report: &Report) -> usize {
    report
        .findings
        .iter()
        .filter(|f| f.level != Level::Allow && f.suppression.is_some())
        .count()
}

pub(crate) fn meta<'a>(rules: &[&'a RuleMeta], code: &str) -> Option<&'a RuleMeta> {
    rules.iter().copied().find(|m| m.code == code)
}

/// The kind of a trailing line of a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    Note,
    Help,
}

impl NoteKind {
    /// `note` / `help`, as rustc says it.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Note => "note",
            NoteKind::Help => "help",
        }
    }
}

/// The `= note:` and `= help:` lines of a finding, in order: the rule's legal reference
/// (with the rule's name, as rustc names the lint), the finding's own notes, its flow
/// (`flow: a → b → c`, each step its label or else its position), and the help.
pub fn notes(db: &SourceDb, f: &Finding, rules: &[&RuleMeta]) -> Vec<(NoteKind, String)> {
    let mut out = Vec::new();
    if let Some(m) = meta(rules, f.code) {
        // the engine sets the reference of the manifest's regime; uk-gdpr's otherwise
        let legal = match f.legal_reference {
            "" => m.legal_uk_gdpr,
            l => l,
        };
        out.push((NoteKind::Note, format!("{legal} ({})", m.name)));
    }
    out.extend(f.notes.iter().map(|n| (NoteKind::Note, n.clone())));
    if !f.flow.is_empty() {
        let steps: Vec<String> = f
            .flow
            .iter()
            .map(|l| {
                if l.message.is_empty() {
                    position(db, l.span)
                } else {
                    l.message.clone()
                }
            })
            .collect();
        out.push((NoteKind::Note, format!("flow: {}", steps.join(" → "))));
    }
    if let Some(h) = &f.help {
        out.push((NoteKind::Help, h.clone()));
    }
    out
}

/// `path:LINE:COL` of the start of a span.
pub(crate) fn position(db: &SourceDb, span: dpia_lint_engine::Span) -> String {
    if span.file.0 as usize >= db.len() {
        return "?".to_string();
    }
    let file = db.get(span.file);
    let (line, col) = file.line_col(span.start as usize);
    format!("{}:{line}:{col}", file.rel_path)
}

/// 1-based start and end (line, column) of a span, as rustc and SARIF count them: columns
/// in Unicode scalar values, the end exclusive.
pub(crate) fn line_cols(
    db: &SourceDb,
    span: dpia_lint_engine::Span,
) -> ((usize, usize), (usize, usize)) {
    let file = db.get(span.file);
    (
        file.line_col(span.start as usize),
        file.line_col(span.end as usize),
    )
}

/// A hand-built report with every kind of finding, for the renderers' tests.
#[cfg(test)]
pub(crate) mod fixture {
    use std::path::PathBuf;
    use std::sync::Arc;

    use dpia_lint_engine::diag::{Suppression, SuppressionKind};
    use dpia_lint_engine::{
        Facts, FileId, Finding, Label, Level, Precision, Report, RuleMeta, SourceDb, Span, Timings,
    };

    pub static PARSE_ERROR: RuleMeta = RuleMeta {
        code: "DPIA001",
        name: "parse-error",
        summary: "a source file cannot be parsed",
        default_level: Level::Warn,
        legal_uk_gdpr: "UK GDPR Art 35(7)(a)",
        legal_part3: "DPA 2018 s64(3)(a)",
        dpia_step: "Step 2",
        precision: Precision::VeryHigh,
        docs: "## What it does\nReports a file that cannot be parsed.\n",
        implemented: true,
        file: "rules/src/syntax/parse_error.rs",
    };
    pub static FUNCTION_CREEP: RuleMeta = RuleMeta {
        code: "DPIA102",
        name: "function-creep",
        summary: "a category is processed under a purpose the manifest does not allow for it",
        default_level: Level::Deny,
        legal_uk_gdpr: "DPA 2018 s36; UK GDPR Art 5(1)(b)",
        legal_part3: "DPA 2018 s64(3)(a)",
        dpia_step: "Step 4(d) function creep",
        precision: Precision::High,
        docs: "## What it does\nReports function creep.\n",
        implemented: true,
        file: "rules/src/purposes/function_creep.rs",
    };
    pub static IN_LOGS: RuleMeta = RuleMeta {
        code: "DPIA302",
        name: "personal-data-in-logs",
        summary: "declared personal data reaches a logging sink",
        default_level: Level::Deny,
        legal_uk_gdpr: "UK GDPR Art 5(1)(f)",
        legal_part3: "DPA 2018 s64(3)(a)",
        dpia_step: "Step 5 risks",
        precision: Precision::Medium,
        docs: "",
        implemented: true,
        file: "rules/src/flows/personal_data_in_logs.rs",
    };
    pub static CONDITION: RuleMeta = RuleMeta {
        code: "DPIA501",
        name: "sensitive-without-condition",
        summary: "sensitive data is processed without a condition",
        default_level: Level::Deny,
        legal_uk_gdpr: "DPA 2018 s35(5), Sch 8",
        legal_part3: "DPA 2018 s64(3)(a)",
        dpia_step: "Step 3",
        precision: Precision::High,
        docs: "",
        implemented: true,
        file: "rules/src/legal/sensitive_without_condition.rs",
    };

    pub fn rules() -> Vec<&'static RuleMeta> {
        vec![&PARSE_ERROR, &FUNCTION_CREEP, &IN_LOGS, &CONDITION]
    }

    pub const LIB: &str = "use dpia::processing;\n\n#[processing(purpose = \"marketing\")]\npub fn mail(vrm: &Vrm) {\n    send(vrm); // é → ok\n    log::info!(\"{vrm}\");\n}\n";
    pub const BROKEN: &str = "fn broken( {\n";
    pub const MANIFEST: &str =
        "[dpia]\nregime = \"dpa2018-part3\"\n\n[purposes.marketing]\nbasis = \"part3.task\"\n";

    pub fn span(db: &SourceDb, file: FileId, needle: &str) -> Span {
        let start = db.get(file).text.find(needle).expect(needle);
        Span::new(file, start..start + needle.len())
    }

    /// In report order: a parse error (warn), function creep with a tag and a manifest
    /// label, notes and help, the same suppressed by an `allow`, again (same fingerprint),
    /// a flow into a log with a `%`, `:` and newline in its message, a waived manifest
    /// finding, a 5xx error, and one at level `allow`.
    pub fn report() -> Report {
        let mut db = SourceDb::new(PathBuf::from("crate-root"));
        let manifest = db.add(PathBuf::from("crate-root/dpia.toml"), Arc::from(MANIFEST));
        let lib = db.add(PathBuf::from("crate-root/src/lib.rs"), Arc::from(LIB));
        let broken = db.add(PathBuf::from("crate-root/src/broken.rs"), Arc::from(BROKEN));
        let facts = Facts {
            category: Some("vrm".into()),
            purpose: Some("marketing".into()),
            basis: None,
            recipient: None,
        };
        let creep = Finding::new(
            "DPIA102",
            Level::Deny,
            Label::new(span(&db, lib, "send(vrm)"), "`vrm` processed here"),
            "category `vrm` is processed under purpose `marketing`, which the DPIA does not allow for it",
        )
        .with_label(Label::new(
            span(&db, lib, "purpose = \"marketing\""),
            "purpose declared here",
        ))
        .with_label(Label::new(
            span(&db, manifest, "[purposes.marketing]"),
            "purpose in the DPIA",
        ))
        .with_note("`vrm` is allowed under: county-lines-detection")
        .with_help("add `vrm` to the purpose in dpia.toml, or stop processing it here")
        .with_item("crate::mail")
        .with_facts(facts.clone());
        let mut allowed = creep.clone();
        allowed.suppression = Some(Suppression {
            kind: SuppressionKind::InSource,
            reason: "one-off export, ref DP-120".into(),
            span: None,
        });
        let mut in_logs = Finding::new(
            "DPIA302",
            Level::Deny,
            Label::new(span(&db, lib, "log::info!(\"{vrm}\")"), "logged here"),
            "`vrm` reaches a log: 100% of reads,\nline two",
        )
        .with_item("crate::mail")
        .with_facts(Facts {
            recipient: Some("log".into()),
            ..facts.clone()
        });
        in_logs.flow = vec![
            Label::new(span(&db, lib, "vrm: &Vrm"), "`vrm` (category `vrm`)"),
            Label::new(span(&db, lib, "send(vrm)"), ""),
            Label::new(span(&db, lib, "log::info!(\"{vrm}\")"), "log"),
        ];
        let mut waived = Finding::new(
            "DPIA302",
            Level::Warn,
            Label::new(span(&db, manifest, "[purposes.marketing]"), ""),
            "waived",
        );
        waived.suppression = Some(Suppression {
            kind: SuppressionKind::External,
            reason: "DP-118".into(),
            span: None,
        });
        let sensitive = Finding::new(
            "DPIA501",
            Level::Deny,
            Label::new(span(&db, lib, "pub fn mail"), "processed here"),
            "sensitive data without a condition",
        )
        .with_item("crate::mail");
        let mut off = creep.clone();
        off.level = Level::Allow;
        let findings = vec![
            waived,
            Finding::new(
                "DPIA001",
                Level::Warn,
                Label::new(Span::new(broken, 10..10), "expected one of `)`, `,`"),
                "cannot parse `src/broken.rs`",
            ),
            sensitive,
            creep.clone(),
            allowed,
            creep,
            in_logs,
            off,
        ];
        Report {
            db,
            findings,
            manifest_file: manifest,
            timings: Timings::default(),
            files_analysed: 2,
            regime: "dpa2018-part3",
            notes: Vec::new(),
            baseline: None,
            baseline_file: "crate-root/dpia-baseline.json".into(),
            inventory: Default::default(),
            lock_file: "crate-root/dpia.lock".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sarif_options_carry_the_regime() {
        let r = fixture::report();
        let opts = sarif_options(&r, true);
        assert_eq!(opts.regime.as_deref(), Some("dpa2018-part3"));
        assert!(opts.no_suppressed);
        assert_eq!(opts.information_uri, INFORMATION_URI);
    }

    #[test]
    fn every_format_renders_the_fixture() {
        let r = fixture::report();
        for format in [
            Format::Human,
            Format::Sarif,
            Format::Json,
            Format::Github,
            Format::Gitlab,
        ] {
            let out = render(format, &r, &fixture::rules(), false, false);
            assert!(
                String::from_utf8(out).unwrap().ends_with('\n'),
                "{format:?}"
            );
        }
    }

    #[test]
    fn notes_hold_the_legal_reference_flow_and_help() {
        let r = fixture::report();
        let n = notes(&r.db, &r.findings[6], &fixture::rules());
        assert_eq!(
            n,
            vec![
                (
                    NoteKind::Note,
                    "UK GDPR Art 5(1)(f) (personal-data-in-logs)".to_string()
                ),
                (
                    NoteKind::Note,
                    "flow: `vrm` (category `vrm`) → src/lib.rs:5:5 → log".to_string()
                ),
            ]
        );
        let n = notes(&r.db, &r.findings[3], &fixture::rules());
        assert_eq!(n.len(), 3);
        assert_eq!(n[2].0, NoteKind::Help);
    }
}
