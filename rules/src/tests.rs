//! Meta-tests: the catalogue matches the contract, every rule is documented, docs/rules.md
//! is in sync.

use std::path::Path;

use super::*;

#[test]
fn the_registry_is_the_catalogue() {
    let ours: Vec<_> = metas().map(|m| (m.code, m.name, m.default_level)).collect();
    let catalogue: Vec<_> = dpia_annotations::RULES
        .iter()
        .map(|r| (r.code, r.name, r.default_level))
        .collect();
    assert_eq!(ours, catalogue);
}

#[test]
fn every_rule_is_documented() {
    for m in metas() {
        for heading in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## How to fix",
            "## Precision",
        ] {
            assert!(m.docs.contains(heading), "{} lacks `{heading}`", m.code);
        }
        assert!(
            m.docs.contains("```dpia-fail") && m.docs.contains("```dpia-pass"),
            "{} lacks examples",
            m.code
        );
        assert!(
            !m.legal_uk_gdpr.is_empty() && !m.legal_part3.is_empty() && !m.dpia_step.is_empty(),
            "{}",
            m.code
        );
        assert_eq!(
            m.docs.contains("Not implemented yet"),
            !m.implemented,
            "{}: docs must say whether it is implemented",
            m.code
        );
    }
}

#[test]
fn summaries_are_rustc_style() {
    for m in metas() {
        let first = m.summary.chars().next().unwrap();
        assert!(!first.is_uppercase(), "{}: starts lowercase", m.code);
        assert!(!m.summary.ends_with('.'), "{}: no trailing period", m.code);
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: kebab-case",
            m.code
        );
    }
}

#[test]
fn one_file_per_rule_named_after_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for m in metas() {
        let path = root.join(m.file);
        assert!(path.is_file(), "{}: {} does not exist", m.code, m.file);
        let stem = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('_', "-");
        assert_eq!(stem, m.name, "{} lives in {}", m.code, m.file);
        let group = dpia_annotations::catalogue::by_code(m.code).group;
        assert!(
            m.file
                .ends_with(&format!("src/{group}/{}.rs", m.name.replace('-', "_"))),
            "{} is in group `{group}` but lives in {}",
            m.code,
            m.file
        );
    }
}

#[test]
fn find_accepts_codes_and_both_name_spellings() {
    assert_eq!(find("DPIA102").unwrap().name, "function-creep");
    assert_eq!(find("dpia102").unwrap().name, "function-creep");
    assert_eq!(find("function_creep").unwrap().code, "DPIA102");
    assert!(find("function-crep").is_none());
    assert!(explain(find("DPIA101").unwrap()).starts_with("DPIA101 undeclared-purpose: "));
}

#[test]
fn docs_rules_md_is_in_sync() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let fresh = rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p dpia-lint-rules`"
    );
}

#[test]
fn readme_rule_table_is_in_sync() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let fresh = with_readme_table(&current).expect("README.md has the rule table markers");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    assert!(
        current == fresh,
        "the README's rule table is stale: run `UPDATE_DOCS=1 cargo test -p dpia-lint-rules`"
    );
}

/// Sections of DPA 2018 Part 3 (s29–s81) cited in `text`, e.g. `s35`, `s50A`, `s62`.
pub(crate) fn part3_sections(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len() {
        let starts = b[i] == b's' && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if !starts {
            continue;
        }
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<u32>() {
            if (29..=81).contains(&n) {
                out.push(format!("s{digits}"));
            }
        }
    }
    out
}

/// Does `text` cite a UK GDPR article (`Art 5`, `UK GDPR`)?
pub(crate) fn cites_articles(text: &str) -> bool {
    text.contains("UK GDPR")
        || text
            .match_indices("Art ")
            .any(|(i, _)| text[i + 4..].starts_with(|c: char| c.is_ascii_digit()))
}

#[test]
fn legal_references_cite_only_their_regime() {
    for m in metas() {
        assert!(
            !cites_articles(m.legal_part3),
            "{}: the Part 3 reference cites UK GDPR: {}",
            m.code,
            m.legal_part3
        );
        assert!(
            m.legal_part3.starts_with("DPA 2018 "),
            "{}: {}",
            m.code,
            m.legal_part3
        );
        assert!(
            part3_sections(m.legal_uk_gdpr).is_empty(),
            "{}: the UK GDPR reference cites Part 3: {}",
            m.code,
            m.legal_uk_gdpr
        );
    }
    assert_eq!(
        part3_sections("DPA 2018 s35(1), s50A–50D, s3(2), s10"),
        ["s35", "s50"]
    );
    assert!(cites_articles("UK GDPR Art 5(1)(b)") && !cites_articles("DPA 2018 s36"));
}

#[test]
fn references_are_law_md_section_1() {
    // spot checks of citations that were once wrong
    let r = |c: &str| find(c).unwrap();
    assert_eq!(r("DPIA102").legal_uk_gdpr, "UK GDPR Art 5(1)(b), 8A");
    assert!(r("DPIA201").legal_part3.contains("s61(2)(f)"));
    assert!(r("DPIA202").legal_part3.contains("s61(2)(f)"));
    assert_eq!(r("DPIA203").legal_part3, "DPA 2018 s34(3), s56(3)");
    assert_eq!(r("DPIA503").legal_uk_gdpr, "UK GDPR Art 22A–22D");
    assert_eq!(r("DPIA503").legal_part3, "DPA 2018 s50A–50D");
    assert!(r("DPIA501").legal_uk_gdpr.contains("Sch 1"));
    let explained = explain(r("DPIA302"));
    assert!(explained.contains("uk-gdpr:       UK GDPR Art 5(1)(c)"));
    assert!(explained.contains("dpa2018-part3: DPA 2018 s37"));
}

#[test]
fn no_text_makes_the_dpo_the_duty_holder() {
    for m in metas() {
        for bad in [
            "DPO must",
            "the DPO assesses",
            "the DPO adds",
            "the DPO removes",
            "have the DPO",
        ] {
            assert!(!m.docs.contains(bad), "{}: `{bad}` in the docs", m.code);
        }
        assert!(
            !m.docs.contains("a hash)") && !m.docs.contains("hash clears"),
            "{}: a hash is no redaction",
            m.code
        );
    }
}
