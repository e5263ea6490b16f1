//! `--format json`: one rustc diagnostic JSON object per line, the shape rust-analyzer's
//! `check.overrideCommand` and other cargo tooling read.
//!
//! Each line is wrapped in cargo's `{"reason":"compiler-message", …}` envelope: that is what
//! rust-analyzer parses from an override command (it reads `cargo_metadata::Message`s), so
//! `"rust-analyzer.check.overrideCommand": ["cargo", "dpia-lint", "--format", "json"]` shows
//! the findings inline. The `message` inside is a plain rustc diagnostic.

use dpia_lint_engine::{Finding, Label, Level, Report, RuleMeta, SourceDb};
use serde_json::{json, Value};

fn span(db: &SourceDb, l: &Label, primary: bool) -> Value {
    let file = db.get(l.span.file);
    let (ls, cs) = file.line_col(l.span.start as usize);
    let (le, ce) = file.line_col(l.span.end as usize);
    let line_text: Vec<Value> = (ls..=le)
        .filter_map(|n| {
            let start = file.line_start(n - 1)?;
            let end = file.line_start(n).unwrap_or(file.text.len());
            let text = file.text.get(start..end)?.trim_end_matches(['\n', '\r']);
            Some(json!({
                "text": text,
                "highlight_start": if n == ls { cs } else { 1 },
                "highlight_end": if n == le { ce } else { text.chars().count() + 1 },
            }))
        })
        .collect();
    json!({
        "file_name": file.rel_path,
        "byte_start": l.span.start,
        "byte_end": l.span.end,
        "line_start": ls,
        "line_end": le,
        "column_start": cs,
        "column_end": ce,
        "is_primary": primary,
        "text": line_text,
        "label": if l.message.is_empty() { Value::Null } else { json!(l.message) },
        "suggested_replacement": null,
        "suggestion_applicability": null,
        "expansion": null,
    })
}

fn child(level: &str, message: &str) -> Value {
    json!({
        "message": message,
        "code": null,
        "level": level,
        "spans": [],
        "children": [],
        "rendered": null,
    })
}

/// The rustc diagnostic of one finding.
pub fn diagnostic(db: &SourceDb, f: &Finding, rules: &[&RuleMeta]) -> Value {
    let mut spans = vec![span(db, &f.primary, true)];
    spans.extend(f.secondary.iter().map(|l| span(db, l, false)));
    let mut children = Vec::new();
    if let Some(m) = super::meta(rules, f.code) {
        children.push(child(
            "note",
            &format!("{} ({})", m.legal_reference, m.name),
        ));
    }
    children.extend(f.notes.iter().map(|n| child("note", n)));
    if let Some(h) = &f.help {
        children.push(child("help", h));
    }
    json!({
        "$message_type": "diagnostic",
        "message": f.message,
        "code": { "code": f.code, "explanation": null },
        "level": if f.level == Level::Deny { "error" } else { "warning" },
        "spans": spans,
        "children": children,
        "rendered": super::human::render_one(db, f, rules),
    })
}

/// One `compiler-message` line per shown finding.
pub fn render(report: &Report, rules: &[&RuleMeta]) -> Vec<u8> {
    let mut out = Vec::new();
    let root = report.db.root.to_string_lossy().into_owned();
    for f in super::shown(report) {
        let line = json!({
            "reason": "compiler-message",
            "package_id": format!("path+file://{root}#dpia-lint"),
            "manifest_path": format!("{root}/Cargo.toml"),
            "target": {
                "kind": ["lib"],
                "crate_types": ["lib"],
                "name": "dpia-lint",
                "src_path": format!("{root}/src/lib.rs"),
                "edition": "2021",
                "doc": false,
                "doctest": false,
                "test": false,
            },
            "message": diagnostic(&report.db, f, rules),
        });
        out.extend_from_slice(line.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}
