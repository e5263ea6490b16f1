//! `--format json`: one rustc diagnostic JSON object per line, as `rustc
//! --error-format=json` prints them (`$message_type`, `message`, `code`, `level`, `spans`,
//! `children`, `rendered`).
//!
//! Plain diagnostics, not wrapped in cargo's `{"reason":"compiler-message", …}` envelope:
//! rust-analyzer's flycheck reads each line of a `check.overrideCommand` as either a
//! `cargo_metadata::Message` or a bare rustc `Diagnostic` (an untagged enum, in every
//! version), so both work; the envelope would need a `package_id`, `manifest_path` and
//! `target` that a linter which never builds would have to invent, and rust-analyzer uses
//! the package id to decide which diagnostics a later run replaces. Bare diagnostics are
//! taken as the whole workspace's, replaced on every run. Editor setup:
//!
//! ```json
//! "rust-analyzer.check.overrideCommand": ["cargo", "dpia-lint", "--format", "json"]
//! ```
//!
//! `file_name` is relative to the lint root (run it from the workspace root, where
//! rust-analyzer resolves relative paths). Each span's `text` holds its source lines with
//! the highlighted columns, as rustc's do; a line longer than 400 bytes is a window of it
//! around the highlight (columns in `text` count in the window; `column_start` and
//! `byte_start` stay the file's). Notes and help are child diagnostics with no
//! spans; `rendered` is the human text of the finding.

use cargo_metadata::diagnostic::{
    Applicability, Diagnostic, DiagnosticBuilder, DiagnosticCodeBuilder, DiagnosticLevel,
    DiagnosticSpan, DiagnosticSpanBuilder, DiagnosticSpanLineBuilder, DiagnosticSpanMacroExpansion,
};
use dpia_lint_engine::{Finding, Label, Level, Report, RuleMeta, SourceDb};
use serde_json::Value;

use super::NoteKind;

/// A span line's `text` and highlight (1-based columns, in chars), as the span shows
/// them: the whole line, or for a line longer than [`super::window::MAX_LINE`] bytes a
/// window around the highlight with `…` where text is left out, the highlight counted in
/// the window. A 1 MB one-line file is then not copied into every span of every finding
/// on it (the human output shows the same window).
fn shown_line(text: &str, hs: usize, he: usize) -> (String, usize, usize) {
    use super::window::{CONTEXT, ELLIPSIS, MAX_LABEL, MAX_LINE};
    if text.len() <= MAX_LINE {
        return (text.to_string(), hs, he);
    }
    // byte offsets of the highlight's first and last columns
    let byte_of = |col: usize| {
        text.char_indices()
            .nth(col.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i)
    };
    let (hb, eb) = (byte_of(hs), byte_of(he).max(byte_of(hs)));
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let shown_end = floor(eb.min(hb + MAX_LABEL));
    let start = floor(hb.saturating_sub(CONTEXT));
    let end = floor((shown_end + CONTEXT).min(text.len()));
    let mut out = String::with_capacity(end - start + 2 * ELLIPSIS.len());
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    let prefix = out.chars().count();
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push_str(ELLIPSIS);
    }
    let hs = prefix + text[start..hb].chars().count() + 1;
    let he = hs + text[hb..shown_end].chars().count();
    (out, hs, he)
}

/// Every builder below sets every field; a missing one is a bug the tests catch.
const ALL_SET: &str = "every field of the diagnostic is set";

fn span(db: &SourceDb, l: &Label, primary: bool) -> DiagnosticSpan {
    span_with(db, l, primary, None)
}

