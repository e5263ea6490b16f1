//! A legal review of every note: under each regime, a finding's legal reference, notes, help
//! and message cite only that regime's provisions (no UK GDPR articles in Part 3
//! texts, no DPA 2018 Part 3 sections, s29–s81, in UK GDPR ones), and every implemented rule
//! is seen under both regimes across the fixtures and examples (DPIA502 never under UK GDPR).

use std::collections::BTreeSet;
use std::path::Path;

use dpia_lint_e2e::{fixtures, lint, metas};

/// Sections of DPA 2018 Part 3 (s29–s81) cited in `text`, e.g. `s35`, `s50A`, `s62`.
fn part3_sections(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len() {
        if b[i] != b's' || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'`')) {
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

/// Does `text` cite UK GDPR (`UK GDPR`, `Art 5`)?
fn cites_articles(text: &str) -> bool {
    text.contains("UK GDPR")
        || text
            .match_indices("Art ")
            .any(|(i, _)| text[i + 4..].starts_with(|c: char| c.is_ascii_digit()))
}

#[test]
fn the_scanners_find_citations() {
    assert_eq!(
        part3_sections("DPA 2018 s35(1), s50A–50D, s3(2), s10, Sch 8, s62"),
        ["s35", "s50", "s62"]
    );
    assert!(cites_articles("UK GDPR Art 5(1)(b)") && cites_articles("Art 9(2)"));
    assert!(!cites_articles("DPA 2018 s36(1) and `articles`"));
}

#[test]
fn notes_cite_only_the_regime_of_the_manifest() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let dirs = fixtures()
        .into_iter()
        .chain(["find-and-profile", "live-facial-recognition"].map(|e| examples.join(e)));
    let mut seen: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut problems = Vec::new();
    for dir in dirs {
        let report = lint(&dir, false);
        let part3 = report.regime == "dpa2018-part3";
        for f in &report.findings {
            seen.insert((f.code, report.regime.to_string()));
            assert!(
                !f.legal_reference.is_empty(),
                "{}: {} has no legal reference",
                dir.display(),
                f.code
            );
            let texts = std::iter::once(f.legal_reference)
                .chain(std::iter::once(f.message.as_str()))
                .chain(f.notes.iter().map(String::as_str))
                .chain(f.help.as_deref());
            for t in texts {
                // naming what a foreign id the user wrote is ("`art6.public-task` (UK GDPR
                // Art 6(1)(e)) is not a lawful basis under regime `dpa2018-part3`") is no citation
                if f.code == "DPIA104" && t.contains("under regime `") {
                    continue;
                }
                let wrong = if part3 {
                    cites_articles(t).then(|| "a UK GDPR article".to_string())
                } else {
                    let s = part3_sections(t);
                    (!s.is_empty()).then(|| format!("DPA 2018 Part 3 {}", s.join(", ")))
                };
                if let Some(w) = wrong {
                    problems.push(format!(
                        "{} ({}): {} cites {w}: {t}",
                        dir.file_name().unwrap().to_string_lossy(),
                        report.regime,
                        f.code
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut unseen = Vec::new();
    for m in metas().into_iter().filter(|m| m.implemented) {
        for regime in ["uk-gdpr", "dpa2018-part3"] {
            let fired = seen.contains(&(m.code, regime.to_string()));
            if m.code == "DPIA502" && regime == "uk-gdpr" {
                assert!(!fired, "DPIA502 fired under uk-gdpr: s62 is a Part 3 duty");
            } else if !fired {
                unseen.push(format!("{} under {regime}", m.code));
            }
        }
    }
    assert!(
        unseen.is_empty(),
        "no fixture fires these, so the legal review cannot see their notes: {}",
        unseen.join(", ")
    );
}
