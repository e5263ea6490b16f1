//! `cargo run -p xtask -- new-rule <group> <name> [--code DPIAnnn] [--level deny|warn]`:
//! scaffolds a rule the way every rule is laid out. It writes
//!
//! - the rule file `rules/src/<group>/<rule_name>.rs` (`declare_rule!` with the docs
//!   headings, the legal references to fill in, and a placeholder `check`),
//! - one row in the catalogue (`annotations/src/catalogue.rs`), after the last rule of its
//!   group (a new group needs `--code`),
//! - the fixture crate `tests/fixtures/<rule_name>/` with one case that fires and one that
//!   must not,
//!
//! and prints the commands that write the snapshots and regenerate the docs. Nothing else
//! is edited: the group module, the registry, the rule-name lists and the docs all come from
//! the catalogue.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `new-rule` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `legal`.
    pub group: String,
    /// `kebab-case` name.
    pub name: String,
    /// The code; by default the one after the group's last.
    pub code: Option<String>,
    /// `Deny` or `Warn`.
    pub level: &'static str,
}

impl Request {
    /// Parses `<group> <name> [--code DPIAnnn] [--level deny|warn]`.
    pub fn parse(args: &[String]) -> Result<Request, String> {
        let mut pos = Vec::new();
        let (mut code, mut level) = (None, "Deny");
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--code" => code = Some(it.next().ok_or("`--code` needs a value")?.clone()),
                "--level" => {
                    level = match it.next().map(String::as_str) {
                        Some("deny") => "Deny",
                        Some("warn") => "Warn",
                        _ => return Err("`--level` is `deny` or `warn`".into()),
                    }
                }
                _ => pos.push(a.clone()),
            }
        }
        let [group, name] = pos.as_slice() else {
            return Err(
                "usage: new-rule <group> <name> [--code DPIAnnn] [--level deny|warn]".into(),
            );
        };
        let name = name.replace('_', "-");
        let ident = |s: &str, extra: char| {
            !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_lowercase())
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == extra)
        };
        if !ident(group, '_') {
            return Err(format!(
                "group `{group}`: lowercase letters, digits and `_`"
            ));
        }
        if !ident(&name, '-') {
            return Err(format!("name `{name}`: kebab-case, e.g. `dpia-drift`"));
        }
        if let Some(c) = &code {
            if !(c.len() == 7
                && c.starts_with("DPIA")
                && c[4..].bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(format!("code `{c}`: `DPIA` and three digits"));
            }
        }
        Ok(Request {
            group: group.clone(),
            name,
            code,
            level,
        })
    }

    /// `dpia_drift`.
    pub fn module(&self) -> String {
        self.name.replace('-', "_")
    }

    /// `DpiaDrift`.
    pub fn type_name(&self) -> String {
        self.name
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// The catalogue with `req`'s row added, and the code it got.
pub fn add_to_catalogue(catalogue: &str, req: &Request) -> Result<(String, String), String> {
    let rows: Vec<(usize, &str, &str, &str)> = catalogue
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let mut w = l.split_whitespace();
            let code = w.next()?.strip_prefix('"')?.strip_suffix('"')?;
            let name = w.next()?.trim_matches('"');
            code.starts_with("DPIA").then_some((i, code, name, l))
        })
        .collect();
    if rows.iter().any(|r| r.2 == req.name) {
        return Err(format!("a rule named `{}` exists", req.name));
    }
    let lines: Vec<&str> = catalogue.lines().collect();
    let header = format!("{} {{", req.group);
    let group_start = lines.iter().position(|l| l.trim() == header);
    let code = match (&req.code, group_start) {
        (Some(c), _) => c.clone(),
        (None, Some(start)) => {
            let last = rows
                .iter()
                .filter(|r| r.0 > start)
                .take_while(|r| lines[start..r.0].iter().filter(|l| l.trim() == "}").count() == 0)
                .last()
                .ok_or_else(|| format!("group `{}` has no rule: give `--code`", req.group))?;
            let n: u32 = last.1[4..]
                .parse()
                .map_err(|_| "bad code in the catalogue")?;
            format!("DPIA{:03}", n + 1)
        }
        (None, None) => {
            return Err(format!(
                "no group `{}` in the catalogue: a new group needs `--code DPIAnnn`",
                req.group
            ))
        }
    };
    if rows.iter().any(|r| r.1 == code) {
        return Err(format!("code `{code}` is taken (codes are append-only)"));
    }
    let indent = rows
        .first()
        .map(|r| r.3.len() - r.3.trim_start().len())
        .unwrap_or(16);
    let row = format!(
        "{}\"{code}\" \"{}\" {} {};",
        " ".repeat(indent),
        req.name,
        req.module(),
        req.level
    );
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match group_start {
        Some(start) => {
            let end = (start..lines.len())
                .find(|&i| lines[i].trim() == "}")
                .ok_or("unclosed group in the catalogue")?;
            // in code order inside the group
            let at = rows
                .iter()
                .filter(|r| r.0 > start && r.0 < end && r.1 > code.as_str())
                .map(|r| r.0)
                .next()
                .unwrap_or(end);
            out.insert(at, row);
        }
        None => {
            // a new group, before the first group whose first code is higher
            let next = rows.iter().find(|r| r.1 > code.as_str()).map(|r| r.0);
            let at = match next {
                Some(i) => (0..i)
                    .rev()
                    .find(|&j| lines[j].trim().ends_with('{'))
                    .unwrap_or(i),
                None => {
                    let last = rows.last().map(|r| r.0).ok_or("empty catalogue")?;
                    (last..lines.len())
                        .find(|&i| lines[i].trim() == "}")
                        .ok_or("no group end")?
                        + 1
                }
            };
            let pad = " ".repeat(indent.saturating_sub(4));
            out.splice(
                at..at,
                [format!("{pad}{} {{", req.group), row, format!("{pad}}}")],
            );
        }
    }
    let mut s = out.join("\n");
    if catalogue.ends_with('\n') {
        s.push('\n');
    }
    Ok((s, code))
}