/// A span, with the replacement of a suggestion (rustc's `suggested_replacement`).
fn span_with(
    db: &SourceDb,
    l: &Label,
    primary: bool,
    fix: Option<(&str, dpia_lint_engine::Applicability)>,
) -> DiagnosticSpan {
    let file = db.get(l.span.file);
    let ((ls, cs), (le, ce)) = super::line_cols(db, l.span);
    let lines = (ls..=le)
        .filter_map(|n| {
            let start = file.line_start(n - 1)?;
            let end = file.line_start(n).unwrap_or(file.text.len());
            let text = file.text.get(start..end)?.trim_end_matches(['\n', '\r']);
            let hs = if n == ls { cs } else { 1 };
            let he = if n == le {
                ce
            } else {
                text.chars().count() + 1
            };
            let (text, hs, he) = shown_line(text, hs, he);
            let line = DiagnosticSpanLineBuilder::default()
                .text(text)
                .highlight_start(hs)
                .highlight_end(he)
                .build()
                .expect(ALL_SET);
            Some(line)
        })
        .collect::<Vec<_>>();
    DiagnosticSpanBuilder::default()
        .file_name(file.rel_path.clone())
        .byte_start(l.span.start)
        .byte_end(l.span.end)
        .line_start(ls)
        .line_end(le)
        .column_start(cs)
        .column_end(ce)
        .is_primary(primary)
        .text(lines)
        .label((!l.message.is_empty()).then(|| l.message.clone()))
        .suggested_replacement(fix.map(|(r, _)| r.to_string()))
        .suggestion_applicability(fix.map(|(_, a)| applicability(a)))
        .expansion(None::<Box<DiagnosticSpanMacroExpansion>>)
        .build()
        .expect(ALL_SET)
}

fn child(kind: NoteKind, message: String) -> Diagnostic {
    DiagnosticBuilder::default()
        .message(message)
        .code(None)
        .level(match kind {
            NoteKind::Note => DiagnosticLevel::Note,
            NoteKind::Help => DiagnosticLevel::Help,
        })
        .spans(Vec::new())
        .children(Vec::new())
        .rendered(None::<String>)
        .build()
        .expect(ALL_SET)
}

fn applicability(a: dpia_lint_engine::Applicability) -> Applicability {
    match a {
        dpia_lint_engine::Applicability::MachineApplicable => Applicability::MachineApplicable,
        dpia_lint_engine::Applicability::MaybeIncorrect => Applicability::MaybeIncorrect,
        dpia_lint_engine::Applicability::HasPlaceholders => Applicability::HasPlaceholders,
    }
}

/// A suggestion as rustc writes one: a `help` child whose spans carry the replacements.
fn suggestion(db: &SourceDb, s: &dpia_lint_engine::Suggestion) -> Diagnostic {
    let spans = s
        .edits
        .iter()
        .map(|e| {
            span_with(
                db,
                &Label::new(e.span, String::new()),
                true,
                Some((&e.replacement, s.applicability)),
            )
        })
        .collect::<Vec<_>>();
    DiagnosticBuilder::default()
        .message(s.message.clone())
        .code(None)
        .level(DiagnosticLevel::Help)
        .spans(spans)
        .children(Vec::new())
        .rendered(None::<String>)
        .build()
        .expect(ALL_SET)
}

/// The rustc diagnostic of one finding, built with cargo_metadata's types (those
/// rust-analyzer reads back).
pub fn diagnostic(db: &SourceDb, f: &Finding, rules: &[&RuleMeta]) -> Diagnostic {
    let mut spans = vec![span(db, &f.primary, true)];
    spans.extend(f.secondary.iter().map(|l| span(db, l, false)));
    let mut children = super::notes(db, f, rules)
        .into_iter()
        .map(|(kind, text)| child(kind, text))
        .collect::<Vec<_>>();
    children.extend(f.suggestions.iter().map(|s| suggestion(db, s)));
    let code = DiagnosticCodeBuilder::default()
        .code(f.code)
        .explanation(None::<String>)
        .build()
        .expect(ALL_SET);
    DiagnosticBuilder::default()
        .message(f.message.clone())
        .code(Some(code))
        .level(if f.level == Level::Deny {
            DiagnosticLevel::Error
        } else {
            DiagnosticLevel::Warning
        })
        .spans(spans)
        .children(children)
        .rendered(Some(super::human::render_one(db, f, rules)))
        .build()
        .expect(ALL_SET)
}

/// One line as rustc prints it: the diagnostic with its `$message_type` tag.
fn line(d: &Diagnostic) -> Value {
    let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("$message_type".into(), "diagnostic".into());
    }
    v
}

/// One diagnostic line per shown finding (not allowed, not suppressed).
pub fn render(report: &Report, rules: &[&RuleMeta]) -> Vec<u8> {
    super::per_finding(report, |f| {
        let mut l = line(&diagnostic(&report.db, f, rules))
            .to_string()
            .into_bytes();
        l.push(b'\n');
        l
    })
}

