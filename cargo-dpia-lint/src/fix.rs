//! `--fix`: applies the findings' suggestions to the source files with `rustfix` (the crate
//! cargo uses to apply rustc's suggestions). Machine-applicable suggestions always;
//! maybe-incorrect ones with `--unsafe-fixes`; suggestions with placeholders never. The
//! manifest (`dpia.toml`, the controller's document) is never edited, nor any file the run
//! did not read as a source.

use std::collections::BTreeMap;

use dpia_lint_engine::{Applicability, Edit, FileId, Report, Suggestion};
use rustfix::{CodeFix, LinePosition, LineRange, Replacement, Snippet, Solution};

/// What `--fix` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub fixes: usize,
    pub files: usize,
    /// Suggestions left out because they overlapped one already applied.
    pub conflicts: usize,
}

/// May a suggestion of this applicability be applied?
fn wanted(a: Applicability, unsafe_fixes: bool) -> bool {
    match a {
        Applicability::MachineApplicable => true,
        Applicability::MaybeIncorrect => unsafe_fixes,
        Applicability::HasPlaceholders => false,
    }
}

/// The new text of every file a fix changes, with what was applied. Writes nothing.
pub fn plan(report: &Report, unsafe_fixes: bool) -> (BTreeMap<FileId, String>, Applied) {
    let mut per_file: BTreeMap<FileId, Vec<&Suggestion>> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.level != dpia_lint_engine::Level::Allow && f.suppression.is_none())
    {
        for s in f
            .suggestions
            .iter()
            .filter(|s| wanted(s.applicability, unsafe_fixes))
        {
            let Some(first) = s.edits.first() else {
                continue;
            };
            // one file per suggestion, and never the manifest
            let file = first.span.file;
            if file == report.manifest_file || s.edits.iter().any(|e| e.span.file != file) {
                continue;
            }
            per_file.entry(file).or_default().push(s);
        }
    }
    let mut out = BTreeMap::new();
    let mut applied = Applied::default();
    for (file, suggestions) in per_file {
        let source = report.db.get(file);
        let mut fix = CodeFix::new(&source.text);
        let mut n = 0;
        // edits already made by an earlier suggestion (the same type tag suggested for
        // each of its fields, the same fix for each purpose of a finding) are made once
        let mut done: Vec<&Edit> = Vec::new();
        for s in suggestions {
            let fresh: Vec<&Edit> = s.edits.iter().filter(|e| !done.contains(e)).collect();
            if fresh.is_empty() {
                n += 1;
                continue;
            }
            match fix.apply(&to_rustfix(report, &s.message, &fresh)) {
                Ok(()) => {
                    n += 1;
                    done.extend(fresh);
                }
                Err(_) => applied.conflicts += 1,
            }
        }
        if n > 0 {
            if let Ok(text) = fix.finish() {
                applied.fixes += n;
                applied.files += 1;
                out.insert(file, text);
            }
        }
    }
    (out, applied)
}

fn to_rustfix(report: &Report, message: &str, edits: &[&Edit]) -> rustfix::Suggestion {
    let replacements = edits
        .iter()
        .map(|e| {
            let file = report.db.get(e.span.file);
            let pos = |byte: u32| {
                let (line, column) = file.line_col(byte as usize);
                LinePosition { line, column }
            };
            Replacement {
                snippet: Snippet {
                    file_name: file.rel_path.clone(),
                    line_range: LineRange {
                        start: pos(e.span.start),
                        end: pos(e.span.end),
                    },
                    range: e.span.range(),
                },
                replacement: e.replacement.clone(),
            }
        })
        .collect();
    rustfix::Suggestion {
        message: message.to_string(),
        snippets: Vec::new(),
        solutions: vec![Solution {
            message: message.to_string(),
            replacements,
        }],
    }
}
