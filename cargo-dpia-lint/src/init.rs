//! `cargo dpia-lint init`: a starter `dpia.toml` from what the discovery heuristics find.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use dpia_lint_engine::looks;
use dpia_lint_engine::Survey;

/// The starter manifest and the tags to add, one line each (`src/lib.rs:12: ...`).
pub fn starter(survey: &Survey, regime: &str, title: &str) -> (String, Vec<String>) {
    let mut kinds: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut tags = Vec::new();
    for item in &survey.model.items {
        let cands = looks::candidates(item);
        // one tag on the type (field helpers compile only under it), then the helpers of
        // the fields whose kind differs from the type's
        let mut type_kind: Option<&'static str> = None;
        for c in &cands {
            let kind = c.looks.kind;
            kinds.entry(kind).or_default().push(c.what.clone());
            let file = survey.db.get(c.span.file);
            let (line, _) = file.line_col(c.span.start as usize);
            let tag = match type_kind {
                None => {
                    type_kind = Some(kind);
                    let attr = &looks::declare_edits(item, c, kind)[0].attr;
                    let (line, _) = file.line_col(item.span.start as usize);
                    tags.push(format!(
                        "{}:{line}: `{}`: {attr}  ({})",
                        file.rel_path,
                        item.name,
                        c.looks.reason()
                    ));
                    continue;
                }
                Some(k) if k == kind => continue,
                Some(_) => format!(
                    "#[dpia(category = \"{kind}\")]  (under the type's #[dpia::personal_data])"
                ),
            };
            tags.push(format!(
                "{}:{line}: `{}`: {tag}  ({})",
                file.rel_path,
                c.what,
                c.looks.reason()
            ));
        }
    }
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# A starter DPIA manifest written by `cargo dpia-lint init`. The DPO owns this file:\n\
         # complete every TODO from the DPIA, then run `cargo dpia-lint`.\n\
         # Reference: docs/manifest.md.\n"
    );
    let _ = writeln!(t, "[dpia]\ntitle = {}", toml_str(title));
    let _ = writeln!(t, "regime = \"{regime}\"");
    let _ = writeln!(
        t,
        "# reference = \"...\"   # TODO: the DPO's register number\n"
    );
    if kinds.is_empty() {
        let _ = writeln!(
            t,
            "# No field looks like personal data. Declare categories as you tag the code:\n\
             # [categories.contact]\n# kind = \"email\"\n# retention = \"2y\"\n"
        );
    }
    for (kind, found) in &kinds {
        let desc = dpia_lint_engine::taxonomy::kind(kind)
            .map(|k| k.description)
            .unwrap_or(kind);
        let _ = writeln!(t, "[categories.{kind}]");
        let _ = writeln!(t, "description = {}", toml_str(&format!("TODO: {desc}")));
        let _ = writeln!(t, "kind = \"{kind}\"");
        let _ = writeln!(t, "# retention = \"1y\"   # TODO: how long is it kept?");
        let shown: Vec<&str> = found.iter().take(6).map(String::as_str).collect();
        let more = found.len().saturating_sub(shown.len());
        let _ = writeln!(
            t,
            "# found in: {}{}\n",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    let cats: Vec<String> = kinds.keys().map(|k| format!("\"{k}\"")).collect();
    let _ = writeln!(t, "[purposes.todo-purpose]");
    let _ = writeln!(
        t,
        "description = \"TODO: why this data is processed (rename the table to the purpose's id)\""
    );
    let _ = writeln!(
        t,
        "# basis = \"{}\"   # TODO: the lawful basis (docs/manifest.md lists the ids)",
        if regime == "dpa2018-part3" {
            "part3.task"
        } else {
            "art6.public-task"
        }
    );
    if kinds
        .keys()
        .any(|k| dpia_lint_engine::taxonomy::is_sensitive_kind(k))
    {
        let _ = writeln!(
            t,
            "# conditions = []   # TODO: special category / sensitive data needs a condition"
        );
    }
    let _ = writeln!(t, "categories = [{}]", cats.join(", "));
    let _ = writeln!(
        t,
        "recipients = []   # TODO: who receives it (`log`, `storage`, ...)"
    );
    (t, tags)
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
