//! `--format github`: GitHub Actions workflow commands, which annotate the pull request.
//! `::error file=src/lib.rs,line=3,endLine=3,col=5,endColumn=9,title=DPIA101 undeclared-purpose::message`

use std::io::Write;

use dpia_lint_engine::{Level, Report, RuleMeta};

/// Escapes a command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report, rules: &[&RuleMeta]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in super::shown(report) {
        let file = report.db.get(f.primary.span.file);
        let (l, c) = file.line_col(f.primary.span.start as usize);
        let (el, ec) = file.line_col(f.primary.span.end as usize);
        let name = super::meta(rules, f.code).map(|m| m.name).unwrap_or("");
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        let _ = writeln!(
            out,
            "::{} file={},line={l},endLine={el},col={c},endColumn={ec},title={}::{}",
            if f.level == Level::Deny {
                "error"
            } else {
                "warning"
            },
            escape_property(&file.rel_path),
            escape_property(&format!("{} {name}", f.code)),
            escape_data(&message),
        );
    }
    let _ = writeln!(out, "{}", super::human::summary(report));
    out
}