/// The rule file.
pub fn rule_file(req: &Request, code: &str) -> String {
    let (name, module, ty) = (&req.name, req.module(), req.type_name());
    format!(
        r#"//! `{code}` {name}: TODO(summary).

crate::declare_rule! {{
    /// ## What it does
    /// Reports a function tagged `#[processing]` whose name starts with `{module}_`. (The placeholder check of `xtask new-rule`: replace it, and this text, with what the rule reports.)
    ///
    /// ## Why it matters
    /// Say which duty of the regime the finding breaks, and what goes wrong for the people whose data it is.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn {module}_fires() {{}}
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn quiet() {{}}
    /// ```
    ///
    /// ## How to fix
    /// Say what to change in the code or, where the controller must assess it (with the DPO's advice), what to record in `dpia.toml`.
    ///
    /// ## Precision
    /// Not implemented yet: a placeholder check. State how far the findings can be trusted.
    pub struct {ty};
    code: "{code}",
    summary: "a processing function is named like the `{name}` placeholder",
    legal_uk_gdpr: "UK GDPR Art 35(7)",
    legal_part3: "DPA 2018 s64(3)",
    step: "Step 5: identify and assess risks",
    precision: Medium,
    implemented: false,
    check: check,
}}

use dpia_annotations::TagKind;
use dpia_lint_engine::{{Finding, RuleContext}};

use crate::declare::finding;

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {{
    for item in &cx.model.items {{
        if item.tag(TagKind::Processing).is_some() && item.name.starts_with("{module}_") {{
            out.push(finding(
                &META,
                item.name_span,
                "the placeholder fires here",
                format!("`{{}}` is named like the `{name}` placeholder", item.name),
            ));
        }}
    }}
}}
"#
    )
}

/// The fixture crate's files, `(relative path, text)`.
pub fn fixture(req: &Request, code: &str) -> Vec<(&'static str, String)> {
    let module = req.module();
    vec![
        (
            "Cargo.toml",
            format!(
                "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n# linted, never built: not part of the dpia-lint workspace\n[workspace]\n",
                req.name
            ),
        ),
        (
            "dpia.toml",
            "[dpia]\ntitle = \"Find and Profile (fixture)\"\nregime = \"dpa2018-part3\"\n\n[categories.vrm]\nkind = \"vehicle-registration\"\nretention = \"1d\"\n\n[purposes.county-lines-detection]\nbasis = \"part3.task\"\ncategories = [\"vrm\"]\n".to_string(),
        ),
        (
            "src/lib.rs",
            format!(
                "//! {code} {}: the fixture. A line whose marker names {code} must fire; the others must not.\nuse dpia::processing;\n\n// fires\n#[processing(purpose = \"county-lines-detection\", basis = \"part3.task\")]\npub fn {module}_fires() {{}} //~ {code}\n\n// quiet\n#[processing(purpose = \"county-lines-detection\", basis = \"part3.task\")]\npub fn quiet() {{}}\n",
                req.name
            ),
        ),
    ]
}

