//! `--format human`: rustc-style diagnostics with codespan-reporting, drawn with rustc's
//! ASCII characters (`-->`, `|`, `^`): the primary label on the offending code, secondary
//! labels on the tag and the manifest entry, `= note:` with the rule's legal reference,
//! the finding's notes and flow, `= help:` with the fix, and a closing summary line
//! `N errors, M warnings (K suppressed)`.
//!
//! The summary says `1 error` / `1 warning` for one, as rustc does (`2 errors, 1 warning
//! (0 suppressed)`); the suppressed count has no plural. Suppressed findings are not shown,
//! only counted. Colour only when asked (`colour`), as ANSI escapes. Everything else is
//! written through [`super::text::Sanitised`]: escapes in the repository's text are shown,
//! never obeyed.

use std::io::Write;
use std::ops::Range;

use super::text;

use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Chars, Config, Styles, StylesWriter};
use dpia_lint_engine::{
    FileId, Finding, Label, Level, ManifestError, Report, RuleMeta, RunError, SourceDb, Span,
};

/// [`Files`] over the engine's [`SourceDb`]: names are the paths relative to the lint root.
pub struct DbFiles<'a>(pub &'a SourceDb);

impl<'a> DbFiles<'a> {
    fn file(&self, id: FileId) -> Result<&'a dpia_lint_engine::source::SourceFile, FilesError> {
        if (id.0 as usize) < self.0.len() {
            Ok(self.0.get(id))
        } else {
            Err(FilesError::FileMissing)
        }
    }

    /// Byte offset where 0-based line `line` starts; the end of the text for the line after
    /// the last.
    fn line_start(&self, id: FileId, line: usize) -> Result<usize, FilesError> {
        let f = self.file(id)?;
        match line.cmp(&f.line_count()) {
            std::cmp::Ordering::Less => Ok(f.line_start(line).unwrap_or(f.text.len())),
            std::cmp::Ordering::Equal => Ok(f.text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                given: line,
                max: f.line_count() - 1,
            }),
        }
    }
}

impl<'a> Files<'a> for DbFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.file(id)?.rel_path)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.file(id)?;
        if byte_index > f.text.len() {
            return Err(FilesError::IndexTooLarge {
                given: byte_index,
                max: f.text.len(),
            });
        }
        Ok(f.line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(id, line_index)?..self.line_start(id, line_index + 1)?)
    }
}

/// The byte range of a span, kept inside its text and on character boundaries, so that a
/// bad span from a rule cannot make the renderer fail.
fn range(db: &SourceDb, span: Span) -> Range<usize> {
    if span.file.0 as usize >= db.len() {
        return 0..0;
    }
    let text = &db.get(span.file).text;
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start as usize);
    start..floor(span.end as usize).max(start)
}

fn label(db: &SourceDb, l: &Label, primary: bool) -> CsLabel<FileId> {
    let r = range(db, l.span);
    let cs = if primary {
        CsLabel::primary(l.span.file, r)
    } else {
        CsLabel::secondary(l.span.file, r)
    };
    cs.with_message(&l.message)
}

