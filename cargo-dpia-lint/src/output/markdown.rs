//! `--format markdown`: a summary sized for a pull request comment or
//! `$GITHUB_STEP_SUMMARY` — the counts (new against the baseline, when there is one) and a
//! table of the findings a person should look at, each linked to its line.
//!
//! Links are relative (`src/lib.rs#L12`) unless a base is given: in GitHub Actions,
//! [`github_links`] builds `https://github.com/OWNER/REPO/blob/SHA/` from the workflow's
//! environment, so that the links work from the summary page.

use std::fmt::Write as _;

use dpia_lint_engine::{Level, Report, RuleMeta};

/// At most this many rows; the rest are counted in a closing line (GitHub caps a step
/// summary at 1 MiB).
pub const MAX_ROWS: usize = 200;

/// The blob URL of the commit being checked, from GitHub Actions' environment.
pub fn github_links() -> Option<String> {
    let server = std::env::var("GITHUB_SERVER_URL").ok()?;
    let repo = std::env::var("GITHUB_REPOSITORY").ok()?;
    let sha = std::env::var("GITHUB_SHA").ok()?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._/:".contains(c))
    };
    (ok(&server) && ok(&repo) && ok(&sha))
        .then(|| format!("{}/{repo}/blob/{sha}/", server.trim_end_matches('/')))
}

/// The Markdown summary. `link_base` is prefixed to each `file#Lline` link.
pub fn render(report: &Report, rules: &[&RuleMeta], link_base: Option<&str>) -> Vec<u8> {
    let mut out = String::new();
    let _ = writeln!(out, "## dpia-lint\n");
    let _ = writeln!(out, "**{}**\n", super::human::summary(report));
    let shown: Vec<_> = super::shown(report).collect();
    if shown.is_empty() {
        let what = if report.baseline.is_some() {
            "No new findings."
        } else {
            "No findings."
        };
        let _ = writeln!(out, "{what}");
        return out.into_bytes();
    }
    let _ = writeln!(out, "| level | rule | finding | where |");
    let _ = writeln!(out, "|---|---|---|---|");
    for f in shown.iter().take(MAX_ROWS) {
        let level = match f.level {
            Level::Deny => "error",
            Level::Warn => "warning",
            Level::Allow => "allow",
        };
        let name = super::meta(rules, f.code).map(|m| m.name).unwrap_or("");
        let file = report.db.get(f.primary.span.file);
        let line = super::line_cols(&report.db, f.primary.span).0 .0;
        let _ = writeln!(
            out,
            "| {level} | `{}` {name} | {} | [{}:{line}]({}{}#L{line}) |",
            f.code,
            cell(&f.message),
            cell(&file.rel_path),
            link_base.unwrap_or(""),
            url_path(&file.rel_path),
        );
    }
    if shown.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more: see the SARIF report or run `cargo dpia-lint` locally.",
            shown.len() - MAX_ROWS
        );
    }
    out.into_bytes()
}

/// Text safe inside a table cell: no pipes, line breaks or HTML.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URL path: every byte outside RFC 3986's unreserved set and `/`
/// percent-encoded.
fn url_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_paths_are_escaped() {
        assert_eq!(cell("a | b\n<script>"), "a \\| b &lt;script&gt;");
        assert_eq!(url_path("src/a b#c.rs"), "src/a%20b%23c.rs");
    }

    #[test]
    fn summary_lists_the_shown_findings() {
        let r = super::super::fixture::report();
        let rules = super::super::fixture::rules();
        let md = String::from_utf8(render(&r, &rules, None)).unwrap();
        insta::assert_snapshot!(md);
    }
}