#[cfg(test)]
mod tests {
    use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};

    use super::super::fixture;
    use super::*;

    fn lines() -> Vec<String> {
        let r = fixture::report();
        let out = String::from_utf8(render(&r, &fixture::rules())).unwrap();
        out.lines().map(str::to_string).collect()
    }

    /// What rust-analyzer's flycheck deserialises each line of an override command into.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum JsonMessage {
        Cargo(cargo_metadata::Message),
        Rustc(Diagnostic),
    }

    #[test]
    fn a_long_line_is_a_window_around_the_highlight() {
        let line = format!("{}send(vrm);{}", "é".repeat(1000), "x".repeat(5000));
        let at = 1000 + 1; // 1-based column of `send`
        let (text, hs, he) = shown_line(&line, at, at + 9);
        assert!(text.len() < 400, "{}", text.len());
        assert!(text.starts_with('…') && text.ends_with('…'));
        let chars: Vec<char> = text.chars().collect();
        let shown: String = chars[hs - 1..he - 1].iter().collect();
        assert_eq!(shown, "send(vrm)");
        // a short line is kept whole
        assert_eq!(shown_line("  ok", 3, 5), ("  ok".to_string(), 3, 5));
    }

    #[test]
    fn every_line_is_a_rustc_diagnostic() {
        let lines = lines();
        // shown: 001, 501, 102, 102, 302
        assert_eq!(lines.len(), 5);
        let ds: Vec<Diagnostic> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let creep = &ds[2];
        assert_eq!(creep.code.as_ref().unwrap().code, "DPIA102");
        assert!(matches!(creep.level, DiagnosticLevel::Error));
        assert!(matches!(ds[0].level, DiagnosticLevel::Warning));
        assert_eq!(creep.spans.len(), 3);
        let p = &creep.spans[0];
        assert!(p.is_primary);
        assert_eq!(p.file_name, "src/lib.rs");
        assert_eq!(
            (p.line_start, p.column_start, p.line_end, p.column_end),
            (5, 5, 5, 14)
        );
        assert_eq!(
            &fixture::LIB[p.byte_start as usize..p.byte_end as usize],
            "send(vrm)"
        );
        assert_eq!(p.label.as_deref(), Some("`vrm` processed here"));
        assert_eq!(p.text[0].text, "    send(vrm); // é → ok");
        assert_eq!(
            (p.text[0].highlight_start, p.text[0].highlight_end),
            (5, 14)
        );
        assert_eq!(creep.spans[2].file_name, "dpia.toml");
        assert!(!creep.spans[2].is_primary);
        let kids: Vec<(String, &str)> = creep
            .children
            .iter()
            .map(|c| (format!("{:?}", c.level), c.message.as_str()))
            .collect();
        assert_eq!(
            kids,
            vec![
                (
                    "Note".to_string(),
                    "DPA 2018 s36; UK GDPR Art 5(1)(b) (function-creep)"
                ),
                (
                    "Note".to_string(),
                    "`vrm` is allowed under: county-lines-detection"
                ),
                (
                    "Help".to_string(),
                    "add `vrm` to the purpose in dpia.toml, or stop processing it here"
                ),
            ]
        );
        assert!(creep.children.iter().all(|c| c.spans.is_empty()));
        let rendered = creep.rendered.as_deref().unwrap();
        assert!(
            rendered.starts_with("error[DPIA102]: category `vrm`"),
            "{rendered}"
        );
        assert!(rendered.contains("--> src/lib.rs:5:5"), "{rendered}");
        assert!(!rendered.contains('\x1b'));
        let flow = &ds[4];
        assert!(flow
            .children
            .iter()
            .any(|c| c.message.starts_with("flow: ")));
    }

    #[test]
    fn rust_analyzer_reads_the_lines_as_rustc_diagnostics() {
        for l in lines() {
            let m: JsonMessage = serde_json::from_str(&l).unwrap();
            assert!(matches!(m, JsonMessage::Rustc(_)), "{l}");
        }
    }

    #[test]
    fn one_line_snapshot() {
        let r = fixture::report();
        let d = line(&diagnostic(&r.db, &r.findings[6], &fixture::rules()));
        insta::assert_json_snapshot!(d);
    }
}