/// The codespan diagnostic of one finding: `error[DPIA102]: …` (`warning` at level warn).
pub fn diagnostic(db: &SourceDb, f: &Finding, rules: &[&RuleMeta]) -> Diagnostic<FileId> {
    let severity = if f.level == Level::Deny {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut labels = vec![label(db, &f.primary, true)];
    labels.extend(f.secondary.iter().map(|l| label(db, l, false)));
    let mut notes: Vec<String> = super::notes(db, f, rules)
        .into_iter()
        .map(|(kind, text)| format!("{}: {text}", kind.as_str()))
        .collect();
    notes.extend(f.suggestions.iter().map(|s| suggestion_note(db, s)));
    Diagnostic::new(severity)
        .with_code(f.code)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// `help: replace with `retention`: `retension` → `retention` (cargo dpia-lint --fix)`: a
/// suggestion as a help line, each edit shown as the text it replaces and its replacement.
fn suggestion_note(db: &SourceDb, s: &dpia_lint_engine::Suggestion) -> String {
    use dpia_lint_engine::Applicability;
    let edits: Vec<String> = s
        .edits
        .iter()
        .map(|e| {
            let old = db
                .get(e.span.file)
                .text
                .get(e.span.range())
                .unwrap_or("")
                .trim();
            match (old.is_empty(), e.replacement.is_empty()) {
                (_, true) => format!("remove `{old}`"),
                (true, false) => {
                    let file = db.get(e.span.file);
                    let (line, col) = file.line_col(e.span.start as usize);
                    let at = if e.replacement.ends_with('\n') && col == 1 {
                        format!("above line {line}")
                    } else {
                        format!("at {line}:{col}")
                    };
                    format!("insert `{}` {at}", e.replacement.trim())
                }
                (false, false) => format!("`{old}` → `{}`", e.replacement),
            }
        })
        .collect();
    let how = match s.applicability {
        Applicability::MachineApplicable => " (`cargo dpia-lint --fix` applies it)",
        Applicability::MaybeIncorrect => {
            " (check it; `cargo dpia-lint --fix --unsafe-fixes` applies it)"
        }
        Applicability::HasPlaceholders => " (fill in the placeholders)",
    };
    format!("help: {}: {}{how}", s.message, edits.join(", "))
}

fn config() -> Config {
    Config {
        chars: Chars::ascii(),
        ..Config::default()
    }
}

fn emit(out: &mut Vec<u8>, db: &SourceDb, d: &Diagnostic<FileId>, colour: bool) {
    // a label on a very long line: show a window of it, not the whole line per finding
    let result = match super::window::windowed(db, d) {
        Some((files, windowed)) => emit_with(&files, &windowed, colour),
        None => emit_with(&DbFiles(db), d, colour),
    };
    match result {
        Ok(buf) => out.extend_from_slice(&buf),
        Err(e) => {
            // never lose a finding: say it without the source
            let severity = match d.severity {
                Severity::Error | Severity::Bug => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
                Severity::Help => "help",
            };
            let code = d
                .code
                .as_deref()
                .map(|c| format!("[{c}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{severity}{code}: {} (cannot show the source: {e})",
                super::text::sanitise(&d.message)
            );
            for n in &d.notes {
                let _ = writeln!(out, "  = {}", super::text::sanitise(n));
            }
            let _ = writeln!(out);
        }
    }
}

fn emit_with<'f, F>(
    files: &'f F,
    d: &Diagnostic<FileId>,
    colour: bool,
) -> Result<Vec<u8>, FilesError>
where
    F: Files<'f, FileId = FileId>,
{
    let config = config();
    let mut buf = Vec::new();
    if colour {
        let styles = Styles::default();
        let mut w = StylesWriter::new(super::text::ansi(&mut buf), &styles);
        term::emit_to_write_style(&mut w, &config, files, d)
            .and_then(|()| std::io::Write::flush(&mut w).map_err(FilesError::Io))?;
    } else {
        let mut w = super::text::Sanitised::new(&mut buf);
        term::emit_to_io_write(&mut w, &config, files, d)
            .and_then(|()| std::io::Write::flush(&mut w).map_err(FilesError::Io))?;
    }
    Ok(buf)
}

/// One finding as rustc would print it, without colour: the `rendered` field of
/// `--format json`.
pub fn render_one(db: &SourceDb, f: &Finding, rules: &[&RuleMeta]) -> String {
    let mut out = Vec::new();
    emit(&mut out, db, &diagnostic(db, f, rules), false);
    String::from_utf8_lossy(&out).into_owned()
}

/// Every shown finding (report order: file, position, code), the run notes (`note:` what
/// discovery left out), then the summary line.
pub fn render(report: &Report, rules: &[&RuleMeta], colour: bool) -> Vec<u8> {
    let mut out = super::per_finding(report, |f| {
        let mut buf = Vec::new();
        emit(
            &mut buf,
            &report.db,
            &diagnostic(&report.db, f, rules),
            colour,
        );
        buf
    });
    for n in &report.notes {
        let _ = writeln!(out, "note: {}", n.message);
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `2 errors, 1 warning (0 suppressed)`: shown findings by level, and the suppressed ones.
pub fn summary(report: &Report) -> String {
    let errors = super::shown(report)
        .filter(|f| f.level == Level::Deny)
        .count();
    let warnings = super::shown(report)
        .filter(|f| f.level == Level::Warn)
        .count();
    let suppressed = super::suppressed_count(report);
    match &report.baseline {
        None => format!(
            "{}, {} ({suppressed} suppressed)",
            plural(errors, "error"),
            plural(warnings, "warning"),
        ),
        Some(b) => format!(
            "{}, {}; {} in the baseline; {} fixed since it was written ({suppressed} suppressed)",
            plural(errors, "new error"),
            plural(warnings, "new warning"),
            b.outcome.unchanged,
            b.outcome.fixed,
        ),
    }
}

/// `1 error`, `0 errors`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A bad manifest: each error as `error: <message>` with `--> dpia.toml:LINE:COL`, its
/// label and its help, then a closing line saying nothing was linted.
pub fn render_manifest_errors(
    db: &SourceDb,
    file: FileId,
    errors: &[ManifestError],
    colour: bool,
    w: &mut dyn Write,
) {
    let mut out = Vec::new();
    for e in errors {
        let span = Span::new(file, e.span.clone());
        let mut d = Diagnostic::error()
            .with_message(&e.message)
            .with_labels(vec![
                CsLabel::primary(file, range(db, span)).with_message(&e.label)
            ]);
        if let Some(h) = &e.help {
            d = d.with_notes(vec![format!("help: {h}")]);
        }
        emit(&mut out, db, &d, colour);
    }
    let n = errors.len();
    let name = if (file.0 as usize) < db.len() {
        db.get(file).rel_path.as_str()
    } else {
        "dpia.toml"
    };
    let closing = Diagnostic::error().with_message(format!(
        "the DPIA manifest `{name}` has {}; nothing was linted",
        plural(n, "error")
    ));
    emit(&mut out, db, &closing, colour);
    let _ = w.write_all(&out);
}

/// A run that could not be done (exit code 2), on stderr: the manifest's errors at their
/// spans, or `error: <what went wrong>` with a `help:` where there is one. `dpia_problem`
/// is what is wrong with the `--dpia` file itself (missing, not a regular file), said in
/// its own words instead of the run error; the CLI passes it for a missing or refused
/// manifest.
pub fn render_run_error(e: &RunError, colour: bool, dpia_problem: Option<&str>, w: &mut dyn Write) {
    if let Some(problem) = dpia_problem {
        let _ = writeln!(w, "{}", text::sanitise(problem));
        return;
    }
    match e {
        RunError::ManifestInvalid { db, file, errors } => {
            render_manifest_errors(db, *file, errors, colour, w);
        }
        RunError::ManifestMissing { searched } => {
            let list: Vec<String> = searched
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect();
            let _ = writeln!(
                w,
                "error: no DPIA manifest found (looked for {})\n\n\
                 help: create `dpia.toml` next to Cargo.toml (the DPIA in machine-readable form: \
                 categories, purposes, recipients; see docs/manifest.md), or point at one with `--dpia FILE`; \
                 `cargo dpia-lint init` writes a starter from the fields that look like personal data",
                text::sanitise(&list.join(", "))
            );
        }
        e => {
            let _ = writeln!(w, "error: {}", text::sanitise(&e.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    fn text(b: Vec<u8>) -> String {
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn report_snapshot() {
        let r = fixture::report();
        insta::assert_snapshot!(text(render(&r, &fixture::rules(), false)));
    }

    #[test]
    fn summary_counts_shown_and_suppressed() {
        let r = fixture::report();
        // shown: 001 (warn), 501, 102, 102, 302 (deny); suppressed: the waiver and the allow
        assert_eq!(summary(&r), "4 errors, 1 warning (2 suppressed)");
        let out = text(render(&r, &fixture::rules(), false));
        assert_eq!(
            out.lines().last(),
            Some("4 errors, 1 warning (2 suppressed)")
        );
        assert_eq!(out.matches("error[DPIA102]").count(), 2);
        assert!(!out.contains("waived"));
        assert_eq!(plural(0, "error"), "0 errors");
        assert_eq!(plural(1, "error"), "1 error");
    }

    #[test]
    fn colour_only_when_asked() {
        let r = fixture::report();
        assert!(!text(render(&r, &fixture::rules(), false)).contains('\x1b'));
        let coloured = text(render(&r, &fixture::rules(), true));
        assert!(coloured.contains("\x1b["));
        assert!(coloured.contains("DPIA102"));
    }

    #[test]
    fn bad_spans_do_not_break_the_output() {
        let mut r = fixture::report();
        r.findings.truncate(3);
        r.findings[1].primary.span = Span::new(FileId(2), 5..5000);
        r.findings[2].primary.span.file = FileId(99);
        let out = text(render(&r, &fixture::rules(), false));
        assert!(out.contains("warning[DPIA001]"), "{out}");
        assert!(
            out.contains(
                "error[DPIA501]: sensitive data without a condition (cannot show the source"
            ),
            "{out}"
        );
    }

    #[test]
    fn manifest_errors_snapshot() {
        let mut db = SourceDb::new("crate-root".into());
        let text_ = "[dpia]\nregime = \"dpa2018-part3\"\n\n[categories.vrm]\nretension = \"1d\"\n";
        let file = db.add("crate-root/dpia.toml".into(), text_.into());
        let at = text_.find("retension").unwrap();
        let errors = vec![
            ManifestError {
                span: at..at + 9,
                message: "unknown key `retension` in `[categories.vrm]`".into(),
                label: "unknown key".into(),
                help: Some("did you mean `retention`?".into()),
            },
            ManifestError {
                span: 0..6,
                message: "`[dpia]` has no `title`".into(),
                label: "here".into(),
                help: None,
            },
        ];
        let mut out = Vec::new();
        render_manifest_errors(&db, file, &errors, false, &mut out);
        let out = text(out);
        assert!(out.contains("--> dpia.toml:5:1"), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn run_errors_are_plain_messages() {
        let mut out = Vec::new();
        render_run_error(
            &RunError::ManifestMissing {
                searched: vec!["dpia.toml".into()],
            },
            false,
            None,
            &mut out,
        );
        render_run_error(
            &RunError::Usage("unknown rule `x\u{1b}[2J`".into()),
            false,
            None,
            &mut out,
        );
        render_run_error(
            &RunError::ManifestMissing { searched: vec![] },
            false,
            Some("error: `--dpia` file `x.toml` does not exist"),
            &mut out,
        );
        assert_eq!(
            text(out),
            "error: no DPIA manifest found (looked for `dpia.toml`)\n\n\
             help: create `dpia.toml` next to Cargo.toml (the DPIA in machine-readable form: \
             categories, purposes, recipients; see docs/manifest.md), or point at one with \
             `--dpia FILE`; `cargo dpia-lint init` writes a starter from the fields that look \
             like personal data\n\
             error: unknown rule `x\u{241b}[2J`\n\
             error: `--dpia` file `x.toml` does not exist\n"
        );
    }
}
