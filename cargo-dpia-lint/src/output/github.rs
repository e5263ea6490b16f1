//! `--format github`: GitHub Actions workflow commands, which annotate the pull request:
//!
//! ```text
//! ::error file=src/lib.rs,line=3,endLine=3,col=5,endColumn=9,title=DPIA101 undeclared-purpose::message
//! ```
//!
//! `::warning` at level warn. Lines and columns are 1-based, columns in characters and
//! `endColumn` exclusive, as everywhere else. The message is the finding's, then its help
//! on the next line. Data is escaped as the runner expects (`%`, CR, LF), property values
//! also `:` and `,`. The summary line (`N errors, M warnings (K suppressed)`) closes the
//! output as a plain log line.

use std::io::Write;

use dpia_lint_engine::{Level, Report, RuleMeta};

/// Escapes a command's message: `%` → `%25`, CR → `%0D`, LF → `%0A`; other control
/// characters (ESC, BEL, C1, bidi overrides: [`super::text::replacement`]) are shown as
/// their visible stand-ins, as in human output. A `::` inside the data is harmless: the
/// runner reads commands only at the start of a line, and no LF is left.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(super::text::replacement(c).unwrap_or(c)),
        }
    }
    out
}

/// Escapes a command's property value: as [`escape_data`], and `:` → `%3A`, `,` → `%2C`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per shown finding, then the summary line.
pub fn render(report: &Report, rules: &[&RuleMeta]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in super::shown(report) {
        let file = report.db.get(f.primary.span.file);
        let ((l, c), (el, ec)) = super::line_cols(&report.db, f.primary.span);
        let title = match super::meta(rules, f.code) {
            Some(m) => format!("{} {}", f.code, m.name),
            None => f.code.to_string(),
        };
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
            escape_property(&title),
            escape_data(&message),
        );
    }
    let _ = writeln!(out, "{}", super::human::summary(report));
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::fixture;
    use super::*;

    /// The runner's side, in one pass: each `%XX` back to its character.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('%') {
            out.push_str(&rest[..i]);
            let code = u8::from_str_radix(&rest[i + 1..i + 3], 16).expect("%XX");
            out.push(char::from(code));
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
        out
    }

    /// `::kind props::message` → (kind, properties, message).
    fn parse(line: &str) -> (String, BTreeMap<String, String>, String) {
        let rest = line.strip_prefix("::").expect("a workflow command");
        let (head, message) = rest.split_once("::").expect("`::` before the message");
        let (kind, props) = head.split_once(' ').unwrap_or((head, ""));
        let props = props
            .split(',')
            .map(|p| {
                let (k, v) = p.split_once('=').expect("key=value");
                (k.to_string(), unescape(v))
            })
            .collect();
        (kind.to_string(), props, unescape(message))
    }

    #[test]
    fn escaping_round_trips() {
        for s in ["a%b", "x:y,z", "one\ntwo\r\n", "%0A literal", "é → ok"] {
            assert_eq!(unescape(&escape_property(s)), s);
            assert_eq!(unescape(&escape_data(s)), s);
            assert!(!escape_property(s).contains([':', ',', '\n', '\r']));
        }
        assert_eq!(escape_data("50%\n"), "50%25%0A");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn commands_parse_back() {
        let r = fixture::report();
        let out = String::from_utf8(render(&r, &fixture::rules())).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        // shown: 001, 501, 102, 102, 302; then the summary
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[5], "4 errors, 1 warning (2 suppressed)");
        let (kind, props, message) = parse(lines[0]);
        assert_eq!(kind, "warning");
        assert_eq!(props["title"], "DPIA001 parse-error");
        assert_eq!(props["file"], "src/broken.rs");
        assert_eq!(message, "cannot parse `src/broken.rs`");

        let (kind, props, message) = parse(lines[2]);
        assert_eq!(kind, "error");
        assert_eq!(props["file"], "src/lib.rs");
        assert_eq!(props["line"], "5");
        assert_eq!(props["endLine"], "5");
        assert_eq!(props["col"], "5");
        assert_eq!(props["endColumn"], "14");
        assert_eq!(props["title"], "DPIA102 function-creep");
        assert_eq!(
            message,
            "category `vrm` is processed under purpose `marketing`, which the DPIA does not allow for it\nhelp: add `vrm` to the purpose in dpia.toml, or stop processing it here"
        );

        let (_, _, message) = parse(lines[4]);
        assert_eq!(message, "`vrm` reaches a log: 100% of reads,\nline two");
        insta::assert_snapshot!(out);
    }
}
