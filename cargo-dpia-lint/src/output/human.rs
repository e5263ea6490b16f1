//! rustc-style diagnostics with codespan-reporting: primary label on the offending code,
//! secondary labels on the tag and the manifest entry, `= note:` with the legal reference,
//! `= help:` with the fix, and a closing summary line.

use std::io::Write;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor, Config, Styles, StylesWriter};
use dpia_lint_engine::{FileId, Finding, Level, ManifestError, Report, RuleMeta, SourceDb};

/// [`Files`] over the engine's [`SourceDb`].
pub struct DbFiles<'a>(pub &'a SourceDb);

impl<'a> Files<'a> for DbFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).rel_path)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.0.get(id);
        let start = f.line_start(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: f.line_count().saturating_sub(1),
        })?;
        let end = f.line_start(line_index + 1).unwrap_or(f.text.len());
        Ok(start..end)
    }
}

/// The codespan diagnostic of one finding.
pub fn diagnostic(f: &Finding, rules: &[&RuleMeta]) -> Diagnostic<FileId> {
    let severity = if f.level == Level::Deny {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut labels = vec![
        CsLabel::primary(f.primary.span.file, f.primary.span.range())
            .with_message(&f.primary.message),
    ];
    for l in &f.secondary {
        labels.push(CsLabel::secondary(l.span.file, l.span.range()).with_message(&l.message));
    }
    let mut notes = Vec::new();
    if let Some(m) = super::meta(rules, f.code) {
        notes.push(format!("note: {} ({})", m.legal_reference, m.name));
    }
    notes.extend(f.notes.iter().map(|n| format!("note: {n}")));
    if f.flow.len() > 1 {
        let steps: Vec<&str> = f.flow.iter().map(|l| l.message.as_str()).collect();
        notes.push(format!("note: flow: {}", steps.join(" → ")));
    }
    if let Some(h) = &f.help {
        notes.push(format!("help: {h}"));
    }
    Diagnostic::new(severity)
        .with_code(f.code)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn emit(out: &mut Vec<u8>, db: &SourceDb, d: &Diagnostic<FileId>, colour: bool) {
    let config = Config::default();
    let files = DbFiles(db);
    let result = if colour {
        let styles = Styles::default();
        let mut w = StylesWriter::new(termcolor::Ansi::new(&mut *out), &styles);
        term::emit_to_write_style(&mut w, &config, &files, d)
    } else {
        term::emit_to_io_write(out, &config, &files, d)
    };
    if let Err(e) = result {
        let _ = writeln!(
            out,
            "{}: {} (cannot show the source: {e})",
            d.code.as_deref().unwrap_or(""),
            d.message
        );
    }
}

/// One finding as rustc would print it, without colour (the `rendered` field of `--format json`).
pub fn render_one(db: &SourceDb, f: &Finding, rules: &[&RuleMeta]) -> String {
    let mut out = Vec::new();
    emit(&mut out, db, &diagnostic(f, rules), false);
    String::from_utf8_lossy(&out).into_owned()
}

/// Every shown finding, then `N errors, M warnings (K suppressed)`.
pub fn render(report: &Report, rules: &[&RuleMeta], colour: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for f in super::shown(report) {
        emit(&mut out, &report.db, &diagnostic(f, rules), colour);
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `2 errors, 1 warning (0 suppressed)`.
pub fn summary(report: &Report) -> String {
    let errors = super::shown(report)
        .filter(|f| f.level == Level::Deny)
        .count();
    let warnings = super::shown(report)
        .filter(|f| f.level == Level::Warn)
        .count();
    let suppressed = report
        .findings
        .iter()
        .filter(|f| f.level != Level::Allow && f.suppression.is_some())
        .count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {} ({suppressed} suppressed)",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Manifest errors, each at its `dpia.toml:LINE:COL`, then a closing line.
pub fn render_manifest_errors(
    db: &SourceDb,
    file: FileId,
    errors: &[ManifestError],
    colour: bool,
    w: &mut dyn Write,
) {
    let mut out = Vec::new();
    for e in errors {
        let mut d = Diagnostic::error()
            .with_message(&e.message)
            .with_labels(vec![
                CsLabel::primary(file, e.span.clone()).with_message(&e.label)
            ]);
        if let Some(h) = &e.help {
            d = d.with_notes(vec![format!("help: {h}")]);
        }
        emit(&mut out, db, &d, colour);
    }
    let n = errors.len();
    let _ = writeln!(
        out,
        "error: the DPIA manifest `{}` has {n} error{}; nothing was linted",
        db.get(file).rel_path,
        if n == 1 { "" } else { "s" }
    );
    let _ = w.write_all(&out);
}