/// Writes the rule under `root` (the repository); returns what it did and what to run next.
pub fn run(root: &Path, req: &Request) -> Result<String, String> {
    let catalogue_path = root.join("annotations/src/catalogue.rs");
    let catalogue = std::fs::read_to_string(&catalogue_path)
        .map_err(|e| format!("{}: {e}", catalogue_path.display()))?;
    let (catalogue, code) = add_to_catalogue(&catalogue, req)?;
    let rule_path = root
        .join("rules/src")
        .join(&req.group)
        .join(format!("{}.rs", req.module()));
    let fixture_dir = root.join("tests/fixtures").join(req.module());
    for p in [&rule_path, &fixture_dir] {
        if p.exists() {
            return Err(format!("{} exists", p.display()));
        }
    }
    let write = |p: &PathBuf, text: &str| -> Result<(), String> {
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    write(&rule_path, &rule_file(req, &code))?;
    for (rel, text) in fixture(req, &code) {
        write(&fixture_dir.join(rel), &text)?;
    }
    write(&catalogue_path, &catalogue)?;
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut s = String::new();
    let _ = writeln!(s, "{code} {} ({})", req.name, req.group);
    let _ = writeln!(s, "  wrote {}", rel(&rule_path));
    let _ = writeln!(
        s,
        "  wrote {}/ (Cargo.toml, dpia.toml, src/lib.rs)",
        rel(&fixture_dir)
    );
    let _ = writeln!(s, "  added its row to {}", rel(&catalogue_path));
    let _ = writeln!(
        s,
        "\nnext:\n  1. write the check and the docs in {} (the placeholder fires on `{}_*` functions)\n  2. INSTA_UPDATE=always cargo test -p dpia-lint-e2e --test fixtures -- fixture::{}   (read the new tests/snapshots/{}__*.snap)\n  3. UPDATE_DOCS=1 cargo test -p dpia-lint-rules   (docs/rules.md and the README's rule table)\n  4. when the check is real: `implemented: true`, drop \"Not implemented yet\" from the docs, and make it fire under both regimes (tests/legal_review.rs)",
        rel(&rule_path),
        req.module(),
        req.module(),
        req.module()
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(args: &[&str]) -> Request {
        Request::parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    const CATALOGUE: &str = "x {\n    legal {\n        \"DPIA501\" \"a-b\" a_b Deny;\n        \"DPIA502\" \"c-d\" c_d Deny;\n    }\n    suppression {\n        \"DPIA901\" \"e-f\" e_f Warn;\n    }\n}\n";

    #[test]
    fn the_next_code_of_the_group() {
        let (s, code) = add_to_catalogue(CATALOGUE, &req(&["legal", "new_one"])).unwrap();
        assert_eq!(code, "DPIA503");
        assert!(s.contains("\"DPIA502\" \"c-d\" c_d Deny;\n        \"DPIA503\" \"new-one\" new_one Deny;\n    }"), "{s}");
    }

    #[test]
    fn a_new_group_in_code_order() {
        let r = req(&[
            "drift",
            "dpia-drift",
            "--code",
            "DPIA601",
            "--level",
            "warn",
        ]);
        let (s, _) = add_to_catalogue(CATALOGUE, &r).unwrap();
        assert!(s.contains("    }\n    drift {\n        \"DPIA601\" \"dpia-drift\" dpia_drift Warn;\n    }\n    suppression {"), "{s}");
        assert!(add_to_catalogue(CATALOGUE, &req(&["drift", "x"])).is_err());
        assert!(add_to_catalogue(CATALOGUE, &req(&["legal", "a-b"])).is_err());
        assert!(add_to_catalogue(CATALOGUE, &req(&["legal", "z", "--code", "DPIA501"])).is_err());
    }

    #[test]
    fn names() {
        let r = req(&["flows", "dpia-drift"]);
        assert_eq!(
            (r.module(), r.type_name()),
            ("dpia_drift".into(), "DpiaDrift".into())
        );
        assert!(Request::parse(&["flows".into()]).is_err());
        assert!(Request::parse(&["Flows".into(), "x".into()]).is_err());
    }
}
